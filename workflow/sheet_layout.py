"""The spreadsheet layout shared by the Excel export and the Excel import.

An exported file must come back in unchanged, so both sides read their columns,
header rows and metadata from here. The visible part follows the offices' own tables
(seeds: rak-kota-batu-2024.txt, lkj-pk-rkt-kab-balangan-2024.txt); what the software
needs to recognise a file (document, revision, row keys) sits in a hidden column and a
hidden sheet, so a planner editing the visible cells never meets it.
"""
from __future__ import annotations

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
