"""The Laporan Kinerja out of the application: its tables in Excel (read back with
openpyxl, opened by LibreOffice) and the whole report as a PDF (read back with pdftotext,
its first page rendered by pdftoppm), for Balangan's signed 2024 report (the demo) and a
small draft. The Balangan demo is loaded once per test that needs it (it is slow)."""
from __future__ import annotations

import io
import re
import subprocess

import openpyxl
import pytest

from tests.conftest import system_tool
from tests.test_export_pdf import flat, inked_share_of_first_page, pdf_text, render
from tests.test_export_xlsx import assert_print_setup, formula_cells, merged, meta, no_formula_in_xml
from tests.test_lkj import _seed_anggaran, balangan, buat_lkj_batu  # noqa: F401 - the fixture
from webapp.exports import ekspor_berkas, xlsx
from workflow import sheet_layout as L
from workflow.dokumen import operations
from workflow.target import Polaritas

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUPIAH = L.RUPIAH_FORMAT
CAPAIAN = '0.00"%"'
H, N, D = L.HEADER_ROW, L.HEADER_ROW + 1, L.HEADER_ROW + 2  # header, numbering and first data rows (1-based)


def cell_of(ws, text: str):
    """The first cell holding exactly ``text``."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c
    raise AssertionError(f"{text!r} not in {ws.title}")


def below(ws, c, rows: int = 1):
    return ws.cell(c.row + rows, c.column)


# -- Balangan 2024, signed: Excel ------------------------------------------------------------

def test_balangan_lkj_excel_has_its_three_tables_with_numbers_formats_and_the_signature(db, balangan, tmp_path):
    _client, dokumen = balangan
    revisi = dokumen.revisi_aktif
    data = xlsx.dokumen_xlsx(dokumen)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Tabel 3.1", "Tabel 3.2", "Realisasi Anggaran", "Pegawai", L.META_SHEET]
    assert meta(wb)["jenis"] == "lkj" and meta(wb)["hash_isi"] == revisi.hash_isi
    assert formula_cells(wb) == [] and no_formula_in_xml(data)

    # Tabel 3.1: title block, header and its numbering, sasaran merged down over their indikator.
    ws = wb["Tabel 3.1"]
    assert ws["A1"].value.startswith("TABEL 3.1\nPENGUKURAN KINERJA TERHADAP PERJANJIAN KINERJA KPU KABUPATEN BALANGAN")
    assert "A1:F1" in merged(ws)
    assert ws["A2"].value == "NAMA/UNIT ORGANISASI : KPU KABUPATEN BALANGAN" and ws["A3"].value == "TAHUN ANGGARAN : 2024"
    assert [c.value for c in ws[H]] == ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET", "REALISASI",
                                        "CAPAIAN (%)"]
    assert [c.value for c in ws[N]] == [f"({n})" for n in range(1, 7)]
    assert_print_setup(ws, f"${H}:${N}", f"A{D}")
    partisipasi = cell_of(ws, "Persentase Partisipasi Pemilih Dalam Pemilu/Pemilihan")
    target, realisasi, capaian = (ws.cell(partisipasi.row, col) for col in (4, 5, 6))
    assert (target.value, target.number_format) == (81, '0"%"')
    assert (realisasi.value, realisasi.number_format) == (91, '0"%"')
    # Capaian is the percentage itself (112.35 for 112,35%), shown with a literal "%".
    assert round(capaian.value, 2) == 112.35 and capaian.number_format == CAPAIAN
    opini = cell_of(ws, "Opini BPK atas Laporan Keuangan")
    assert [ws.cell(opini.row, col).value for col in (4, 5, 6)] == ["WTP", "WTP", "tercapai"]
    assert ws.cell(opini.row, 6).data_type == "s"
    sasaran = cell_of(ws, "Terwujudnya Sumber Daya Manusia dan Lembaga KPU yang berkualitas")
    assert any(r.startswith(f"B{sasaran.row}:B") for r in merged(ws)), "the sasaran spans its three indikator"

    ws2 = wb["Tabel 3.2"]
    assert "SEKRETARIAT KPU KABUPATEN BALANGAN" in ws2["A1"].value
    laporan_row = cell_of(ws2, "jumlah laporan sistem akuntansi dan pelaporan keuangan").row
    assert (ws2.cell(laporan_row, 4).value, ws2.cell(laporan_row, 4).number_format) == (2, '#,##0" Laporan"')

    # The budget: the seed's rows as numbers with the Rupiah format, the total computed.
    ws = wb["Realisasi Anggaran"]
    assert ws["A1"].value == "REALISASI ANGGARAN TAHUN 2024" and "A1:E1" in merged(ws)
    assert [c.value for c in ws[H]] == ["KODE", "PROGRAM/KEGIATAN", "ANGGARAN (Rp)", "REALISASI (Rp)", "CAPAIAN (%)"]
    assert [c.value for c in ws[N]] == ["1", "2", "3", "4", "5"]
    assert_print_setup(ws, f"${H}:${N}", f"A{D}")
    printed = _seed_anggaran()
    rows = [[c.value for c in ws[r]] for r in range(D, D + len(printed))]
    assert [(r[0], r[2], r[3]) for r in rows] == printed
    assert rows[0][:4] == ["6639", "Teknis Penyelenggaraan Pemilu/Pemilihan", 20_041_125_000, 20_041_125_000]
    assert ws.cell(D, 3).number_format == RUPIAH and ws.cell(D, 4).number_format == RUPIAH
    kampanye = next(D + k for k, r in enumerate(rows) if r[0] == "6870")
    # The seed typed 0,00 for 6870 (Rp 2.000 of Rp 2.000): computed, it is 100.
    assert ws.cell(kampanye, 5).value == 100 and ws.cell(kampanye, 5).number_format == CAPAIAN
    total = D + len(printed)
    assert ws.cell(total, 1).value == L.TOTAL_LABEL and f"A{total}:B{total}" in merged(ws)
    assert [ws.cell(total, c).value for c in (3, 4)] == [36_932_812_000, 36_899_147_606]
    assert ws.cell(total, 3).number_format == RUPIAH and ws.cell(total, 3).font.b
    assert round(ws.cell(total, 5).value, 2) == 99.91

    # Staff by status, as Bab I prints it.
    ws = wb["Pegawai"]
    assert [[c.value for c in ws[r]][:3] for r in range(D, D + 4)] == [
        [1, "PNS", 8], [2, "PPPK", 6], [3, "PPNPN", 6], [L.TOTAL_LABEL, None, 20]]
    assert ws.cell(D, 4).value == 40 and ws.cell(D, 4).number_format == CAPAIAN

    # Each sheet is signed as the report is: place and date, the office, "Ketua,", the name.
    ketua = revisi.tanda_tangan[0]
    for ws in wb.worksheets[:4]:
        place = cell_of(ws, "Paringin, 13 Januari 2025")
        assert below(ws, place).value == "Komisi Pemilihan Umum Kabupaten Balangan"
        assert below(ws, place, 2).value == "Ketua,"
        assert below(ws, place, 6).value == ketua.nama
        assert any(isinstance(c.value, str) and revisi.kode_verifikasi in c.value and revisi.hash_isi in c.value
                   for row in ws.iter_rows() for c in row)

    # `sakip export lkj ...` writes the same workbook; LibreOffice opens it.
    out = tmp_path / "lkj-balangan.xlsx"
    assert "LKj KPU Kabupaten Balangan 2024, Revisi ke-0 ditulis ke" in ekspor_berkas(
        db.session, "lkj", "63.11", 2024, out)
    assert openpyxl.load_workbook(out).sheetnames == wb.sheetnames
    soffice = system_tool("soffice", "libreoffice", package="libreoffice-calc")
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(out)],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    converted = tmp_path / "pdf" / "lkj-balangan.pdf"
    assert converted.exists() and converted.read_bytes().startswith(b"%PDF"), (result.stdout, result.stderr)


# -- Balangan 2024, signed: PDF and the download buttons ---------------------------------------

def test_balangan_lkj_pdf_prints_the_report_its_totals_signature_and_verification(db, app, balangan, tmp_path):
    client, dokumen = balangan
    revisi = dokumen.revisi_aktif
    excel = client.get(f"/dokumen/{dokumen.id}/unduh.xlsx")
    assert excel.status_code == 200 and excel.mimetype == XLSX
    assert openpyxl.load_workbook(io.BytesIO(excel.data)).sheetnames[0] == "Tabel 3.1"
    page = client.get(f"/dokumen/{dokumen.id}/unduh.pdf")
    assert page.status_code == 200 and page.mimetype == "application/pdf"
    assert "LKj-KPU-Kabupaten-Balangan-2024-rev0.pdf" in page.headers["Content-Disposition"]

    text = pdf_text(page.data, tmp_path)
    words = flat(text)
    cover = text.split("\f")[0]
    assert "KOMISI PEMILIHAN UMUM" in cover and "KABUPATEN BALANGAN" in cover
    assert "LAPORAN KINERJA" in cover and "Tahun 2024" in cover
    for heading in ("KATA PENGANTAR", "IKHTISAR EKSEKUTIF", "DAFTAR ISI", "BAB I", "PENDAHULUAN",
                    "BAB II", "PERENCANAAN KINERJA", "BAB III", "AKUNTABILITAS KINERJA", "BAB IV", "PENUTUP"):
        assert heading in text, heading
    assert "Segala puji dan syukur" in words
    assert "Dari 50 indikator kinerja pada Perjanjian Kinerja, 50 tercapai, 0 tidak tercapai" in words
    assert re.search(r"PNS\s+8\s+40,00%", text) and re.search(r"TOTAL\s+20\s+100%", text)
    assert "Tabel 2.1" in text and "Tabel 2.2" in text and "Tabel 3.1" in text and "Tabel 3.2" in text
    assert re.search(r"Persentase Partisipasi\s+81%\s+91%\s+112,35%", text), "target, realisasi, capaian"
    assert re.search(r"Jumlah\s+Rp 36\.932\.812\.000", text), "Bab II: the PK Komisi's two programs"
    assert ("KPU Kabupaten Balangan pada Tahun 2024 mendapatkan anggaran sebesar Rp 36.932.812.000 dan terealisasi "
            "sebesar Rp 36.899.147.606 dengan persentase sebesar 99,91%.") in words
    assert re.search(r"6639\s+Teknis Penyelenggaraan Pemilu/\s+20\.041\.125\.000\s+20\.041\.125\.000\s+100,00%", text)
    assert re.search(r"Jumlah\s+36\.932\.812\.000\s+36\.899\.147\.606\s+99,91%", text)
    # Signed by the Ketua, as the seed closes the report.
    assert re.search(r"Paringin, 13 Januari 2025\s+Komisi Pemilihan Umum\s+Kabupaten Balangan\s+Ketua,", text)
    assert revisi.tanda_tangan[0].nama in text and "Ditandatangani secara elektronik" in text
    assert f"Kode verifikasi {revisi.kode_verifikasi}" in words and revisi.hash_isi in text
    assert "DRAF" not in text
    assert inked_share_of_first_page(page.data, tmp_path) > 0.003, "the cover is not blank"

    out = tmp_path / "lkj.pdf"
    with app.app_context():  # as `sakip export lkj --satker 63.11 --year 2024 -o lkj.pdf` runs
        assert "ditulis ke" in ekspor_berkas(db.session, "lkj", "63.11", 2024, out)
    assert "Rp 36.899.147.606" in flat(pdf_text(out.read_bytes(), tmp_path, "cli.pdf"))


# -- a small draft: live tables, DRAF, text that looks like a formula ---------------------------

@pytest.fixture
def lkj_draf(db, tree, people):
    """Kota Batu's draft LKj whose indikator and place read like formulas."""
    _pk, dokumen = buat_lkj_batu(db, tree, people, tempat="+Batu", indikator=[
        ("=1+1", "80%", Polaritas.NAIK), ("@SUM(A1)", "12 Laporan", Polaritas.NAIK), ("-Opini BPK", "WTP", Polaritas.NAIK)])
    operations.simpan_bab_lkj(db.session, dokumen, people("35.79").sekretaris, "penutup",
                              "=1+1\nA. KESIMPULAN\nSelesai.")
    db.session.commit()
    return dokumen


def test_text_that_looks_like_a_formula_stays_text_in_the_lkj_excel(db, lkj_draf):
    data = xlsx.dokumen_xlsx(lkj_draf)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert formula_cells(wb) == [] and no_formula_in_xml(data)
    ws = wb["Tabel 3.1"]
    for text in ("=1+1", "@SUM(A1)", "-Opini BPK"):
        c = cell_of(ws, text)
        assert c.data_type == "s", text
    row = cell_of(ws, "=1+1").row
    assert [ws.cell(row, col).value for col in (4, 5, 6)] == [80, 60, 75]
    assert cell_of(ws, "+Batu, 13 Januari 2025").data_type == "s"
    # A draft has no signature yet: an empty line to sign above, no verification line.
    place = cell_of(ws, "+Batu, 13 Januari 2025")
    assert below(ws, place, 2).value == "Ketua," and below(ws, place, 6).value is None
    assert not any(isinstance(c.value, str) and "Kode verifikasi" in c.value for r in ws.iter_rows() for c in r)
    ws = wb["Realisasi Anggaran"]
    total = cell_of(ws, L.TOTAL_LABEL).row
    assert [ws.cell(total, c).value for c in (3, 4, 5)] == [2_000_000, 500_000, 25]
    assert "Pegawai" not in wb.sheetnames, "no staff counts given"


def test_a_draft_lkj_pdf_says_draf_and_computes_its_tables_live(db, app, lkj_draf, tmp_path):
    pdf = render(app, lkj_draf)
    text = pdf_text(pdf, tmp_path)
    pages = text.split("\f")[:-1]
    assert all("DRAF" in page for page in pages)
    words = flat(text)
    # In pieces: the watermark's letters fall between the lines of a sentence.
    for piece in ("mendapatkan anggaran sebesar Rp 2.000.000", "terealisasi sebesar Rp 500.000",
                  "persentase sebesar 25,00%"):
        assert piece in words, piece
    assert "=1+1" in text and "+Batu, 13 Januari 2025" in text
    assert "(........................................)" in text, "not signed: a blank line for the name"
    assert "Kode verifikasi" not in text and "SHA-256" not in text
    assert inked_share_of_first_page(pdf, tmp_path) > 0.003
