"""Document pages: the list per office and year, the document itself with its buttons,
history, revisions and diff, the transitions, the reviewer's inbox, and verification.

Every handler loads through ``workflow.dokumen.policy.terlihat`` (a document out of reach
answers 404 like a missing one), checks, then acts through ``workflow.dokumen.operations``.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tenants import otp
from tenants.db import db
from tenants.satker import Satker
from workflow.dokumen import canonical, cascade, keadaan, operations, policy
from workflow.dokumen.diff import bandingkan
from workflow.dokumen.models import AlasanRevisi, Dokumen, JenisDokumen, Revisi, Status
from workflow.errors import Ditolak, WorkflowError
from workflow.evaluasi import canonical as evaluasi_canonical
from workflow.evaluasi import queries as evaluasi_queries
from workflow.tinjauan.queries import MENUNGGU, Saringan, kotak_tinjauan
from webapp import common, document_tables, markup, rls
from webapp.common import dokumen_or_404, kode_baku, pilihan_saringan, saving, status_label, tombol_label
from webapp.auth import signing_code_problem
from webapp.document_page import render_dokumen
from webapp.gate import gated, public, visible_satker_or_404

bp = Blueprint("documents", __name__)
common.register(bp)

MAX_ALASAN = 2000


bp.add_app_template_filter(markup.naskah_bab, "naskah")
bp.add_app_template_global(document_tables.rak_rows, "rak_rows")
bp.add_app_template_global(document_tables.indikator_rows, "indikator_rows")
bp.add_app_template_global(document_tables.riwayat_rows, "riwayat_rows")
bp.add_app_template_global(document_tables.anggaran_selisih, "anggaran_selisih")
bp.add_app_template_global(document_tables.anggaran_persen, "anggaran_persen")
bp.add_app_template_global(document_tables.anggaran_kode, "anggaran_kode")


def _tahun_default() -> int:
    return date.today().year


# -- the list per office and year ------------------------------------------------------

@bp.get("/satker/<kode>/dokumen")
@gated
def daftar(kode: str):
    satker = visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))
    known = set(db.session.scalars(select(Dokumen.tahun).where(Dokumen.satker_id == satker.id)))
    # Without a choice, open the latest year that has documents (planning runs ahead).
    tahun = request.args.get("tahun", type=int) or max(known, default=_tahun_default())
    if not 2000 <= tahun <= 2100:
        abort(404)
    rows = {d.jenis: d for d in db.session.scalars(
        select(Dokumen).where(Dokumen.satker_id == satker.id, Dokumen.tahun == tahun))}
    this_year = _tahun_default()
    # Earlier years too: offices bring in past plans from Word and PDF.
    years = sorted(known | {tahun} | set(range(this_year - 3, this_year + 2)))
    creatable = {j for j in JenisDokumen if j not in rows and policy.boleh_membuat(current_user, satker, j)}
    # Kind and status narrow the year's rows; the year is the list's own choice above.
    saringan = Saringan.dari(request.args)
    jenis_list = [j for j in JenisDokumen if saringan.jenis in (None, j)
                  and (saringan.status is None or (j in rows and rows[j].status is saringan.status))]
    return render_template("documents/list.html", satker=satker, tahun=tahun, years=years,
                           jenis_list=jenis_list, rows=rows, creatable=creatable, saringan=saringan,
                           pilihan=pilihan_saringan(tahun=reversed(years)),
                           dikembalikan=keadaan.pengembalian(db.session, rows.values()))


@bp.post("/satker/<kode>/dokumen/<int:tahun>/<jenis>")
@gated
def buat(kode: str, tahun: int, jenis: str):
    satker = visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))
    try:
        jenis_dokumen = JenisDokumen(jenis)
    except ValueError:
        abort(404)
    if not 2000 <= tahun <= 2100:
        abort(404)
    try:
        with saving():
            dokumen = operations.buat_dokumen(db.session, satker, tahun, jenis_dokumen, current_user)
    except WorkflowError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".daftar", kode=kode, tahun=tahun))
    flash(_("%(jenis)s dibuat sebagai draf (Revisi ke-0).", jenis=jenis_dokumen.label), "success")
    return redirect(url_for(".lihat", dokumen_id=dokumen.id))


# -- the document page -----------------------------------------------------------------


@bp.get("/dokumen/<int:dokumen_id>")
@gated
def lihat(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    return render_dokumen(dokumen)


@bp.get("/dokumen/<int:dokumen_id>/revisi/<int:nomor>")
@gated
def lihat_revisi(dokumen_id: int, nomor: int):
    dokumen = dokumen_or_404(dokumen_id)
    revisi = db.session.scalar(select(Revisi).where(Revisi.dokumen_id == dokumen.id, Revisi.nomor == nomor))
    if revisi is None:
        abort(404)
    return render_dokumen(dokumen, revisi)


# -- transitions -----------------------------------------------------------------------

def _alasan(name: str = "alasan") -> str:
    return (request.form.get(name) or "").strip()[:MAX_ALASAN]


@bp.post("/dokumen/<int:dokumen_id>/aksi/<event>")
@gated
def aksi(dokumen_id: int, event: str):
    if event not in operations.EVENT_LABELS:
        abort(404)
    dokumen = dokumen_or_404(dokumen_id, lock=True)
    versi = request.form.get("versi", type=int)
    if versi is None:  # every button carries the version it was shown on
        abort(400)
    if operations.sudah_dilakukan(db.session, dokumen, event, current_user, versi):
        flash(_("%(aksi)s sudah Anda lakukan; permintaan yang sama tidak dijalankan dua kali. Status sekarang "
                "%(status)s.", aksi=tombol_label(event), status=status_label(dokumen.status)), "info")
        return redirect(url_for(".lihat", dokumen_id=dokumen.id))
    kwargs: dict = {}
    if event == "send_back":
        kwargs["alasan"] = _alasan()
    elif event == "revise":
        try:
            kwargs["alasan_jenis"] = AlasanRevisi(request.form.get("alasan_jenis", ""))
        except ValueError:
            kwargs["alasan_jenis"] = None
        kwargs["alasan"] = _alasan()
    elif event == "approve":
        kwargs["alasan"] = _alasan() or None
    elif event == "sign":
        kwargs["hash_dibaca"] = request.form.get("hash_dibaca") or ""
        # An account with an authenticator types a fresh code to sign (webapp.auth).
        if masalah := signing_code_problem(current_user._get_current_object()):
            return _refused(dokumen_id, Ditolak(masalah))
    try:
        with saving():
            operations.transisi(db.session, dokumen, event, current_user, versi=versi, **kwargs)
    except WorkflowError as exc:
        return _refused(dokumen_id, exc)
    flash(_("%(aksi)s: berhasil. Status sekarang %(status)s.", aksi=tombol_label(event),
            status=status_label(dokumen.status)), "success")
    return redirect(url_for(".lihat", dokumen_id=dokumen.id))


def _refused(dokumen_id: int, exc: WorkflowError):
    return render_dokumen(dokumen_or_404(dokumen_id), error=exc, status=exc.status,
                          form_values={k: v for k, v in request.form.items() if k != "csrf_token"})


# -- cascade ----------------------------------------------------------------------------

@bp.post("/dokumen/<int:dokumen_id>/turunkan")
@gated
def turunkan(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    try:
        # The offices below are beyond a ketua's own: the operation checks who may cascade.
        with rls.sistem(), saving():
            hasil = cascade.turunkan(db.session, dokumen, current_user)
    except WorkflowError as exc:
        return _refused(dokumen_id, exc)
    flash(_("Diturunkan ke satker di bawah: %(ringkasan)s", ringkasan=hasil.ringkasan), "success")
    return redirect(url_for(".lihat", dokumen_id=dokumen_id))


@bp.post("/dokumen/<int:dokumen_id>/ambil-induk")
@gated
def ambil_induk(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id, lock=True)
    try:
        with rls.sistem(), saving():  # reads the parent office's PK
            n = cascade.ambil_perubahan_induk(db.session, dokumen, current_user,
                                              versi=request.form.get("versi", type=int))
    except WorkflowError as exc:
        return _refused(dokumen_id, exc)
    flash(_("%(n)s target induk diambil ke draf.", n=n), "success")
    return redirect(url_for(".lihat", dokumen_id=dokumen_id))


# -- the reviewer's inbox --------------------------------------------------------------

@bp.get("/tinjauan")
@gated
def inbox():
    saringan = Saringan.dari(request.args, MENUNGGU)
    items = kotak_tinjauan(db.session, current_user, saringan)
    return render_template("documents/inbox.html", items=items, saringan=saringan,
                           pilihan=pilihan_saringan(MENUNGGU, _tahun_pilihan({i.dokumen.tahun for i in items} | {saringan.tahun} - {None})),
                           wajib_kode=otp.enrolled(current_user))


def _tahun_pilihan(known) -> list[int]:
    this_year = _tahun_default()
    return sorted(set(known) | set(range(this_year - 3, this_year + 2)), reverse=True)


# -- verification (public: the code is printed on the paper) -----------------------------

@bp.get("/verifikasi")
@public
def verifikasi_form():
    kode = kode_baku(request.args.get("kode") or "")
    if kode:
        return redirect(url_for(".verifikasi", kode=kode))
    return render_template("documents/verify.html", revisi=None, kode="")


@bp.get("/verifikasi/<kode>")
@public
def verifikasi(kode: str):
    kode = kode_baku(kode)
    with rls.sistem():  # public by design: whoever holds the printed code may check it
        revisi = db.session.scalar(select(Revisi).where(Revisi.kode_verifikasi == kode))
        if revisi is None and (ev := evaluasi_queries.dengan_kode(db.session, kode)) is not None:
            # A final evaluation's code (workflow.evaluasi): its stored result against its hash,
            # and against the rows as they are now.
            return render_template("evaluasi/verifikasi.html", ev=ev, kode=kode,
                                   hash_tersimpan=evaluasi_canonical.hash_teks(ev.isi_final),
                                   sama_dengan_isi=evaluasi_canonical.teks(
                                       evaluasi_canonical.isi(db.session, ev)) == ev.isi_final)
        if revisi is None:
            return render_template("documents/verify.html", revisi=None, kode=kode, not_found=True), 404
        return render_template("documents/verify.html", revisi=revisi, kode=kode, dokumen=revisi.dokumen,
                               hash_sekarang=canonical.hash_isi(revisi))


# -- comparing two revisions --------------------------------------------------------------

@bp.get("/dokumen/<int:dokumen_id>/banding")
@gated
def banding(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    nomor = [r.nomor for r in dokumen.revisi]
    dari = request.args.get("dari", type=int)
    ke = request.args.get("ke", type=int)
    dari = dari if dari in nomor else (nomor[-2] if len(nomor) > 1 else nomor[-1])
    ke = ke if ke in nomor else nomor[-1]
    perbandingan = bandingkan(dokumen.revisi_ke(dari), dokumen.revisi_ke(ke))
    return render_template("documents/diff.html", dokumen=dokumen, p=perbandingan, dari=dari, ke=ke)
