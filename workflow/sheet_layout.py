"""The spreadsheet layout shared by the Excel export and the Excel import.

An exported file must come back in unchanged, so both sides read their columns,
header rows and metadata from here. The visible part follows the offices' own tables
(seeds: rak-kota-batu-2024.txt, lkj-pk-rkt-kab-balangan-2024.txt); what the software
needs to recognise a file (document, revision, row keys) sits in a hidden column and a
hidden sheet, so a planner editing the visible cells never meets it.
"""
from __future__ import annotations

from workflow.dokumen.jenis import Bentuk, berbentuk

FORMAT = "sakip-kpu/1"

# Hidden sheet with one "key | value" pair per row, from A1 down.
META_SHEET = "_sakip"
META_KEYS = (
    "format",         # FORMAT
    "dokumen_id",     # Dokumen.id
    "satker",         # Satker.kode, e.g. "35.79"
    "tahun",          # 2024
    "jenis",          # JenisDokumen value, e.g. "rak_sekretariat"
    "revisi",         # Revisi.nomor the file was exported from
    "versi",          # Dokumen.versi at export time
    "hash_isi",       # Revisi.hash_isi when locked, else ""
    "bentuk_jadwal",  # BentukJadwal value of the revision (RAK only)
    "diekspor_pada",  # ISO timestamp (UTC)
)

# Title block: rows 1..TITLE_ROWS (1-based). Row 1 the title in capitals, e.g.
# "RENCANA AKSI KINERJA SEKRETARIAT KPU KOTA BATU TAHUN 2024"; then
# "NAMA/UNIT ORGANISASI : KPU KOTA BATU" and "TAHUN ANGGARAN : 2024"; one empty row.
TITLE_ROWS = 4
HEADER_ROW = TITLE_ROWS + 1  # first header row (1-based); RAK headers take two rows, then a numbering row

# RAK columns, left to right. The schedule block sits between "kode_output" and
# "biaya" and has one column per cell of the revision's shape (12 months "1".."12",
# 4 quarters "TW1".."TW4", or 48 weeks "1.1".."12.4", see workflow.schedule). A marked
# cell holds "v" (import also reads "V", "√", "✓", "x", "X", "1"); unmarked is empty or "-".
RAK_BEFORE_SCHEDULE = (
    ("no", "No"),
    ("sasaran", "Sasaran Program"),
    ("indikator", "Indikator Kinerja"),
    ("target", "Target"),
    ("kegiatan", "Kegiatan Yang Akan Dilaksanakan"),  # one kegiatan per line, each "- " bulleted
    ("kode_output", "Kode Output"),
)
RAK_SCHEDULE_HEADER = "Bulan Pelaksanaan"  # merged over the schedule block ("Triwulan", "Minggu" for other shapes)
RAK_AFTER_SCHEDULE = (
    ("biaya", "Perkiraan Biaya"),  # a number with format '"Rp "#,##0'
    ("pelaksana", "Pelaksana"),    # the unit's label, e.g. "Subbagian Keuangan, Umum dan Logistik"
)
KUNCI_HEADER = "kunci"  # the last column, hidden: RakBaris.kunci / Indikator.kunci, empty for a new row

# PK and RKT: one row per indikator; a sasaran's cells are merged down over its indikator.
PK_COLUMNS = (
    ("no", "NO"),
    ("sasaran", "SASARAN STRATEGIS"),
    ("indikator", "INDIKATOR KINERJA"),
    ("target", "TARGET"),
)
# Hidden columns after the visible ones: the sasaran's kunci, then the indikator's kunci.
PK_HIDDEN = ("kunci_sasaran", "kunci")

# Below the PK table, after one empty row: the programs.
PROGRAM_COLUMNS = (("no", "No"), ("kode", "Kode"), ("nama", "Program"), ("anggaran", "Anggaran"))

MARKS = frozenset({"v", "V", "√", "✓", "✔", "x", "X", "1"})

# --- Appended for the Excel export (issue 5 point 1); nothing above was changed. ---

# Rows (1-based) of the tables. RAK: the headers take HEADER_ROW and HEADER_ROW + 1 (the
# schedule's cells "1".."12" / "TW1".."TW4" / "1.1".."12.4" are text on the second; every
# other header is merged down over both rows); then the numbering row "(1)", "(2)" ... with
# the schedule block numbered once, merged over its columns; then the data.
RAK_NUMBER_ROW = HEADER_ROW + 2
RAK_DATA_ROW = HEADER_ROW + 3
# The header merged over the schedule block, by BentukJadwal value.
RAK_SCHEDULE_HEADERS = {"bulan": RAK_SCHEDULE_HEADER, "triwulan": "Triwulan", "minggu": "Minggu"}
UNMARKED = "-"  # what the export writes in an unmarked schedule cell

# PK and RKT: one header row (PK_COLUMNS, then the PK_HIDDEN names), the numbering row,
# then one row per indikator. A sasaran without indikator takes one row with empty
# indikator and target. When a sasaran's tujuan differs from the previous sasaran's, a
# heading row comes first: the tujuan's text in the "sasaran" column (merged over
# sasaran..target), "no" empty, and TUJUAN_MARK in the hidden "kunci_sasaran" column (a
# heading with empty text when the sasaran after a tujuan have none).
PK_NUMBER_ROW = HEADER_ROW + 1
PK_DATA_ROW = HEADER_ROW + 2
TUJUAN_MARK = "tujuan"
# The PK table ends at the first row whose visible cells are all empty. Only the PKs carry
# the programs table (one empty row below the PK table: a header row of PROGRAM_COLUMNS,
# one row per program, then the totals row), and only when they have programs: like the
# PDF, a PK without programs has no table (an empty one printed "Jumlah Rp 0"); a file
# without the table leaves the draft's programs as they are.
PROGRAM_KINDS = tuple(j.value for j in berbentuk(Bentuk.PK))

# A table's totals row: TOTAL_LABEL in the first column (RAK: merged from "no" to the
# last schedule column, the total under "biaya"; programs: merged over no..nama, the total
# under "anggaran"). Totals are values computed by the software, never formulas; the
# import ignores them. Below the last table, after one empty row, the signature block.
TOTAL_LABEL = "Jumlah"

# Amounts (biaya, anggaran): whole rupiah as numbers with this number format.
RUPIAH_FORMAT = '"Rp "#,##0'

# Targets (the "target" column of PK, RKT and RAK, and the recap's cells):
# - persen: the number as the office writes it, NOT a fraction: 97.5 for "97,5%", 100 for
#   "100%", 0.16 for "0.16%"; number format TARGET_PERSEN_SUFFIX appended to "0" with as
#   many decimals as the value has: '0"%"', '0.0"%"', '0.00"%"'. The "%" is a quoted
#   literal, so Excel does not multiply by 100.
# - angka: the number with format "#,##0" (plus ".0", ".00" ... as the value needs),
#   followed by ' "<satuan>"' when it has a unit: '#,##0" Laporan"' shows 2 as "2 Laporan".
#   A unit containing '"' or '\' is written as text instead, as workflow.target writes it.
# - predikat, opini: the code as text ("BB", "WTP"); an incomplete target: empty cell.
# Reading back: a number whose format ends with TARGET_PERSEN_SUFFIX is persen; a number
# whose format has an unquoted "%" was typed by a planner as "90%" (Excel stored 0.9):
# multiply by 100; any other number is angka, its unit the quoted text of the format;
# text goes through workflow.target.baca_target. Convert numbers via repr (0.16, not
# 0.1599...). The polarity is not in the file: keep the row's (kunci) or default "naik".
TARGET_PERSEN_SUFFIX = '"%"'

# META_SHEET values: integers for dokumen_id, tahun, revisi and versi; text otherwise
# (empty text for what does not apply). A province / national recap has jenis JENIS_REKAP,
# dokumen_id, revisi, versi, hash_isi and bentuk_jadwal empty; it is not imported.
JENIS_REKAP = "rekap"
