"""Document pages: the list per office and year, the document itself with its buttons,
history, revisions and diff, the transitions, the reviewer's inbox, and verification.

Every handler loads through ``workflow.policy.terlihat`` (a document out of reach
answers 404 like a missing one), checks, then acts through ``workflow.operations``.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload, selectinload

from tenants.db import db
from tenants.people import User
from tenants.satker import Satker, Tingkat
from workflow import audit, canonical, cascade, checks, keadaan, laporan, lkj, operations, policy, schedule
from workflow.anggaran import ringkasan_dokumen
from workflow.content import RakBaris
from workflow.diff import bandingkan
from workflow.document import ALASAN_RESMI, AlasanRevisi, Bentuk, Dokumen, JenisDokumen, Revisi, Status
from workflow.errors import Ditolak, WorkflowError
from webapp import common, document_tables, markup, rls
from webapp.common import dokumen_or_404, saving, status_label, tombol_label
from webapp.auth import signing_code_problem
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


def _lkj_context(dokumen: Dokumen, revisi: Revisi) -> dict:
    if dokumen.jenis is not JenisDokumen.LKJ:
        return {}
    data = laporan.tabel(db.session, revisi)
    return {"lkj_data": data, "lkj_ringkasan": laporan.ringkasan(data), "lkj_pegawai": lkj.pegawai(revisi.lkj),
            "lkj_selisih": lkj.selisih_tertulis(data, revisi.lkj.angka_tertulis if revisi.lkj else None)}


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
    return render_template("documents/list.html", satker=satker, tahun=tahun, years=years,
                           jenis_list=list(JenisDokumen), rows=rows, creatable=creatable,
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

# The document page shows the newest entries; a draft edited all January has thousands.
RIWAYAT_SINGKAT = 25


def _history(dokumen: Dokumen, semua: bool) -> tuple[list, int]:
    """The document's audit entries, newest first (the newest ``RIWAYAT_SINGKAT`` unless
    ``semua``), and how many there are in all, in one statement: the columns the page
    shows, not the entries' details and hashes."""
    e = audit.AuditEntry
    query = (select(e.waktu, e.username, e.peran, e.revisi_nomor, e.aksi, e.dari, e.ke, e.alasan,
                    func.count().over().label("jumlah"))
             .where(e.dokumen_id == dokumen.id).order_by(e.seq.desc()))
    rows = db.session.execute(query if semua else query.limit(RIWAYAT_SINGKAT)).all()
    return rows, rows[0].jumlah if rows else 0


def _perubahan_induk(dokumen: Dokumen, revisi: Revisi) -> list:
    # Only an inherited indikator has a parent to read: without one, nothing reaches across.
    # A RAK has none, and its sasaran are not loaded (asking would load them).
    if dokumen.jenis.bentuk is Bentuk.RAK or not any(i.induk_kunci for s in revisi.sasaran for i in s.indikator):
        return []
    with rls.sistem():  # the parent office's PK, read for its targets only
        return cascade.perubahan_induk(db.session, revisi)


# The content a kind of document never holds: the page loads it only if something asks.
_ISI_LAIN = {Bentuk.PK: (lazyload(Revisi.baris), lazyload(Revisi.lkj)),
             Bentuk.RKT: (lazyload(Revisi.baris), lazyload(Revisi.lkj)),
             # A RAK's kegiatan in a statement of their own, by the rows' ids: joined to the
             # rows, PostgreSQL read all kegiatan of the country behind their row-level
             # security policy (6 ms a page on the national data, bench/README.md "load/").
             Bentuk.RAK: (lazyload(Revisi.sasaran), lazyload(Revisi.lkj),
                          selectinload(Revisi.baris).selectinload(RakBaris.kegiatan))}
# The revisions table names each revision; their content stays in the database.
_TANPA_ISI = tuple(lazyload(r) for r in (Revisi.program, Revisi.sasaran, Revisi.baris, Revisi.lkj, Revisi.tanda_tangan))


def _revisi_aktif(dokumen: Dokumen) -> Revisi:
    """``dokumen.revisi_aktif`` without the kinds of content this document cannot have."""
    query = select(Revisi).where(Revisi.dokumen_id == dokumen.id, Revisi.nomor == dokumen.nomor_revisi)
    return db.session.scalars(query.options(*_ISI_LAIN.get(dokumen.jenis.bentuk, ()))).one()


def _daftar_revisi(dokumen: Dokumen) -> list:
    """The revisions table: each revision with the name of who opened it (None: the
    system), without loading every old revision's content or its author's account."""
    return db.session.execute(
        select(Revisi, User.full_name).outerjoin(User, User.id == Revisi.dibuat_oleh_id)
        .where(Revisi.dokumen_id == dokumen.id).order_by(Revisi.nomor).options(*_TANPA_ISI)).all()


def render_dokumen(dokumen: Dokumen, revisi: Revisi | None = None, *, error: WorkflowError | None = None,
                   status: int = 200, form_values: dict | None = None):
    user = current_user._get_current_object()  # one lookup for the page's permission checks
    aktif = _revisi_aktif(dokumen)
    revisi = revisi or aktif
    is_current = revisi.id == aktif.id
    editable = is_current and policy.boleh_menyunting(user, dokumen)
    # Whether a RAK row may be edited depends on its pelaksana alone: asked once per unit.
    per_pelaksana: dict[str | None, bool] = {}

    def bisa_baris(b) -> bool:
        if b.pelaksana not in per_pelaksana:
            per_pelaksana[b.pelaksana] = is_current and bool(policy.ubah_baris(user, dokumen, b.pelaksana))
        return per_pelaksana[b.pelaksana]

    history, history_total = _history(dokumen, semua=request.args.get("riwayat") == "semua")
    context = dict(
        history=history, history_total=history_total,
        dokumen=dokumen, revisi=revisi, aktif=aktif, is_current=is_current, editable=editable,
        daftar_revisi=_daftar_revisi(dokumen),
        edit_all=is_current and bool(policy.ubah_semua(user, dokumen)),
        tombol=operations.tombol(dokumen, aktif, user) if is_current else [],
        masalah=checks.masalah_sebelum_ajukan(revisi) if is_current and dokumen.status is Status.DRAFT else [],
        peringatan=checks.peringatan(revisi),
        penandatangan=policy.PENANDATANGAN[dokumen.jenis], berikut=policy.penandatangan_berikut(dokumen, revisi),
        bentuk=revisi.bentuk_jadwal or schedule.BentukJadwal.BULAN,
        alasan_resmi=ALASAN_RESMI, error=error, form_values=form_values or {},
        ringkasan_anggaran=ringkasan_dokumen(db.session, dokumen, revisi),
        hash_cocok=(canonical.hash_isi(revisi) == revisi.hash_isi) if revisi.terkunci else None,
        bisa_baris=bisa_baris,
        dikembalikan=keadaan.pengembalian(db.session, [dokumen]).get(dokumen.id) if is_current else None,
        menunggu=keadaan.menunggu(user, dokumen, aktif) if is_current else None,
        perubahan_induk=_perubahan_induk(dokumen, revisi) if is_current and editable else [],
        bisa_turunkan=is_current and dokumen.jenis.bentuk is Bentuk.PK and dokumen.satker.tingkat is not Tingkat.KABKOTA
        and bool(policy.turunkan(user, dokumen)),
        **_lkj_context(dokumen, revisi),
    )
    return render_template("documents/detail.html", **context), status


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
    waiting = db.session.execute(
        select(Dokumen, Revisi)
        .join(Revisi, (Revisi.dokumen_id == Dokumen.id) & (Revisi.nomor == Dokumen.nomor_revisi))
        .where(policy.ditinjau(current_user), Dokumen.status.in_([Status.SUBMITTED, Status.SIGNED]))
        .order_by(Revisi.diajukan_pada, Dokumen.id)
    ).all()
    today = date.today()
    items = [{"dokumen": d, "revisi": r, "umur": (today - r.diajukan_pada.date()).days} for d, r in waiting]
    return render_template("documents/inbox.html", items=items)


# -- verification (public: the code is printed on the paper) -----------------------------

def kode_baku(kode: str) -> str:
    """The code as printed (``K7QM-4XPA``) however it was typed: in lower case, without its
    dash, with spaces. Anything else comes back trimmed, to be reported as not found."""
    huruf = "".join(c for c in kode.upper() if c.isascii() and c.isalnum())
    return f"{huruf[:4]}-{huruf[4:]}" if len(huruf) == 8 else kode.strip().upper()[:12]


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
