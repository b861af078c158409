"""A period's realisation report on paper: ``GET /dokumen/<id>/periode/<n>/unduh.xlsx`` and
``.../unduh.pdf`` (webapp.exports.laporan_periode reads what they print).

Through the gate exactly like ``/dokumen/<id>/unduh.pdf``: the document is loaded by
``webapp.pelaporan._pk_or_404``, so another office's PK, a document that is not a PK and a
period that is not of the office's shape all answer 404, as a missing one. Printed in
Indonesian whatever the reader's language (``bahasa_asli``), as every official paper.
"""
from __future__ import annotations

from flask import Blueprint, render_template

from tenants.db import db
from tenants.teks import bahasa_asli
from webapp import pdf, pdf_pool
from webapp.exports import laporan_periode as kertas
from webapp.exports.xlsx import XLSX_MIMETYPE
from webapp.common import kirim_berkas
from webapp.gate import gated
from webapp.pelaporan import _pk_or_404
from workflow.dokumen.models import Dokumen

bp = Blueprint("laporan_kertas", __name__)


def html_laporan(dokumen: Dokumen, data: kertas.LaporanCetak) -> str:
    revisi = dokumen.revisi_aktif
    verifikasi = None
    if revisi.terkunci and revisi.kode_verifikasi:
        url = pdf.url_verifikasi(revisi.kode_verifikasi)
        verifikasi = dict(kode=revisi.kode_verifikasi, hash=revisi.hash_isi, url=url, qr=pdf.qr_data_uri(url))
    with bahasa_asli():
        return render_template("pdf/laporan_periode.html", d=data, verifikasi=verifikasi)


def pdf_laporan(dokumen: Dokumen, data: kertas.LaporanCetak) -> bytes:
    """The PDF, kept under the hash of its HTML like every PDF (webapp.pdf.pdf_dokumen)."""
    return pdf_pool.tersimpan(html_laporan(dokumen, data))


def _data(dokumen_id: int, periode: int) -> tuple[Dokumen, kertas.LaporanCetak]:
    dokumen = _pk_or_404(dokumen_id, periode)
    with bahasa_asli():
        return dokumen, kertas.laporan_data(db.session, dokumen, periode)


@bp.get("/dokumen/<int:dokumen_id>/periode/<int:periode>/unduh.xlsx")
@gated
def unduh_xlsx(dokumen_id: int, periode: int):
    _dokumen, data = _data(dokumen_id, periode)
    return kirim_berkas(kertas.laporan_xlsx(data), kertas.nama_berkas(data, "xlsx"), XLSX_MIMETYPE)


@bp.get("/dokumen/<int:dokumen_id>/periode/<int:periode>/unduh.pdf")
@gated
def unduh_pdf(dokumen_id: int, periode: int):
    dokumen, data = _data(dokumen_id, periode)
    try:
        berkas = pdf_laporan(dokumen, data)
    except pdf_pool.TerlaluLama:
        return pdf.pdf_terlambat()
    return kirim_berkas(berkas, kertas.nama_berkas(data, "pdf"), pdf.MIME)
