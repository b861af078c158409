"""Excel exports (xlsxwriter) in the offices' layouts: PK, RKT, RAK, the LKj's tables and the
province recap.

The layout (rows, columns, headers, number formats, the hidden metadata sheet and kunci
columns) is ``workflow.sheet_layout``, shared with the import: follow it, never restate it.

Two layers:

* plain data (``DokumenData``, ``RekapData`` and their rows) and the writers
  ``tulis_dokumen`` / ``tulis_rekap``, which know nothing of the database, so a benchmark
  or a test can feed them rows directly;
* ``dokumen_data`` / ``rekap_data``, which read a revision (or a province's offices) into
  that plain data, and ``dokumen_xlsx`` / ``rekap_xlsx`` which return the file's bytes.

Rules kept everywhere: every text a user typed goes through ``write_string`` (a sasaran
"=1+1" or a kegiatan line "- ..." stays text, never a formula; the workbook also has
``strings_to_formulas`` off); amounts are numbers with ``sheet_layout.RUPIAH_FORMAT``;
totals are values computed here, not formulas; targets are written as
``sheet_layout`` describes (percent as the number the office writes, 97.5 shown "97.5%").
The recap streams (xlsxwriter ``constant_memory``): its rows are written strictly in
order and may come from a generator.
"""
from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Union

import xlsxwriter
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session
from xlsxwriter.utility import xl_range

from tenants.satker import Satker, Tingkat
from workflow import schedule, sheet_layout as L
from workflow.banding import cetak as banding
from workflow.dokumen import bab_lkj as lkj
from workflow.dokumen.content import Indikator, Sasaran
from workflow.dokumen.models import Bentuk, Dokumen, JenisDokumen, Revisi
from workflow.lkj import tabel as laporan
from workflow.schedule import BentukJadwal
from workflow.target import JenisTarget, Target, TargetError, baca_target, tulis_target
from webapp import printed

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Keluaran = Union[str, Path, BinaryIO]

# Cells a recap writes for an office whose PK has no indikator of that text.
TIDAK_ADA = "-"
BELUM_ADA = "Belum ada"


# -- plain data --------------------------------------------------------------------------

@dataclass(frozen=True)
class Judul:
    """The title block: row 1 the title, then NAMA/UNIT ORGANISASI and TAHUN ANGGARAN."""

    judul: str
    unit: str
    tahun: int


@dataclass(frozen=True)
class ProgramData:
    kode: str
    nama: str
    anggaran: int | None


@dataclass(frozen=True)
class IndikatorData:
    uraian: str
    target: Target | None
    kunci: str = ""


@dataclass(frozen=True)
class SasaranData:
    uraian: str
    indikator: Sequence[IndikatorData] = ()
    tujuan: str | None = None
    kunci: str = ""


@dataclass(frozen=True)
class BarisRakData:
    sasaran: str
    indikator: str
    target: Target | None
    kegiatan: Sequence[str]
    kode_output: str | None
    jadwal: str  # 48 marks, workflow.schedule
    biaya: int | None
    pelaksana: str  # the unit's label as printed
    kunci: str = ""


@dataclass(frozen=True)
class PenandatanganData:
    """One signature slot: who signed (name, time), or the capacity still expected."""

    kapasitas: str
    jabatan: str
    nama: str | None = None
    waktu: datetime | None = None


@dataclass
class DokumenData:
    jenis: JenisDokumen
    judul: Judul
    meta: dict[str, object]
    tempat: str | None = None
    tanggal: date | None = None
    bentuk: BentukJadwal = BentukJadwal.BULAN
    program: Sequence[ProgramData] = ()
    sasaran: Sequence[SasaranData] = ()
    baris: Sequence[BarisRakData] = ()
    penandatangan: Sequence[PenandatanganData] = ()
    kode_verifikasi: str | None = None
    hash_isi: str | None = None
    keterangan: str = ""  # the page footer: kind, office, year, revision, status


@dataclass(frozen=True)
class BarisRekapData:
    """One office of a recap: its PK's status and one cell per indikator column
    (a Target, TIDAK_ADA when its PK has no such indikator, None when it has no PK)."""

    kode: str
    nama: str
    status: str
    revisi: int | None
    target: Sequence[Target | str | None]


@dataclass
class RekapData:
    judul: Judul
    indikator: Sequence[str]
    baris: Iterable[BarisRekapData]  # written in order, may be a generator
    meta: dict[str, object]
    kolom_satker: str = "Kabupaten/Kota"
    keterangan: str = ""
    catatan: str | None = None  # e.g. the province has no PK Komisi that year


# -- small helpers -------------------------------------------------------------------------

def nama_berkas(dokumen: Dokumen, revisi: Revisi) -> str:
    """RAK-Sekretariat-KPU-Kota-Batu-2024-rev0.xlsx (accents not folded: ``printed.slug``)."""
    teks = f"{dokumen.jenis.label} {dokumen.satker.nama} {dokumen.tahun} rev{revisi.nomor}"
    return printed.slug(teks, lipat_aksen=False) + ".xlsx"


def nama_berkas_rekap(satker: Satker, tahun: int) -> str:
    """Rekap-PK-KPU-Provinsi-Jawa-Timur-2024.xlsx"""
    return printed.slug(f"Rekap PK {satker.nama} {tahun}", lipat_aksen=False) + ".xlsx"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _bersih(text: str | None) -> str:
    """Text as typed, minus the control characters XML cannot carry."""
    return _CONTROL.sub("", text or "")


def nilai_target(target: Target | None) -> tuple[str | float | None, str | None]:
    """(value, number format) of a target cell, as ``sheet_layout`` describes it."""
    if target is None:
        return None, None
    if target.jenis in (JenisTarget.PREDIKAT, JenisTarget.OPINI):
        return (target.kode or None), None
    if target.nilai is None:
        return None, None
    nilai = Decimal(target.nilai).normalize()
    exponent = nilai.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    fraction = "." + "0" * decimals if decimals else ""
    if target.jenis is JenisTarget.PERSEN:
        return float(nilai), "0" + fraction + L.TARGET_PERSEN_SUFFIX
    number_format = "#,##0" + fraction
    if target.satuan:
        if '"' in target.satuan or "\\" in target.satuan or _CONTROL.search(target.satuan):
            return tulis_target(target.jenis, target.nilai, target.kode, target.satuan), None
        number_format += f'" {target.satuan}"'
    return float(nilai), number_format


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (estimate)."""
    per_line = max(1, int(width * 1.05))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in (text or "").split("\n"))


LINE_HEIGHT = 12.75  # points per line of 10 pt text
PAPER_A4 = 9


def _height(lines: int) -> float:
    return LINE_HEIGHT * max(1, lines) + 2.25


# -- formats --------------------------------------------------------------------------------

class _Gaya:
    """The workbook's cell formats, made once (and target formats on demand)."""

    BASE = {"font_name": "Arial", "font_size": 10}

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        box = {**self.BASE, "border": 1, "valign": "top", "text_wrap": True}
        self.judul = self._fmt(bold=True, font_size=12, align="center", valign="vcenter", text_wrap=True)
        self.kepala = self._fmt(bold=True)
        self.polos = self._fmt()
        self.header = self._fmt(bold=True, align="center", valign="vcenter", text_wrap=True, border=1,
                                bg_color="#D9D9D9")
        self.nomor_kolom = self._fmt(italic=True, align="center", valign="vcenter", border=1, font_size=8,
                                     bg_color="#F2F2F2")
        self.teks = wb.add_format(box)
        self.tujuan = wb.add_format({**box, "bold": True, "bg_color": "#F2F2F2"})
        self.tengah = wb.add_format({**box, "align": "center"})
        self.tanda = wb.add_format({**box, "align": "center", "text_wrap": False})
        self.rupiah = wb.add_format({**box, "num_format": L.RUPIAH_FORMAT, "text_wrap": False})
        self.total = wb.add_format({**box, "bold": True, "align": "right"})
        self.total_rupiah = wb.add_format({**box, "bold": True, "num_format": L.RUPIAH_FORMAT, "text_wrap": False})
        self.tersembunyi = self._fmt(font_color="#808080")
        self.ttd = self._fmt(align="center", valign="top", text_wrap=True)
        self.ttd_kapasitas = self._fmt(align="center", valign="top", bold=True, text_wrap=True)
        self.ttd_nama = self._fmt(align="center", bold=True, underline=1)
        self.ttd_kosong = self._fmt(align="center", bottom=1)
        self.catatan = self._fmt(italic=True, font_size=8, font_color="#595959", align="center", text_wrap=True)
        self.catatan_kiri = self._fmt(italic=True, font_size=8, font_color="#595959")
        self.metadata = self._fmt()
        self._target: dict[tuple[str | None, bool], object] = {}

    def _fmt(self, **props):
        return self.wb.add_format({**self.BASE, **props})

    def target(self, number_format: str | None, tebal: bool = False):
        key = (number_format, tebal)
        if key not in self._target:
            props = {**self.BASE, "border": 1, "valign": "top", "align": "center", "text_wrap": True, "bold": tebal}
            if number_format:
                props["num_format"] = number_format
            self._target[key] = self.wb.add_format(props)
        return self._target[key]


def _workbook(out: Keluaran, *, constant_memory: bool = False) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(out, {
        "constant_memory": constant_memory,
        # Defence in depth: every user text goes through write_string anyway.
        "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
    })
    wb.set_properties({"title": "", "author": "SAKIP KPU", "company": "Komisi Pemilihan Umum"})
    return wb


def _teks(ws, row: int, col: int, text: str | None, fmt) -> None:
    """User text: always a string cell (an empty one keeps its format)."""
    text = _bersih(text)
    if text:
        ws.write_string(row, col, text, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


def _gabung(ws, r1: int, c1: int, r2: int, c2: int, text: str | None, fmt) -> None:
    """A merged range holding text (written as a string, never a formula)."""
    if (r1, c1) == (r2, c2):
        _teks(ws, r1, c1, text, fmt)
        return
    ws.merge_range(r1, c1, r2, c2, "", fmt)
    _teks(ws, r1, c1, text, fmt)


def _gabung_terdaftar(ws, r1: int, c1: int, r2: int, c2: int) -> None:
    """Register a merged range without writing its cells.

    In constant_memory mode a row is flushed as soon as a later row is written, and
    ``merge_range`` over two rows writes the second at once: the rest of the first row
    would be lost. The recap writes its header rows cell by cell, in order, and declares
    the vertical merges here (xlsxwriter keeps them in ``merge``, written at the end).
    """
    cell_range = xl_range(r1, c1, r2, c2)
    ws.merge.append([r1, c1, r2, c2])
    for row in range(r1, r2 + 1):
        for col in range(c1, c2 + 1):
            ws.merged_cells[(row, col)] = cell_range


def _target(ws, g: _Gaya, row: int, col: int, target: Target | None, tebal: bool = False) -> None:
    value, number_format = nilai_target(target)
    fmt = g.target(number_format, tebal)
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, _bersih(value), fmt)
    else:
        ws.write_number(row, col, value, fmt)


def _judul(ws, g: _Gaya, judul: Judul, last_col: int, lebar: float) -> None:
    """The title block; ``lebar`` is the width of the columns the title is centred over."""
    ws.set_row(0, max(30.0, 16.0 * _lines(judul.judul, lebar * 0.8) + 4))
    _gabung(ws, 0, 0, 0, last_col, judul.judul, g.judul)
    ws.write_string(1, 0, f"NAMA/UNIT ORGANISASI : {_bersih(judul.unit)}", g.kepala)
    ws.write_string(2, 0, f"TAHUN ANGGARAN : {judul.tahun}", g.kepala)


def _metadata(wb: xlsxwriter.Workbook, g: _Gaya, meta: dict[str, object]) -> None:
    ws = wb.add_worksheet(L.META_SHEET)
    for row, key in enumerate(L.META_KEYS):
        ws.write_string(row, 0, key, g.metadata)
        value = meta.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            ws.write_number(row, 1, value, g.metadata)
        else:
            ws.write_string(row, 1, _bersih("" if value is None else str(value)), g.metadata)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 70)
    ws.hide()


def _cetak(ws, *, header_first: int, header_last: int, last_row: int, last_col: int, keterangan: str) -> None:
    """A4 landscape, header rows on every page, one page wide, page numbers in the footer."""
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.repeat_rows(header_first, header_last)
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, last_row, last_col)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    footer = _bersih(keterangan).replace("&", "&&")
    ws.set_footer(f"&L&8{footer}&R&8Halaman &P dari &N")


# -- documents ------------------------------------------------------------------------------

def tulis_dokumen(out: Keluaran, data: DokumenData) -> None:
    """Write a PK, RKT or RAK to ``out`` (a path or a binary file object)."""
    wb = _workbook(out)
    g = _Gaya(wb)
    ws = wb.add_worksheet(data.jenis.label)
    if data.jenis.bentuk is Bentuk.RAK:
        _tulis_rak(ws, g, data)
    else:
        _tulis_pk(ws, g, data)
    _metadata(wb, g, data.meta)
    wb.close()


def _kolom_jadwal(bentuk: BentukJadwal) -> float:
    return {BentukJadwal.BULAN: 3.3, BentukJadwal.TRIWULAN: 6.0, BentukJadwal.MINGGU: 3.3}[bentuk]


RAK_WIDTHS = {"no": 5, "sasaran": 26, "indikator": 30, "target": 11, "kegiatan": 44, "kode_output": 17,
              "biaya": 18, "pelaksana": 24}


@dataclass(frozen=True)
class _KolomRak:
    """Where a RAK sheet's columns are: the text columns, the schedule's (``s0``..``s1``),
    then the cost, the unit and the hidden kunci."""

    bentuk: BentukJadwal
    s0: int
    s1: int

    @property
    def biaya(self) -> int:
        return self.s1 + 1

    @property
    def pelaksana(self) -> int:
        return self.s1 + 2

    @property
    def kunci(self) -> int:
        return self.s1 + 3


def _tulis_rak(ws, g: _Gaya, d: DokumenData) -> None:
    before = len(L.RAK_BEFORE_SCHEDULE)
    k = _KolomRak(d.bentuk, before, before + len(d.bentuk.kolom) - 1)
    widths = _lebar_rak(ws, k)
    _judul(ws, g, d.judul, k.pelaksana, sum(widths.values()) + len(d.bentuk.kolom) * _kolom_jadwal(d.bentuk)
           + RAK_WIDTHS["biaya"] + RAK_WIDTHS["pelaksana"])
    h, n = _kepala_rak(ws, g, k)
    row, total = _baris_rak(ws, g, d, k, widths)
    _gabung(ws, row, 0, row, k.s1, L.TOTAL_LABEL, g.total)
    ws.write_number(row, k.biaya, total, g.total_rupiah)
    ws.write_blank(row, k.pelaksana, None, g.teks)
    row += 2

    last = _tanda_tangan(ws, g, row, d, slots=[(k.s0, k.pelaksana), (1, 2)])
    ws.freeze_panes(L.RAK_DATA_ROW - 1, 0)
    _cetak(ws, header_first=h, header_last=n, last_row=last, last_col=k.pelaksana, keterangan=d.keterangan)


def _lebar_rak(ws, k: _KolomRak) -> dict[int, float]:
    """Set the columns' widths; returns those of the text columns before the schedule."""
    widths = {}
    for col, (key, _label) in enumerate(L.RAK_BEFORE_SCHEDULE):
        widths[col] = RAK_WIDTHS[key]
        ws.set_column(col, col, widths[col])
    ws.set_column(k.s0, k.s1, _kolom_jadwal(k.bentuk))
    ws.set_column(k.biaya, k.biaya, RAK_WIDTHS["biaya"])
    ws.set_column(k.pelaksana, k.pelaksana, RAK_WIDTHS["pelaksana"])
    ws.set_column(k.kunci, k.kunci, 14, None, {"hidden": True})
    return widths


def _kepala_rak(ws, g: _Gaya, k: _KolomRak) -> tuple[int, int]:
    """The two header rows (the schedule's cells under one heading) and the numbering row;
    returns their first and last row."""
    h = L.HEADER_ROW - 1
    for col, (_key, label) in enumerate(L.RAK_BEFORE_SCHEDULE):
        ws.merge_range(h, col, h + 1, col, label, g.header)
    ws.merge_range(h, k.s0, h, k.s1, L.RAK_SCHEDULE_HEADERS[k.bentuk.value], g.header)
    for i, label in enumerate(k.bentuk.kolom):
        ws.write_string(h + 1, k.s0 + i, label, g.header)
    ws.merge_range(h, k.biaya, h + 1, k.biaya, L.RAK_AFTER_SCHEDULE[0][1], g.header)
    ws.merge_range(h, k.pelaksana, h + 1, k.pelaksana, L.RAK_AFTER_SCHEDULE[1][1], g.header)
    ws.write_string(h, k.kunci, L.KUNCI_HEADER, g.tersembunyi)
    ws.set_row(h, 30)

    n = L.RAK_NUMBER_ROW - 1
    for col in range(k.s0):
        ws.write_string(n, col, f"({col + 1})", g.nomor_kolom)
    ws.merge_range(n, k.s0, n, k.s1, f"({k.s0 + 1})", g.nomor_kolom)
    ws.write_string(n, k.biaya, f"({k.s0 + 2})", g.nomor_kolom)
    ws.write_string(n, k.pelaksana, f"({k.s0 + 3})", g.nomor_kolom)
    return h, n


def _baris_rak(ws, g: _Gaya, d: DokumenData, k: _KolomRak, widths: dict[int, float]) -> tuple[int, int]:
    """The rows; returns the row after them and their total cost."""
    row = L.RAK_DATA_ROW - 1
    total = 0
    for no, b in enumerate(d.baris, start=1):
        kegiatan = "\n".join(f"- {_bersih(teks)}" for teks in b.kegiatan)
        ws.write_number(row, 0, no, g.tengah)
        _teks(ws, row, 1, b.sasaran, g.teks)
        _teks(ws, row, 2, b.indikator, g.teks)
        _target(ws, g, row, 3, b.target)
        _teks(ws, row, 4, kegiatan, g.teks)
        _teks(ws, row, 5, b.kode_output, g.tengah)
        for i, on in enumerate(schedule.sel(b.jadwal or schedule.KOSONG, k.bentuk)):
            ws.write_string(row, k.s0 + i, "v" if on else L.UNMARKED, g.tanda)
        if b.biaya is None:
            ws.write_blank(row, k.biaya, None, g.rupiah)
        else:
            ws.write_number(row, k.biaya, b.biaya, g.rupiah)
            total += b.biaya
        _teks(ws, row, k.pelaksana, b.pelaksana, g.teks)
        _teks(ws, row, k.kunci, b.kunci, g.tersembunyi)
        lines = max(_lines(b.sasaran, widths[1]), _lines(b.indikator, widths[2]), _lines(kegiatan, widths[4]),
                    _lines(b.pelaksana, RAK_WIDTHS["pelaksana"]))
        ws.set_row(row, _height(lines))
        row += 1
    return row, total


PK_WIDTHS = {"no": 6, "sasaran": 42, "indikator": 52, "target": 15}


def _tulis_pk(ws, g: _Gaya, d: DokumenData) -> None:
    visible = len(L.PK_COLUMNS)
    last = visible - 1
    widths = [PK_WIDTHS[key] for key, _label in L.PK_COLUMNS]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_column(visible, visible + 1, 14, None, {"hidden": True})  # the kunci of sasaran and indikator

    _judul(ws, g, d.judul, last, sum(widths))
    h = L.HEADER_ROW - 1
    for col, (_key, label) in enumerate(L.PK_COLUMNS):
        ws.write_string(h, col, label, g.header)
    for i, name in enumerate(L.PK_HIDDEN):
        ws.write_string(h, visible + i, name, g.tersembunyi)
    ws.set_row(h, 30)
    n = L.PK_NUMBER_ROW - 1
    for col in range(visible):
        ws.write_string(n, col, f"({col + 1})", g.nomor_kolom)

    row = _sasaran_pk(ws, g, d, widths)
    # No programs, no table (as the PDF): an empty one printed "Jumlah Rp 0". The import
    # leaves the programs as they are when a file has no program table.
    if d.jenis.value in L.PROGRAM_KINDS and d.program:
        row = _program_pk(ws, g, d, row + 1, widths)
    row += 1

    final_row = _tanda_tangan(ws, g, row, d, slots=[(2, 3), (1, 1)])
    ws.freeze_panes(L.PK_DATA_ROW - 1, 0)
    _cetak(ws, header_first=h, header_last=n, last_row=final_row, last_col=last, keterangan=d.keterangan)


def _sasaran_pk(ws, g: _Gaya, d: DokumenData, widths: list[float]) -> int:
    """Each sasaran under its tujuan's heading (a row, when the tujuan changes), its
    indikator and the hidden kunci; returns the row after them."""
    last = len(L.PK_COLUMNS) - 1
    c_kunci_sasaran = len(L.PK_COLUMNS)
    row = L.PK_DATA_ROW - 1
    tujuan_sebelum: str | None = None
    for no, s in enumerate(d.sasaran, start=1):
        tujuan = _bersih(s.tujuan) or None
        if tujuan != tujuan_sebelum:
            ws.write_blank(row, 0, None, g.tujuan)
            _gabung(ws, row, 1, row, last, tujuan, g.tujuan)
            ws.write_string(row, c_kunci_sasaran, L.TUJUAN_MARK, g.tersembunyi)
            ws.set_row(row, _height(_lines(tujuan or "", sum(widths[1:]))))
            row += 1
            tujuan_sebelum = tujuan
        row = _sasaran_bergabung(ws, g, row, no, s.uraian, s.indikator, widths,
                                 lambda r, ind: _indikator_pk(ws, g, r, ind, s.kunci, widths))
    return row


def _indikator_pk(ws, g: _Gaya, r: int, ind: IndikatorData | None, kunci_sasaran: str, widths: list[float]) -> int:
    """One indikator row of a PK (empty cells for a sasaran without one); returns its lines."""
    c_kunci_sasaran, c_kunci = len(L.PK_COLUMNS), len(L.PK_COLUMNS) + 1
    if ind is None:
        ws.write_blank(r, 2, None, g.teks)
        ws.write_blank(r, 3, None, g.target(None))
    else:
        _teks(ws, r, 2, ind.uraian, g.teks)
        _target(ws, g, r, 3, ind.target)
        _teks(ws, r, c_kunci, ind.kunci, g.tersembunyi)
    _teks(ws, r, c_kunci_sasaran, kunci_sasaran, g.tersembunyi)
    return _lines(ind.uraian if ind else "", widths[2])


def _sasaran_bergabung(ws, g: _Gaya, row: int, no: int, uraian: str, indikator: Sequence,
                       widths: list[float], tulis: Callable[[int, object], int]) -> int:
    """A sasaran's number and text merged down over its indikator rows (one empty row when
    it has none); ``tulis(row, indikator)`` writes an indikator's cells and says how many
    lines it takes. The last row grows until the merged text fits. Returns the next row."""
    rows = list(indikator) or [None]
    first, final = row, row + len(rows) - 1
    if final > first:
        ws.merge_range(first, 0, final, 0, "", g.tengah)
    ws.write_number(first, 0, no, g.tengah)
    _gabung(ws, first, 1, final, 1, uraian, g.teks)
    needed, given = _lines(uraian, widths[1]), 0
    for k, ind in enumerate(rows):
        lines = tulis(first + k, ind)
        if k == len(rows) - 1:
            lines = max(lines, needed - given)  # the merged sasaran must fit its rows
        given += lines
        ws.set_row(first + k, _height(lines))
    return final + 1


def _program_pk(ws, g: _Gaya, d: DokumenData, row: int, widths: list[float]) -> int:
    """The programs and their total from ``row``; returns the row after the total."""
    for col, (_key, label) in enumerate(L.PROGRAM_COLUMNS):
        ws.write_string(row, col, label, g.header)
    row += 1
    total = 0
    for no, p in enumerate(d.program, start=1):
        ws.write_number(row, 0, no, g.tengah)
        _teks(ws, row, 1, p.kode, g.teks)
        _teks(ws, row, 2, p.nama, g.teks)
        if p.anggaran is None:
            ws.write_blank(row, 3, None, g.rupiah)
        else:
            ws.write_number(row, 3, p.anggaran, g.rupiah)
            total += p.anggaran
        ws.set_row(row, _height(_lines(p.nama, widths[2])))
        row += 1
    _gabung(ws, row, 0, row, 2, L.TOTAL_LABEL, g.total)
    ws.write_number(row, 3, total, g.total_rupiah)
    return row + 1


def _tanda_tangan(ws, g: _Gaya, row: int, d: DokumenData, slots: list[tuple[int, int]]) -> int:
    """Place and date over the first signatory, then one column block per signatory:
    capacity, jabatan, room to sign, name. The first signs on the right (slots[0]), as the
    offices print it. Returns the last row written."""
    tempat = _bersih(d.tempat) or "...................."
    tanggal = printed.tanggal(d.tanggal) if d.tanggal else f".................... {d.judul.tahun}"
    c1, c2 = slots[0]
    _gabung(ws, row, c1, row, c2, f"{tempat}, {tanggal}", g.ttd)
    top = row + 1
    for p, (c1, c2) in zip(d.penandatangan, slots):
        _gabung(ws, top, c1, top, c2, p.kapasitas, g.ttd_kapasitas)
        _gabung(ws, top + 1, c1, top + 1, c2, f"{p.jabatan},", g.ttd)
        if p.waktu is not None:  # on the office's clock, as the page and the PDF say it
            _gabung(ws, top + 3, c1, top + 3, c2, f"ditandatangani secara elektronik {printed.waktu(p.waktu)}", g.catatan)
        # The name, or an empty line to sign above.
        _gabung(ws, top + 5, c1, top + 5, c2, p.nama, g.ttd_nama if p.nama else g.ttd_kosong)
    for r in (top + 2, top + 3, top + 4):
        ws.set_row(r, 18)
    last = top + 5
    if d.kode_verifikasi:
        last += 2
        ws.write_string(last, 0, f"Kode verifikasi: {d.kode_verifikasi} · SHA-256 isi: {d.hash_isi or ''}",
                        g.catatan_kiri)
    return last


# -- documents from the database ------------------------------------------------------------

def _target_of(row) -> Target | None:
    if not row.target_lengkap():
        return None
    return Target(row.jenis_target, row.target_nilai, row.target_kode, row.satuan)


def _meta_dokumen(dokumen: Dokumen, revisi: Revisi) -> dict[str, object]:
    return {
        "format": L.FORMAT,
        "dokumen_id": dokumen.id,
        "satker": dokumen.satker.kode,
        "tahun": dokumen.tahun,
        "jenis": dokumen.jenis.value,
        "revisi": revisi.nomor,
        "versi": dokumen.versi,
        "hash_isi": revisi.hash_isi or "",
        "bentuk_jadwal": revisi.bentuk_jadwal.value if revisi.bentuk_jadwal else "",
        "diekspor_pada": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def dokumen_data(dokumen: Dokumen, revisi: Revisi) -> DokumenData:
    """One revision as plain rows (loads nothing beyond the revision's own relationships)."""
    from workflow.dokumen.operations import pilihan_pelaksana

    jenis, satker = dokumen.jenis, dokumen.satker
    pelaksana = dict(pilihan_pelaksana(jenis))
    ditandatangani = {t.urutan: t for t in revisi.tanda_tangan}
    penandatangan = []
    for urutan, p in enumerate(jenis.penandatangan, start=1):
        if (t := ditandatangani.get(urutan)) is not None:
            penandatangan.append(PenandatanganData(t.kapasitas.label, t.jabatan, t.nama, t.waktu))
        else:
            penandatangan.append(PenandatanganData(p.kapasitas.label, f"{p.peran.label} {satker.nama}"))
    aktif = revisi.nomor == dokumen.nomor_revisi
    status = dokumen.status.label if aktif else ("Terkunci" if revisi.terkunci else "Draf")
    return DokumenData(
        jenis=jenis,
        judul=Judul(dokumen.judul.upper(), satker.nama.upper(), dokumen.tahun),
        meta=_meta_dokumen(dokumen, revisi),
        tempat=revisi.tempat, tanggal=revisi.tanggal,
        bentuk=revisi.bentuk_jadwal or BentukJadwal.BULAN,
        program=[ProgramData(p.kode, p.nama, p.anggaran) for p in revisi.program],
        sasaran=[SasaranData(s.uraian, [IndikatorData(i.uraian, _target_of(i), i.kunci) for i in s.indikator],
                             s.tujuan, s.kunci) for s in revisi.sasaran],
        baris=[BarisRakData(b.sasaran, b.indikator, _target_of(b), [k.uraian for k in b.kegiatan], b.kode_output,
                            b.jadwal, b.biaya, pelaksana.get(b.pelaksana or "", b.pelaksana or ""), b.kunci)
               for b in revisi.baris],
        penandatangan=penandatangan,
        kode_verifikasi=revisi.kode_verifikasi if revisi.terkunci else None,
        hash_isi=revisi.hash_isi,
        keterangan=f"{jenis.label} {satker.nama} {dokumen.tahun} · {revisi.label} · {status}",
    )


def dokumen_xlsx(dokumen: Dokumen, revisi: Revisi | None = None) -> bytes:
    """The .xlsx of one revision (the current one by default)."""
    revisi = revisi or dokumen.revisi_aktif
    out = io.BytesIO()
    if dokumen.jenis.bentuk is Bentuk.LKJ:
        tulis_lkj(out, lkj_data(dokumen, revisi))
    else:
        tulis_dokumen(out, dokumen_data(dokumen, revisi))
    return out.getvalue()


# -- the Laporan Kinerja --------------------------------------------------------------------
# Only its tables go to Excel: Tabel 3.1 / 3.2 (one sheet per PK), the budget realisation
# and the staff by status. They come from ``workflow.lkj.tabel.tabel``: frozen into the
# revision at submit, so the file of a submitted report shows exactly what was signed.

# TARGET and REALISASI fit a unit such as "1 Dokumen (Dakam)": a number format never wraps.
LKJ_KOLOM = (("NO", 6), ("SASARAN STRATEGIS", 36), ("INDIKATOR KINERJA", 44), ("TARGET", 18), ("REALISASI", 18),
             ("CAPAIAN (%)", 13))
ANGGARAN_KOLOM = (("KODE", 9), ("PROGRAM/KEGIATAN", 58), ("ANGGARAN (Rp)", 20), ("REALISASI (Rp)", 20),
                  ("CAPAIAN (%)", 13))
PEGAWAI_KOLOM = (("NO", 6), ("STATUS", 24), ("JUMLAH (ORANG)", 16), ("PERSENTASE (%)", 16))
# Capaian as the percentage itself (100 for 100%, 98.3 for 98,30%), like the targets: the
# "%" is a quoted literal, so the cell holds the number the report prints.
CAPAIAN_FORMAT = '0.00' + L.TARGET_PERSEN_SUFFIX
SHEET_ANGGARAN = "Realisasi Anggaran"
SHEET_PEGAWAI = "Pegawai"
SHEET_BANDING = "Perbandingan"


@dataclass
class LkjData:
    """A Laporan Kinerja as plain data: title, signature and metadata in ``dasar``, the
    tables as ``workflow.lkj.tabel.tabel`` gives them, and the staff (``workflow.dokumen.bab_lkj.pegawai``)."""

    dasar: DokumenData
    tabel: dict
    pegawai: Sequence[tuple[str, int, str]] | None = None


def tulis_lkj(out: Keluaran, data: LkjData) -> None:
    """Write an LKj's tables to ``out``: one sheet per PK table, the budget, the staff."""
    wb = _workbook(out)
    g = _Gaya(wb)
    for t in data.tabel.get("pk") or [{"nomor": "Tabel 3.1", "judul": "Pengukuran Kinerja", "sasaran": []}]:
        _tulis_tabel_capaian(wb.add_worksheet(_bersih(t["nomor"])[:31]), g, data.dasar, t)
    _tulis_anggaran(wb.add_worksheet(SHEET_ANGGARAN), g, data.dasar, data.tabel["anggaran"])
    if data.pegawai:
        _tulis_pegawai(wb.add_worksheet(SHEET_PEGAWAI), g, data.dasar, data.pegawai)
    # Absent from an LKj frozen before the benchmark; no sheet without an indikator to compare.
    if (data.tabel.get("banding") or {}).get("baris"):
        _tulis_banding(wb.add_worksheet(SHEET_BANDING), g, data.dasar, data.tabel["banding"])
    _metadata(wb, g, data.dasar.meta)
    wb.close()


def _kepala_tabel(ws, g: _Gaya, kolom: Sequence[tuple[str, float]], nomor: str) -> int:
    """The header row, then the numbering row (``nomor`` formats 1, 2, ...): returns the first data row."""
    h = L.HEADER_ROW - 1
    for col, (label, width) in enumerate(kolom):
        ws.set_column(col, col, width)
        ws.write_string(h, col, label, g.header)
    ws.set_row(h, 30)
    for col in range(len(kolom)):
        ws.write_string(h + 1, col, nomor.format(col + 1), g.nomor_kolom)
    return h + 2


def _selesai(ws, g: _Gaya, d: DokumenData, row: int, kolom: Sequence[tuple[str, float]], first_data: int) -> None:
    """Signature block over the right-hand columns, frozen header, print setup."""
    last_col = len(kolom) - 1
    final_row = _tanda_tangan(ws, g, row + 1, d, slots=[(max(1, last_col - 2), last_col)])
    ws.freeze_panes(first_data, 0)
    _cetak(ws, header_first=L.HEADER_ROW - 1, header_last=first_data - 1, last_row=final_row, last_col=last_col,
           keterangan=d.keterangan)


def _nilai_tertulis(ws, g: _Gaya, row: int, col: int, teks: str | None) -> None:
    """A target or realisasi as the tables print it ("100%", "2 Laporan", "B"): a number with
    its format where it reads as a target, else the text itself (never a formula)."""
    teks = _bersih(teks).strip()
    try:
        target = baca_target(teks) if teks else None
    except TargetError:
        ws.write_string(row, col, teks, g.target(None))
        return
    _target(ws, g, row, col, target)


def _capaian(ws, g: _Gaya, row: int, col: int, persen: str | None, teks: str | None, tebal: bool = False) -> None:
    """Capaian as a number (see CAPAIAN_FORMAT); a grade's "tercapai" or "-" stays text."""
    if persen is not None:
        ws.write_number(row, col, float(Decimal(persen)), g.target(CAPAIAN_FORMAT, tebal))
    elif teks:
        ws.write_string(row, col, _bersih(teks), g.target(None, tebal))
    else:
        ws.write_blank(row, col, None, g.target(None, tebal))


def _tulis_tabel_capaian(ws, g: _Gaya, d: DokumenData, t: dict) -> None:
    widths = [w for _label, w in LKJ_KOLOM]
    last = len(widths) - 1
    _judul(ws, g, Judul(f"{t['nomor']}\n{t['judul']}".upper(), d.judul.unit, d.judul.tahun), last, sum(widths))
    row = first_data = _kepala_tabel(ws, g, LKJ_KOLOM, "({})")
    tujuan_sebelum = None
    for s in t["sasaran"]:
        tujuan = _bersih(s.get("tujuan")) or None
        if tujuan and tujuan != tujuan_sebelum:
            ws.write_blank(row, 0, None, g.tujuan)
            _gabung(ws, row, 1, row, last, tujuan, g.tujuan)
            ws.set_row(row, _height(_lines(tujuan, sum(widths[1:]))))
            row += 1
        tujuan_sebelum = tujuan
        row = _baris_sasaran(ws, g, row, s, widths)
    if not t["sasaran"]:
        _gabung(ws, row, 0, row, last, "Belum ada Perjanjian Kinerja tahun ini.", g.teks)
        row += 1
    _selesai(ws, g, d, row, LKJ_KOLOM, first_data)


def _baris_sasaran(ws, g: _Gaya, row: int, s: dict, widths: list[float]) -> int:
    """One sasaran: its number and text merged down over its indikator. Returns the next row."""
    return _sasaran_bergabung(ws, g, row, s["no"], s["uraian"], s["indikator"], widths,
                              lambda r, i: _indikator_lkj(ws, g, r, i, widths))


def _indikator_lkj(ws, g: _Gaya, r: int, i: dict | None, widths: list[float]) -> int:
    """One indikator row of Tabel 3.x (empty cells for a sasaran without one); returns its lines."""
    if i is None:
        for col in range(2, 6):
            ws.write_blank(r, col, None, g.teks)
        return 1
    _teks(ws, r, 2, i["uraian"], g.teks)
    _nilai_tertulis(ws, g, r, 3, i["target"])
    _nilai_tertulis(ws, g, r, 4, i["realisasi"])
    _capaian(ws, g, r, 5, i["persen"], i["capaian"])
    return _lines(i["uraian"], widths[2])


def _tulis_anggaran(ws, g: _Gaya, d: DokumenData, a: dict) -> None:
    widths = [w for _label, w in ANGGARAN_KOLOM]
    last = len(widths) - 1
    _judul(ws, g, Judul(f"REALISASI ANGGARAN TAHUN {d.judul.tahun}", d.judul.unit, d.judul.tahun), last, sum(widths))
    row = first_data = _kepala_tabel(ws, g, ANGGARAN_KOLOM, "{}")
    for b in a["baris"]:
        nama = b["nama"] or ", ".join(b.get("kode_output") or [])
        _teks(ws, row, 0, b["kode"], g.tengah)
        _teks(ws, row, 1, nama, g.teks)
        ws.write_number(row, 2, b["anggaran"], g.rupiah)
        ws.write_number(row, 3, b["realisasi"], g.rupiah)
        _capaian(ws, g, row, 4, b["persen"], b["capaian"])
        ws.set_row(row, _height(_lines(nama, widths[1])))
        row += 1
    # Totals as values computed by the software (workflow.lkj.tabel), like every export.
    _gabung(ws, row, 0, row, 1, L.TOTAL_LABEL, g.total)
    ws.write_number(row, 2, a["anggaran"], g.total_rupiah)
    ws.write_number(row, 3, a["realisasi"], g.total_rupiah)
    _capaian(ws, g, row, 4, a["persen"], a["capaian"], tebal=True)
    if a.get("sumber"):
        row += 1
        ws.write_string(row, 0, f"Sumber: baris {JenisDokumen(a['sumber']).label} dan realisasinya.", g.catatan_kiri)
    _selesai(ws, g, d, row + 1, ANGGARAN_KOLOM, first_data)


def _tulis_banding(ws, g: _Gaya, d: DokumenData, b: dict) -> None:
    """The benchmark (workflow.banding.cetak): per indikator, n and quartiles of each group, as text."""
    kolom = [("NO", 6), ("INDIKATOR KINERJA", 44), ("CAPAIAN", 12)] + [
        (f"{c.upper()} ({judul})", 12 if c != "Posisi" else 24) for judul in banding.kelompok_judul(b)
        for c in banding.KOLOM_KELOMPOK]
    widths = [w for _label, w in kolom]
    _judul(ws, g, Judul(banding.JUDUL.upper(), d.judul.unit, d.judul.tahun), len(kolom) - 1, sum(widths))
    row = first_data = _kepala_tabel(ws, g, kolom, "{}")
    for r in banding.baris(b):
        for col, teks in enumerate(r):
            _teks(ws, row, col, teks, g.teks if col == 1 else g.tengah)
        ws.set_row(row, _height(_lines(r[1], widths[1])))
        row += 1
    ws.write_string(row, 0, banding.catatan(b), g.catatan_kiri)
    _selesai(ws, g, d, row + 1, kolom, first_data)


def _tulis_pegawai(ws, g: _Gaya, d: DokumenData, pegawai: Sequence[tuple[str, int, str]]) -> None:
    widths = [w for _label, w in PEGAWAI_KOLOM]
    last = len(widths) - 1
    _judul(ws, g, Judul("JUMLAH PEGAWAI MENURUT STATUS KEPEGAWAIAN", d.judul.unit, d.judul.tahun), last, sum(widths))
    row = first_data = _kepala_tabel(ws, g, PEGAWAI_KOLOM, "({})")
    total = sum(n for _label, n, _share in pegawai)
    for no, (label, n, _share) in enumerate(pegawai, start=1):
        ws.write_number(row, 0, no, g.tengah)
        _teks(ws, row, 1, label, g.teks)
        ws.write_number(row, 2, n, g.tengah)
        _capaian(ws, g, row, 3, str(Decimal(n) * 100 / total) if total else None, "-")
        row += 1
    _gabung(ws, row, 0, row, 1, L.TOTAL_LABEL, g.total)
    ws.write_number(row, 2, total, g.target(None, True))
    _capaian(ws, g, row, 3, "100" if total else None, "-", tebal=True)
    _selesai(ws, g, d, row + 1, PEGAWAI_KOLOM, first_data)


def lkj_data(dokumen: Dokumen, revisi: Revisi) -> LkjData:
    """One LKj revision as plain data; its tables as frozen at submit (live while a draft)."""
    dasar = dokumen_data(dokumen, revisi)
    # Signed as the seed prints it: "Komisi Pemilihan Umum Kabupaten Balangan / Ketua, / name".
    office = printed.nama_lengkap(dokumen.satker.nama)
    dasar.penandatangan = [replace(p, kapasitas=office, jabatan=p.kapasitas) for p in dasar.penandatangan]
    return LkjData(dasar=dasar, tabel=laporan.tabel(object_session(revisi), revisi), pegawai=lkj.pegawai(revisi.lkj))


# -- the recap ------------------------------------------------------------------------------

REKAP_LEFT = (("no", "No", 5), ("kode", "Kode", 8), ("satker", None, 34), ("status", "Status PK", 15),
              ("revisi", "Revisi", 7))
REKAP_TARGET_WIDTH = 16


def tulis_rekap(out: Keluaran, data: RekapData) -> None:
    """Write a recap (offices x indikator) to ``out``, streaming (constant memory)."""
    wb = _workbook(out, constant_memory=True)
    g = _Gaya(wb)
    ws = wb.add_worksheet("Rekap")
    kolom = list(data.indikator) or [data.catatan or "Belum ada indikator"]
    last_t = len(REKAP_LEFT) + len(kolom) - 1
    n = _kepala_rekap(ws, g, data, kolom)
    row, jumlah = _baris_rekap(ws, g, data.baris, n + 1, len(kolom))
    ringkasan = ", ".join(f"{status}: {count}" for status, count in sorted(jumlah.items()))
    _gabung(ws, row, 0, row, last_t, f"{L.TOTAL_LABEL} satker: {sum(jumlah.values())}"
            + (f" ({ringkasan})" if ringkasan else ""), g.total)
    last = row
    ws.freeze_panes(n + 1, 3)
    _cetak(ws, header_first=L.HEADER_ROW - 1, header_last=n, last_row=last, last_col=last_t, keterangan=data.keterangan)
    ws.repeat_columns(0, 2)
    _metadata(wb, g, data.meta)
    wb.close()


def _kepala_rekap(ws, g: _Gaya, data: RekapData, kolom: list[str]) -> int:
    """Widths, title, the two header rows (the indikator under one heading) and the
    numbering row, written in order as streaming needs; returns the numbering row."""
    left = len(REKAP_LEFT)
    first_t, last_t = left, left + len(kolom) - 1
    target_width = REKAP_TARGET_WIDTH if data.indikator else 40
    for col, (_key, _label, width) in enumerate(REKAP_LEFT):
        ws.set_column(col, col, width)
    ws.set_column(first_t, last_t, target_width)

    _judul(ws, g, data.judul, last_t, sum(w for _k, _l, w in REKAP_LEFT) + len(kolom) * target_width)
    h = L.HEADER_ROW - 1
    group = "Target Indikator Kinerja (Perjanjian Kinerja Komisi)"
    ws.set_row(h, max(30.0, _height(_lines(group, len(kolom) * target_width))))
    for col, (_key, label, _w) in enumerate(REKAP_LEFT):
        ws.write_string(h, col, label or data.kolom_satker, g.header)
    _gabung(ws, h, first_t, h, last_t, group, g.header)
    for col in range(left):
        _gabung_terdaftar(ws, h, col, h + 1, col)
    ws.set_row(h + 1, _height(max(_lines(k, target_width) for k in kolom)))
    for col in range(left):
        ws.write_blank(h + 1, col, None, g.header)
    for i, text in enumerate(kolom):
        _teks(ws, h + 1, first_t + i, text, g.header)
    n = h + 2
    for col in range(first_t + len(kolom)):
        ws.write_string(n, col, f"({col + 1})", g.nomor_kolom)
    return n


def _baris_rekap(ws, g: _Gaya, baris: Iterable[BarisRekapData], row: int, n_kolom: int) -> tuple[int, dict[str, int]]:
    """One row per office from ``row``, strictly in order; returns the row after them and
    how many offices have each status."""
    first_t = len(REKAP_LEFT)
    jumlah: dict[str, int] = {}
    for no, b in enumerate(baris, start=1):
        ws.set_row(row, _height(_lines(b.nama, REKAP_LEFT[2][2])))
        ws.write_number(row, 0, no, g.tengah)
        ws.write_string(row, 1, _bersih(b.kode), g.tengah)
        ws.write_string(row, 2, _bersih(b.nama), g.teks)
        ws.write_string(row, 3, _bersih(b.status), g.tengah)
        if b.revisi is None:
            ws.write_blank(row, 4, None, g.tengah)
        else:
            ws.write_number(row, 4, b.revisi, g.tengah)
        for i in range(n_kolom):
            cell = b.target[i] if i < len(b.target) else None
            if isinstance(cell, str):
                ws.write_string(row, first_t + i, _bersih(cell), g.target(None))
            else:
                _target(ws, g, row, first_t + i, cell)
        jumlah[b.status] = jumlah.get(b.status, 0) + 1
        row += 1
    return row, jumlah


def _normal(text: str) -> str:
    """Indikator text for matching across offices: case, spacing and "/ " do not count."""
    text = re.sub(r"\s*/\s*", "/", " ".join((text or "").split()))
    return text.casefold()


def rekap_data(session: Session, satker: Satker, tahun: int, satker_filter=None) -> RekapData:
    """The recap of a province (its own PK Komisi, then each kabupaten/kota) or of KPU RI
    (every office), columns the indikator of ``satker``'s own PK Komisi matched by text.

    ``satker_filter`` (an SQL condition on Satker, e.g. ``tenants.scoping.satker_filter``)
    keeps only the offices a user may see. Three statements, whatever the number of offices.
    """
    if satker.tingkat is Tingkat.KABKOTA:
        raise ValueError("rekap hanya untuk KPU Provinsi dan KPU RI")
    scope = _lingkup_rekap(satker, satker_filter)
    offices = session.execute(
        select(Satker.id, Satker.kode, Satker.nama).where(*scope).order_by(Satker.path)).all()
    documents = select(Dokumen.satker_id, Dokumen.status, Dokumen.nomor_revisi, Revisi.id.label("revisi_id")).join(
        Revisi, (Revisi.dokumen_id == Dokumen.id) & (Revisi.nomor == Dokumen.nomor_revisi)
    ).where(Dokumen.jenis == JenisDokumen.PK_KOMISI, Dokumen.tahun == tahun,
            Dokumen.satker_id.in_(select(Satker.id).where(*scope)))
    pk = {r.satker_id: r for r in session.execute(documents)}
    targets = _target_rekap(session, documents)

    own = pk.get(satker.id)
    columns = [(norm, text) for norm, _t, text in targets.get(own.revisi_id, [])] if own else []
    catatan = None if own else f"PK Komisi {satker.nama} tahun {tahun} belum ada: belum ada kolom indikator."
    nasional = satker.tingkat is Tingkat.PUSAT
    return RekapData(
        judul=Judul(f"REKAPITULASI TARGET PERJANJIAN KINERJA {'SATKER KPU' if nasional else 'KABUPATEN/KOTA'} "
                    f"{satker.nama.upper()} TAHUN {tahun}", satker.nama.upper(), tahun),
        indikator=[text for _norm, text in columns],
        baris=_baris_rekap_data(offices, pk, targets, columns),
        meta={"format": L.FORMAT, "dokumen_id": "", "satker": satker.kode, "tahun": tahun, "jenis": L.JENIS_REKAP,
              "revisi": "", "versi": "", "hash_isi": "", "bentuk_jadwal": "",
              "diekspor_pada": datetime.now(timezone.utc).isoformat(timespec="seconds")},
        kolom_satker="Satker" if nasional else "Kabupaten/Kota",
        keterangan=f"Rekap PK Komisi {satker.nama} {tahun}",
        catatan=catatan,
    )


def _lingkup_rekap(satker: Satker, satker_filter) -> list:
    """The offices a recap covers: a province and its kabupaten/kota, or every office below
    KPU RI; only those ``satker_filter`` lets through."""
    if satker.tingkat is Tingkat.PROVINSI:
        scope = [(Satker.id == satker.id) | (Satker.parent_id == satker.id)]
    else:
        scope = [Satker.path.startswith(satker.path, autoescape=True)]
    if satker_filter is not None:
        scope.append(satker_filter)
    return scope


def _target_rekap(session: Session, documents) -> dict[int, list[tuple[str, Target | None, str]]]:
    """Per PK revision, its indikator in order: (text for matching, target, text)."""
    revisi_ids = select(documents.subquery().c.revisi_id)
    targets: dict[int, list[tuple[str, Target | None, str]]] = {}
    for r in session.execute(
        select(Indikator.revisi_id, Indikator.uraian, Indikator.jenis_target, Indikator.target_nilai,
               Indikator.target_kode, Indikator.satuan)
        .join(Sasaran, Sasaran.id == Indikator.sasaran_id)
        .where(Indikator.revisi_id.in_(revisi_ids))
        .order_by(Indikator.revisi_id, Sasaran.urutan, Indikator.urutan)
    ):
        complete = r.target_kode is not None if r.jenis_target in (JenisTarget.PREDIKAT, JenisTarget.OPINI) \
            else r.target_nilai is not None
        target = Target(r.jenis_target, r.target_nilai, r.target_kode, r.satuan) if complete else None
        targets.setdefault(r.revisi_id, []).append((_normal(r.uraian), target, r.uraian))
    return targets


def _baris_rekap_data(offices, pk: dict, targets: dict[int, list[tuple[str, Target | None, str]]],
                      columns: list[tuple[str, str]]) -> Iterator[BarisRekapData]:
    """One row per office, as it is written (a generator: the recap streams)."""
    wanted = {norm for norm, _text in columns}
    # The k-th column of a text takes the k-th indikator of that text in each office.
    occurrence, seen = [], {}
    for norm, _text in columns:
        occurrence.append(seen.get(norm, 0))
        seen[norm] = occurrence[-1] + 1
    for office in offices:
        doc = pk.get(office.id)
        if doc is None:
            yield BarisRekapData(office.kode, office.nama, BELUM_ADA, None, [None] * len(columns))
            continue
        by_text: dict[str, list] = {}
        for norm, target, _text in targets.get(doc.revisi_id, []):
            if norm in wanted:
                by_text.setdefault(norm, []).append(target)
        cells = []
        for (norm, _text), k in zip(columns, occurrence):
            found = by_text.get(norm, [])
            cells.append(found[k] if k < len(found) else TIDAK_ADA)
        yield BarisRekapData(office.kode, office.nama, doc.status.label, doc.nomor_revisi, cells)


def rekap_xlsx(session: Session, satker: Satker, tahun: int, satker_filter=None) -> bytes:
    out = io.BytesIO()
    tulis_rekap(out, rekap_data(session, satker, tahun, satker_filter))
    return out.getvalue()
