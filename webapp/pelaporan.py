"""A PK's period report: ``/dokumen/<id>/periode/<n>`` (``n``: the month the period's
realisation is stored at, 3 for TW I). The grid of that period's realisation with the
target to date and capaian to date, the analysis per indikator, the buttons per policy,
the history. Loaded through the gate: another office's report answers 404, as a missing one."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from tenants.db import db
from workflow.dokumen.models import Bentuk, Dokumen
from workflow.errors import WorkflowError
from workflow.pelaporan import operations, queries
from workflow.pelaporan.operations import Analisis
from webapp.common import dokumen_or_404, saving
from webapp.dashboards import LAMPU_CSS, makro
from webapp.gate import gated
from webapp.markup import fixed_text

bp = Blueprint("pelaporan", __name__)


def _pk_or_404(dokumen_id: int, periode: int, lock: bool = False) -> Dokumen:
    """The PK (404 for any other document, or for a period it does not have); the period
    report's downloads (webapp/laporan_kertas.py) load through it too."""
    return _pk_dan_periode(dokumen_id, periode, lock)[0]


def _pk_dan_periode(dokumen_id: int, periode: int, lock: bool = False) -> tuple[Dokumen, list]:
    """``_pk_or_404`` and the PK's periods: the page's too, built once (each names twelve
    months)."""
    dokumen = dokumen_or_404(dokumen_id, lock=lock)
    if dokumen.jenis.bentuk is not Bentuk.PK:
        abort(404)
    semua = queries.periode_dokumen(db.session, dokumen)
    if periode not in {p.bulan for p in semua}:
        abort(404)
    return dokumen, semua


def _render(dokumen: Dokumen, periode: int, semua: list, error: WorkflowError | None = None, status: int = 200):
    # Only the report's own fields are shown: its revisions are not loaded.
    lap = queries.laporan(db.session, dokumen.id, periode, revisi=False)
    nama = next(p.nama for p in semua if p.bulan == periode)
    isian = request.form if error is not None else {}
    user = current_user._get_current_object()  # asked several times: not through the proxy each time
    bisa_diisi = (lap is None or lap.bisa_diisi) and bool(operations.policy.laporkan(user, dokumen))
    baris = _baris(queries.hasil_periode(db.session, dokumen, periode), queries.analisis(db.session, lap), isian,
                   bisa_diisi)
    return render_template(
        "pelaporan/periode.html", dokumen=dokumen, periode=periode, nama_periode=nama, lap=lap,
        status=lap.status if lap else queries.StatusLaporan.DRAFT, baris=baris, bisa_diisi=bisa_diisi,
        error=error, tombol=operations.tombol(dokumen, lap, user), tautan_periode=_tautan_periode(dokumen, periode, semua),
        tenggat=queries.tenggat_periode(db.session, dokumen, periode),
        riwayat=queries.riwayat(db.session, dokumen.id, periode),
        **makro("_macros.html", "riwayat_langkah", "tombol_langkah")), status


def _tautan_periode(dokumen: Dokumen, periode: int, semua: list) -> Markup:
    """The links to the PK's other periods (the current one marked), with one ``url_for``:
    the routes differ only in their last segment, the period."""
    awal = escape(url_for("pelaporan.lihat", dokumen_id=dokumen.id, periode=periode).rsplit("/", 1)[0])
    return Markup("".join(
        f'<a class="btn btn-sm {"btn-secondary" if p.bulan == periode else "btn-outline-secondary"} mr-1 mb-1" '
        f'href="{awal}/{p.bulan}">{escape(p.singkat)}</a>' for p in semua))


def _baris(hasil: list, analisis: dict, isian, bisa_diisi: bool) -> Markup:
    """The table's rows, built here rather than in the template (as the dashboards'
    tables): its per-row lookups and per-cell expressions were most of the page's time.
    Written exactly as the template's loop wrote them; every value escaped, the fixed
    texts translated once (``fixed_text``, as the template's ``_()``)."""
    tahunan, t_target = fixed_text(_("Target tahunan")), fixed_text(_("Target s.d. periode"))
    t_realisasi, t_capaian = fixed_text(_("Realisasi s.d. periode")), fixed_text(_("Capaian"))
    kolom_analisis = (("kendala", fixed_text(_("Kendala"))), ("upaya", fixed_text(_("Upaya"))),
                      ("rencana", fixed_text(_("Rencana tindak lanjut"))))
    out = ["\n    \n    \n    "]
    for h in hasil:
        a, kunci = analisis.get(h.kunci), escape(h.kunci)
        wajib = " *" if bisa_diisi and queries.perlu_analisis(h) else ""
        out.append(
            f'\n      \n      <tr data-testid="indikator-{kunci}">\n'
            f'        <td>{escape(h.uraian)}<br><small class="text-muted">{tahunan}: {escape(h.target_teks)}</small></td>\n'
            f'        <td class="text-right text-nowrap" data-label="{t_target}">'
            f'{escape(h.target_sd_teks or h.target_teks)}</td>\n'
            f'        <td class="text-right text-nowrap" data-label="{t_realisasi}">{escape(h.realisasi_teks)}</td>\n'
            f'        <td class="text-right text-nowrap" data-label="{t_capaian}"><span class="badge '
            f'badge-{LAMPU_CSS[h.lampu]}" data-testid="capaian">{escape(h.capaian.teks)}</span></td>\n'
            f'        <td class="analisis">\n          ')
        for kolom, label in kolom_analisis:
            nilai = isian.get(f"{kolom}-{h.kunci}") if isian else (getattr(a, kolom) if a else "")
            if bisa_diisi:
                isi = (f'\n              <label class="small mb-0" for="{kolom}-{kunci}">{label}{wajib}</label>\n'
                       f'              <textarea class="form-control form-control-sm mb-1" rows="2" maxlength="4000" '
                       f'id="{kolom}-{kunci}" name="{kolom}-{kunci}">{escape(nilai or "")}</textarea>\n            ')
            else:
                isi = f'<p class="small mb-1"><strong>{label}:</strong> {escape(nilai)}</p>' if nilai else ""
            out.append(f"\n            \n            {isi}\n          ")
        out.append("\n        </td>\n      </tr>\n    ")
    return Markup("".join(out))


@bp.get("/dokumen/<int:dokumen_id>/periode/<int:periode>")
@gated
def lihat(dokumen_id: int, periode: int):
    dokumen, semua = _pk_dan_periode(dokumen_id, periode)
    return _render(dokumen, periode, semua)


def _versi() -> int | None:
    return request.form.get("versi", type=int)


def _jalankan(dokumen_id: int, periode: int, action, pesan: str):
    dokumen = _pk_or_404(dokumen_id, periode, lock=True)
    try:
        with saving():
            action(dokumen)
    except WorkflowError as exc:
        dokumen, semua = _pk_dan_periode(dokumen_id, periode)
        return _render(dokumen, periode, semua, exc, exc.status)
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
