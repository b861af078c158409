"""Bringing a RAK, PK or RKT back in: from an .xlsx, .ods or .csv (exported by this software
or laid out the way an office lays it out) or from a table pasted as text.

Always in two steps:

1. ``baca_berkas`` / ``baca_teks`` read the table (``TabelImpor``: rows and problems,
   each with its row, column and an Indonesian message), and ``rencana`` compares it
   with the current draft: the dry run (``Rencana``), which reads and never writes;
2. ``terapkan`` applies exactly that plan through ``workflow.dokumen.operations`` in the
   caller's transaction: all or nothing (the caller commits, or rolls back on any
   ``WorkflowError``). A plan made on another version of the document is a ``Konflik``.

Modules: ``buka`` (which reader opens a file, by its content), ``berkas`` (limits, the
.xlsx checks, pasted text), ``ods`` (.ods), ``teks_csv`` (.csv), ``sel`` (one cell: rupiah,
targets, schedule marks, kegiatan, pelaksana), ``tabel`` (finding the header row and
reading rows), ``pratinjau`` (matching rows to the draft, the dry run, applying). The
matching rule is in ``workflow.imports.pratinjau``'s docstring.
"""
from __future__ import annotations

from workflow.dokumen.models import JenisDokumen
from workflow.imports.berkas import MAX_BARIS, MAX_BYTES, MAX_KOLOM, BerkasDitolak, baca_tempel
from workflow.imports.buka import DITERIMA, buka_berkas
from workflow.imports.pratinjau import Perubahan, Rencana, rencana, terapkan, terapkan_baru
from workflow.imports.sel import TANDA, TANPA_TANDA
from workflow.imports.tabel import (PILIHAN, KolomTerbuka, Masalah, TabelImpor, adalah_judul, baca_tabel, nama_pilihan,
                                    pilihan_sah)
from workflow.imports.tata_teks import baca_tata_letak


def baca_berkas(data: bytes, nama: str | None, jenis: JenisDokumen, pilihan: dict[int, str] | None = None
                ) -> TabelImpor:
    """The table of ``jenis`` in an uploaded .xlsx, .ods or .csv (told apart by content);
    raises ``BerkasDitolak`` for a file that is not read at all (too big, another format
    such as .xls or PDF, corrupt, a zip or XML bomb, macros), saying what to do instead.
    ``pilihan``: what the user said its columns without heading are (0-based -> field)."""
    return baca_tabel(buka_berkas(data, nama), jenis, pilihan)


def baca_teks(text: str, jenis: JenisDokumen, pilihan: dict[int, str] | None = None) -> TabelImpor:
    """The table of ``jenis`` in text pasted from Word, a PDF or Excel: tab-separated, or
    a PDF's text with its columns kept by spaces (workflow.imports.tata_teks)."""
    if "\t" not in text:
        return baca_tabel(baca_tata_letak(text, adalah_judul(jenis.bentuk)), jenis, pilihan)
    return baca_tabel(baca_tempel(text), jenis, pilihan)


__all__ = [
    "DITERIMA", "MAX_BARIS", "MAX_BYTES", "MAX_KOLOM", "PILIHAN", "TANDA", "TANPA_TANDA", "BerkasDitolak", "KolomTerbuka",
    "Masalah", "Perubahan", "Rencana", "TabelImpor", "baca_berkas", "baca_teks", "nama_pilihan", "pilihan_sah",
    "rencana", "terapkan", "terapkan_baru",
]
