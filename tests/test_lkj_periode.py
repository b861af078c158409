"""The LKj from verified periods (issue 17 points 2 and 6): for a PK that reports its
periods, Tabel 3.x counts the realisation of the verified periods only and says so, and
Bab III lists the kendala, upaya and rencana tindak lanjut of each verified period, on the
page, in the PDF and in the Word file."""
import io
from datetime import date

import pytest

from tests.documents import baris_contoh
from tests.test_export_pdf import flat, pdf_text
from tests.test_realisasi import INDIKATOR, PARTISIPASI, buat_pk, kunci
from workflow.dokumen import operations
from workflow.dokumen.models import JenisDokumen
from workflow.lkj import tabel as laporan
from workflow.pelaporan import operations as lapor
from workflow.realisasi import operations as realisasi_ops
from workflow.realisasi.operations import Isian
from workflow.schedule import BentukJadwal

KENDALA = "Pemutakhiran data pemilih terlambat dari jadwal"
UPAYA = "Coklit ulang bersama PPS"
RENCANA = "Sosialisasi di 24 desa pada April"


@pytest.fixture
def batu_tw1(db, tree, people):
    """Kota Batu plans by quarter: its PK realised 60% in TW I (verified) and 70% in TW II
    (not reported); a draft LKj."""
    office, jatim = people("35.79"), people("35")
    rak = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.RAK_SEKRETARIAT, office.sekretaris)
    operations.ubah_kepala(db.session, rak, office.sekretaris, operations.Kepala(bentuk_jadwal=BentukJadwal.TRIWULAN), None)
    operations.simpan_baris(db.session, rak, office.sekretaris, baris_contoh(1, "kul"))
    pk = buat_pk(db, tree, people, indikator=INDIKATOR)
    k = kunci(pk, PARTISIPASI)
    realisasi_ops.simpan_realisasi(db.session, pk, office.ketua, [Isian(k, 3, "60%"), Isian(k, 6, "70%")])
    isian = {i.kunci: lapor.Analisis(KENDALA, UPAYA, RENCANA) for s in pk.revisi_aktif.sasaran for i in s.indikator}
    lapor.simpan_analisis(db.session, pk, 3, office.ketua, isian)
    lapor.ajukan(db.session, pk, 3, office.ketua)
    lapor.verifikasi(db.session, pk, 3, jatim.reviewer)
    lkj = operations.buat_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.LKJ, office.sekretaris)
    operations.ubah_kepala(db.session, lkj, office.sekretaris, operations.Kepala(tempat="Batu", tanggal=date(2025, 1, 13)),
                           None)
    db.session.commit()
    return pk, lkj


def _partisipasi(data: dict) -> dict:
    return next(i for s in data["pk"][0]["sasaran"] for i in s["indikator"] if i["uraian"] == PARTISIPASI)


def test_the_tables_count_the_verified_periods_only_and_say_so(db, batu_tw1):
    pk, lkj = batu_tw1
    data = laporan.tabel(db.session, lkj.revisi_aktif)
    i = _partisipasi(data)
    assert i["realisasi"] == "60%"  # TW II's 70% is not verified
    assert data["pk"][0]["terverifikasi"] == ["Triwulan I"]
    assert [(a["periode"], a["kendala"], a["upaya"], a["rencana"]) for a in i["analisis"]] == [
        ("Triwulan I", KENDALA, UPAYA, RENCANA)]
    assert laporan.catatan_terverifikasi(data["pk"][0]) == (
        "Realisasi dihitung dari periode yang telah diverifikasi: Triwulan I.")


def test_a_pk_without_period_reports_keeps_its_realisation_as_entered(db, tree, people):
    from tests.test_lkj import buat_lkj_batu

    _pk, lkj = buat_lkj_batu(db, tree, people)
    data = laporan.tabel(db.session, lkj.revisi_aktif)
    assert _partisipasi(data)["realisasi"] == "60%" and "terverifikasi" not in data["pk"][0]
    assert laporan.analisis_bab3(data) == []


def test_bab_iii_shows_the_analysis_on_the_page_in_the_pdf_and_in_word(db, client, login, people, batu_tw1, tmp_path):
    from docx import Document

    _pk, lkj = batu_tw1
    login(people("35.79").sekretaris)
    html = client.get(f"/dokumen/{lkj.id}").get_data(as_text=True)
    analisis = html.split('data-testid="lkj-analisis-pk_komisi"')[1].split("</table>")[0]
    assert all(t in analisis for t in (PARTISIPASI, "Triwulan I", KENDALA, UPAYA, RENCANA))
    assert "Realisasi dihitung dari periode yang telah diverifikasi: Triwulan I." in html
    pdf = client.get(f"/dokumen/{lkj.id}/unduh.pdf")
    assert pdf.status_code == 200
    text = flat(pdf_text(pdf.data, tmp_path))
    assert "ANALISIS CAPAIAN KINERJA" in text and "Realisasi dihitung dari periode yang telah diverifikasi" in text
    for kata in ("Pemutakhiran", "Coklit ulang", "Sosialisasi di 24"):
        assert kata in text
    docx = client.get(f"/dokumen/{lkj.id}/unduh.docx")
    assert docx.status_code == 200
    word = Document(io.BytesIO(docx.data))
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert {KENDALA, UPAYA, RENCANA, "Triwulan I"} <= cells
