"""Issue 5's "Done when" in a real browser: paper out, paper in, on Kota Batu's RAK.

The Kota Batu sekretaris downloads the demo's 2024 RAK Sekretariat (a draft, 15 rows,
Rp 15.556.432.100) as Excel and as PDF; both read like the seed's table
(rak-kota-batu-2024.txt), and LibreOffice opens the Excel file. The sekretaris edits
the Excel file offline (one row's Perkiraan Biaya and one month mark), brings it back,
sees the dry run list exactly those changes while nothing is saved yet, and applies it.
Then the sekretaris starts a new RAK Sekretariat draft for 2025 and fills it by pasting
the seed's first three rows, copied from the Word document as tab-separated text.

One story, so one test: each step starts from the state the step before left. The
module's ``live_server`` is its own (module scope), loaded with ``sakip demo``'s data.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from playwright.sync_api import Locator, Page, expect

from tests.conftest import system_tool
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

KOTA_BATU = "35.79"
SEKRETARIS = "batu.sekretaris"
TOTAL_DEMO = 15_556_432_100
BARIS_DEMO = 15

# The row edited offline: the demo's row 5, marked in months 1-3 and 8-12.
INDIKATOR_LOGISTIK = ("Persentase Satker yang mendistribusikan logistik Pemilu dan Pemilihan secara tepat sasaran, "
                      "tepat jumlah, tepat jenis, tepat mutu, dan tepat waktu")
BIAYA_LAMA, BIAYA_BARU = 14_903_000, 24_903_000
BULAN_LAMA = {1, 2, 3, 8, 9, 10, 11, 12}
BULAN_DITANDAI = 4  # April: "-" -> "v"

TAHUN_BARU = "2025"
MONTHS = [str(m) for m in range(1, 13)]

# The seed's first three rows of the RAK Sekretariat table (rak-kota-batu-2024.txt, lines
# 121, 122 + 126, 127) as a Word table gives them when copied: one line per row, cells
# split by tabs, CRLF line ends (the Windows clipboard's). Row 2's sasaran and kegiatan,
# cut by a page break in the seed's text, are one cell each in the Word table; the rest is
# as the office wrote it ("Rp. 99.498.000", inline "- " bullets with the output code at
# the end, a capital "V").
HEADER = ["No", "Sasaran Program", "Indikator Kinerja", "Target", "Kegiatan Yang Akan Dilaksanakan", *MONTHS,
          "Perkiraan Biaya", "Pelaksanaan"]
SEED_ROWS = [
    ["1.", "Terwujudnya tahapan Pemilu dan Pemilihan sesuai jadwal",
     "Persentase KPU Kota Batu yang menyelenggarakan Pemilu dan Pemilihan sesuai jadwal", "100%",
     "- Rapat Koordinasi Pelaksanaan Pemilu - Rapat Koordinasi ASN dan PPNPN di KPU Kota Batu - Bimtek PPK dan PPS "
     "Se kota Batu CQ.6709.QGE.003",
     *"v v v v - - - - - - - -".split(), "Rp. 99.498.000", "Semua Subbag"],
    ["2.", "Terwujudnya kesadaran pemilih, kepemiluan dan demokrasi yang tinggi untuk seluruh lapisan masyarakat",
     "Persentase partisipasi pemilih dalam Pemilu dan Pemilihan", "85%",
     "- Sosialisasi Pendikan Pemilih pada Pemilih pemula - Rapat Koordinasi dengan Stocholder CQ.6709.QGE.004",
     *"v v v v v v v v v v v v".split(), "Rp. 101.570.000", "Subbag Parmas"],
    ["3.", "Terwujudnya kesadaran pemilih, kepemiluan dan demokrasi yang tinggi untuk seluruh lapisan masyarakat",
     "Persentase partisipasi pemilih perempuan dalam Pemilu dan Pemilihan", "85%",
     "- Sosialisasi Pendikan Pemilih pada Pemilih Wanita - Koorddinasi dengan pemerintah setempat bagian perempuan "
     "CQ.6709.QGE.004",
     *"V v v v v v v v v v v v".split(), "Rp. 100.000.000", "Subbag Parmas"],
]
# How the document page names the pelaksana the office wrote in short ("Semua Subbag", "Subbag Parmas").
# The page says "Semua" where the exports and the row editor say "Semua Subbagian": either is taken.
PELAKSANA = [re.compile(r"^Semua( Subbagian)?$"),
             *["Subbagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat"] * 2]
PASTED = "".join("\t".join(cells) + "\r\n" for cells in [HEADER, *SEED_ROWS])
PASTED_TOTAL = 99_498_000 + 101_570_000 + 100_000_000


def rupiah(amount: int) -> str:
    """Amounts as offices write them (and the app shows them): Rp 25.000.000."""
    return ("-" if amount < 0 else "") + "Rp " + f"{abs(amount):,}".replace(",", ".")


# -- tools outside Python ---------------------------------------------------------------------

def pdf_text(path: Path) -> str:
    pdftotext = system_tool("pdftotext", package="poppler-utils")
    result = subprocess.run([pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def libreoffice_to_pdf(source: Path, workdir: Path) -> Path:
    """What a client does when it opens the file: LibreOffice reads it and prints it to PDF."""
    soffice = system_tool("soffice", "libreoffice", package="libreoffice-calc")
    outdir = workdir / "libreoffice"
    outdir.mkdir()
    profile = (workdir / "lo-profile").as_uri()  # a profile of its own: never meets a running LibreOffice
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
         "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=90)
    converted = outdir / f"{source.stem}.pdf"
    assert result.returncode == 0 and converted.exists(), (result.returncode, result.stdout, result.stderr)
    assert converted.read_bytes().startswith(b"%PDF") and converted.stat().st_size > 1000
    return converted


# -- what a user does --------------------------------------------------------------------------

def open_documents_list(page: Page, live_server: str, tahun: str) -> None:
    page.goto(f"{live_server}/satker/{KOTA_BATU}/dokumen?tahun={tahun}")
    expect(page.get_by_role("heading", name="Dokumen kinerja KPU Kota Batu")).to_be_visible()
    expect(page.get_by_label("Tahun")).to_have_value(tahun)


def expect_rak_page(page: Page, tahun: str) -> None:
    expect(page.get_by_role("heading", name="Rencana Aksi Kinerja Sekretariat")).to_contain_text(
        f"KPU Kota Batu · {tahun}")


def download(page: Page, testid: str, folder: Path) -> Path:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_test_id(testid).click()
    dl = info.value
    assert dl.failure() is None, dl.failure()
    path = folder / dl.suggested_filename
    dl.save_as(path)
    return path


def month_marks(row: Locator) -> Locator:
    """The 12 schedule cells of a RAK row on the document page, "v" or "-"."""
    return row.locator("td").filter(has_text=re.compile(r"^[v-]$"))


def check_and_expect_dry_run(page: Page) -> None:
    page.get_by_role("button", name="Periksa (uji coba)").click()
    expect(page.get_by_role("heading", name="Uji coba impor")).to_be_visible()
    expect(page.get_by_test_id("import-problems")).to_have_count(0)
    expect(page.get_by_test_id("import-refused")).to_have_count(0)
    expect(page.get_by_test_id("import-stale")).to_have_count(0)
    expect(page.get_by_test_id("error")).to_have_count(0)


def apply_import(page: Page, document_url: str, summary: str) -> None:
    page.get_by_role("button", name="Terapkan").click()
    expect(page).to_have_url(document_url)
    expect(page.get_by_role("alert").filter(has_text=f"Impor diterapkan: {summary}")).to_be_visible()


# -- reading the downloads -----------------------------------------------------------------------

def find_cell(ws, value: str):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"{value!r} is not in the sheet")


def rak_sheet_layout(ws) -> dict:
    """Where the RAK table is in the exported sheet, found by its labels as a reader finds it."""
    jadwal = find_cell(ws, "Bulan Pelaksanaan")
    header_row = jadwal.row
    columns = {c.value: c.column for c in ws[header_row] if isinstance(c.value, str)}
    total = find_cell(ws, "Jumlah")
    numbering_row = header_row + 2
    data_rows = [r for r in range(numbering_row + 1, total.row) if isinstance(ws.cell(r, 1).value, (int, float))]
    return {"jadwal": jadwal, "header_row": header_row, "columns": columns, "total_row": total.row,
            "numbering_row": numbering_row, "data_rows": data_rows}


def check_excel_export(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.title == "RAK Sekretariat"
    # The title block, as the seed's table starts.
    assert re.fullmatch(r"RENCANA AKSI KINERJA SEKRETARIAT (KPU|KOMISI PEMILIHAN UMUM) KOTA BATU TAHUN 2024",
                        ws["A1"].value)
    assert re.fullmatch(r"NAMA/UNIT ORGANISASI\s*:\s*(KPU|KOMISI PEMILIHAN UMUM) KOTA BATU", ws["A2"].value)
    assert re.fullmatch(r"TAHUN ANGGARAN\s*:\s*2024", ws["A3"].value)

    layout = rak_sheet_layout(ws)
    columns, header_row = layout["columns"], layout["header_row"]
    for label in ("No", "Sasaran Program", "Indikator Kinerja", "Target", "Kegiatan Yang Akan Dilaksanakan",
                  "Perkiraan Biaya", "Pelaksana"):
        assert label in columns, (label, columns)
    # "Bulan Pelaksanaan" merged over the 12 month columns "1".."12" just below it.
    jadwal = layout["jadwal"]
    merged = next(r for r in ws.merged_cells.ranges if r.min_row == header_row and r.min_col == jadwal.column)
    assert (merged.max_row, merged.max_col - merged.min_col + 1) == (header_row, 12), str(merged)
    months = [ws.cell(header_row + 1, c).value for c in range(merged.min_col, merged.max_col + 1)]
    assert months == MONTHS
    assert [ws.cell(layout["numbering_row"], c).value for c in range(1, 6)] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    # The other headers span both header rows, as in the seed.
    for label in ("No", "Indikator Kinerja", "Perkiraan Biaya"):
        col = get_column_letter(columns[label])
        assert f"{col}{header_row}:{col}{header_row + 1}" in {str(r) for r in ws.merged_cells.ranges}, label

    # 15 rows numbered 1..15, each cost a number in Rupiah; the total too.
    rows = layout["data_rows"]
    assert [ws.cell(r, 1).value for r in rows] == list(range(1, BARIS_DEMO + 1))
    biaya_col = columns["Perkiraan Biaya"]
    for r in rows:
        cell = ws.cell(r, biaya_col)
        assert isinstance(cell.value, int) and "Rp" in cell.number_format, (r, cell.value, cell.number_format)
    total = ws.cell(layout["total_row"], biaya_col)
    assert total.value == TOTAL_DEMO and isinstance(total.value, int)
    assert "Rp" in total.number_format and "#,##0" in total.number_format, total.number_format
    assert sum(ws.cell(r, biaya_col).value for r in rows) == TOTAL_DEMO
    return layout


def check_pdf_export(path: Path) -> None:
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    assert "RENCANA AKSI KINERJA SEKRETARIAT KOMISI PEMILIHAN UMUM KOTA BATU TAHUN 2024" in text
    assert re.search(r"NAMA/UNIT ORGANISASI\s*:\s*KOMISI PEMILIHAN UMUM KOTA BATU", text)
    assert re.search(r"TAHUN ANGGARAN\s*:\s*2024", text)
    assert "Bulan Pelaksanaan" in text
    assert "Penyediaan sarana IT" in text  # row 13's kegiatan
    assert "CQ.6872.QGE.003" in text
    assert re.search(r"Jumlah perkiraan biaya\s+Rp 15\.556\.432\.100", text), "the total line is missing"
    assert "DRAF" in text  # a draft says so on every page


def edit_offline(path: Path, layout: dict) -> None:
    """What the planner does in Excel: one row's cost, and one more month marked in that row."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    columns = layout["columns"]
    row = next(r for r in layout["data_rows"] if ws.cell(r, columns["Indikator Kinerja"]).value == INDIKATOR_LOGISTIK)
    biaya = ws.cell(row, columns["Perkiraan Biaya"])
    assert biaya.value == BIAYA_LAMA
    biaya.value = BIAYA_BARU
    first_month = layout["jadwal"].column
    marks = [ws.cell(row, first_month + m).value for m in range(12)]
    assert marks == ["v" if m in BULAN_LAMA else "-" for m in range(1, 13)]
    ws.cell(row, first_month + BULAN_DITANDAI - 1).value = "v"
    wb.save(path)


# -- the story -------------------------------------------------------------------------------------

def test_kota_batu_rak_goes_out_as_excel_and_pdf_comes_back_edited_and_a_word_table_is_pasted(
        page: Page, live_server, tmp_path):
    page.set_default_timeout(15_000)
    rows = page.get_by_test_id("rak").locator("tbody tr")
    total = page.get_by_test_id("total-biaya")
    downloads = tmp_path / "unduhan"
    downloads.mkdir()

    # 0. The sekretaris opens the 2024 RAK Sekretariat: a draft with the seed's 15 rows.
    sign_in(page, live_server, SEKRETARIS)
    open_documents_list(page, live_server, "2024")
    page.get_by_test_id("doc-rak_sekretariat").get_by_role("link", name="RAK Sekretariat").click()
    expect_rak_page(page, "2024")
    expect(page.get_by_test_id("status")).to_have_text("Draf")
    expect(page.get_by_test_id("revisi-label")).to_have_text("Revisi ke-0")
    expect(rows).to_have_count(BARIS_DEMO)
    expect(total).to_have_text(rupiah(TOTAL_DEMO))
    document_url = page.url
    assert re.search(r"/dokumen/\d+$", document_url), document_url

    # 1. Excel and PDF from the browser; both read like the seed's table; LibreOffice opens the Excel.
    xlsx_path = download(page, "download-xlsx", downloads)
    assert xlsx_path.name == "RAK-Sekretariat-KPU-Kota-Batu-2024-rev0.xlsx"
    layout = check_excel_export(xlsx_path)
    pdf_path = download(page, "download-pdf", downloads)
    assert pdf_path.name == "RAK-Sekretariat-KPU-Kota-Batu-2024-rev0.pdf"
    check_pdf_export(pdf_path)
    expect(page).to_have_url(document_url)  # downloading leaves the page where it was

    printed = pdf_text(libreoffice_to_pdf(xlsx_path, tmp_path))
    assert re.search(r"RENCANA AKSI KINERJA SEKRETARIAT (KPU|KOMISI PEMILIHAN UMUM) KOTA BATU TAHUN 2024", printed)
    assert "Bulan Pelaksanaan" in printed
    # The Rupiah number format is shown as an amount (the separator follows LibreOffice's locale).
    assert re.search(r"Rp 15[.,]556[.,]432[.,]100", printed), "LibreOffice does not show the total as Rupiah"

    # 2. Edited offline, brought back: the dry run lists exactly the two cells, nothing is saved yet.
    edit_offline(xlsx_path, layout)
    page.get_by_test_id("import-link").click()
    expect(page.get_by_role("heading", name="Impor dari Excel / tempel tabel")).to_be_visible()
    page.get_by_label("Berkas Excel (.xlsx)").set_input_files(xlsx_path)
    check_and_expect_dry_run(page)
    expect(page.get_by_text(xlsx_path.name)).to_be_visible()
    expect(page.get_by_test_id("import-summary")).to_have_text("Diubah 1 (2 sel diubah).")
    changes = page.get_by_test_id("import-change")
    expect(changes).to_have_count(1)
    expect(changes).to_have_attribute("data-jenis", "diubah")
    expect(changes).to_contain_text(INDIKATOR_LOGISTIK)
    expect(changes).to_contain_text("Baris 5")
    expect(changes.get_by_test_id("import-cell")).to_have_text([
        "Bulan pelaksanaan: B1-B3, B8-B12 → B1-B4, B8-B12 (bulan ditambah: April)",
        f"Perkiraan biaya: {rupiah(BIAYA_LAMA)} → {rupiah(BIAYA_BARU)} (bertambah Rp 10.000.000)",
    ])

    document = page.context.new_page()  # the same person, the document in a second tab
    document.goto(document_url)
    expect_rak_page(document, "2024")
    expect(document.get_by_test_id("total-biaya")).to_have_text(rupiah(TOTAL_DEMO))
    expect(month_marks(document.get_by_test_id("baris-5"))).to_have_text(
        ["v" if m in BULAN_LAMA else "-" for m in range(1, 13)])
    document.close()

    apply_import(page, document_url, "Diubah 1 (2 sel diubah).")
    expect(total).to_have_text(rupiah(TOTAL_DEMO + BIAYA_BARU - BIAYA_LAMA))
    expect(rows).to_have_count(BARIS_DEMO)
    edited = page.get_by_test_id("baris-5")
    expect(edited).to_contain_text(INDIKATOR_LOGISTIK)
    expect(edited).to_contain_text(rupiah(BIAYA_BARU))
    expect(month_marks(edited)).to_have_text(
        ["v" if m in BULAN_LAMA | {BULAN_DITANDAI} else "-" for m in range(1, 13)])

    # 3. A new draft, filled by pasting the seed's table copied from Word.
    open_documents_list(page, live_server, "2024")
    komisioner = page.get_by_test_id("doc-rak_komisioner")
    expect(komisioner.get_by_role("link", name="RAK Komisioner")).to_be_visible()
    expect(komisioner).to_contain_text("Draf")
    expect(komisioner).to_contain_text("Revisi ke-1")
    # Both RAKs of 2024 exist: the new draft is 2025's.
    year = page.get_by_label("Tahun")
    offered = year.locator("option").all_inner_texts()
    if TAHUN_BARU in offered:
        year.select_option(TAHUN_BARU)
        page.get_by_role("button", name="Tampilkan").click()
        expect(page).to_have_url(f"{live_server}/satker/{KOTA_BATU}/dokumen?tahun={TAHUN_BARU}")
    else:
        # The select offers only years with documents, this year and the next (from 2026 on,
        # 2025 is not among them): the year is reached through the address instead.
        open_documents_list(page, live_server, TAHUN_BARU)
    expect(year).to_have_value(TAHUN_BARU)
    new_rak = page.get_by_test_id("doc-rak_sekretariat")
    expect(new_rak).to_contain_text("belum dibuat")
    new_rak.get_by_role("button", name="Buat draf").click()
    created = page.get_by_role("alert").filter(has_text="RAK Sekretariat dibuat sebagai draf (Revisi ke-0).")
    expect(created).to_be_visible()
    expect_rak_page(page, TAHUN_BARU)
    expect(page.get_by_test_id("status")).to_have_text("Draf")
    expect(rows).to_have_count(0)
    new_url = page.url
    assert new_url != document_url

    page.get_by_test_id("import-link").click()
    expect(page.get_by_role("heading", name="Impor dari Excel / tempel tabel")).to_be_visible()
    page.get_by_label("atau tempel tabel dari Word, PDF atau Excel").fill(PASTED)
    check_and_expect_dry_run(page)
    expect(page.get_by_test_id("import-summary")).to_have_text("Ditambah 3.")
    added = page.get_by_test_id("import-change")
    expect(added).to_have_count(3)
    for i, cells in enumerate(SEED_ROWS):
        expect(added.nth(i)).to_have_attribute("data-jenis", "ditambah")
        expect(added.nth(i)).to_contain_text(cells[2])

    apply_import(page, new_url, "Ditambah 3.")
    expect_rak_page(page, TAHUN_BARU)
    expect(rows).to_have_count(3)
    expect(total).to_have_text(rupiah(PASTED_TOTAL))
    for i, (cells, pelaksana) in enumerate(zip(SEED_ROWS, PELAKSANA), start=1):
        row = page.get_by_test_id(f"baris-{i}")
        expect(row).to_contain_text(cells[1])
        expect(row).to_contain_text(cells[2])
        expect(row).to_contain_text(cells[3])
        expect(row).to_contain_text(cells[-2].replace("Rp. ", "Rp "))
        expect(month_marks(row)).to_have_text(["v" if m.lower() == "v" else "-" for m in cells[5:17]])
        expect(row.locator("td").nth(5 + 12 + 1)).to_have_text(pelaksana)  # after the cost
    first = page.get_by_test_id("baris-1")
    expect(first.get_by_role("listitem")).to_have_text([
        "Rapat Koordinasi Pelaksanaan Pemilu", "Rapat Koordinasi ASN dan PPNPN di KPU Kota Batu",
        "Bimtek PPK dan PPS Se kota Batu"])
    expect(first.locator("code")).to_have_text("CQ.6709.QGE.003")
    expect(page.get_by_test_id("baris-2").locator("code")).to_have_text("CQ.6709.QGE.004")
