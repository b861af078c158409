"""Opening what a user brings: an .xlsx (checked before openpyxl sees it) or pasted text.

Both become a ``Lembar``: rows of cell values with their Excel number formats, each row
numbered as the user sees it (the sheet's row number, or the pasted line). Nothing here
knows about RAK or PK columns; ``workflow.imports.tabel`` reads those.

An .xlsx is a zip of XML parts. Before openpyxl (read-only, with defusedxml doing the XML
parsing) opens it, the archive is checked as it sits: its size, that it is a zip at all,
the uncompressed size of every member as the zip declares it (a zip bomb unpacks to
gigabytes from kilobytes; zipfile never reads past a member's declared size, so the
declared sizes are what openpyxl will get), macros (``vbaProject.bin``, a macro-enabled
content type), encryption, and any DTD or entity declaration in an XML part (no Excel
part needs one; an XML bomb does). Every refusal is a ``BerkasDitolak`` with a message
in Indonesian; nothing of a refused file is read further.

A sheet's rows are then read only as far as the table reader looks (``BarisBertahap``):
a file refused at its 2001st data row has cost 2001 rows, not the 20 000 behind them, and
no sheet yields more than ``MAX_BARIS_LEMBAR`` rows or ``MAX_SEL`` filled cells.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, NoReturn

from tenants.teks import N_, _
from workflow import sheet_layout

MAX_BYTES = 5 * 1024 * 1024            # an uploaded file
MAX_TEKS = 1024 * 1024                 # pasted text (characters)
MAX_BARIS = 2000                       # data rows of one table
MAX_KOLOM = 80                         # columns read; a value beyond is refused
MAX_BARIS_LEMBAR = 20_000              # rows of a sheet looked at, empty ones included
MAX_BARIS_TABEL = MAX_BARIS * 3        # sheet rows below a table's header read as its rows (continued rows, blanks)
MAX_SEL = 200_000                      # filled cells read from one sheet (a full table: 2000 x 80 = 160 000)
MAX_LEMBAR = 30                        # sheets in a workbook
MAX_ANGGOTA = 1000                     # members of the zip
MAX_TERBUKA = 60 * 1024 * 1024         # all members uncompressed, as declared
MAX_RASIO = 200                        # uncompressed / compressed for one member over 1 MB

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_VALUE_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})\d+"(?:[^>/]|/(?!>))*>')  # a cell with content (not <c .../>)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


class BerkasDitolak(Exception):
    """A file (or pasted text) that is not read at all; the message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class BarisLembar:
    nomor: int                                   # the row as the user sees it (sheet row, or pasted line)
    nilai: list[Any]                             # cell values, None when empty
    format: list[str | None]                     # number format of numeric cells, else None
    gabungan: frozenset[int] = frozenset()       # columns filled from a merged cell above or left

    def teks(self, kolom: int) -> str:
        return teks(self.nilai[kolom]) if kolom < len(self.nilai) else ""

    def kosong(self) -> bool:
        return all(teks(v) == "" for v in self.nilai)


class BarisBertahap(Sequence):
    """A sheet's rows, pulled from the file only as far as someone looks: indexing or
    iterating reads up to the row asked for; only ``len()`` reads to the end."""

    def __init__(self, rows: Iterator[BarisLembar]) -> None:
        self._sumber: Iterator[BarisLembar] | None = rows
        self._dibaca: list[BarisLembar] = []

    def _baca_sampai(self, n: int | None) -> None:
        while self._sumber is not None and (n is None or len(self._dibaca) < n):
            row = next(self._sumber, None)
            if row is None:
                self._sumber = None
            else:
                self._dibaca.append(row)

    def __getitem__(self, index):
        if isinstance(index, slice):
            ends = index.stop is not None and index.stop >= 0 and (index.start or 0) >= 0
            self._baca_sampai(index.stop if ends else None)
        else:
            self._baca_sampai(index + 1 if index >= 0 else None)
        return self._dibaca[index]

    def __len__(self) -> int:
        self._baca_sampai(None)
        return len(self._dibaca)

    def __iter__(self) -> Iterator[BarisLembar]:
        i = 0
        while True:
            self._baca_sampai(i + 1)
            if i >= len(self._dibaca):
                return
            yield self._dibaca[i]
            i += 1


@dataclass
class Lembar:
    """One sheet (or the pasted text) as rows of cells."""

    nama: str
    baris: Sequence[BarisLembar]                 # a list for pasted text, BarisBertahap for a sheet
    tempel: bool = False                         # pasted text: columns are numbered, not lettered


@dataclass
class Buku:
    """What was read from a workbook: its visible sheets and the hidden metadata. The
    sheets' rows come from the open file as they are read; ``tutup`` closes it."""

    lembar: list[Lembar]
    meta: dict[str, str] = field(default_factory=dict)
    tutup: Callable[[], None] = lambda: None


def teks(value: Any) -> str:
    """A cell as text, whitespace collapsed (numbers as Python writes them)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


# -- the archive --------------------------------------------------------------------------

@dataclass(frozen=True)
class Arsip:
    """What the archive check learnt about the worksheet parts (by path in the zip)."""

    merges: dict[str, list[tuple[int, int, int, int]]]   # merged ranges (row1, col1, row2, col2), 1-based
    lebar: frozenset[str]                                  # parts with a value beyond MAX_KOLOM


def periksa_ukuran(data: bytes) -> None:
    """Refuse an empty file or one over ``MAX_BYTES``, whatever it is."""
    if not data:
        raise BerkasDitolak(_("Berkas kosong."))
    if len(data) > MAX_BYTES:
        raise BerkasDitolak(_("Berkas terlalu besar (%(ukuran)s); paling besar %(maks)s.", ukuran=_mb(len(data)),
                              maks=_mb(MAX_BYTES)))


def buka_arsip(data: bytes, rusak: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip of an .xlsx or .ods, refused before any part is read: unreadable (``rusak``,
    the message), too many members, encrypted, or declaring more than it should unpack to."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise BerkasDitolak(rusak) from None
    if len(infos) > MAX_ANGGOTA:
        archive.close()
        raise BerkasDitolak(_("Berkas berisi terlalu banyak bagian (%(n)s); bukan buku kerja Excel biasa.", n=len(infos)))
    if any(i.flag_bits & 0x1 for i in infos):
        archive.close()
        raise BerkasDitolak(_("Berkas terenkripsi tidak dapat dibaca: simpan tanpa kata sandi lalu unggah lagi."))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_TERBUKA or (info.file_size > 1024 * 1024 and ratio > MAX_RASIO):
            archive.close()
            raise BerkasDitolak(_(
                "Berkas ditolak: isinya mengembang menjadi lebih dari %(ukuran)s saat dibuka (pola 'bom zip'). "
                "Buku kerja RAK, PK atau RKT jauh lebih kecil.", ukuran=_mb(max(total, info.file_size))))
    return archive, infos


def baca_bagian_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One XML part, refused when it declares a DTD or an entity (no spreadsheet part needs
    one; an XML bomb does)."""
    body = archive.read(info)
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        body = body.decode("utf-16", "replace").encode("utf-8")
    if _DTD.search(body):
        raise BerkasDitolak(_("Berkas ditolak: bagian XML-nya memuat deklarasi DTD/entitas (pola 'bom "
                              "XML'). Buku kerja Excel yang wajar tidak memuatnya."))
    return body


def periksa_xlsx(data: bytes, nama: str | None = None) -> Arsip:
    """Refuse a file that is not a plain, sane .xlsx; returns the merged ranges of each
    worksheet part, which openpyxl's read-only mode does not report."""
    nama = (nama or "").lower()
    periksa_ukuran(data)
    if nama.endswith((".xlsm", ".xltm", ".xlam")):
        raise BerkasDitolak(_("Berkas berisi makro (.xlsm) ditolak: simpan sebagai Buku Kerja Excel (.xlsx) tanpa makro."))
    if data.startswith(_OLE):
        raise BerkasDitolak(_(XLS_DITOLAK))
    if not data.startswith(b"PK"):
        raise BerkasDitolak(_("Berkas ini bukan buku kerja Excel (.xlsx).") + " " + _(SIMPAN_ULANG))
    archive, infos = buka_arsip(data, _("Berkas rusak: arsip .xlsx tidak dapat dibuka. Simpan ulang dari Excel lalu "
                                        "unggah lagi."))
    with archive:
        names = {i.filename for i in infos}
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise BerkasDitolak(_("Berkas berisi makro (VBA) ditolak: simpan sebagai Buku Kerja Excel (.xlsx) tanpa makro."))
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise BerkasDitolak(_("Berkas ini arsip zip, tetapi bukan buku kerja Excel (.xlsx).") + " " + _(SIMPAN_ULANG))
        merges: dict[str, list[tuple[int, int, int, int]]] = {}
        wide: set[str] = set()
        try:
            for info in infos:
                if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                body = baca_bagian_xml(archive, info)
                if info.filename == "[Content_Types].xml" and b"macroEnabled" in body:
                    raise BerkasDitolak(_("Berkas berisi makro ditolak: simpan sebagai Buku Kerja Excel (.xlsx) tanpa makro."))
                if info.filename.startswith("xl/worksheets/"):
                    if b"mergeCell" in body:
                        merges[info.filename] = [(int(r1), _col(c1), int(r2), _col(c2))
                                                 for c1, r1, c2, r2 in _MERGE.findall(body)]
                    widest = max((_col(c) for c in set(_VALUE_CELL.findall(body))), default=0)
                    if widest > MAX_KOLOM:
                        wide.add(info.filename)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise BerkasDitolak(_("Berkas rusak: sebagian isinya tidak dapat dibaca. Simpan ulang dari Excel lalu unggah lagi.")) from None
    return Arsip(merges, frozenset(wide))


# What every refusal of a file in a format we do not read ends with.
SIMPAN_ULANG = N_("Simpan ulang sebagai .xlsx, .ods atau .csv dari Excel/LibreOffice (File > Save As), lalu unggah lagi.")
XLS_DITOLAK = N_("Berkas ini berformat Excel 97-2003 (.xls) atau terkunci dengan kata sandi. Simpan ulang sebagai "
                 ".xlsx, .ods atau .csv dari Excel/LibreOffice (File > Save As) tanpa kata sandi, lalu unggah lagi.")


def _col(letters: bytes | str) -> int:
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def baca_xlsx(data: bytes, nama: str | None = None) -> Buku:
    """The visible sheets and the ``_sakip`` metadata of a checked .xlsx, the sheets' rows
    read as they are used (the caller closes the workbook: ``Buku.tutup``)."""
    import openpyxl
    from defusedxml import DefusedXmlException

    arsip = periksa_xlsx(data, nama)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a broken file; the user gets one message
        if _defused(exc, DefusedXmlException):
            raise BerkasDitolak(_(_BOM_XML)) from None
        raise BerkasDitolak(_("Berkas rusak atau bukan buku kerja Excel yang sah: tidak dapat dibuka. "
                              "Simpan ulang dari Excel sebagai .xlsx lalu unggah lagi.")) from None
    try:
        if len(workbook.sheetnames) > MAX_LEMBAR:
            raise BerkasDitolak(_("Buku kerja berisi %(n)s lembar; paling banyak %(maks)s.", n=len(workbook.sheetnames),
                                  maks=MAX_LEMBAR))
        buku = Buku(lembar=[], tutup=workbook.close)
        for ws in workbook.worksheets:
            if ws.title == sheet_layout.META_SHEET:
                buku.meta = _meta(ws)
                continue
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            path = getattr(ws, "_worksheet_path", "").lstrip("/")
            if path in arsip.lebar:
                tolak_lebar(ws.title)
            buku.lembar.append(_lembar(ws, arsip.merges.get(path, [])))
        return buku
    except BaseException as exc:
        workbook.close()
        _tolak_rusak(exc)
        raise


def _tolak_rusak(exc: BaseException) -> None:
    """What openpyxl raised while reading a sheet, as the user's message (a refusal of ours
    passes as it is)."""
    from defusedxml import DefusedXmlException

    if isinstance(exc, BerkasDitolak) or not isinstance(exc, Exception):
        return
    if _defused(exc, DefusedXmlException):
        raise BerkasDitolak(_(_BOM_XML)) from None
    raise BerkasDitolak(_("Berkas rusak: isi lembar kerjanya tidak dapat dibaca. Simpan ulang dari Excel lalu unggah "
                          "lagi.")) from None


_BOM_XML = N_("Berkas ditolak: XML-nya memuat deklarasi entitas atau DTD (pola 'bom XML'), yang ditolak oleh defusedxml.")


def _defused(exc: BaseException | None, kind: type) -> bool:
    """Whether defusedxml refused it (openpyxl re-raises its own ValueError from it)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _meta(ws) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in ws.iter_rows(min_row=1, max_row=200, max_col=2, values_only=True):
        if row and row[0] is not None:
            meta[teks(row[0])] = teks(row[1] if len(row) > 1 else None)
    return meta


def _lembar(ws, merges: list[tuple[int, int, int, int]]) -> Lembar:
    try:
        ws.reset_dimensions()  # a file's own claim of its size is not trusted
    except AttributeError:
        pass
    return Lembar(ws.title, BarisBertahap(_baris_lembar(ws, merges)))


def _baris_lembar(ws, merges: list[tuple[int, int, int, int]]) -> Iterator[BarisLembar]:
    """The sheet's rows one by one, merged cells filled, refused past the row and cell limits."""
    gabungan = Gabungan(merges)
    batas = BatasLembar(ws.title)
    try:
        # Read-only rows come one per sheet row from row 1, gaps filled with empty rows.
        for nomor, cells in enumerate(ws.iter_rows(max_col=MAX_KOLOM + 1), start=1):
            if not cells:
                continue
            batas.baris(nomor)
            values = [c.value for c in cells]
            if len(values) > MAX_KOLOM and values[MAX_KOLOM] not in (None, ""):
                tolak_lebar(ws.title)
            values = values[:MAX_KOLOM]
            formats = [getattr(c, "number_format", None) if isinstance(c.value, (int, float)) else None
                       for c in cells[:MAX_KOLOM]]
            while values and values[-1] in (None, ""):
                values.pop()
                formats.pop()
            batas.sel(values)
            row = BarisLembar(nomor, values, formats)
            gabungan.isi(row)
            yield row
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a broken sheet
        _tolak_rusak(exc)
        raise


def tolak_lebar(lembar: str) -> NoReturn:
    """Refuse sheet ``lembar`` for a value beyond ``MAX_KOLOM`` (the words every format uses)."""
    raise BerkasDitolak(_("Lembar '%(lembar)s' memakai lebih dari %(maks)s kolom; bukan tabel RAK, PK atau RKT.",
                          lembar=lembar, maks=MAX_KOLOM))


class BatasLembar:
    """A sheet's row and filled-cell limits, checked as its rows are read, whatever the format."""

    def __init__(self, lembar: str) -> None:
        self.lembar = lembar
        self.terisi = 0

    def baris(self, nomor: int) -> None:
        if nomor > MAX_BARIS_LEMBAR:
            raise BerkasDitolak(_("Lembar '%(lembar)s' terlalu panjang (lebih dari %(maks)s baris).", lembar=self.lembar,
                                  maks=MAX_BARIS_LEMBAR))

    def sel(self, values: list[Any]) -> None:
        self.terisi += sum(v is not None for v in values)
        if self.terisi > MAX_SEL:
            raise BerkasDitolak(_("Lembar '%(lembar)s' berisi lebih dari %(maks)s sel terisi; bukan tabel RAK, PK "
                                  "atau RKT.", lembar=self.lembar, maks=MAX_SEL))


class Gabungan:
    """Merged ranges filled row by row as the sheet is read: every cell of a range gets its
    top-left value (read first, the range's top row coming first), the filled cells marked."""

    def __init__(self, merges: list[tuple[int, int, int, int]]) -> None:
        self.mulai: dict[int, list[tuple[int, int, int, int]]] = {}
        for merge in merges:
            self.tambah(*merge)
        self.aktif: list[tuple[int, int, int, int, Any, str | None]] = []

    def tambah(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """A merged range, known before its top row is filled (1-based, inclusive)."""
        if r2 - r1 > MAX_BARIS or c2 - c1 > MAX_KOLOM or c1 > MAX_KOLOM:
            return
        self.mulai.setdefault(r1, []).append((r1, c1, r2, c2))

    def isi(self, row: BarisLembar) -> None:
        for r1, c1, r2, c2 in self.mulai.pop(row.nomor, ()):
            if c1 - 1 < len(row.nilai):
                self.aktif.append((r1, c1, r2, c2, row.nilai[c1 - 1], row.format[c1 - 1]))
        if not self.aktif:
            return
        self.aktif = [m for m in self.aktif if m[2] >= row.nomor]
        filled = set(row.gabungan)
        for r1, c1, _r2, c2, value, fmt in self.aktif:
            for col in range(c1 - 1, min(c2, MAX_KOLOM)):
                if (row.nomor, col) == (r1, c1 - 1):
                    continue
                while len(row.nilai) <= col:
                    row.nilai.append(None)
                    row.format.append(None)
                row.nilai[col], row.format[col] = value, fmt
                filled.add(col)
        row.gabungan = frozenset(filled)


# -- pasted text ----------------------------------------------------------------------------

def baca_tempel(text: str) -> Lembar:
    """A table pasted from Word, a PDF or Excel: one row per line, cells split by tabs
    (Excel's quoting of cells with line breaks is understood)."""
    if len(text) > MAX_TEKS:
        raise BerkasDitolak(_("Teks yang ditempel terlalu panjang (%(n)s karakter); paling banyak %(maks)s.", n=len(text),
                              maks=MAX_TEKS))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if "\t" not in text:
        raise BerkasDitolak(_("Teks yang ditempel tidak berbentuk tabel (tidak ada pemisah kolom/tab). "
                              "Salin tabelnya langsung dari Word, PDF atau Excel."))
    rows: list[BarisLembar] = []
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=False)
    last = 0
    try:
        for values in reader:
            nomor, last = last + 1, reader.line_num  # a quoted cell may span lines: the row's first line
            if len(rows) > MAX_BARIS * 3:
                raise BerkasDitolak(_("Teks yang ditempel terlalu panjang (lebih dari %(maks)s baris tabel).", maks=MAX_BARIS))
            if len(values) > MAX_KOLOM:
                raise BerkasDitolak(_("Baris %(no)s memiliki %(n)s kolom; paling banyak %(maks)s.", no=nomor, n=len(values),
                                      maks=MAX_KOLOM))
            cleaned = [v.strip() or None for v in values]
            while cleaned and cleaned[-1] is None:
                cleaned.pop()
            rows.append(BarisLembar(nomor, cleaned, [None] * len(cleaned)))
    except csv.Error:
        raise BerkasDitolak(_("Teks yang ditempel tidak dapat dibaca sebagai tabel.")) from None
    return Lembar("teks tempel", rows, tempel=True)
