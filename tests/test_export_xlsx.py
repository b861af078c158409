"""Excel exports read back with openpyxl: values, number formats, merged and numbered
headers, frozen panes, print setup, the hidden metadata sheet and kunci columns, text that
looks like a formula, the download routes and their gate, the recap, ``sakip export``, and
LibreOffice opening every kind of export (converted to PDF)."""
import io
import os
import subprocess
import sys
import zipfile
from datetime import date, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from babel.dates import format_date

from tests.conftest import system_tool
from webapp.exports import EksporGagal, ekspor_berkas, xlsx
from workflow import seeds, sheet_layout as L
from workflow.dokumen import checks, operations
from workflow.dokumen.models import JenisDokumen
from workflow.dokumen.operations import BarisData, Kepala
from workflow.schedule import BentukJadwal
from workflow.target import JenisTarget, Target

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEEKS = [f"{b}.{m}" for b in range(1, 13) for m in range(1, 5)]


def open_xlsx(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return wb, wb.worksheets[0]


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def formula_cells(wb) -> list[str]:
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def no_formula_in_xml(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist()
                       if n.startswith("xl/worksheets/"))


def meta(wb) -> dict:
    ws = wb[L.META_SHEET]
    assert ws.sheet_state == "hidden"
    return {row[0].value: row[1].value for row in ws.iter_rows()}


def row_values(ws, row: int) -> list:
    return [c.value for c in ws[row]]


def find_row(ws, text: str, col: str | None = None) -> int:
    for row in ws.iter_rows():
        for c in row:
            if c.value == text and (col is None or c.column_letter == col):
                return c.row
    raise AssertionError(f"{text!r} not in the sheet")


def assert_print_setup(ws, titles: str, freeze: str) -> None:
    assert ws.freeze_panes == freeze
    assert ws.print_title_rows == titles
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # One page wide (fitToWidth="1" is the OOXML default, so writers may omit it), any number tall.
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0


def hidden_columns(ws) -> set[str]:
    """Letters of the hidden columns (a dimension may cover a range, min..max)."""
    from openpyxl.utils import get_column_letter
    return {get_column_letter(i) for d in ws.column_dimensions.values() if d.hidden
            for i in range(d.min, d.max + 1)}


# -- targets as numbers ------------------------------------------------------------------------

@pytest.mark.parametrize(("target", "value", "number_format"), [
    (Target(JenisTarget.PERSEN, Decimal("97.5000"), satuan="%"), 97.5, '0.0"%"'),
    (Target(JenisTarget.PERSEN, Decimal("100"), satuan="%"), 100, '0"%"'),
    (Target(JenisTarget.PERSEN, Decimal("0.16"), satuan="%"), 0.16, '0.00"%"'),
    (Target(JenisTarget.ANGKA, Decimal("2498"), satuan="Orang"), 2498, '#,##0" Orang"'),
    (Target(JenisTarget.ANGKA, Decimal("3.5")), 3.5, "#,##0.0"),
    (Target(JenisTarget.PREDIKAT, kode="BB"), "BB", None),
    (Target(JenisTarget.OPINI, kode="WTP"), "WTP", None),
    (Target(JenisTarget.ANGKA, Decimal("2"), satuan='Lap"oran'), '2 Lap"oran', None),
    (Target(JenisTarget.PERSEN), None, None),
    (None, None, None),
])
def test_a_target_is_a_number_with_its_format_or_the_code_as_text(target, value, number_format):
    assert xlsx.nilai_target(target) == (value, number_format)


# -- RAK ------------------------------------------------------------------------------------------

def test_a_rak_reads_back_with_its_layout_formats_and_hidden_parts(db, make_dokumen):
    rak = make_dokumen("rak_sekretariat", baris=3)
    revisi = rak.revisi_aktif
    data = xlsx.dokumen_xlsx(rak)
    wb, ws = open_xlsx(data)

    assert ws.title == "RAK Sekretariat"
    assert [ws["A1"].value, ws["A2"].value, ws["A3"].value] == [
        "RENCANA AKSI KINERJA SEKRETARIAT KPU KOTA BATU TAHUN 2024",
        "NAMA/UNIT ORGANISASI : KPU KOTA BATU", "TAHUN ANGGARAN : 2024"]
    assert row_values(ws, 5)[:7] == ["No", "Sasaran Program", "Indikator Kinerja", "Target",
                                     "Kegiatan Yang Akan Dilaksanakan", "Kode Output", "Bulan Pelaksanaan"]
    assert row_values(ws, 6)[6:18] == [str(m) for m in range(1, 13)]
    assert [ws["S5"].value, ws["T5"].value, ws["U5"].value] == ["Perkiraan Biaya", "Pelaksana", L.KUNCI_HEADER]
    assert row_values(ws, 7)[:20] == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"] + [None] * 11 + ["(8)", "(9)"]
    assert {"A1:T1", "A5:A6", "B5:B6", "E5:E6", "F5:F6", "G5:R5", "S5:S6", "T5:T6", "G7:R7"} <= merged(ws)

    first = L.RAK_DATA_ROW
    assert row_values(ws, first)[:6] == [1, "Sasaran 1", "Persentase capaian kegiatan 1", 97.5,
                                         "- Rapat koordinasi 1\n- Monitoring 1", "CQ.6709.QGE.003"]
    assert ws.cell(first, 4).number_format.endswith(L.TARGET_PERSEN_SUFFIX)
    assert row_values(ws, first)[6:18] == ["v", "v", "v"] + ["-"] * 9
    assert ws[f"S{first}"].value == 1_000_000 and ws[f"S{first}"].data_type == "n"
    assert "Rp" in ws[f"S{first}"].number_format
    assert ws[f"T{first}"].value == "Subbagian Keuangan, Umum dan Logistik"
    assert [ws[f"U{first + i}"].value for i in range(3)] == [b.kunci for b in revisi.baris]

    total = first + 3
    assert ws[f"A{total}"].value == L.TOTAL_LABEL and f"A{total}:R{total}" in merged(ws)
    assert ws[f"S{total}"].value == 3_000_000 and "Rp" in ws[f"S{total}"].number_format

    assert_print_setup(ws, "$5:$7", f"A{first}")
    assert hidden_columns(ws) == {"U"}
    assert meta(wb) | {"diekspor_pada": None} == {
        "format": L.FORMAT, "dokumen_id": rak.id, "satker": "35.79", "tahun": 2024, "jenis": "rak_sekretariat",
        "revisi": 0, "versi": rak.versi, "hash_isi": "", "bentuk_jadwal": "bulan", "diekspor_pada": None}
    assert formula_cells(wb) == [] and no_formula_in_xml(data)

    # The signature block: place, then the KPA on the right and the Ketua on the left, unsigned.
    place = total + 2
    assert ws[f"G{place}"].value == "Batu, .................... 2024"
    assert [ws[f"G{place + 1}"].value, ws[f"G{place + 2}"].value] == [
        "Sekretaris selaku Kuasa Pengguna Anggaran", "Sekretaris KPU Kota Batu,"]
    assert [ws[f"B{place + 1}"].value, ws[f"B{place + 2}"].value] == ["Mengetahui, Ketua", "Ketua KPU Kota Batu,"]
    assert ws[f"G{place + 6}"].value is None and ws[f"G{place + 6}"].border.bottom.style == "thin"


@pytest.mark.parametrize(("bentuk", "header", "cells", "marked"), [
    (BentukJadwal.TRIWULAN, "Triwulan", ["TW1", "TW2", "TW3", "TW4"], ["v", "-", "-", "-"]),
    (BentukJadwal.MINGGU, "Minggu", WEEKS, ["v"] * 12 + ["-"] * 36),
])
def test_a_rak_shows_its_schedule_in_the_revisions_shape(db, make_dokumen, people, bentuk, header, cells, marked):
    rak = make_dokumen("rak_sekretariat", baris=2)
    operations.ubah_kepala(db.session, rak, people("35.79").sekretaris,
                           Kepala(tempat="Batu", pagu=20_999_655_000, bentuk_jadwal=bentuk), versi=None)
    db.session.commit()
    data = xlsx.dokumen_xlsx(rak)
    wb, ws = open_xlsx(data)
    n = len(cells)
    last_schedule = 6 + n  # 1-based column of the last schedule cell
    assert ws.cell(5, 7).value == header
    assert [ws.cell(6, 7 + i).value for i in range(n)] == cells
    assert ws.cell(L.RAK_DATA_ROW, 7).value == "v"
    assert [ws.cell(L.RAK_DATA_ROW, 7 + i).value for i in range(n)] == marked
    assert ws.cell(5, last_schedule + 1).value == "Perkiraan Biaya"
    biaya = ws.cell(L.RAK_DATA_ROW, last_schedule + 1)
    assert biaya.value == 1_000_000 and "Rp" in biaya.number_format
    start, end = ws.cell(5, 7).coordinate, ws.cell(5, last_schedule).coordinate
    assert f"{start}:{end}" in merged(ws)
    assert meta(wb)["bentuk_jadwal"] == bentuk.value
    assert ws.cell(5, last_schedule + 3).value == L.KUNCI_HEADER
    assert hidden_columns(ws) == {ws.cell(5, last_schedule + 3).column_letter}


def test_text_that_looks_like_a_formula_stays_text(db, make_dokumen, people):
    rak = make_dokumen("rak_sekretariat", baris=0)
    sekretaris = people("35.79").sekretaris
    operations.simpan_baris(db.session, rak, sekretaris, BarisData(
        sasaran="=1+1", indikator="+62 812", target="100%", kegiatan=["=SUM(A1:A2)", "-", "@x", "+x"],
        sel_jadwal=[1], biaya=5, pelaksana="kul"))
    second = operations.simpan_baris(db.session, rak, sekretaris, BarisData(
        sasaran="@x", indikator="-", target="2 Laporan", kegiatan=["Rapat"], sel_jadwal=[2], biaya=7,
        pelaksana="kul"))
    # The editor folds whitespace; a file or another client might not: tab and newline first.
    second.sasaran, second.indikator = "\tx", "\nx"
    db.session.commit()

    data = xlsx.dokumen_xlsx(rak)
    wb, ws = open_xlsx(data)
    first = L.RAK_DATA_ROW
    assert [ws[f"B{first}"].value, ws[f"C{first}"].value] == ["=1+1", "+62 812"]
    assert ws[f"E{first}"].value == "- =SUM(A1:A2)\n- -\n- @x\n- +x"
    assert [ws[f"B{first + 1}"].value, ws[f"C{first + 1}"].value] == ["\tx", "\nx"]
    for cell in (f"B{first}", f"C{first}", f"E{first}", f"B{first + 1}", f"C{first + 1}"):
        assert ws[cell].data_type == "s", cell
    assert formula_cells(wb) == [] and no_formula_in_xml(data)


def test_formula_like_text_given_as_plain_rows_stays_text(tmp_path):
    """The writer on its own (what the benchmark feeds): every user text a string."""
    texts = ["=1+1", "+62 812", "-", "@x", "\tx", "\nx", "=HYPERLINK(\"http://x\")"]
    data = xlsx.DokumenData(
        jenis=JenisDokumen.PK_KOMISI, judul=xlsx.Judul("=JUDUL", "@UNIT", 2024), meta={"format": L.FORMAT},
        tempat="=Batu", program=[xlsx.ProgramData("=X", "-Program", 1)],
        sasaran=[xlsx.SasaranData(t, [xlsx.IndikatorData(t, None, t)], tujuan=t, kunci=t) for t in texts],
        penandatangan=[xlsx.PenandatanganData("=K", "+J", "-N")])
    path = tmp_path / "pk.xlsx"
    xlsx.tulis_dokumen(path, data)
    wb = openpyxl.load_workbook(path)
    assert formula_cells(wb) == [] and no_formula_in_xml(path.read_bytes())
    values = {c.value for row in wb.worksheets[0].iter_rows() for c in row}
    assert set(texts) <= values and {"-N", "=X", "-Program", "=Batu, .................... 2024"} <= values


# -- PK and RKT -------------------------------------------------------------------------------------

def test_a_pk_with_merged_sasaran_programs_and_the_signature_block(db, make_dokumen, people):
    pk = make_dokumen("pk_sekretariat", sasaran=2)
    batu = people("35.79")
    operations.ubah_kepala(db.session, pk, batu.sekretaris,
                           Kepala(tempat="Paringin", tanggal=date(2024, 1, 13), pagu=20_999_655_000), versi=None)
    operations.ajukan(db.session, pk, batu.sekretaris)
    operations.tandatangani(db.session, pk, batu.sekretaris)  # Pihak Pertama signs, Pihak Kedua not yet
    db.session.commit()
    revisi = pk.revisi_aktif
    data = xlsx.dokumen_xlsx(pk)
    wb, ws = open_xlsx(data)

    assert ws["A1"].value == "PERJANJIAN KINERJA SEKRETARIAT KPU KOTA BATU TAHUN 2024"
    assert row_values(ws, 5) == ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET", *L.PK_HIDDEN]
    assert row_values(ws, 6)[:4] == ["(1)", "(2)", "(3)", "(4)"]
    assert hidden_columns(ws) >= {"E", "F"} and not hidden_columns(ws) & {"A", "B", "C", "D"}
    assert {"A7:A8", "B7:B8", "A9:A10", "B9:B10"} <= merged(ws)
    assert row_values(ws, 7)[:4] == [1, "Terwujudnya sasaran 1", "Persentase indikator 1", 100]
    assert ws["D7"].number_format == '0"%"' and ws["D7"].data_type == "n"
    assert [ws["C8"].value, ws["D8"].value, ws["D8"].data_type] == ["Opini BPK", "WTP", "s"]
    s1, s2 = revisi.sasaran
    assert [ws[f"E{r}"].value for r in (7, 8, 9, 10)] == [s1.kunci, s1.kunci, s2.kunci, s2.kunci]
    assert [ws[f"F{r}"].value for r in (7, 8, 9, 10)] == [i.kunci for s in revisi.sasaran for i in s.indikator]
    assert ws["A11"].value is None  # the PK table ends with an empty row

    assert row_values(ws, 12)[:4] == ["No", "Kode", "Program", "Anggaran"]
    assert row_values(ws, 13)[:4] == [1, "076.01.CQ", "Program Penyelenggaraan Pemilu dalam Proses Konsolidasi "
                                      "Demokrasi", 18_384_118_000]
    assert "Rp" in ws["D13"].number_format and "Rp" in ws["D14"].number_format
    assert [ws["A15"].value, ws["D15"].value] == [L.TOTAL_LABEL, 19_527_520_000] and "A15:C15" in merged(ws)
    assert "Rp" in ws["D15"].number_format

    assert ws["C17"].value == "Paringin, 13 Januari 2024" and "C17:D17" in merged(ws)
    assert [ws["C18"].value, ws["C19"].value] == ["Pihak Pertama", "Sekretaris KPU Kota Batu,"]
    assert [ws["B18"].value, ws["B19"].value] == ["Pihak Kedua", "Ketua KPU Kota Batu,"]
    assert ws["C23"].value == batu.sekretaris.full_name and ws["C23"].font.b
    assert ws["B23"].value is None, "the Ketua has not signed: an empty line"
    # On the office's clock, as the page and the PDF print it: 7 hours ahead of the stored UTC.
    ditandatangani = revisi.tanda_tangan[0].waktu
    wib = (ditandatangani if ditandatangani.tzinfo else ditandatangani.replace(tzinfo=timezone.utc)).astimezone(
        ZoneInfo("Asia/Jakarta"))
    assert ws["C21"].value == (f"ditandatangani secara elektronik {format_date(wib, 'd MMMM y', locale='id')} "
                               f"{wib:%H.%M} WIB")
    assert ws["A25"].value == f"Kode verifikasi: {revisi.kode_verifikasi} · SHA-256 isi: {revisi.hash_isi}"

    assert_print_setup(ws, "$5:$6", "A7")
    assert meta(wb)["hash_isi"] == revisi.hash_isi and meta(wb)["jenis"] == "pk_sekretariat"
    assert formula_cells(wb) == []


def test_an_rkt_with_tujuan_headings_units_and_an_empty_sasaran(db, make_dokumen, people):
    rkt = make_dokumen("rkt_komisi", sasaran=2)
    ketua = people("35.79").ketua
    s3 = operations.simpan_sasaran(db.session, rkt, ketua, "Terwujudnya sasaran 3", "Tujuan A")
    operations.simpan_indikator(db.session, rkt, ketua, s3.kunci, "Jumlah pemilih terlayani", "2.498 Orang")
    operations.simpan_indikator(db.session, rkt, ketua, s3.kunci, "Indeks layanan", "3,5 Poin")
    operations.simpan_sasaran(db.session, rkt, ketua, "Terwujudnya sasaran 4", "Tujuan A")
    db.session.commit()
    wb, ws = open_xlsx(xlsx.dokumen_xlsx(rkt))

    assert ws["A1"].value == "RENCANA KERJA TAHUNAN KPU KOTA BATU TAHUN 2024"
    heading = 11  # sasaran 1 and 2 take rows 7-10
    assert [ws[f"A{heading}"].value, ws[f"B{heading}"].value, ws[f"E{heading}"].value] == [None, "Tujuan A",
                                                                                            L.TUJUAN_MARK]
    assert f"B{heading}:D{heading}" in merged(ws)
    assert row_values(ws, 12)[:4] == [3, "Terwujudnya sasaran 3", "Jumlah pemilih terlayani", 2498]
    assert ws["D12"].number_format == '#,##0" Orang"'
    assert [ws["D13"].value, ws["D13"].number_format] == [3.5, '#,##0.0" Poin"']
    assert row_values(ws, 14)[:4] == [4, "Terwujudnya sasaran 4", None, None], "a sasaran without indikator"
    assert ws["F14"].value is None and ws["E14"].value == rkt.revisi_aktif.sasaran[3].kunci
    # No programs table in an RKT: the signature block follows (the Ketua alone, on the right).
    assert ws["A16"].value is None and ws["C16"].value == "Batu, .................... 2024"
    assert [ws["C17"].value, ws["C18"].value, ws["B17"].value] == ["Ketua", "Ketua KPU Kota Batu,", None]


# -- Kota Batu's RAK Komisioner, from the demo's transcription ------------------------------------

@pytest.fixture
def batu_rak(db, tree, tmp_path, make_user):
    """The demo RAK Komisioner of Kota Batu, loaded and moved along as the demo does: Revisi
    ke-0 signed (KPA, then the Ketua) and returned, Revisi ke-1 a draft."""
    make_user("35.79", "ketua", username="batu.ketua")
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    make_user("35", "reviewer", username="reviewer.jatim")
    source = seeds.DIREKTORI / "35.79-2024-rak_komisioner.json"
    (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    [ringkasan] = seeds.load_demo_documents(db.session, tmp_path)
    db.session.commit()
    assert ringkasan.catatan == [] and ringkasan.nomor_revisi == 1
    return operations.cari_dokumen(db.session, tree["35.79"], 2024, JenisDokumen.RAK_KOMISIONER)


def test_kota_batus_rak_totals_rp_10_962_494_100(db, batu_rak):
    rev1 = batu_rak.revisi_aktif
    wb, ws = open_xlsx(xlsx.dokumen_xlsx(batu_rak, rev1))
    first = L.RAK_DATA_ROW
    total = first + 9
    assert ws[f"A{total}"].value == L.TOTAL_LABEL
    assert ws[f"S{total}"].value == 10_962_494_100 == rev1.total_biaya
    assert checks.rupiah(ws[f"S{total}"].value) == "Rp 10.962.494.100"
    assert sum(ws[f"S{r}"].value for r in range(first, total)) == 10_962_494_100
    assert ws["A1"].value == "RENCANA AKSI KINERJA KOMISIONER KPU KOTA BATU TAHUN 2024"
    row4 = first + 3
    assert ws[f"S{row4}"].value == 10_604_086_100
    assert [ws.cell(row4, 7 + m).value for m in range(12)] == list("vv--vv---vvv")
    assert ws[f"D{first}"].value == 100 and ws[f"F{first}"].value == "CQ.6709.QGE.003"
    assert ws[f"E{first}"].value.startswith("- Rapat Koordinasi Pelaksanaan Pemilu\n- ")
    assert meta(wb)["revisi"] == 1
    # Revisi ke-1 is a draft again: nobody has signed it.
    place = total + 2
    assert ws[f"G{place + 6}"].value is None and ws[f"B{place + 6}"].value is None


def test_a_signed_revision_names_its_signatories(db, batu_rak):
    rev0 = batu_rak.revisi_ke(0)
    wb, ws = open_xlsx(xlsx.dokumen_xlsx(batu_rak, rev0))
    names = {t.kapasitas.value: t.nama for t in rev0.tanda_tangan}
    place = L.RAK_DATA_ROW + 9 + 2
    assert ws[f"G{place + 1}"].value == "Sekretaris selaku Kuasa Pengguna Anggaran"
    assert ws[f"G{place + 6}"].value == names["kpa"]
    assert ws[f"B{place + 1}"].value == "Mengetahui, Ketua" and ws[f"B{place + 6}"].value == names["mengetahui"]
    assert ws[f"B{place + 2}"].value == "Ketua KPU Kota Batu,"
    assert meta(wb)["revisi"] == 0 and meta(wb)["hash_isi"] == rev0.hash_isi
    assert ws[f"S{L.RAK_DATA_ROW + 9}"].value == 10_962_494_100


# -- the download route -------------------------------------------------------------------------------

def test_the_owner_downloads_any_revision_and_a_foreign_office_gets_404(db, app, client, login, people, batu_rak):
    owner = login(people("35.79").sekretaris, c=app.test_client())
    response = owner.get(f"/dokumen/{batu_rak.id}/unduh.xlsx?revisi=0")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert 'filename=RAK-Komisioner-KPU-Kota-Batu-2024-rev0.xlsx' in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    wb, _ws = open_xlsx(response.data)
    assert meta(wb)["revisi"] == 0
    current = owner.get(f"/dokumen/{batu_rak.id}/unduh.xlsx")
    assert current.status_code == 200 and "rev1.xlsx" in current.headers["Content-Disposition"]
    for bad in ("?revisi=2", "?revisi=abc", "?revisi=-1", "?revisi=99999999999"):
        assert owner.get(f"/dokumen/{batu_rak.id}/unduh.xlsx{bad}").status_code == 404, bad
    page = owner.get(f"/dokumen/{batu_rak.id}/revisi/0").text
    assert f'href="/dokumen/{batu_rak.id}/unduh.xlsx?revisi=0"' in page and 'data-testid="download-xlsx"' in page

    reviewer = login(people("35").reviewer, c=app.test_client())
    assert reviewer.get(f"/dokumen/{batu_rak.id}/unduh.xlsx").status_code == 200

    foreign = login(people("51.71").sekretaris, c=app.test_client())
    theirs = foreign.get(f"/dokumen/{batu_rak.id}/unduh.xlsx")
    missing = foreign.get("/dokumen/999999/unduh.xlsx")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.text.replace(f"/dokumen/{batu_rak.id}/", "/X/") == missing.text.replace("/dokumen/999999/", "/X/")
    sibling = login(people("35.73").sekretaris, c=app.test_client())
    assert sibling.get(f"/dokumen/{batu_rak.id}/unduh.xlsx?revisi=0").status_code == 404

    anonymous = app.test_client().get(f"/dokumen/{batu_rak.id}/unduh.xlsx")
    assert anonymous.status_code == 302 and "/masuk" in anonymous.headers["Location"]


def test_the_export_issues_the_same_number_of_statements_for_5_and_100_rows(db, app, login, people, make_dokumen,
                                                                           count_statements):
    counts = []
    for tahun, n in ((2024, 5), (2025, 100)):
        rak = make_dokumen("rak_sekretariat", tahun=tahun, baris=n)
        c = login(people("35.79").sekretaris, c=app.test_client())
        c.get(f"/dokumen/{rak.id}/unduh.xlsx")
        with count_statements() as counter:
            response = c.get(f"/dokumen/{rak.id}/unduh.xlsx")
        assert response.status_code == 200
        assert open_xlsx(response.data)[1][f"A{L.RAK_DATA_ROW + n}"].value == L.TOTAL_LABEL
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


# -- the recap ----------------------------------------------------------------------------------------

@pytest.fixture
def recap_pks(db, make_dokumen, people):
    """PK Komisi 2024 of Jawa Timur and of Kota Batu (Kota Malang has none); Batu's first
    target is 97,5% instead of 100%, and it lacks the province's last indikator."""
    make_dokumen("pk_komisi", kode="35")
    batu = make_dokumen("pk_komisi", kode="35.79")
    ketua = people("35.79").ketua
    s1, s2 = batu.revisi_aktif.sasaran
    i1 = s1.indikator[0]
    operations.simpan_indikator(db.session, batu, ketua, s1.kunci, "persentase  INDIKATOR 1", "97,5%", kunci=i1.kunci)
    operations.hapus_indikator(db.session, batu, ketua, s2.kunci, s2.indikator[1].kunci)
    make_dokumen("pk_komisi", kode="51.71")  # Bali: never in Jawa Timur's recap
    db.session.commit()
    return batu


def test_a_province_recap_lists_its_offices_against_its_own_indikator(db, app, login, people, recap_pks):
    reviewer = login(people("35").reviewer, c=app.test_client())
    response = reviewer.get("/satker/35/rekap.xlsx?tahun=2024")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert "Rekap-PK-KPU-Provinsi-Jawa-Timur-2024.xlsx" in response.headers["Content-Disposition"]
    wb, ws = open_xlsx(response.data)

    assert ws["A1"].value == "REKAPITULASI TARGET PERJANJIAN KINERJA KABUPATEN/KOTA KPU PROVINSI JAWA TIMUR TAHUN 2024"
    assert ws["A2"].value == "NAMA/UNIT ORGANISASI : KPU PROVINSI JAWA TIMUR"
    assert row_values(ws, 5)[:6] == ["No", "Kode", "Kabupaten/Kota", "Status PK", "Revisi",
                                     "Target Indikator Kinerja (Perjanjian Kinerja Komisi)"]
    assert row_values(ws, 6)[5:] == ["Persentase indikator 1", "Opini BPK", "Persentase indikator 2", "Opini BPK"]
    assert {"A5:A6", "B5:B6", "C5:C6", "D5:D6", "E5:E6", "F5:I5", "A1:I1"} <= merged(ws)
    assert row_values(ws, 7) == [f"({i})" for i in range(1, 10)]
    assert row_values(ws, 8) == [1, "35", "KPU Provinsi Jawa Timur", "Draf", 0, 100, "WTP", 100, "WTP"]
    assert row_values(ws, 9) == [2, "35.73", "KPU Kota Malang", "Belum ada", None, None, None, None, None]
    assert row_values(ws, 10) == [3, "35.79", "KPU Kota Batu", "Draf", 0, 97.5, "WTP", 100, "-"]
    assert ws["F10"].number_format == '0.0"%"' and ws["F8"].number_format == '0"%"'
    assert ws["A11"].value == "Jumlah satker: 3 (Belum ada: 1, Draf: 2)"
    assert_print_setup(ws, "$5:$7", "D8")
    assert meta(wb) | {"diekspor_pada": None} == {
        "format": L.FORMAT, "dokumen_id": "", "satker": "35", "tahun": 2024, "jenis": L.JENIS_REKAP,
        "revisi": "", "versi": "", "hash_isi": "", "bentuk_jadwal": "", "diekspor_pada": None}
    assert formula_cells(wb) == []


def test_the_recap_sends_three_statements_whatever_the_number_of_offices(db, tree, recap_pks, count_statements):
    counts = []
    for kode in ("35", "RI"):  # 3 offices, 7 offices
        satker = tree[kode]
        assert satker.path  # loaded before counting
        with count_statements() as counter:
            xlsx.rekap_xlsx(db.session, satker, 2024)
        counts.append(counter.count)
    assert counts == [3, 3], counter.statements


def test_the_recap_answers_404_where_it_does_not_apply_and_lists_only_what_the_user_sees(
        db, app, login, people, recap_pks, make_user):
    reviewer = login(people("35").reviewer, c=app.test_client())
    for url in ("/satker/35.79/rekap.xlsx?tahun=2024", "/satker/51/rekap.xlsx?tahun=2024",
                "/satker/99/rekap.xlsx", "/satker/35/rekap.xlsx?tahun=abc", "/satker/35/rekap.xlsx?tahun=1999"):
        assert reviewer.get(url).status_code == 404, url
    # The province's sekretaris sees the province, not the offices below: one row.
    sekretaris = login(people("35").sekretaris, c=app.test_client())
    _wb, ws = open_xlsx(sekretaris.get("/satker/35/rekap.xlsx?tahun=2024").data)
    assert ws["B8"].value == "35" and ws["A9"].value == "Jumlah satker: 1 (Draf: 1)"

    # KPU RI: every office, in the hierarchy's order; RI has no PK Komisi, so no indikator column.
    ri = login(make_user("RI", "inspektorat"), c=app.test_client())
    response = ri.get("/satker/RI/rekap.xlsx?tahun=2024")
    assert response.status_code == 200
    _wb, ws = open_xlsx(response.data)
    assert ws["C5"].value == "Satker"
    assert [ws[f"B{r}"].value for r in range(8, 15)] == ["RI", "35", "35.73", "35.79", "51", "51.03", "51.71"]
    assert ws["F6"].value == "PK Komisi KPU RI tahun 2024 belum ada: belum ada kolom indikator."
    assert ws["D14"].value == "Draf" and ws["D8"].value == "Belum ada"


def test_a_pk_komisi_of_a_province_offers_the_recap(db, app, login, people, recap_pks):
    from workflow.dokumen.operations import cari_dokumen
    reviewer = login(people("35").reviewer, c=app.test_client())
    province_pk = cari_dokumen(db.session, recap_pks.satker.parent, 2024, JenisDokumen.PK_KOMISI)
    page = reviewer.get(f"/dokumen/{province_pk.id}").text
    assert 'data-testid="download-rekap-xlsx" href="/satker/35/rekap.xlsx?tahun=2024"' in page
    assert 'data-testid="download-rekap-xlsx"' not in reviewer.get(f"/dokumen/{recap_pks.id}").text


def test_the_recap_writer_streams_rows_from_a_generator(tmp_path):
    target = Target(JenisTarget.PERSEN, Decimal("90"), satuan="%")

    def rows():
        for i in range(3):
            yield xlsx.BarisRekapData(f"35.{i:02d}", f"KPU Kota {i}", "Disetujui", 0, [target, "-", None])

    data = xlsx.RekapData(judul=xlsx.Judul("REKAP", "KPU", 2024), indikator=["A", "B", "C"], baris=rows(),
                          meta={"format": L.FORMAT, "jenis": L.JENIS_REKAP})
    path = tmp_path / "rekap.xlsx"
    xlsx.tulis_rekap(path, data)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert [ws["F8"].value, ws["G8"].value, ws["H8"].value] == [90, "-", None]
    assert ws["B10"].value == "35.02" and ws["A11"].value == "Jumlah satker: 3 (Disetujui: 3)"
    assert {"A5:A6", "E5:E6", "F5:H5"} <= merged(ws)


# -- sakip export ------------------------------------------------------------------------------------

def test_export_writes_files_and_refuses_in_one_line(db, batu_rak, recap_pks, tmp_path, monkeypatch):
    out = tmp_path / "rak.xlsx"
    message = ekspor_berkas(db.session, "rak_komisioner", "35.79", 2024, out, nomor_revisi=0)
    assert message.startswith("RAK Komisioner KPU Kota Batu 2024, Revisi ke-0 ditulis ke") and "bita" in message
    assert meta(openpyxl.load_workbook(out))["revisi"] == 0
    assert "Rekap KPU Provinsi Jawa Timur 2024" in ekspor_berkas(db.session, "rekap", "35", 2024, tmp_path / "r.xlsx")

    monkeypatch.setitem(sys.modules, "webapp.pdf", None)  # the PDF module not there (yet)
    for args, error in [
        (("rak_komisioner", "35.79", 2024, tmp_path / "x.pdf"), "Ekspor PDF belum tersedia."),
        (("rak_komisioner", "35.79", 2024, tmp_path / "x.doc"), "Format berkas tidak dikenal: x.doc"),
        (("rakyat", "35.79", 2024, out), "Jenis tidak dikenal: rakyat"),
        (("rekap", "35.79", 2024, out), "Rekap hanya untuk KPU Provinsi dan KPU RI"),
        (("rekap", "35", 2024, tmp_path / "r.pdf"), "Rekap hanya tersedia sebagai .xlsx."),
        (("pk_sekretariat", "35.79", 2024, out), "PK Sekretariat KPU Kota Batu tahun 2024 belum ada."),
        (("rak_komisioner", "35.79", 2024, tmp_path / "nope" / "x.xlsx"), "Tidak dapat menulis"),
    ]:
        with pytest.raises(EksporGagal, match=error.replace(".", r"\.")):
            ekspor_berkas(db.session, *args)
    with pytest.raises(EksporGagal, match="tidak memiliki Revisi ke-5"):
        ekspor_berkas(db.session, "rak_komisioner", "35.79", 2024, out, nomor_revisi=5)


SAKIP = str(Path(sys.executable).with_name("sakip"))


def test_the_sakip_export_command(backend, fresh_database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": fresh_database_url(backend), "SAKIP_INSTANCE_PATH": str(tmp_path)}

    def sakip(*args):
        return subprocess.run([SAKIP, *args], env=env, capture_output=True, text=True, timeout=300)

    assert sakip("demo").returncode == 0
    out = tmp_path / "batu.xlsx"
    done = sakip("export", "rak_komisioner", "--satker", "35.79", "--year", "2024", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "RAK Komisioner KPU Kota Batu 2024, Revisi ke-1 ditulis ke" in done.stdout
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws[f"S{L.RAK_DATA_ROW + 9}"].value == 10_962_494_100
    recap = sakip("export", "rekap", "--satker", "63", "--year", "2024", "-o", str(tmp_path / "kalsel.xlsx"))
    assert recap.returncode == 0, recap.stderr

    refused = sakip("export", "rekap", "--satker", "35.79", "--year", "2024", "-o", str(out))
    lines = [x for x in refused.stderr.splitlines() if x.strip() and not x.startswith("INFO")]
    assert refused.returncode == 1 and lines == [
        "sakip: kesalahan: Rekap hanya untuk KPU Provinsi dan KPU RI; KPU Kota Batu adalah KPU Kabupaten/Kota."]
    unknown = sakip("export", "pk_komisi", "--satker", "99.99", "--year", "2024", "-o", str(out))
    assert unknown.returncode == 1 and "Kode satker tidak dikenal: 99.99" in unknown.stderr


# -- LibreOffice opens every kind -------------------------------------------------------------------

def test_libreoffice_converts_every_kind_of_export_to_pdf(db, make_dokumen, people, recap_pks, tmp_path):
    soffice = system_tool("soffice", "libreoffice", package="libreoffice-calc")
    weekly = make_dokumen("rak_sekretariat", tahun=2025, baris=12)
    operations.ubah_kepala(db.session, weekly, people("35.79").sekretaris,
                           Kepala(tempat="Batu", pagu=1, bentuk_jadwal=BentukJadwal.MINGGU), versi=None)
    db.session.commit()
    exports = {
        "rak-bulan": xlsx.dokumen_xlsx(make_dokumen("rak_komisioner", baris=20)),
        "rak-minggu": xlsx.dokumen_xlsx(weekly),
        "pk": xlsx.dokumen_xlsx(make_dokumen("pk_sekretariat", sasaran=6)),
        "rkt": xlsx.dokumen_xlsx(make_dokumen("rkt_sekretariat")),
        "rekap": xlsx.rekap_xlsx(db.session, recap_pks.satker.parent, 2024),
    }
    files = []
    for name, data in exports.items():
        (tmp_path / f"{name}.xlsx").write_bytes(data)
        files.append(str(tmp_path / f"{name}.xlsx"))
    outdir = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(outdir), *files],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for name in exports:
        pdf = outdir / f"{name}.pdf"
        assert pdf.exists(), (name, result.stdout, result.stderr)
        assert pdf.stat().st_size > 1000 and pdf.read_bytes().startswith(b"%PDF"), name


@pytest.mark.parametrize("query", ["revisi=%C2%B2", "revisi=-1", "revisi=x"])
def test_odd_revision_numbers_answer_404_not_500(db, client, login, people, make_dokumen, query):
    rak = make_dokumen("rak_sekretariat", baris=1)
    login(people("35.79").sekretaris)
    assert client.get(f"/dokumen/{rak.id}/unduh.xlsx?{query}").status_code == 404
