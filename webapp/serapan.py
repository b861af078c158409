"""Money per output code and absorption (issue 17, point 4).

- ``GET/POST /satker/<kode>/serapan?tahun=``: the office's money spent per output code
  and month (a grid: codes x 12 months) and its absorption; entry by its Sekretaris or
  Subbagian KUL (``workflow.anggaran.operations.boleh_isi_serapan``), reading by whoever
  sees the office;
- ``POST /satker/<kode>/serapan/impor``: a spreadsheet (.xlsx, .ods, .csv) or a pasted
  table read into a dry run: what would change, nothing saved; the figures travel in the
  page to ``POST /satker/<kode>/serapan/impor/terapkan``, which checks them all again
  and applies them only if the office's figures are still those the dry run was made on;
- ``GET/POST /serapan/target?tahun=``: the quarterly absorption targets of a year, set
  by KPU RI's admin, read by anyone signed in (they are national).

Offices load through ``visible_satker_or_404`` (404 for what is out of reach); writes go
through ``workflow.anggaran.operations`` inside ``saving()``.
"""
from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tenants.db import db
from tenants.satker import Satker
from webapp.common import saving
from webapp.gate import gated, visible_satker_or_404
from workflow import schedule
from workflow.anggaran import impor, operations, serapan
from workflow.anggaran.operations import IsianOutput
from workflow.errors import Ditolak, IsiTidakValid, WorkflowError
from workflow.rupiah import tulis_desimal
from workflow.imports.berkas import MAX_BYTES, BerkasDitolak, baca_tempel
from workflow.imports.buka import DITERIMA, buka_berkas

bp = Blueprint("serapan", __name__)


def _satker_or_404(kode: str) -> Satker:
    return visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))


def _tahun(sumber) -> int:
    tahun = sumber.get("tahun", type=int) or date.today().year
    if not 2000 <= tahun <= 2100:
        abort(404)
    return tahun


def _acuan(tahun: int) -> int:
    bulan = request.args.get("bulan", type=int)
    return bulan if bulan is not None and 1 <= bulan <= 12 else serapan.bulan_acuan(tahun)


def _boleh(satker: Satker) -> bool:
    return not isinstance(operations.boleh_isi_serapan(current_user, satker), str)


def _izin_atau_403(satker: Satker) -> None:
    if isinstance(alasan := operations.boleh_isi_serapan(current_user, satker), str):
        raise Ditolak(alasan)


def _halaman(satker: Satker, tahun: int, *, error: WorkflowError | None = None, typed: dict | None = None,
             status: int = 200, pratinjau: dict | None = None, teks: str = ""):
    acuan = _acuan(tahun)
    data = serapan.serapan_kantor(db.session, satker, tahun, acuan)
    salah = {f"o-{m.kode_output}-{m.bulan}": str(m) for m in (error.masalah if isinstance(error, IsiTidakValid) else [])
             if isinstance(m, operations.MasalahOutput)}
    return render_template(
        "serapan/kantor.html", satker=satker, tahun=tahun, acuan=acuan, d=data, boleh=_boleh(satker),
        tersimpan={o.kode: o.bulanan for o in data.output if o.per_output},
        kode_list=[o.kode for o in data.output if o.kode != serapan.TANPA_KODE],
        sidik=operations.sidik_serapan(db.session, satker, tahun), error=error, typed=typed or {}, salah=salah,
        pratinjau=pratinjau, teks=teks, diterima=",".join(DITERIMA), persen=serapan.persen_teks,
        target=serapan.target_serapan(db.session, tahun)), status


@bp.get("/satker/<kode>/serapan")
@gated
def kantor(kode: str):
    satker = _satker_or_404(kode)
    return _halaman(satker, _tahun(request.args))


def _isian_form(kode_list: list[str]) -> list[IsianOutput]:
    """The grid's cells as posted, and the new code's row when one was typed: only its
    filled cells (an empty one would clear a month of a code already recorded)."""
    isian = [IsianOutput(k, b, request.form[f"o-{k}-{b}"]) for k in kode_list for b in range(1, 13)
             if f"o-{k}-{b}" in request.form]
    baru = " ".join((request.form.get("kode_baru") or "").split())
    if baru:
        kode = operations.normalkan_kode(baru)
        if kode is not None and kode in {operations.normalkan_kode(k) for k in kode_list}:
            # Both rows would write the same cells and the grid's would be lost.
            raise IsiTidakValid(_("Kode output %(kode)s sudah ada di tabel: isi angkanya pada baris kode itu.",
                                  kode=kode))
        isian += [IsianOutput(baru, b, request.form.get(f"baru-{b}", "")) for b in range(1, 13)
                  if kode is None or (request.form.get(f"baru-{b}") or "").strip()]  # a bad code is named
    return isian


@bp.post("/satker/<kode>/serapan")
@gated
def simpan(kode: str):
    satker = _satker_or_404(kode)
    tahun = _tahun(request.form)
    typed = {k: v for k, v in request.form.items() if k.startswith(("o-", "baru-", "kode_baru"))}
    try:
        with saving():
            _izin_atau_403(satker)
            kode_list = sorted({k[2:].rsplit("-", 1)[0] for k in request.form if k.startswith("o-")})
            n = operations.simpan_serapan(db.session, satker, tahun, current_user, _isian_form(kode_list),
                                          sidik=request.form.get("sidik") or None)
    except WorkflowError as exc:
        return _halaman(satker, tahun, error=exc, typed=typed, status=exc.status)
    flash(_("%(n)s isian realisasi anggaran disimpan.", n=n) if n else _("Tidak ada yang berubah."), "success")
    return redirect(url_for(".kantor", kode=kode, tahun=tahun))


def _baca_unggahan() -> tuple[impor.HasilBaca, str]:
    """The figures in the uploaded file or the pasted table, and its name."""
    upload = request.files.get("berkas")
    teks = request.form.get("teks") or ""
    if upload is not None and upload.filename:
        buku = buka_berkas(upload.stream.read(MAX_BYTES + 1), upload.filename)
        try:
            hasil = None
            for lembar in buku.lembar:
                hasil = impor.baca_lembar(lembar.baris)
                if hasil.bentuk:
                    break
        finally:
            buku.tutup()
        if hasil is None:
            raise BerkasDitolak(_("Buku kerja ini tidak berisi lembar yang dapat dibaca."))
        return hasil, upload.filename
    if teks.strip():
        return impor.baca_lembar(baca_tempel(teks).baris), _("tabel yang ditempel")
    raise BerkasDitolak(_("Pilih berkas .xlsx, .ods atau .csv, atau tempel tabel di kotak teks."))


def _rencana(satker: Satker, tahun: int, hasil: impor.HasilBaca) -> dict:
    """What applying would change: per cell the figure now and the figure read."""
    data = serapan.serapan_kantor(db.session, satker, tahun, 12)
    sekarang = {o.kode: o.bulanan for o in data.output if o.per_output}
    rencana = {o.kode for o in data.output if o.rencana}
    ubah = [(i.kode_output, i.bulan, sekarang.get(i.kode_output, {}).get(i.bulan), i.jumlah) for i in hasil.isian
            if sekarang.get(i.kode_output, {}).get(i.bulan) != i.jumlah]
    return {"ubah": ubah, "sama": len(hasil.isian) - len(ubah), "bentuk": hasil.bentuk, "baris": hasil.baris,
            "tanpa_rencana": sorted({i.kode_output for i in hasil.isian} - rencana),
            "data": json.dumps([[i.kode_output, i.bulan, i.jumlah] for i in hasil.isian], separators=(",", ":"))}


@bp.post("/satker/<kode>/serapan/impor")
@gated
def impor_pratinjau(kode: str):
    satker = _satker_or_404(kode)
    tahun = _tahun(request.form)
    teks = request.form.get("teks") or ""
    try:
        _izin_atau_403(satker)
        hasil, nama = _baca_unggahan()
    except WorkflowError as exc:
        return _halaman(satker, tahun, error=exc, status=exc.status, teks=teks)
    except BerkasDitolak as exc:
        return _halaman(satker, tahun, error=IsiTidakValid(exc.message), status=422, teks=teks)
    if hasil.masalah:
        error = IsiTidakValid(_("Berkas belum dapat diterapkan: %(n)s masalah; perbaiki lalu unggah lagi.",
                                n=len(hasil.masalah)), hasil.masalah)
        return _halaman(satker, tahun, error=error, status=422, teks=teks)
    return _halaman(satker, tahun, pratinjau=_rencana(satker, tahun, hasil) | {"nama": nama}, teks=teks)


def _data_terapkan() -> list[IsianOutput]:
    """The figures the dry run carried, exactly in its shape (else 400)."""
    try:
        data = json.loads(request.form.get("data") or "")
    except ValueError:
        abort(400)
    if not isinstance(data, list) or not all(
            isinstance(d, list) and len(d) == 3 and isinstance(d[0], str) and type(d[1]) is int and type(d[2]) is int
            for d in data):
        abort(400)
    return [IsianOutput(k, b, j) for k, b, j in data]


@bp.post("/satker/<kode>/serapan/impor/terapkan")
@gated
def impor_terapkan(kode: str):
    satker = _satker_or_404(kode)
    tahun = _tahun(request.form)
    try:
        with saving():
            _izin_atau_403(satker)
            n = operations.simpan_serapan(db.session, satker, tahun, current_user, _data_terapkan(),
                                          sidik=request.form.get("sidik") or "",
                                          sumber=_("impor: %(nama)s", nama=(request.form.get("nama") or "")[:100]))
    except WorkflowError as exc:
        return _halaman(satker, tahun, error=exc, status=exc.status)
    flash(_("Impor diterapkan: %(n)s isian realisasi anggaran berubah.", n=n), "success")
    return redirect(url_for(".kantor", kode=kode, tahun=tahun))


# -- KPU RI: the absorption targets ---------------------------------------------------------------

def _halaman_target(tahun: int, *, error: WorkflowError | None = None, isian: dict | None = None, status: int = 200):
    return render_template("serapan/target.html", tahun=tahun, target=serapan.target_serapan(db.session, tahun),
                           boleh=not isinstance(operations.boleh_atur_target(current_user), str),
                           error=error, isian=isian or {}, persen=serapan.persen_teks), status


@bp.get("/serapan/target")
@gated
def target():
    return _halaman_target(_tahun(request.args))


@bp.post("/serapan/target")
@gated
def atur_target():
    tahun = _tahun(request.form)
    isian = {tw: request.form.get(f"tw{tw}", "") for tw in range(1, 5)}
    try:
        with saving():
            if isinstance(alasan := operations.boleh_atur_target(current_user), str):
                raise Ditolak(alasan)
            persen = {tw: operations.baca_persen(isian[tw], _("Triwulan %(tw)s", tw=tw)) for tw in isian}
            operations.atur_target_serapan(db.session, tahun, persen, current_user)
    except WorkflowError as exc:
        return _halaman_target(tahun, error=exc, isian=isian, status=exc.status)
    flash(_("Target penyerapan %(tahun)s disimpan.", tahun=tahun), "success")
    return redirect(url_for(".target", tahun=tahun))


@bp.app_template_global()
def nama_bulan_serapan(bulan: int) -> str:
    return schedule.nama_bulan(bulan)


@bp.app_template_global()
def angka_serapan(jumlah: int) -> str:
    """An amount in the grid: 1.439.125.900 (the column says rupiah; the cell has no room for "Rp")."""
    return tulis_desimal(jumlah)
