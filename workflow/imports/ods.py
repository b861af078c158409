"""Opening an OpenDocument spreadsheet (.ods, LibreOffice Calc) as a ``Buku``, the way an
.xlsx is opened (workflow.imports.berkas), with the same limits.

No reader library is used: ``content.xml`` is read here, row by row, by defusedxml's
``iterparse`` (expat, DTDs and entities refused). The readers on PyPI were weighed
(README, "Impor"): odfpy (last release 2020) and ezodf/pyexcel-ods (2015-2020) build the
whole document in memory; python-calamine is well kept, but expands every repeated cell
before anyone can bound it and drops what the cell readers need (a ``percentage`` cell
arrives as 0.975, a ``12 "Laporan"`` number as 12). The table model is small: rows of
cells, each with ``number-columns-repeated`` / ``number-rows-repeated`` and spans.

Before anything is read, the archive gets the .xlsx's checks (``berkas.buka_arsip``: size,
members, ratio, encryption flag; every XML part scanned for a DTD or entity) plus the
OpenDocument ones: encryption declared in the manifest, macros (``Basic/``/``Scripts/``
members, script entries in the manifest, scripts or event listeners in the content).

Repeats are the .ods's own bomb: a cell repeated 16 384 times in a row repeated 1 048 576
times is a few bytes. Nothing is expanded before it is bounded: a first pass only counts
(each sheet's name, whether it is shown, its last row with a value, the ``_sakip``
metadata sheet); a sheet's rows are then read as the table reader asks for them, empty
rows past the last filled one never made, a value beyond ``MAX_KOLOM`` or a row beyond
``MAX_BARIS_LEMBAR`` refused, and no more than ``MAX_SEL`` filled cells.

A cell keeps its type as the cell readers (workflow.imports.sel) expect an .xlsx cell: a
``percentage`` cell holds 0.975 with the format ``0%``; a number shown with a suffix
(``12 Laporan``, ``97,5 %``) gets the format ``0 "Laporan"`` / ``0"%"``; dates are dates.
"""
from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from tenants.teks import N_, _
from workflow import sheet_layout
from workflow.imports.berkas import (_BOM_XML, MAX_KOLOM, MAX_LEMBAR, BarisBertahap, BarisLembar, BatasLembar,
                                     BerkasDitolak, Buku, Gabungan, Lembar, baca_bagian_xml, buka_arsip, teks,
                                     tolak_lebar)

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_NUMBER = "{urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0}"
_ROW, _CELL, _COVERED, _SHEET = _TABLE + "table-row", _TABLE + "table-cell", _TABLE + "covered-table-cell", \
    _TABLE + "table"
_SCRIPT = re.compile(rb"<(?:\w+:)?(?:script|event-listener)\b")
_MAX_ULANG = 10**9          # a repeat count past any sheet (1 048 576 rows): corrupt, not big
_MAX_DALAM = 64             # nesting of spans inside a cell's paragraph
_MAX_UNSUR = 20_000         # elements in one row (LibreOffice writes at most 16 384 cells, runs merged)

_RUSAK = N_("Berkas rusak: isi lembar kerja .ods-nya tidak dapat dibaca. Simpan ulang dari LibreOffice lalu unggah lagi.")
_MAKRO = N_("Berkas berisi makro ditolak: simpan dari LibreOffice sebagai .ods tanpa makro (atau sebagai .xlsx), "
            "lalu unggah lagi.")


@dataclass
class _Lembar:
    nama: str
    tampil: bool
    akhir: int = 0                                    # last row with a value (0: none)


@dataclass
class _Peta:
    """What the first pass learnt: the sheets, the metadata, the cells' number formats."""

    lembar: list[_Lembar] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    angka: dict[str, str | None] = field(default_factory=dict)       # number style -> Excel-like format
    gaya_sel: dict[str, str] = field(default_factory=dict)           # cell style -> its number style
    tersembunyi: set[str] = field(default_factory=set)               # table styles that hide a sheet

    @property
    def format(self) -> dict[str, str | None]:
        """Cell style -> the Excel-like number format of its cells."""
        return {cell: self.angka.get(number) for cell, number in self.gaya_sel.items()}


def baca_ods(data: bytes) -> Buku:
    """The visible sheets and the ``_sakip`` metadata of a checked .ods, the sheets' rows
    read as they are used (the caller closes it: ``Buku.tutup``)."""
    archive = _periksa(data)
    try:
        peta = _petakan(archive)
        shown = [(i, s) for i, s in enumerate(peta.lembar) if s.tampil and s.nama != sheet_layout.META_SHEET]
        buku = Buku(lembar=[], meta=peta.meta, tutup=archive.close)
        formats = peta.format
        for index, sheet in shown:
            rows = BarisBertahap(_baris(archive, index, sheet, formats))
            buku.lembar.append(Lembar(sheet.nama, rows))
        return buku
    except BaseException:
        archive.close()
        raise


# -- the archive ------------------------------------------------------------------------------

def _periksa(data: bytes) -> zipfile.ZipFile:
    archive, infos = buka_arsip(data, _(_RUSAK))
    try:
        names = {i.filename for i in infos}
        if "content.xml" not in names:
            raise BerkasDitolak(_(_RUSAK))
        if any(n.startswith(("Basic/", "Scripts/")) or "/Basic/" in n or "/Scripts/" in n for n in names):
            raise BerkasDitolak(_(_MAKRO))
        for info in infos:
            if not info.filename.lower().endswith(".xml"):
                continue
            body = baca_bagian_xml(archive, info)
            if info.filename == "META-INF/manifest.xml":
                if b"encryption-data" in body:
                    raise BerkasDitolak(_("Berkas .ods terkunci dengan kata sandi tidak dapat dibaca: simpan tanpa kata "
                                          "sandi lalu unggah lagi."))
                if re.search(rb'media-type="[^"]*(?:script|basic)', body, re.IGNORECASE):
                    raise BerkasDitolak(_(_MAKRO))
            elif _SCRIPT.search(body):
                raise BerkasDitolak(_(_MAKRO))
        return archive
    except BerkasDitolak:
        archive.close()
        raise
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
        archive.close()
        raise BerkasDitolak(_(_RUSAK)) from None


def _rows(archive: zipfile.ZipFile, part: str = "content.xml") -> Iterator[tuple[int, Element]]:
    """(sheet index, row element) for each row of each sheet, streamed: each row is dropped
    from the tree once seen, so memory holds one row at a time."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    stack: list[Element] = []
    depth, index = 0, -1
    try:
        with archive.open(part) as stream:
            for event, elem in iterparse(stream, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    stack.append(elem)
                    if elem.tag == _SHEET:
                        depth += 1
                        index += depth == 1
                    continue
                stack.pop()
                if elem.tag == _SHEET:
                    depth -= 1
                elif elem.tag == _ROW and depth == 1:
                    yield index, elem
                else:
                    continue
                if stack:
                    stack[-1].remove(elem)
    except DefusedXmlException:
        raise BerkasDitolak(_(_BOM_XML)) from None
    except (ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError, RecursionError):
        raise BerkasDitolak(_(_RUSAK)) from None


def _petakan(archive: zipfile.ZipFile) -> _Peta:
    """The first pass, with expat and no tree: sheets, metadata and number formats, each
    sheet's rows counted (repeats as numbers) without making any."""
    peta = _Peta()
    for part in ("styles.xml", "content.xml"):
        if part in archive.namelist():
            _Pemindai(peta).baca(archive, part)
    return peta


class _Pemindai:
    """Expat handlers for the first pass (a 20 000-row sheet costs a fraction of building its tree)."""

    def __init__(self, peta: _Peta) -> None:
        self.peta = peta
        self.sheet: _Lembar | None = None
        self.depth = self.nomor = self.ulang = 0
        self.berisi = False
        self.meta: list[str] | None = None          # the metadata row's cells, in the _sakip sheet
        self.angka: tuple[str, bool, list[str]] | None = None   # number style: name, number seen, texts after it
        self.teks: list[str] | None = None           # where character data goes
        self.gaya_tabel: str | None = None           # the table style being read
        self.unsur = 0                               # elements in the current row

    def baca(self, archive: zipfile.ZipFile, part: str) -> None:
        from xml.parsers import expat

        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _tolak_dtd
        parser.StartElementHandler, parser.EndElementHandler = self.mulai, self.selesai
        parser.CharacterDataHandler = self.data
        try:
            with archive.open(part) as stream:
                parser.ParseFile(stream)
        except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError, ValueError):
            raise BerkasDitolak(_(_RUSAK)) from None

    def mulai(self, name: str, attrs: dict[str, str]) -> None:
        tag = "{" + name
        self.unsur += 1
        if self.unsur > _MAX_UNSUR and self.depth:
            # The second pass builds one row's tree at a time: a row of a million empty cells
            # (or spans) written out one by one would be a million elements.
            raise BerkasDitolak(_("Lembar '%(lembar)s' memuat baris yang terlalu rumit (lebih dari %(maks)s unsur); "
                                  "bukan tabel RAK, PK atau RKT.", lembar=self.sheet.nama if self.sheet else "",
                                  maks=_MAX_UNSUR))
        if tag == _SHEET:
            self.depth += 1
            if self.depth == 1:
                if len(self.peta.lembar) >= MAX_LEMBAR:
                    raise BerkasDitolak(_("Buku kerja berisi lebih dari %(maks)s lembar.", maks=MAX_LEMBAR))
                style = attrs.get(_TABLE[1:] + "style-name")
                self.sheet = _Lembar(attrs.get(_TABLE[1:] + "name", ""), style not in self.peta.tersembunyi)
                self.peta.lembar.append(self.sheet)
                self.nomor = 0
        elif self.depth == 1 and tag == _ROW:
            self.ulang, self.berisi = _angka_ulang(attrs.get(_TABLE[1:] + "number-rows-repeated")), False
            self.unsur = 0
            if self.sheet is not None and self.sheet.nama == sheet_layout.META_SHEET and self.nomor < 200:
                self.meta = []
        elif self.depth == 1 and tag == _CELL:
            if attrs.get(_OFFICE[1:] + "value-type"):
                self.berisi = True
            if self.meta is not None:
                self.meta.append(attrs.get(_OFFICE[1:] + "value", ""))
                self.teks = [] if not self.meta[-1] else None
        elif self.depth == 1 and tag in (_TEXT + "p", _TEXT + "h"):
            self.berisi = True
        elif self.depth == 0:
            self._gaya(tag, attrs)

    def selesai(self, name: str) -> None:
        tag = "{" + name
        if tag == _SHEET:
            self.depth -= 1
        elif self.depth == 1 and tag == _ROW:
            if self.berisi and self.sheet is not None:
                self.sheet.akhir = self.nomor + self.ulang
                if self.meta and self.meta[0].strip():
                    value = self.meta[1] if len(self.meta) > 1 else ""
                    self.peta.meta[teks(self.meta[0])] = teks(_angka_teks(value))
            self.nomor += self.ulang
            self.meta = self.teks = None
        elif self.depth == 1 and tag == _CELL and self.meta is not None and self.teks is not None:
            self.meta[-1] = "".join(self.teks)
            self.teks = None
        elif self.depth == 0 and tag == _NUMBER + "text":
            self.teks = None
        elif self.depth == 0 and self.angka is not None and tag in _GAYA_ANGKA:
            name_, _seen, texts = self.angka
            self.peta.angka[name_] = "0%" if tag.endswith("percentage-style") else _akhiran("".join(texts))
            self.angka = self.teks = None

    def data(self, text: str) -> None:
        if self.teks is not None:
            self.teks.append(text)

    def _gaya(self, tag: str, attrs: dict[str, str]) -> None:
        """Number styles as the Excel-like format the cell readers know, the cell styles that
        use them, and the table styles that hide a sheet."""
        if tag in _GAYA_ANGKA:
            self.angka = (attrs.get(_STYLE[1:] + "name", ""), False, [])
        elif self.angka is not None and tag in (_NUMBER + "number", _NUMBER + "scientific-number",
                                                 _NUMBER + "fraction"):
            self.angka = (self.angka[0], True, self.angka[2])
        elif self.angka is not None and tag == _NUMBER + "text":
            self.teks = self.angka[2] if self.angka[1] else None
        elif tag == _STYLE + "style":
            name, family = attrs.get(_STYLE[1:] + "name", ""), attrs.get(_STYLE[1:] + "family")
            if family == "table-cell" and attrs.get(_STYLE[1:] + "data-style-name"):
                self.peta.gaya_sel[name] = attrs[_STYLE[1:] + "data-style-name"]
            self.gaya_tabel = name if family == "table" else None
        elif tag == _STYLE + "table-properties" and attrs.get(_TABLE[1:] + "display") == "false" and self.gaya_tabel:
            self.peta.tersembunyi.add(self.gaya_tabel)


_GAYA_ANGKA = (_NUMBER + "number-style", _NUMBER + "percentage-style", _NUMBER + "currency-style")


def _tolak_dtd(*_args) -> None:
    raise BerkasDitolak(_(_BOM_XML))


def _angka_ulang(raw: str | None) -> int:
    if raw is None:
        return 1
    if not raw.isdigit() or not 0 < int(raw) < _MAX_ULANG:
        raise BerkasDitolak(_(_RUSAK))
    return int(raw)


def _angka_teks(value: str) -> str:
    """A metadata value: a number cell's value as an integer when it is one."""
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else value


def _akhiran(suffix: str) -> str | None:
    """``0 "Laporan"`` for a number style that writes " Laporan" after the number, ``0"%"``
    for one that writes "%"; None for a plain number."""
    suffix = suffix.strip().replace('"', "")
    if not suffix:
        return None
    return '0"%"' if suffix == "%" else f'0 "{suffix}"'


# -- rows and cells -------------------------------------------------------------------------------

def _ulang(elem: Element, attr: str) -> int:
    return _angka_ulang(elem.get(_TABLE + attr))


def _berisi(cell: Element) -> bool:
    if cell.tag != _CELL:
        return False
    return cell.get(_OFFICE + "value-type") is not None or any(c.tag in (_TEXT + "p", _TEXT + "h") for c in cell)


def _baris(archive: zipfile.ZipFile, index: int, sheet: _Lembar, formats: dict[str, str | None]
           ) -> Iterator[BarisLembar]:
    """Sheet ``index``'s rows from row 1 to its last filled one, repeated rows made one by one."""
    gabungan = Gabungan([])
    batas = BatasLembar(sheet.nama)
    nomor = 0
    for at, elem in _rows(archive):
        if at != index:
            if at > index:
                return
            continue
        ulang = _ulang(elem, "number-rows-repeated")
        values, fmts, spans, lebih = _sel_baris(elem, formats, MAX_KOLOM)
        if lebih:
            tolak_lebar(sheet.nama)
        for _copy in range(ulang):
            nomor += 1
            if nomor > sheet.akhir:
                return
            batas.baris(nomor)
            batas.sel(values)
            for c1, columns, rows in spans:
                gabungan.tambah(nomor, c1, nomor + rows - 1, c1 + columns - 1)
            row = BarisLembar(nomor, list(values), list(fmts))
            gabungan.isi(row)
            yield row


def _sel_baris(row: Element, formats: dict[str, str | None], sampai: int
               ) -> tuple[list[Any], list[str | None], list[tuple[int, int, int]], bool]:
    """A row's values and formats up to column ``sampai`` (trailing empties dropped), its
    merged ranges as (first column, columns, rows), columns 1-based, and whether a value
    lies beyond ``sampai``."""
    values: list[Any] = []
    fmts: list[str | None] = []
    spans: list[tuple[int, int, int]] = []
    col = 0
    for cell in row:
        if cell.tag not in (_CELL, _COVERED):
            continue
        ulang = _ulang(cell, "number-columns-repeated")
        if col >= sampai:
            if _berisi(cell):
                return values, fmts, spans, True
            continue
        value, fmt = _nilai(cell, formats) if cell.tag == _CELL else (None, None)
        columns, rows = _ulang(cell, "number-columns-spanned"), _ulang(cell, "number-rows-spanned")
        if value is None:
            col += ulang
            continue
        fits = min(ulang, sampai - col)
        for _copy in range(fits):
            values += [None] * (col - len(values)) + [value]
            fmts += [None] * (col - len(fmts)) + [fmt]
            if columns > 1 or rows > 1:
                spans.append((col + 1, columns, rows))
            col += 1
        if fits < ulang:
            return values, fmts, spans, True
    return values, fmts, spans, False


def _nilai(cell: Element, formats: dict[str, str | None]) -> tuple[Any, str | None]:
    """A cell's value as openpyxl would give it, and its Excel-like number format."""
    kind = cell.get(_OFFICE + "value-type")
    try:
        if kind in ("float", "currency", "percentage"):
            number = float(cell.get(_OFFICE + "value", ""))
            if not math.isfinite(number):
                raise ValueError(number)
            value: Any = int(number) if number.is_integer() and abs(number) < 2**53 else number
            return value, "0%" if kind == "percentage" else formats.get(cell.get(_TABLE + "style-name") or "")
        if kind == "date":
            raw = cell.get(_OFFICE + "date-value", "")
            return (datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)), None
        if kind == "boolean":
            return cell.get(_OFFICE + "boolean-value") == "true", None
    except ValueError:
        raise BerkasDitolak(_(_RUSAK)) from None
    paragraphs = [_teks(p, 0) for p in cell if p.tag in (_TEXT + "p", _TEXT + "h")]
    text = "\n".join(paragraphs)
    return (text if text.strip() else None), None


def _teks(elem: Element, depth: int) -> str:
    """A paragraph's text: spans followed, ``text:s`` as its spaces, tabs and line breaks kept."""
    if depth > _MAX_DALAM:
        raise BerkasDitolak(_(_RUSAK))
    parts = [elem.text or ""]
    for child in elem:
        if child.tag == _TEXT + "s":
            parts.append(" " * min(_ulang_c(child), 1000))
        elif child.tag == _TEXT + "tab":
            parts.append("\t")
        elif child.tag == _TEXT + "line-break":
            parts.append("\n")
        elif child.tag != _OFFICE + "annotation":
            parts.append(_teks(child, depth + 1))
        parts.append(child.tail or "")
    return "".join(parts)


def _ulang_c(elem: Element) -> int:
    raw = elem.get(_TEXT + "c", "1")
    return int(raw) if raw.isdigit() else 1


__all__ = ["MIMETYPE", "baca_ods"]
