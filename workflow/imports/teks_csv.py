"""Opening a CSV file (Excel's or LibreOffice's "Save As CSV") as a one-sheet ``Buku``.

The separator is sniffed: comma, semicolon (Excel in an Indonesian locale, where the
comma is the decimal sign) or tab, whichever splits the first hundred records into the
most rows of one width. The encoding is decided, not guessed: a byte-order mark says
UTF-8 or UTF-16; otherwise strict UTF-8, and only a file that is not valid UTF-8 is read
as Windows-1252 (what Excel writes for "CSV (Comma delimited)" on an Indonesian Windows).
A file that is neither is refused. A cell that reads as mojibake (UTF-8 read as
Windows-1252 and saved again: ``Ã©`` for ``é``, ``â€“`` for ``–``) or holds the
replacement character is refused with its row and column, never read as it stands.

Rows are numbered as the file's lines (a quoted cell over several lines: the row's first
line) and pulled as the table reader asks for them, with the limits of a sheet
(``MAX_BARIS_LEMBAR``, ``MAX_KOLOM``, ``MAX_SEL``). Cells stay text: amounts
(``20.999.655.000``, ``Rp 1.500.000``) and targets (``97,5``) are read by the cell
readers (workflow.imports.sel) as they read an office's text cells.
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from itertools import islice

from openpyxl.utils import get_column_letter

from tenants.teks import _
from workflow.imports.berkas import (MAX_KOLOM, SIMPAN_ULANG, BarisBertahap, BarisLembar, BatasLembar, BerkasDitolak,
                                     Buku, Lembar, tolak_lebar)

_PEMISAH = (";", "\t", ",")                # on a tie, the first: a comma is also the decimal sign
_CONTOH = 64 * 1024                       # characters looked at to choose the separator
_CURIGA = re.compile("[\u00c2-\u00c5\u00e2\u00ef\ufffd]")   # how mojibake of UTF-8 begins (Â, Ã, â, ï)


def baca_csv(data: bytes, nama: str | None) -> Buku:
    """The rows of a CSV file as the only sheet of a ``Buku``."""
    text = _dekode(data)
    if "\x00" in text:
        raise BerkasDitolak(_("Berkas ini bukan tabel CSV (berisi data biner). %(saran)s", saran=_(SIMPAN_ULANG)))
    pemisah = _pemisah(text)
    return Buku(lembar=[Lembar(nama or "CSV", BarisBertahap(_baris(text, pemisah, nama or "CSV")))])


def _dekode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise BerkasDitolak(_("Huruf-huruf berkas CSV ini tidak dapat dibaca (bukan UTF-8 atau Windows-1252). Simpan "
                              "ulang sebagai \"CSV UTF-8\" dari Excel/LibreOffice (File > Save As), lalu unggah "
                              "lagi.")) from None


def _pemisah(text: str) -> str:
    """The separator that gives the most records of one width (more than one cell)."""
    best, score = ",", (0, 0)
    for pemisah in _PEMISAH:
        reader = csv.reader(io.StringIO(text[:_CONTOH]), delimiter=pemisah, strict=False)
        try:
            widths = Counter(len(r) for r in islice(reader, 100) if len(r) > 1)
        except csv.Error:
            continue
        if widths:
            width, rows = widths.most_common(1)[0]
            if (rows, width) > score:
                best, score = pemisah, (rows, width)
    if score == (0, 0):
        raise BerkasDitolak(_("Berkas ini tidak berbentuk tabel: tidak ada pemisah kolom (koma, titik koma atau tab). "
                              "%(saran)s", saran=_(SIMPAN_ULANG)))
    return best


def _baris(text: str, pemisah: str, nama: str) -> Iterator[BarisLembar]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=pemisah, quotechar='"', strict=False)
    batas = BatasLembar(nama)
    last = 0
    try:
        for values in reader:
            nomor, last = last + 1, reader.line_num
            batas.baris(nomor)
            cells = [v.strip() or None for v in values]
            while cells and cells[-1] is None:
                cells.pop()
            if len(cells) > MAX_KOLOM:
                tolak_lebar(nama)
            batas.sel(cells)
            _periksa_huruf(cells, nomor)
            yield BarisLembar(nomor, cells, [None] * len(cells))
    except csv.Error:
        raise BerkasDitolak(_("Berkas CSV rusak di sekitar baris %(no)s: %(saran)s", no=last + 1,
                              saran=_(SIMPAN_ULANG))) from None


def _periksa_huruf(cells: list[str | None], nomor: int) -> None:
    """Refuse a cell whose letters were garbled by a wrong encoding on the way."""
    for col, cell in enumerate(cells):
        if cell is None or cell.isascii() or not _CURIGA.search(cell):
            continue
        if "\ufffd" in cell or _mojibake(cell):
            raise BerkasDitolak(_(
                "Baris %(no)s, kolom %(kolom)s: teks '%(nilai)s' hurufnya rusak karena salah pengodean (mis. 'Ã©' untuk "
                "'é'). Simpan ulang sebagai \"CSV UTF-8\" dari Excel/LibreOffice (File > Save As), lalu unggah lagi.",
                no=nomor, kolom=get_column_letter(col + 1), nilai=cell[:60]))


def _mojibake(cell: str) -> bool:
    """UTF-8 bytes that were read as Windows-1252: encoded back, they are valid UTF-8."""
    try:
        fixed = cell.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return fixed != cell


__all__ = ["baca_csv"]
