"""The layout constants the import reads: ``workflow.sheet_layout``, the one contract with
the Excel export. The rows, marks and labels the export appended to it are read here with
their values as defaults, so the import reads the same files on a checkout where that
part of the contract has not landed yet; once it has, these are exactly its values."""
from __future__ import annotations

from workflow import sheet_layout as _L
from workflow.sheet_layout import *  # noqa: F401,F403 - the contract itself


def _c(name: str, default):
    return getattr(_L, name, default)


RAK_NUMBER_ROW = _c("RAK_NUMBER_ROW", _L.HEADER_ROW + 2)
RAK_DATA_ROW = _c("RAK_DATA_ROW", _L.HEADER_ROW + 3)
RAK_SCHEDULE_HEADERS = _c("RAK_SCHEDULE_HEADERS", {"bulan": _L.RAK_SCHEDULE_HEADER, "triwulan": "Triwulan",
                                                   "minggu": "Minggu"})
UNMARKED = _c("UNMARKED", "-")
PK_NUMBER_ROW = _c("PK_NUMBER_ROW", _L.HEADER_ROW + 1)
PK_DATA_ROW = _c("PK_DATA_ROW", _L.HEADER_ROW + 2)
TUJUAN_MARK = _c("TUJUAN_MARK", "tujuan")
PROGRAM_KINDS = _c("PROGRAM_KINDS", ("pk_komisi", "pk_sekretariat"))
TOTAL_LABEL = _c("TOTAL_LABEL", "Jumlah")
RUPIAH_FORMAT = _c("RUPIAH_FORMAT", '"Rp "#,##0')
TARGET_PERSEN_SUFFIX = _c("TARGET_PERSEN_SUFFIX", '"%"')
JENIS_REKAP = _c("JENIS_REKAP", "rekap")
