"""Downloads: a document's revision as Excel, an LKj as Word, and a province's (or KPU RI's) recap.

Load -> check -> act, as everywhere: a document goes through
``common.dokumen_or_404`` and an office through ``gate.visible_satker_or_404``, so
what is out of reach answers 404 exactly like what does not exist; the recap lists only
the offices the user may see (``tenants.scoping.satker_filter``).
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, request
from flask_login import current_user
from sqlalchemy import select

from tenants import scoping
from tenants.db import db
from tenants.satker import Satker, Tingkat
from tenants.teks import bahasa_asli
from webapp.common import dokumen_or_404, kirim_berkas
from webapp.exports import word, xlsx
from webapp.gate import gated, visible_satker_or_404
from workflow.dokumen.models import Bentuk, Revisi

bp = Blueprint("downloads", __name__)

MAX_NOMOR_REVISI = 10_000


def _kirim(data: bytes, nama: str, mimetype: str = xlsx.XLSX_MIMETYPE):
    return kirim_berkas(data, nama, mimetype)


def _nomor_revisi(default: int) -> int:
    raw = request.args.get("revisi")
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_NOMOR_REVISI:  # "²".isdigit() is True
        abort(404)
    return int(raw)


def _revisi_or_404(dokumen) -> Revisi:
    """The revision ``?revisi=`` names (the current one by default)."""
    nomor = _nomor_revisi(dokumen.nomor_revisi)
    revisi = db.session.scalar(select(Revisi).where(Revisi.dokumen_id == dokumen.id, Revisi.nomor == nomor))
    if revisi is None:
        abort(404)
    return revisi


@bp.get("/dokumen/<int:dokumen_id>/unduh.xlsx")
@gated
def dokumen_xlsx(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    revisi = _revisi_or_404(dokumen)
    with bahasa_asli():  # an exported document reads as printed (Indonesian), and imports back
        data = xlsx.dokumen_xlsx(dokumen, revisi)
    return _kirim(data, xlsx.nama_berkas(dokumen, revisi))


@bp.get("/dokumen/<int:dokumen_id>/unduh.docx")
@gated
def dokumen_docx(dokumen_id: int):
    """An LKj in Word, for the office to go on with; other kinds have no Word layout (404, as a missing one)."""
    dokumen = dokumen_or_404(dokumen_id)
    if dokumen.jenis.bentuk is not Bentuk.LKJ:
        abort(404)
    revisi = _revisi_or_404(dokumen)
    return _kirim(word.dokumen_docx(dokumen, revisi), word.nama_berkas(dokumen, revisi), word.DOCX_MIMETYPE)


@bp.get("/satker/<kode>/rekap.xlsx")
@gated
def rekap_xlsx(kode: str):
    satker = visible_satker_or_404(db.session.scalar(select(Satker).where(Satker.kode == kode)))
    if satker.tingkat is Tingkat.KABKOTA:
        abort(404)
    raw = request.args.get("tahun")
    if raw is None or raw == "":
        tahun = date.today().year
    elif raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100:
        tahun = int(raw)
    else:
        abort(404)
    with bahasa_asli():
        data = xlsx.rekap_xlsx(db.session, satker, tahun, scoping.satker_filter(current_user))
    return _kirim(data, xlsx.nama_berkas_rekap(satker, tahun))
