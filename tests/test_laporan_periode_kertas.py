"""A period's realisation report on paper (issue 17 point 6): Kota Batu's PK Komisi reported
for March with an analysis and two evidence files, verified by Jawa Timur; the Excel read
back with openpyxl, the PDF's text with pypdf; printed in Indonesian whatever the reader's
language; 404 for another office, a non-PK and a period not of the office's shape."""
from __future__ import annotations

import hashlib
import io

import openpyxl
import pytest
from pypdf import PdfReader

from tests.test_english_pages import pilih_bahasa
from tests.test_pelaporan import pk  # noqa: F401 - the fixture
from tests.test_realisasi import LAPORAN, PARTISIPASI, buat_pk, kunci
from workflow.bukti import operations as bukti_ops
from workflow.bukti.contoh import pdf_kecil, png_kecil
from workflow.bukti.models import Sasaran
from workflow.bukti.operations import Tempat
from workflow.dokumen.models import JenisDokumen
from workflow.pelaporan import operations
from workflow.pelaporan.operations import Analisis

CAPAIAN = '0.00"%"'
KENDALA, UPAYA, RENCANA = "Pemutakhiran data pemilih terlambat", "Coklit ulang di 3 kecamatan", "Sosialisasi April"


@pytest.fixture
def laporan(db, people, pk):  # noqa: F811 - pk is test_pelaporan's fixture
    """March reported with an analysis and two files on the participation indikator, verified."""
    batu, jatim = people("35.79"), people("35")
    k = kunci(pk, PARTISIPASI)
    berkas = [(pdf_kecil("Berita acara coklit"), "berita acara.pdf"), (png_kecil(), "foto coklit.png")]
    for isi, nama in berkas:
        bukti_ops.unggah(db.session, pk, batu.ketua, Tempat(Sasaran.INDIKATOR, k, 3), io.BytesIO(isi), nama)
    operations.simpan_analisis(db.session, pk, 3, batu.ketua, {k: Analisis(KENDALA, UPAYA, RENCANA)})
    operations.ajukan(db.session, pk, 3, batu.ketua)
    operations.verifikasi(db.session, pk, 3, jatim.reviewer)
    db.session.commit()
    return pk, [hashlib.sha256(isi).hexdigest() for isi, _nama in berkas], jatim.reviewer


def _row(ws, text: str) -> int:
    return next(c.row for row in ws.iter_rows() for c in row if c.value == text)


def test_the_excel_has_capaian_the_analysis_and_the_evidence_with_its_hashes(db, client, login, people, laporan):
    dokumen, hashes, reviewer = laporan
    login(people("35.79").ketua)
    page = client.get(f"/dokumen/{dokumen.id}/periode/3")
    assert f"/dokumen/{dokumen.id}/periode/3/unduh.xlsx" in page.text and f"/periode/3/unduh.pdf" in page.text
    response = client.get(f"/dokumen/{dokumen.id}/periode/3/unduh.xlsx")
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    assert "Laporan-Realisasi-Kinerja-Maret-2024" in response.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    ws = wb["Laporan"]
    assert ws["A1"].value.splitlines() == ["LAPORAN REALISASI KINERJA BULAN MARET TAHUN 2024",
                                           "KOMISI PEMILIHAN UMUM KOTA BATU", "PENGUKURAN TERHADAP PERJANJIAN KINERJA"]
    assert ws["A4"].value == "PERIODE : Maret"
    assert [c.value for c in ws[7]] == ["NO", "INDIKATOR KINERJA", "TARGET TAHUNAN", "TARGET S.D. PERIODE",
                                        "REALISASI S.D. PERIODE", "CAPAIAN (%)", "KENDALA", "UPAYA",
                                        "RENCANA TINDAK LANJUT"]
    r = _row(ws, PARTISIPASI)
    target, target_sd, realisasi, capaian = (ws.cell(r, col) for col in (3, 4, 5, 6))
    assert (target.value, target.number_format) == (80, '0"%"') and target_sd.value == 80
    assert (realisasi.value, capaian.value, capaian.number_format) == (60, 75, CAPAIAN)
    assert [ws.cell(r, col).value for col in (7, 8, 9)] == [KENDALA, UPAYA, RENCANA]
    # The count is compared with its monthly target to date: 3 of 3 reports by March.
    r = _row(ws, LAPORAN)
    assert (ws.cell(r, 4).value, ws.cell(r, 5).value, ws.cell(r, 6).value) == (3, 3, 100)
    status = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Diverifikasi oleh")]
    assert status and reviewer.full_name in status[0]
    bukti = wb["Bukti Dukung"]
    rows = [[c.value for c in row] for row in bukti.iter_rows(min_row=4)]
    assert [(r[2], r[4]) for r in rows] == [("berita acara.pdf", hashes[0]), ("foto coklit.png", hashes[1])]
    assert all(r[1] == PARTISIPASI and r[3].endswith(("B", "KB")) for r in rows)


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_prints_the_analysis_the_hashes_and_who_verified(db, client, login, people, laporan):
    dokumen, hashes, reviewer = laporan
    login(people("35.79").ketua)
    response = client.get(f"/dokumen/{dokumen.id}/periode/3/unduh.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    rapat = "".join(text.split())  # a hash may wrap inside its narrow column
    assert "LAPORAN REALISASI KINERJA BULAN MARET TAHUN 2024" in text
    for phrase in (KENDALA, UPAYA, RENCANA, "berita acara.pdf", "foto coklit.png", reviewer.full_name,
                   dokumen.revisi_aktif.kode_verifikasi, "75%"):
        assert "".join(phrase.split()) in rapat, phrase
    assert all(h in rapat for h in hashes)
    assert "Diverifikasi" in text and "DRAF" not in text


def test_an_english_reader_gets_the_same_indonesian_paper(db, client, login, people, laporan):
    dokumen, hashes, _reviewer = laporan
    login(people("35.79").ketua)
    pilih_bahasa(client, "en")
    page = client.get(f"/dokumen/{dokumen.id}/periode/3")
    assert "March" in page.text and "Download PDF" in page.text  # the page itself is in English
    text = _pdf_text(client.get(f"/dokumen/{dokumen.id}/periode/3/unduh.pdf").data)
    assert "BULAN MARET" in text and "Diverifikasi" in text and "Diverifikasi oleh" in text
    assert "March" not in text and "Verified" not in text
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/dokumen/{dokumen.id}/periode/3/unduh.xlsx").data))
    assert wb["Laporan"]["A4"].value == "PERIODE : Maret"


def test_a_report_not_yet_verified_prints_as_a_draft(db, client, login, people, pk):  # noqa: F811
    login(people("35.79").ketua)
    text = _pdf_text(client.get(f"/dokumen/{pk.id}/periode/3/unduh.pdf").data)
    assert "DRAF" in text and "Belum dilaporkan" in text.replace("BELUM DILAPORKAN", "Belum dilaporkan")
    ws = openpyxl.load_workbook(io.BytesIO(client.get(f"/dokumen/{pk.id}/periode/3/unduh.xlsx").data))["Laporan"]
    assert ws["A5"].value.startswith("STATUS LAPORAN : Belum dilaporkan")
    assert ws.cell(_row(ws, PARTISIPASI), 7).value is None


@pytest.mark.parametrize("ext", ["xlsx", "pdf"])
def test_another_office_a_non_pk_and_a_period_not_of_the_office_answer_404(db, app, tree, client, login, people,
                                                                           pk, ext):  # noqa: F811
    rkt = buat_pk(db, tree, people, jenis=JenisDokumen.RKT_KOMISI, tandatangani=False)
    lain = login(people("35.73").ketua, c=app.test_client())
    assert lain.get(f"/dokumen/{pk.id}/periode/3/unduh.{ext}").status_code == 404
    login(people("35.79").ketua)
    for url in (f"/dokumen/{pk.id}/periode/13/unduh.{ext}", f"/dokumen/{pk.id}/periode/0/unduh.{ext}",
                f"/dokumen/{rkt.id}/periode/3/unduh.{ext}", f"/dokumen/999999/periode/3/unduh.{ext}"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/dokumen/{pk.id}/periode/3/unduh.{ext}").status_code == 200


def test_the_heading_names_a_quarter_as_such_and_the_secretariat_s_pk(db, tree, people):
    from webapp.exports.laporan_periode import judul

    pk = buat_pk(db, tree, people, jenis=JenisDokumen.PK_SEKRETARIAT, tandatangani=False)
    assert judul(pk, "Triwulan I") == ["LAPORAN REALISASI KINERJA TRIWULAN I TAHUN 2024",
                                       "SEKRETARIAT KOMISI PEMILIHAN UMUM KOTA BATU",
                                       "PENGUKURAN TERHADAP PERJANJIAN KINERJA SEKRETARIAT"]
