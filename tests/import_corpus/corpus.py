"""The import's test files, made on demand (no conftest needed).

Office layouts as offices send them (Kota Batu: months 1..12 marked v/-, a kegiatan cell
with "- " bullets and the output code at its end; Kubu Raya: B1..B12 marked √, no cost,
an empty sasaran cell repeating the one above; a quarterly TW1..TW4 table; a table with
"minggu ke 1-4" in its month cells), and malformed files (each must be refused with a
clear message). ``python -m tests.import_corpus.corpus DIR`` writes them all to DIR to
open them by hand.
"""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import xlsxwriter

from workflow import schedule, sheet_layout as L

# -- office layouts -------------------------------------------------------------------------

BATU_ROWS = [
    # no, sasaran, indikator, target, kegiatan cell, months (12 marks), biaya, pelaksana
    ("1.", "Terwujudnya tahapan Pemilu dan Pemilihan sesuai jadwal",
     "Persentase KPU Kota Batu yang menyelenggarakan Pemilu dan Pemilihan sesuai jadwal", "100%",
     "- Rapat Koordinasi Pelaksanaan Pemilu - Rapat Koordinasi ASN dan PPNPN di KPU Kota Batu - Bimtek PPK dan PPS "
     "Se kota Batu CQ.6709.QGE.003", "v v v v - - - - - - - -", "Rp. 99.498.000", "Semua Subbag"),
    ("2.", "Pembentukan Badan Penyelenggara Adhoc Pemilu dan Pemilihan",
     "Jumlah Badan Adhoc Pemilu dan Pemilihan yang dipersiapkan dan dibentuk", "100%",
     "- Rapat Koordinasi Pelaksanaan Pembentukan Badan AdHoc\n- Supervisi/ Monitoring Pelaksanaan Tahapan "
     "Pembentukan Badan AdHoc Pemilu\nCQ.6867.QGE.002", "v v - - v v - - - v v v", 10_604_086_100,
     "Subbag Hukum dan SDM"),
    ("3.", "Meningkatnya tertib administrasi dan pengelolaan Sumber Daya Manusia",
     "Persentase pegawai yang mendapat layanan administrasi kepegawaian tepat waktu dan akurat", "97,5%",
     "-Sosialisasi Penyusunan dan Evaluasi Kinerja Periodik Pegawai (SKP) Tahun 2024 -Menghimpun SKP Pegawai "
     "Kota Batu WA.3355.EBA.994", "v v v v v v v v v v v v", "Rp. 2.563.892.000,-", "Subbag SDM"),
]


def _title(ws, fmt, title: str, unit: str) -> None:
    ws.write(0, 0, title, fmt)
    ws.write(1, 0, f"NAMA/UNIT ORGANISASI : {unit}")
    ws.write(2, 0, "TAHUN ANGGARAN : 2024")


def batu_xlsx(rows=BATU_ROWS, header_row: int = 5) -> bytes:
    """Kota Batu's RAK Sekretariat as the office lays it out (months 1..12, v / -)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("RAK Sekretariat")
    bold = wb.add_format({"bold": True})
    rp = wb.add_format({"num_format": '"Rp. "#,##0'})
    _title(ws, bold, "RENCANA AKSI KINERJA SEKRETARIAT KOMISI PEMILIHAN UMUM KOTA BATU TAHUN 2024",
           "KOMISI PEMILIHAN UMUM KOTA BATU")
    h = header_row - 1
    for col, label in enumerate(("No", "Sasaran Program", "Indikator  Kinerja", "Target",
                                 "Kegiatan Yang Akan Dilaksanakan")):
        ws.merge_range(h, col, h + 1, col, label, bold)
    ws.merge_range(h, 5, h, 16, "Bulan Pelaksanaan", bold)
    for m in range(1, 13):
        ws.write_number(h + 1, 4 + m, m)
    ws.merge_range(h, 17, h + 1, 17, "Perkiraan Biaya", bold)
    ws.merge_range(h, 18, h + 1, 18, "Pelaksanaan", bold)
    for col in range(5):
        ws.write_string(h + 2, col, f"({col + 1})")
    r = h + 3
    for no, sasaran, indikator, target, kegiatan, marks, biaya, pelaksana in rows:
        ws.write_string(r, 0, no)
        ws.write_string(r, 1, sasaran)
        ws.write_string(r, 2, indikator)
        ws.write_string(r, 3, target)
        ws.write_string(r, 4, kegiatan)
        for m, mark in enumerate(marks.split()):
            ws.write_string(r, 5 + m, mark)
        if isinstance(biaya, int):
            ws.write_number(r, 17, biaya, rp)
        else:
            ws.write_string(r, 17, biaya)
        ws.write_string(r, 18, pelaksana)
        r += 1
    ws.merge_range(r, 0, r, 16, "JUMLAH", bold)
    ws.write_number(r, 17, 13_267_476_100, rp)
    ws.write_string(r + 3, 17, "Batu, 2 Januari 2024")
    ws.write_string(r + 4, 17, "SEKRETARIS,")
    wb.close()
    return out.getvalue()


KUBU_RAYA_ROWS = [
    # sasaran, indikator, target (str or (number, format)), kegiatan, B1..B12 (√ or empty), pelaksana
    ("Terwujudnya rencana kerja dan anggaran KPU Kab.Kubu Raya yang tertib,efektif dan efisien",
     "Jumlah revisi yang dilakukan terhadap rencana kerja yang telah ditetapkan", "12 Kali",
     "Melakukan revisi untuk mengoptimalkan penggunaan anggaran", [2, 4, 6, 8, 9, 10, 11, 12],
     "Subbag. Perencanaan, data dan informasi"),
    ("Terwujudnya sistem administrasi penyelenggaraan pemilu yang tertib,efektif dan efisien",
     "Persentase Laporan monitoring dan evaluasi yang akuntabel dan tepat waktu oleh KPU Kabupaten Kubu Raya", "75%",
     "Membuat Laporan emonev Bappenas dan monev Smart Keuangan", list(range(1, 13)),
     "Subbag. Perencanaan data dan informasi"),
    ("", "Persentase tercapainya target kinerja sesuai dengan perjanjian kinerja", (0.9, "0%"),
     "Melaksanakan kegiatan sesuai dengan perjanjian kinerja yang telah disepakati", list(range(1, 13)),
     "Subbag. Keuangan. Umum, dan Logistik"),
    ("Pembentukan evaluasi badan penyelenggara adhoc", "Persentase badan adhoc yang dibentuk dan dievaluasi",
     "2.498 Orang", "Melakukan evaluasi terhadap badan adhoc yang dibentuk", [6, 12], "Subbagian Hukum dan SDM"),
    ("Meningkatnya tertib administrasi dan pengelolaan sumber daya manusia",
     "Persentase pegawai yang mendapatkan layanan kepegawaian secara tepat waktu dan akurat", (0.975, "0.0%"),
     "Mengurus kenaikan pangkat pegawai, KGB dan mengikuti pegawai untuk pelatihan atau bimtek", list(range(1, 13)),
     "Subbagian Hukum dan SDM"),
]


def kubu_raya_xlsx(rows=KUBU_RAYA_ROWS) -> bytes:
    """Kubu Raya's RAK Sekretariat: B1..B12 marked √, a numbering row 1..17, no cost column."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("RAK")
    bold = wb.add_format({"bold": True})
    ws.write(0, 0, "RENCANA AKSI KINERJA", bold)
    ws.write(1, 0, "Nama/Unit Organisasi : SEKRETARIAT KPU KABUPATEN KUBU RAYA")
    ws.write(2, 0, "Tahun : 2024")
    h = 4
    for col, label in enumerate(("SASARAN KEGIATAN", "INDIKATOR KINERJA", "TARGET", "KEGIATAN")):
        ws.write(h, col, label, bold)
    ws.write(h, 4, "RENCANA PELAKSANAAN", bold)
    ws.write(h, 16, "PELAKSANA", bold)
    for m in range(1, 13):
        ws.write(h + 1, 3 + m, f"B{m}", bold)
    for col in range(17):
        ws.write_number(h + 2, col, col + 1)
    r = h + 3
    for sasaran, indikator, target, kegiatan, months, pelaksana in rows:
        ws.write(r, 0, sasaran)
        ws.write(r, 1, indikator)
        if isinstance(target, tuple):
            ws.write_number(r, 2, target[0], wb.add_format({"num_format": target[1]}))
        else:
            ws.write_string(r, 2, target)
        ws.write(r, 3, kegiatan)
        for m in months:
            ws.write_string(r, 3 + m, "√")
        ws.write(r, 16, pelaksana)
        r += 1
    ws.write(r + 2, 0, "SUNGAI RAYA, JANUARI 2024")
    ws.write(r + 3, 0, "SEKRETARIS,")
    ws.write(r + 6, 0, "FITRI")
    wb.close()
    return out.getvalue()


def quarterly_xlsx() -> bytes:
    """A RAK planned by quarter: TW I..TW IV columns marked x."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("RAK")
    ws.write(0, 0, "RENCANA AKSI KINERJA SEKRETARIAT KPU KOTA BATU 2024")
    h = 3
    for col, label in enumerate(("NO", "SASARAN", "INDIKATOR KINERJA", "TARGET", "KEGIATAN")):
        ws.write(h, col, label)
    ws.merge_range(h, 5, h, 8, "TRIWULAN")
    for q, label in enumerate(("TW I", "TW II", "TW III", "TW IV")):
        ws.write(h + 1, 5 + q, label)
    ws.write(h, 9, "ANGGARAN")
    ws.write(h, 10, "PENANGGUNG JAWAB")
    rows = [
        ("1", "Sasaran A", "Persentase laporan keuangan tepat waktu", "100%", "Menyusun laporan keuangan", "x x x x",
         5_000_000, "Subbagian Keuangan, Umum dan Logistik"),
        ("2", "Sasaran B", "Jumlah dokumen perencanaan", "3 Dokumen", "Menyusun RKT\nMenyusun RAK", "x - - x",
         "Rp 7.500.000", "rendatin"),
    ]
    for i, (no, sasaran, indikator, target, kegiatan, marks, biaya, pelaksana) in enumerate(rows):
        r = h + 2 + i
        for col, value in enumerate((no, sasaran, indikator, target, kegiatan)):
            ws.write_string(r, col, value)
        for q, mark in enumerate(marks.split()):
            ws.write_string(r, 5 + q, mark if mark != "-" else "")
        if isinstance(biaya, int):
            ws.write_number(r, 9, biaya)
        else:
            ws.write_string(r, 9, biaya)
        ws.write_string(r, 10, pelaksana)
    wb.close()
    return out.getvalue()


def weeks_xlsx() -> bytes:
    """A RAK whose month cells say which weeks: "minggu ke 1-4", "minggu ke 2", "Minggu ke-1, 3"."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("RAK")
    h = 2
    for col, label in enumerate(("No", "Sasaran Program", "Indikator Kinerja", "Target", "Kegiatan")):
        ws.write(h, col, label)
    ws.write(h, 5, "Jadwal Pelaksanaan")
    for m, name in enumerate(schedule.BULAN, start=1):
        ws.write(h + 1, 4 + m, name[:3])
    ws.write(h, 17, "Perkiraan Biaya")
    ws.write(h, 18, "Pelaksana")
    r = h + 2
    ws.write_row(r, 0, ["1", "Sasaran mingguan", "Persentase rapat pleno terdokumentasi", "100%", "- Rapat pleno"])
    ws.write_string(r, 5, "minggu ke 1-4")
    ws.write_string(r, 6, "minggu ke 2")
    ws.write_string(r, 7, "Minggu ke-1, 3")
    ws.write_string(r, 8, "v")
    ws.write_number(r, 17, 1_250_000)
    ws.write_string(r, 18, "Subbag Teknis dan Hupmas")
    wb.close()
    return out.getvalue()


# The first rows of Kota Batu's RAK Komisioner as a PDF gives them when copied (seed
# rak-kota-batu-2024.txt, lines 84-87 and 92-97): a header split over two lines, a row
# cut by a page break and continued after the repeated header.
BATU_TEMPEL = (
    "No\tSasaran Program\tIndikator Kinerja\tTarget\tKegiatan Yang Akan Dilaksanakan\t\t\t\tF\tBula\tn F\tPela\tksa\tana"
    "\tan\t\t\tPerkiraan Biaya\tPelaksanaan\n"
    "(1)\t(2)\t(3)\t(4)\t(5)\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\t2 Luy u\t\n"
    "1.\tTerwujudnya tahapan Pemilu dan Pemilihan sesuai jadwal\tPersentase KPU Kota Batu yang menyelenggarakan Pemilu "
    "dan Pemilihan sesuai jadwal\t100%\t- Rapat Koordinasi Pelaksanaan Pemilu - Rapat Koordinasi ASN dan PPNPN di KPU "
    "Kota Batu - Bimtek PPK dan PPS Se kota Batu CQ.6709.QGE.003\tv\tv\tv\tv\t-\t-\t-\t-\t-\t-\t-\t-\tRp. 99.498.000\t"
    "Semua Divisi\n"
    "2.\tTerwujudnya kesadaran pemilih, kepemiluan dan demokrasi\tPersentase partisipasi pemilih dalam Pemilu dan "
    "Pemilihan\t85%\t- Sosialisasi Pendikan Pemilih pada Pemilih pemula\tv\tv\tv\tv\tv\tv\tv\tv\tv\tv\tv\tv\t"
    "Rp. 101.570.000\tDivisi Teknis Parmas\n"
    "\n"
    "No\tSasaran Program\tIndikator Kinerja\tTarget\tKegiatan Yang Akan Dilaksanakan\t\t\t\t\tBul\tan\tPe\tela\tksa"
    "\tnaa\tan\t\t\tPerkiraan Biaya\tPelaksanaan\n"
    "(1)\t(2)\t(3)\t(4)\t(5)\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\tBiaya\t\n"
    "\tyang tinggi untuk seluruh lapisan masyarakat\t\t\t- Rapat Koordinasi dengan Stocholder CQ.6709.QGE.004"
    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n"
    "4\tPembentukan Badan Penyelenggara Adhoc Pemilu dan Pemilihan\tJumlah Badan Adhoc Pemilu dan Pemilihan yang "
    "dipersiapkan dan dibentuk\t100%\t- Rapat Koordinasi Pelaksanaan Pembentukan Badan AdHoc - Rapat Evaluasi "
    "Pelaksanaan Tahapan Pembentukan Badan AdHoc\tv\tv\t-\t-\tv\tv\t-\t-\t-\tv\tv\tv\tRp. 10.604.086.100\t"
    "Divisi Hukum dan SDM\n"
)

# The PK Sekretariat of KPU Kabupaten Balangan as copied from its PDF (seed
# lkj-pk-rkt-kab-balangan-2024.txt, lines 705-722): a sasaran per numbered or unnumbered row
# with sasaran text, further indikator in rows without it, an empty line inside.
BALANGAN_PK_TEMPEL = (
    'No.\tSasaran Strategis\tIndikator Kinerja\tTarget\n'
    '1.\tMeningkatnya Kapasitas SDM yang Berkompeten\tPersentase kesesuaian kompetensi pegawai terhadap standar kompetensi penugasannya\t100%\n'
    '2\tTerwujudnya Dukungan Sarana dan Prasarana Guna Meningkatkan Kelancaran Tugas KPU\tPersentase Tersedianya Sarana dan Prasarana untuk Memenuhi Kebutuhan Kerja Pegawai yang Berfungsi dengan Baik\t100%\n'
    '3\tMeningkatnya Akuntabilitas Keuangan dan Kinerja KPU\tNilai Evaluasi atas Akuntabilitas Kinerja\tB\n'
    '4\tTerwujudnya Data Pemilih secara Berkelanjutan\tPersentase Pemutakhiran Data Pemilih Tepat Waktu\t100%\n'
    '5\tTerwujudnya system administrasi penyelenggaraan Pemilu yang tertib, efektif dan efisien\tPersentase laporan monitoring dan evaluasi akuntabel dan tepat waktu\t80%\n'
    '\t\tPersentase target kinerja tercapai sesuai dengan perjanjian kinerja\t90%\n'
    '6\tMeningkatnya tertib administrasi dan pengelolaan sumber daya manusia\tPersentase pegawai yang mendapatkan layanan kepegawaiannya secara tepat waktu dan akurat\t97,5%\n'
    '\t\tPersentase Penegakkan Disiplin Pegawai Secara Transparan dan Akuntabel\t90%\n'
    '7\tMeningkatnya pembinaan perbendaharaan\tPersentase Pejabat Perbendaharaan yang menyelesaikan pertanggung jawaban penggunaan anggaran sesuai ketentuan\t90%\n'
    '\tTerlaksananya system akuntansi dan pelaporan keuangan\tjumlah laporan sistem akuntansi dan pelaporan keuangan\t2 Laporan\n'
    '\tTerselesaikannya permasalahan pengelolaan keuangan\tPersentase permasalahan dalam pengelolaan keuangan yang dapat diselesaikan\t90%\n'
    '\n'
    '\tTersusunnya laporan Pertanggung jawaban penggunaan anggaran\tPersentase Penyampaian Laporan Pertanggungjawaban Penggunaan Anggaran berbasis SIMONIKA yang Tepat Waktu dan Valid\t95%\n'
    '\tTerwujudnya Pengelolaan Barang Milik Negara sesuai dengan Peraturan dan Perundangan yang berlaku\tPersentase Patuh dan Tertib dalam Pengelolaan Barang Milik Negara yang Material\t98%\n'
    '\t\tJumlah Laporan Barang Milik Negara Berdasarkan SIMAK BMN yang Datanya sesuai dengan data SAK sesuai aturan kearsipan\t4 Laporan\n'
    '8\tTerwujudnya Dukungan Sarana dan Prasarana Guna Meningkatkan Kelancaran Tugas KPU Provinsi/ KPU Kabupaten/Kota\tPersentase sarana transportasi untuk mendukung kinerja pegawai yang berfungsi dengan baik\t100%\n'
    '\t\tPersentase fasilitas perkantoran untuk mendukung kinerja pegawai yang berfungsi dengan baik\t100%\n'
    '\n'
)


# -- malformed files ----------------------------------------------------------------------------

def _minimal_xlsx() -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    wb.add_worksheet("Sheet1").write(0, 0, "halo")
    wb.close()
    return out.getvalue()


def _with_member(data: bytes, name: str, body: bytes, replace: bool = True) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if replace and info.filename == name:
                continue
            dst.writestr(info, src.read(info))
        dst.writestr(name, body)
    return out.getvalue()


XML_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="&lol4;" sheetId="1" r:id="rId1"/></sheets></workbook>"""


def zip_bomb() -> bytes:
    """A worksheet part that unpacks to 40 MB of zeros (about 40 kB packed)."""
    out = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(_minimal_xlsx()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info))
        with dst.open("xl/worksheets/sheet1.xml", "w") as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(40):
                fh.write(chunk)
    return out.getvalue()


def too_many_rows(n: int = 2001) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("RAK")
    ws.write_row(0, 0, ["No", "Sasaran", "Indikator Kinerja", "Target", "Kegiatan", "Pelaksana"])
    for i in range(1, n + 1):
        ws.write_row(i, 0, [i, "Sasaran", f"Indikator {i}", "100%", "Rapat", "Subbag KUL"])
    wb.close()
    return out.getvalue()


def too_many_columns() -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("RAK")
    ws.write_row(0, 0, ["No", "Sasaran", "Indikator Kinerja", "Target"])
    ws.write(1, 120, "jauh di kanan")
    wb.close()
    return out.getvalue()


def no_table() -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("Catatan")
    ws.write(0, 0, "Daftar belanja kantor")
    ws.write_row(1, 0, ["Barang", "Jumlah", "Harga"])
    wb.close()
    return out.getvalue()


def _batu_cell(cell_xml: str, ref: str = "R9") -> bytes:
    """Kota Batu's file with one cell replaced by raw worksheet XML: values no spreadsheet
    program writes but a crafted file can carry (found by tests/test_fuzz_forms.py's hunt)."""
    data = batu_xlsx()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    start = sheet.index(f'<c r="{ref}"')
    end = sheet.index("</c>", start) + len("</c>") if sheet.index(">", start) != sheet.index("/>", start) + 1 \
        else sheet.index("/>", start) + 2
    return _with_member(data, "xl/worksheets/sheet1.xml", (sheet[:start] + cell_xml + sheet[end:]).encode())


def malformed() -> dict[str, tuple[str, bytes, str]]:
    """name -> (file name, bytes, a fragment of the expected message)."""
    good = _minimal_xlsx()
    return {
        # Cells no spreadsheet program writes (hostile-input hunt, issue 6 point 5).
        "cell_nan": ("rak.xlsx", _batu_cell('<c r="R9" t="n"><v>NaN</v></c>'), "rusak"),
        "cell_infinity": ("rak.xlsx", _batu_cell('<c r="D9"><v>INF</v></c>', "D9"), "rusak"),
        "cell_bad_date": ("rak.xlsx", _batu_cell('<c r="F9" t="d"><v>99999-13-45T99:99</v></c>', "F9"), "rusak"),
        "cell_shared_string_missing": ("rak.xlsx", _batu_cell('<c r="B9" t="s"><v>99999</v></c>', "B9"), "rusak"),
        "cell_style_missing": ("rak.xlsx", _batu_cell('<c r="R9" s="999"><v>5</v></c>'), "rusak"),
        "cell_bad_reference": ("rak.xlsx", _batu_cell('<c r="ZZZZ0"><v>5</v></c>'), "rusak"),
        "empty": ("kosong.xlsx", b"", "Berkas kosong"),
        # Text is read as CSV whatever its name (workflow.imports.buka): this one is no table.
        "text": ("rak.xlsx", b"Catatan rapat: tabelnya menyusul.\n", "tidak berbentuk tabel"),
        "pdf": ("rak.pdf", b"%PDF-1.4\n%...", "salin tabelnya lalu tempel"),
        "xls": ("rak.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "Excel 97-2003"),
        "truncated": ("rak.xlsx", good[: len(good) // 2], "rusak"),
        "zip_not_xlsx": ("rak.xlsx", _zip_of({"catatan.txt": b"bukan excel"}), "bukan buku kerja Excel"),
        "corrupt_part": ("rak.xlsx", _with_member(good, "xl/workbook.xml", b"<workbook><sheets>"), "rusak"),
        "zip_bomb": ("bom.xlsx", zip_bomb(), "bom zip"),
        "xml_bomb": ("bom.xlsx", _with_member(good, "xl/workbook.xml", XML_BOMB), "bom XML"),
        "macro_part": ("rak.xlsx", _with_member(good, "xl/vbaProject.bin", b"\0VBA", replace=False), "makro"),
        "macro_name": ("rak.xlsm", good, "makro"),
        "too_big": ("besar.xlsx", b"PK" + b"\0" * (5 * 1024 * 1024), "terlalu besar"),
        "too_many_rows": ("panjang.xlsx", too_many_rows(), "lebih dari 2000 baris"),
        "too_many_columns": ("lebar.xlsx", too_many_columns(), "lebih dari 80 kolom"),
        "no_table": ("lain.xlsx", no_table(), "Tabel tidak ditemukan"),
    }


def _zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


# -- the exported layout, when webapp.exports is not there ---------------------------------------

def ekspor_tata_letak(dokumen, revisi=None) -> bytes:
    """A file in the exported layout (workflow.sheet_layout), written here with xlsxwriter;
    the tests use the real exporter (webapp.exports) when it is installed."""
    from workflow.dokumen.models import Bentuk
    from workflow.dokumen.operations import pilihan_pelaksana
    from workflow.schedule import BentukJadwal

    revisi = revisi or dokumen.revisi_aktif
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(dokumen.jenis.label)
    ws.write_string(0, 0, dokumen.judul.upper())
    ws.write_string(1, 0, f"NAMA/UNIT ORGANISASI : {dokumen.satker.nama.upper()}")
    ws.write_string(2, 0, f"TAHUN ANGGARAN : {dokumen.tahun}")
    h = L.HEADER_ROW - 1
    rp = wb.add_format({"num_format": L.RUPIAH_FORMAT})

    def target(row, col, obj):
        if not obj.target_lengkap():
            return
        if obj.jenis_target.value == "persen":
            ws.write_number(row, col, float(obj.target_nilai), wb.add_format({"num_format": "0.####" + L.TARGET_PERSEN_SUFFIX}))
        else:
            ws.write_string(row, col, obj.target)

    if dokumen.jenis.bentuk is Bentuk.RAK:
        bentuk = BentukJadwal(revisi.bentuk_jadwal or BentukJadwal.BULAN)
        before = len(L.RAK_BEFORE_SCHEDULE)
        s1 = before + len(bentuk.kolom) - 1
        for col, (_k, label) in enumerate(L.RAK_BEFORE_SCHEDULE):
            ws.merge_range(h, col, h + 1, col, label)
        ws.merge_range(h, before, h, s1, L.RAK_SCHEDULE_HEADERS[bentuk.value])
        for i, label in enumerate(bentuk.kolom):
            ws.write_string(h + 1, before + i, label)
        ws.merge_range(h, s1 + 1, h + 1, s1 + 1, L.RAK_AFTER_SCHEDULE[0][1])
        ws.merge_range(h, s1 + 2, h + 1, s1 + 2, L.RAK_AFTER_SCHEDULE[1][1])
        ws.write_string(h, s1 + 3, L.KUNCI_HEADER)
        for col in range(before):
            ws.write_string(L.RAK_NUMBER_ROW - 1, col, f"({col + 1})")
        labels = dict(pilihan_pelaksana(dokumen.jenis))
        row = L.RAK_DATA_ROW - 1
        for no, b in enumerate(revisi.baris, start=1):
            ws.write_number(row, 0, no)
            ws.write_string(row, 1, b.sasaran or "")
            ws.write_string(row, 2, b.indikator)
            target(row, 3, b)
            ws.write_string(row, 4, "\n".join(f"- {k.uraian}" for k in b.kegiatan))
            ws.write_string(row, 5, b.kode_output or "")
            for i, on in enumerate(schedule.sel(b.jadwal, bentuk)):
                ws.write_string(row, before + i, "v" if on else L.UNMARKED)
            if b.biaya is not None:
                ws.write_number(row, s1 + 1, b.biaya, rp)
            ws.write_string(row, s1 + 2, labels.get(b.pelaksana or "", ""))
            ws.write_string(row, s1 + 3, b.kunci)
            row += 1
        ws.merge_range(row, 0, row, s1, L.TOTAL_LABEL)
        ws.write_number(row, s1 + 1, revisi.total_biaya, rp)
        ws.set_column(s1 + 3, s1 + 3, None, None, {"hidden": True})
    else:
        for col, (_k, label) in enumerate(L.PK_COLUMNS):
            ws.write_string(h, col, label)
        for i, name in enumerate(L.PK_HIDDEN):
            ws.write_string(h, len(L.PK_COLUMNS) + i, name)
        for col in range(len(L.PK_COLUMNS)):
            ws.write_string(L.PK_NUMBER_ROW - 1, col, f"({col + 1})")
        row = L.PK_DATA_ROW - 1
        tujuan = None
        for no, s in enumerate(revisi.sasaran, start=1):
            if s.tujuan != tujuan:
                ws.merge_range(row, 1, row, 3, s.tujuan or "")
                ws.write_string(row, 4, L.TUJUAN_MARK)
                tujuan, row = s.tujuan, row + 1
            first = row
            for ind in s.indikator or [None]:
                if ind is not None:
                    ws.write_string(row, 2, ind.uraian)
                    target(row, 3, ind)
                    ws.write_string(row, 5, ind.kunci)
                ws.write_string(row, 4, s.kunci)
                row += 1
            if row - 1 > first:
                ws.merge_range(first, 1, row - 1, 1, s.uraian)
            else:
                ws.write_string(first, 1, s.uraian)
            ws.write_number(first, 0, no)
        if dokumen.jenis.value in L.PROGRAM_KINDS:
            row += 1
            for col, (_k, label) in enumerate(L.PROGRAM_COLUMNS):
                ws.write_string(row, col, label)
            for no, p in enumerate(revisi.program, start=1):
                row += 1
                ws.write_row(row, 0, [no, p.kode, p.nama])
                ws.write_number(row, 3, p.anggaran, rp)
            row += 1
            ws.merge_range(row, 0, row, 2, L.TOTAL_LABEL)
            ws.write_number(row, 3, revisi.total_program, rp)
    meta = wb.add_worksheet(L.META_SHEET)
    values = {"format": L.FORMAT, "dokumen_id": dokumen.id, "satker": dokumen.satker.kode, "tahun": dokumen.tahun,
              "jenis": dokumen.jenis.value, "revisi": revisi.nomor, "versi": dokumen.versi,
              "hash_isi": revisi.hash_isi or "", "bentuk_jadwal": revisi.bentuk_jadwal.value if revisi.bentuk_jadwal else "",
              "diekspor_pada": ""}
    for r, key in enumerate(L.META_KEYS):
        ws_value = values[key]
        meta.write_string(r, 0, key)
        if isinstance(ws_value, int):
            meta.write_number(r, 1, ws_value)
        else:
            meta.write_string(r, 1, ws_value)
    meta.hide()
    wb.close()
    return out.getvalue()


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "import-corpus")
    target.mkdir(parents=True, exist_ok=True)
    files = {"batu.xlsx": batu_xlsx(), "kubu-raya.xlsx": kubu_raya_xlsx(), "triwulan.xlsx": quarterly_xlsx(),
             "minggu.xlsx": weeks_xlsx(), "batu-tempel.txt": BATU_TEMPEL.encode()}
    for key, (name, data, _msg) in malformed().items():
        files[f"rusak-{key}-{name}"] = data
    for name, data in files.items():
        (target / name).write_bytes(data)
    print(f"{len(files)} berkas ditulis ke {target}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
