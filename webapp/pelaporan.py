"""A PK's period report: ``/dokumen/<id>/periode/<n>`` (``n``: the month the period's
realisation is stored at, 3 for TW I). The grid of that period's realisation with the
target to date and capaian to date, the analysis per indikator, the buttons per policy,
the history. Loaded through the gate: another office's report answers 404, as a missing one."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tenants.db import db
from workflow.dokumen.models import Bentuk, Dokumen
from workflow.errors import WorkflowError
from workflow.pelaporan import operations, queries
from workflow.pelaporan.operations import Analisis
from webapp.common import dokumen_or_404, saving
from webapp.gate import gated

bp = Blueprint("pelaporan", __name__)


def _pk_or_404(dokumen_id: int, periode: int, lock: bool = False) -> Dokumen:
    dokumen = dokumen_or_404(dokumen_id, lock=lock)
    if dokumen.jenis.bentuk is not Bentuk.PK:
        abort(404)
    if periode not in {p.bulan for p in queries.periode_dokumen(db.session, dokumen)}:
        abort(404)
    return dokumen


def _render(dokumen: Dokumen, periode: int, error: WorkflowError | None = None, status: int = 200):
    lap = queries.laporan(db.session, dokumen.id, periode)
    nama = next(p.nama for p in queries.periode_dokumen(db.session, dokumen) if p.bulan == periode)
    hasil = queries.hasil_periode(db.session, dokumen, periode)
    isian = request.form if error is not None else {}
    return render_template(
        "pelaporan/periode.html", dokumen=dokumen, periode=periode, nama_periode=nama, lap=lap,
        status=lap.status if lap else queries.StatusLaporan.DRAFT, hasil=hasil, perlu=queries.perlu_analisis,
        analisis=queries.analisis(db.session, lap), isian=isian, error=error,
        bisa_diisi=(lap is None or lap.bisa_diisi) and bool(operations.policy.laporkan(current_user, dokumen)),
        tombol=operations.tombol(dokumen, lap, current_user), tenggat=queries.tenggat_periode(db.session, dokumen, periode),
        riwayat=queries.riwayat(db.session, dokumen.id, periode),
        semua_periode=queries.periode_dokumen(db.session, dokumen)), status


@bp.get("/dokumen/<int:dokumen_id>/periode/<int:periode>")
@gated
def lihat(dokumen_id: int, periode: int):
    return _render(_pk_or_404(dokumen_id, periode), periode)


def _versi() -> int | None:
    return request.form.get("versi", type=int)


def _jalankan(dokumen_id: int, periode: int, action, pesan: str):
    dokumen = _pk_or_404(dokumen_id, periode, lock=True)
    try:
        with saving():
            action(dokumen)
    except WorkflowError as exc:
        return _render(_pk_or_404(dokumen_id, periode), periode, exc, exc.status)
    flash(pesan, "success")
    return redirect(url_for("pelaporan.lihat", dokumen_id=dokumen_id, periode=periode))


@bp.post("/dokumen/<int:dokumen_id>/periode/<int:periode>")
@gated
def simpan(dokumen_id: int, periode: int):
    def action(dokumen):
        isian = {i.kunci: Analisis(request.form.get(f"kendala-{i.kunci}", ""), request.form.get(f"upaya-{i.kunci}", ""),
                                   request.form.get(f"rencana-{i.kunci}", ""))
                 for s in dokumen.revisi_aktif.sasaran for i in s.indikator if f"kendala-{i.kunci}" in request.form}
        operations.simpan_analisis(db.session, dokumen, periode, current_user, isian, versi=_versi())
    return _jalankan(dokumen_id, periode, action, _("Analisis disimpan."))


@bp.post("/dokumen/<int:dokumen_id>/periode/<int:periode>/ajukan")
@gated
def ajukan(dokumen_id: int, periode: int):
    return _jalankan(dokumen_id, periode, lambda d: operations.ajukan(db.session, d, periode, current_user, versi=_versi()),
                     _("Laporan periode diajukan."))


@bp.post("/dokumen/<int:dokumen_id>/periode/<int:periode>/verifikasi")
@gated
def verifikasi(dokumen_id: int, periode: int):
    return _jalankan(dokumen_id, periode, lambda d: operations.verifikasi(
        db.session, d, periode, current_user, versi=_versi()), _("Laporan periode diverifikasi; periode ini terkunci."))


@bp.post("/dokumen/<int:dokumen_id>/periode/<int:periode>/kembalikan")
@gated
def kembalikan(dokumen_id: int, periode: int):
    return _jalankan(dokumen_id, periode, lambda d: operations.kembalikan(
        db.session, d, periode, current_user, request.form.get("alasan", ""), versi=_versi()),
        _("Laporan periode dikembalikan."))


@bp.post("/dokumen/<int:dokumen_id>/periode/<int:periode>/koreksi")
@gated
def koreksi(dokumen_id: int, periode: int):
    return _jalankan(dokumen_id, periode, lambda d: operations.koreksi(
        db.session, d, periode, current_user, request.form.get("alasan", ""), versi=_versi()),
        _("Revisi laporan dibuka untuk koreksi."))
