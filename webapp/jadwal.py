"""The calendar's pages: setting an office's due dates (KPU RI's national calendar, a
province's earlier dates), where the offices below stand (on time, late, missing), and
reminding those that have not submitted. Only offices with offices below have them."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tenants import scoping
from tenants.db import db
from tenants.satker import KODE_RI, Satker, Tingkat
from workflow.dokumen.models import JenisDokumen
from workflow.errors import IsiTidakValid, WorkflowError
from workflow.jadwal import operations, queries
from workflow.jadwal.models import Butir
from workflow.notifikasi import pengingat
from webapp.common import saving
from webapp.gate import gated, visible_satker_or_404

bp = Blueprint("jadwal", __name__)


def _induk_or_404(kode: str) -> Satker:
    """An office the reader sees that has offices below it (a kabupaten/kota has no calendar
    to set and nobody to chase: its pages answer like a missing office's)."""
    satker = visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))
    if satker.tingkat is Tingkat.KABKOTA:
        abort(404)
    return satker


def _tahun(sumber) -> int:
    tahun = sumber.get("tahun", type=int) or queries.tahun_bawaan(db.session)
    if not 2000 <= tahun <= 2100:
        abort(404)
    return tahun


def _baca(butir: Butir, teks: str) -> date | int | None:
    """A field as typed: empty clears the office's own setting; a bad one says what it wants."""
    teks = teks.strip()
    if not teks:
        return None
    try:
        return int(teks) if butir.berhari else date.fromisoformat(teks)
    except ValueError:
        raise IsiTidakValid(_("%(butir)s: \"%(isi)s\" bukan %(jenis)s.", butir=butir.label, isi=teks[:40],
                              jenis=_("angka") if butir.berhari else _("tanggal (hh/bb/tttt)"))) from None


def _halaman_jadwal(satker: Satker, tahun: int, *, error: WorkflowError | None = None, isian: dict | None = None,
                    status: int = 200):
    induk = {b: queries.nilai_berlaku(db.session, satker, tahun, b) for b in Butir} if satker.kode != KODE_RI else {}
    return render_template(
        "jadwal/atur.html", satker=satker, tahun=tahun, butir_list=list(Butir), induk=induk,
        sendiri=queries.nilai_sendiri(db.session, satker, tahun), isian=isian or {}, error=error,
        boleh=not isinstance(operations.boleh_atur(current_user, satker), str),
    ), status


@bp.get("/satker/<kode>/jadwal")
@gated
def atur(kode: str):
    satker = _induk_or_404(kode)
    return _halaman_jadwal(satker, _tahun(request.args))


@bp.post("/satker/<kode>/jadwal")
@gated
def simpan(kode: str):
    satker = _induk_or_404(kode)
    tahun = _tahun(request.form)
    isian = {b.value: request.form[b.value] for b in Butir if b.value in request.form}
    try:
        with saving():
            operations._izin(operations.boleh_atur(current_user, satker))
            for butir in Butir:
                if butir.value in isian:
                    operations.atur(db.session, satker, tahun, butir, _baca(butir, isian[butir.value]), current_user)
    except WorkflowError as exc:
        return _halaman_jadwal(satker, tahun, error=exc, isian=isian, status=exc.status)
    flash(_("Jadwal %(tahun)s disimpan.", tahun=tahun), "success")
    return redirect(url_for(".atur", kode=kode, tahun=tahun))


def _jenis(sumber) -> JenisDokumen:
    try:
        return JenisDokumen(sumber.get("jenis") or JenisDokumen.PK_KOMISI.value)
    except ValueError:
        abort(404)


@bp.get("/satker/<kode>/kepatuhan")
@gated
def kepatuhan(kode: str):
    satker = _induk_or_404(kode)
    tahun, jenis = _tahun(request.args), _jenis(request.args)
    semua = satker.kode == KODE_RI and request.args.get("lingkup") == "kabkota"
    data = queries.kepatuhan(db.session, satker, tahun, jenis, semua_turunan=semua,
                             filter_satker=scoping.satker_filter(current_user))
    pilihan = request.args.get("keadaan")
    baris = [b for b in data.baris if not pilihan or b.keadaan.value == pilihan]
    return render_template(
        "jadwal/kepatuhan.html", satker=satker, tahun=tahun, jenis=jenis, jenis_list=list(JenisDokumen),
        data=data, baris=baris, pilihan=pilihan, semua=semua, keadaan_list=list(queries.Keadaan),
        belum={queries.Keadaan.BELUM_MENGAJUKAN, queries.Keadaan.BELUM_JATUH_TEMPO},
        boleh_ingatkan=not semua and not isinstance(operations.boleh_ingatkan(current_user, satker), str),
    )


@bp.post("/satker/<kode>/ingatkan")
@gated
def ingatkan(kode: str):
    satker = _induk_or_404(kode)
    if isinstance(pesan := operations.boleh_ingatkan(current_user, satker), str):
        flash(pesan, "error")  # the refusal page shows it
        abort(403)
    tahun = request.form.get("tahun", type=int)
    if tahun is None or not 2000 <= tahun <= 2100 or request.form.get("jenis") not in {j.value for j in JenisDokumen}:
        flash(_("Pilih tahun dan jenis dokumen yang akan diingatkan."), "error")
        return redirect(url_for(".kepatuhan", kode=kode))
    jenis = JenisDokumen(request.form["jenis"])
    kode_list = request.form.getlist("satker") or None
    try:
        with saving():
            diingatkan = pengingat.ingatkan(db.session, satker, tahun, jenis, kode_list, current_user)
    except WorkflowError as exc:
        flash(exc.message, "error")
    else:
        flash(_("%(n)s satker diingatkan: %(nama)s.", n=len(diingatkan),
                nama=", ".join(s.nama for s in diingatkan) or "-"), "success")
    return redirect(url_for(".kepatuhan", kode=kode, tahun=tahun, jenis=jenis.value))
