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

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from tenants.teks import N_, _
from workflow import sheet_layout
from workflow.imports.berkas import (_BOM_XML, MAX_BARIS_LEMBAR, MAX_KOLOM, MAX_LEMBAR, MAX_SEL, BarisBertahap,
                                     BarisLembar, BerkasDitolak, Buku, Gabungan, Lembar, baca_bagian_xml, buka_arsip,
                                     teks)

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
        for index, sheet in shown:
            rows = BarisBertahap(_baris(archive, index, sheet, peta.format))
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


def _rows(archive: zipfile.ZipFile, part: str = "content.xml") -> Iterator[tuple[str, Element, int]]:
    """("table", sheet element, index) when a sheet starts, ("row", row element, index) for
    each of its rows, ("styles", element, -1) for the style sections, streamed: each row is
    dropped from the tree once seen, so memory holds one row at a time."""
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
                        if depth == 1:
                            index += 1
                            yield "table", elem, index
                    continue
                stack.pop()
                if elem.tag == _SHEET:
                    depth -= 1
                elif elem.tag == _ROW and depth == 1:
                    yield "row", elem, index
                elif elem.tag in (_OFFICE + "automatic-styles", _OFFICE + "styles"):
                    yield "styles", elem, -1
                else:
                    continue
                if stack:
                    stack[-1].remove(elem)
    except DefusedXmlException:
        raise BerkasDitolak(_(_BOM_XML)) from None
    except (ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError, RecursionError):
        raise BerkasDitolak(_(_RUSAK)) from None


def _petakan(archive: zipfile.ZipFile) -> _Peta:
    """The first pass: sheets, metadata and formats, counting rows without making them."""
    peta = _Peta()
    if "styles.xml" in archive.namelist():
        for _kind, elem, _i in _rows(archive, "styles.xml"):
            _gaya(elem, peta)
    sheet: _Lembar | None = None
    nomor = 0
    for kind, elem, _index in _rows(archive):
        if kind == "styles":
            _gaya(elem, peta)
        elif kind == "table":
            if len(peta.lembar) >= MAX_LEMBAR:
                raise BerkasDitolak(_("Buku kerja berisi lebih dari %(maks)s lembar.", maks=MAX_LEMBAR))
            sheet = _Lembar(elem.get(_TABLE + "name") or "", elem.get(_TABLE + "style-name") not in peta.tersembunyi)
            peta.lembar.append(sheet)
            nomor = 0
        elif sheet is not None:
            ulang = _ulang(elem, "number-rows-repeated")
            if any(_berisi(c) for c in elem):
                sheet.akhir = nomor + ulang
                if sheet.nama == sheet_layout.META_SHEET and nomor < 200:
                    cells = _sel_baris(elem, {}, 2)[0]
                    if cells and cells[0] is not None:
                        peta.meta[teks(cells[0])] = teks(cells[1] if len(cells) > 1 else None)
            nomor += ulang
    return peta


# -- styles -------------------------------------------------------------------------------------

def _gaya(section: Element, peta: _Peta) -> None:
    """Number styles as the Excel-like format the cell readers know, the cell styles that
    use them, and the table styles that hide a sheet (styles.xml holds the number styles
    that content.xml's cell styles name)."""
    for elem in section:
        name = elem.get(_STYLE + "name")
        if elem.tag == _NUMBER + "percentage-style":
            peta.angka[name] = "0%"
        elif elem.tag == _NUMBER + "number-style":
            peta.angka[name] = _akhiran(elem)
    for elem in section.iter(_STYLE + "style"):
        family, name = elem.get(_STYLE + "family"), elem.get(_STYLE + "name")
        if family == "table-cell" and elem.get(_STYLE + "data-style-name"):
            peta.gaya_sel[name] = elem.get(_STYLE + "data-style-name")
        elif family == "table":
            props = elem.find(_STYLE + "table-properties")
            if props is not None and props.get(_TABLE + "display") == "false":
                peta.tersembunyi.add(name)


def _akhiran(style: Element) -> str | None:
    """``0 "Laporan"`` for a number style that writes " Laporan" after the number, ``0"%"``
    for one that writes "%"; None for a plain number."""
    seen_number, suffix = False, ""
    for part in style:
        if part.tag in (_NUMBER + "number", _NUMBER + "scientific-number", _NUMBER + "fraction"):
            seen_number = True
        elif part.tag == _NUMBER + "text" and seen_number:
            suffix += part.text or ""
    suffix = suffix.strip().replace('"', "")
    if not suffix:
        return None
    return '0"%"' if suffix == "%" else f'0 "{suffix}"'


# -- rows and cells -------------------------------------------------------------------------------

def _ulang(elem: Element, attr: str) -> int:
    raw = elem.get(_TABLE + attr, "1")
    if not raw.isdigit() or not 0 < int(raw) < _MAX_ULANG:
        raise BerkasDitolak(_(_RUSAK))
    return int(raw)


def _berisi(cell: Element) -> bool:
    if cell.tag != _CELL:
        return False
    return cell.get(_OFFICE + "value-type") is not None or any(c.tag in (_TEXT + "p", _TEXT + "h") for c in cell)


def _baris(archive: zipfile.ZipFile, index: int, sheet: _Lembar, formats: dict[str, str | None]
           ) -> Iterator[BarisLembar]:
    """Sheet ``index``'s rows from row 1 to its last filled one, repeated rows made one by one."""
    gabungan = Gabungan([])
    nomor = terisi = 0
    for kind, elem, at in _rows(archive):
        if kind != "row" or at != index:
            if at > index:
                return
            continue
        ulang = _ulang(elem, "number-rows-repeated")
        values, fmts, spans, lebih = _sel_baris(elem, formats, MAX_KOLOM)
        if lebih:
            raise BerkasDitolak(_("Lembar '%(lembar)s' memakai lebih dari %(maks)s kolom; bukan tabel RAK, PK atau "
                                  "RKT.", lembar=sheet.nama, maks=MAX_KOLOM))
        for _copy in range(ulang):
            nomor += 1
            if nomor > sheet.akhir:
                return
            if nomor > MAX_BARIS_LEMBAR:
                raise BerkasDitolak(_("Lembar '%(lembar)s' terlalu panjang (lebih dari %(maks)s baris).",
                                      lembar=sheet.nama, maks=MAX_BARIS_LEMBAR))
            terisi += sum(v is not None for v in values)
            if terisi > MAX_SEL:
                raise BerkasDitolak(_("Lembar '%(lembar)s' berisi lebih dari %(maks)s sel terisi; bukan tabel RAK, PK "
                                      "atau RKT.", lembar=sheet.nama, maks=MAX_SEL))
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
            if number != number or number in (float("inf"), float("-inf")):
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
