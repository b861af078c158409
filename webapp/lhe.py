"""The Laporan Hasil Evaluasi of a final evaluation on paper:
``GET /satker/<kode>/evaluasi/<tahun>/lhe.pdf`` and ``.../lhe.xlsx``
(``webapp.exports.lhe`` reads what they print, from the frozen result only).

Through the gate like the evaluation's page: an office out of reach, a year without an
evaluation and an evaluation not final yet all answer the 404 of a missing office. The
finalisation is the evaluator's signature; the paper names that evaluator and carries the
verification code, the QR code of ``/verifikasi/<kode>`` and the SHA-256 of the result.
Printed in Indonesian whatever the reader's language, as every official paper.
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from tenants.db import db
from tenants.satker import Satker
from tenants.teks import bahasa_asli
from workflow.evaluasi import queries
from workflow.evaluasi.models import Evaluasi
from webapp import pdf, pdf_pool
from webapp.evaluasi import BASE
from webapp.exports import lhe as kertas
from webapp.exports.xlsx import XLSX_MIMETYPE
from webapp.common import kirim_berkas
from webapp.gate import gated, visible_satker_or_404

bp = Blueprint("lhe", __name__)


def _final_or_404(kode: str, tahun: int) -> Evaluasi:
    satker = visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))
    ev = queries.evaluasi(db.session, satker.id, tahun)
    if ev is None or not ev.final:
        abort(404)
    return ev


def html_lhe(data: kertas.LheCetak) -> str:
    url = pdf.url_verifikasi(data.kode)
    with bahasa_asli():
        return render_template("pdf/lhe.html", d=data, dasar=kertas.DASAR,
                               verifikasi=dict(url=url, qr=pdf.qr_data_uri(url)))


def pdf_lhe(data: kertas.LheCetak) -> bytes:
    """The PDF, kept under the hash of its HTML like every PDF (webapp.pdf.pdf_dokumen)."""
    return pdf_pool.tersimpan(html_lhe(data))


def _data(kode: str, tahun: int) -> kertas.LheCetak:
    ev = _final_or_404(kode, tahun)
    with bahasa_asli():
        return kertas.lhe_data(ev)


@bp.get(BASE + "/lhe.xlsx")
@gated
def unduh_xlsx(kode: str, tahun: int):
    data = _data(kode, tahun)
    return kirim_berkas(kertas.lhe_xlsx(data), kertas.nama_berkas(data, "xlsx"), XLSX_MIMETYPE)


@bp.get(BASE + "/lhe.pdf")
@gated
def unduh_pdf(kode: str, tahun: int):
    data = _data(kode, tahun)
    try:
        berkas = pdf_lhe(data)
    except pdf_pool.TerlaluLama:
        return pdf.pdf_terlambat()
    return kirim_berkas(berkas, kertas.nama_berkas(data, "pdf"), pdf.MIME)
