"""Finding the table in a sheet and reading its rows.

The header row is found by its labels (case, spacing and punctuation do not matter), not
by position: the first row among the first 60 that names the indikator column and at
least two other known columns. The labels of the exported layout (workflow.sheet_layout)
are among the known ones, next to those offices use ("Sasaran Kegiatan", "Rencana
Pelaksanaan", "Pelaksanaan" for the pelaksana, ...). The schedule block is the run of
unnamed columns whose sub-header, in the header row or one of the two below it, reads
as 12 months (``1``..``12``, ``B1``..``B12``, month names), 4 quarters (``TW1``..``TW4``,
``TW I``..``TW IV``, or ``1``..``4`` / ``I``..``IV`` under a "TW" or "Triwulan" heading), or
48 weeks (``1.1``..``12.4``, or a month row above a ``1``..``4`` row). A month cell may
hold "minggu ke 1-4" instead of a mark.

Then, row by row: empty rows, repeated header rows (a PDF table broken over pages),
numbering rows ("(1) (2) (3)" or "1 2 3") and total rows ("Jumlah") are skipped. In an
office table with a "No" column, a row with no number, target, marks, cost or pelaksana
continues the row above (the rest of a cell a page break cut off). After an empty row,
a row that is not part of a table ends it (the signature block). In an office table an
empty sasaran cell repeats the sasaran above (Kubu Raya's habit); in an exported file,
where merged cells are read through their merge, an empty cell stays empty.

A sheet's rows are pulled from the file as they are needed (``berkas.BarisBertahap``): the
reader never asks for the sheet's length, so a table refused at its 2001st row stops
reading there.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from openpyxl.utils import get_column_letter

from tenants.teks import _
from workflow import schedule, sheet_layout
from workflow.dokumen.models import Bentuk, JenisDokumen
from workflow.imports import kolom as kolom_isi
from workflow.imports.berkas import MAX_BARIS, MAX_BARIS_TABEL, BarisLembar, BerkasDitolak, Buku, Lembar, teks
from workflow.imports.sel import (NilaiSalah, baca_biaya, baca_pelaksana, baca_tanda, kode_di_akhir, kutip, norm,
                                  pisah_kegiatan, teks_target)
from workflow.schedule import BentukJadwal

MAX_TEKS_SEL = 4000  # what operations accept for one text


@dataclass(frozen=True)
class Masalah:
    """A problem with where it is: "Baris 12, kolom Perkiraan Biaya (H): 'sepuluh juta' bukan jumlah rupiah"."""

    pesan: str
    baris: int | None = None          # the row as the user sees it (sheet row or pasted line)
    kolom: str | None = None          # the column letter ("H"), or its number in pasted text
    nama_kolom: str | None = None     # the column's label as written in the file
    baris_dokumen: str | None = None  # the row of the document it lands in ("Baris 3"), set by the dry run

    def __str__(self) -> str:
        where = []
        if self.baris is not None:
            where.append(_("Baris %(no)s", no=self.baris))
        if self.nama_kolom and self.kolom:
            where.append(_("kolom %(nama)s (%(huruf)s)", nama=self.nama_kolom, huruf=self.kolom))
        elif self.nama_kolom or self.kolom:
            where.append(_("kolom %(nama)s", nama=self.nama_kolom or self.kolom))
        return (", ".join(where) + ": " if where else "") + self.pesan


def _baris_ke(lembar: Lembar, i: int) -> BarisLembar | None:
    """Row ``i`` of the sheet, or None past its end (without reading to the end)."""
    try:
        return lembar.baris[i]
    except IndexError:
        return None


def _potong(lembar: Lembar, start: int, stop: int | None = None) -> Iterator[tuple[int, BarisLembar]]:
    """(index, row) from ``start`` up to ``stop`` (the end when None), read as iterated."""
    return enumerate(islice(lembar.baris, start, stop), start=start)


# -- labels -----------------------------------------------------------------------------------

def _labels(pairs) -> dict[str, str]:
    return {norm(label): key for key, label in pairs}


_RAK_LABELS: dict[str, str] = {
    **{w: "no" for w in ("no", "nomor", "no urut")},
    **{w: "sasaran" for w in ("sasaran", "sasaran program", "sasaran kegiatan", "sasaran strategis", "sasaran kinerja")},
    **{w: "indikator" for w in ("indikator", "indikator kinerja", "indikator kinerja kegiatan", "indikator kinerja program",
                                "indikator kinerja utama", "iku", "indikator kinerja sasaran")},
    **{w: "target" for w in ("target", "target kinerja", "target tahunan")},
    **{w: "kegiatan" for w in ("kegiatan", "kegiatan yang akan dilaksanakan", "rencana kegiatan", "uraian kegiatan",
                               "rencana aksi", "aksi", "kegiatan rencana aksi", "rincian kegiatan")},
    **{w: "kode_output" for w in ("kode output", "kode", "kode kegiatan", "kode output anggaran", "kode ro")},
    **{w: "biaya" for w in ("perkiraan biaya", "biaya", "anggaran", "pagu", "perkiraan anggaran", "pagu anggaran",
                            "rencana biaya", "jumlah biaya", "biaya rp", "anggaran rp", "perkiraan biaya rp")},
    **{w: "pelaksana" for w in ("pelaksana", "pelaksanaan", "penanggung jawab", "penanggungjawab", "unit pelaksana", "pj",
                                "unit kerja", "pelaksana kegiatan")},
    **{w: "jadwal" for w in ("bulan pelaksanaan", "rencana pelaksanaan", "jadwal pelaksanaan", "waktu pelaksanaan",
                             "jadwal", "bulan", "triwulan", "minggu", "jadwal kegiatan", "pelaksanaan kegiatan",
                             "tahapan pelaksanaan", "bulan ke", "minggu pelaksanaan", "triwulan pelaksanaan",
                             "rencana waktu pelaksanaan", "jadwal pelaksanaan kegiatan", "waktu")},
    "kunci": "kunci",
    **_labels(sheet_layout.RAK_BEFORE_SCHEDULE), **_labels(sheet_layout.RAK_AFTER_SCHEDULE),
    norm(sheet_layout.RAK_SCHEDULE_HEADER): "jadwal", norm(sheet_layout.KUNCI_HEADER): "kunci",
}
_PK_LABELS: dict[str, str] = {
    **{w: "no" for w in ("no", "nomor")},
    **{w: "sasaran" for w in ("sasaran", "sasaran strategis", "sasaran kegiatan", "sasaran program", "sasaran kinerja")},
    **{w: "indikator" for w in ("indikator", "indikator kinerja", "indikator kinerja utama", "iku",
                                "indikator kinerja sasaran", "indikator kinerja kegiatan", "indikator kinerja program")},
    **{w: "target" for w in ("target", "target kinerja", "target tahunan")},
    "kunci": "kunci", "kunci sasaran": "kunci_sasaran",
    **_labels(sheet_layout.PK_COLUMNS), **{norm(k): k for k in sheet_layout.PK_HIDDEN},
}
_PROGRAM_LABELS: dict[str, str] = {
    **{w: "no" for w in ("no", "nomor")},
    **{w: "kode" for w in ("kode", "kode program")},
    **{w: "nama" for w in ("program", "nama program", "nama")},
    **{w: "anggaran" for w in ("anggaran", "pagu", "jumlah anggaran", "anggaran rp", "pagu anggaran")},
    **_labels(sheet_layout.PROGRAM_COLUMNS),
}


def _field(label: str, labels: dict[str, str]) -> str | None:
    if not label:
        return None
    if label in labels:
        return labels[label]
    # "Target 2024", "Indikator Kinerja Utama (IKU)", "Perkiraan Biaya (Rp)"
    for prefix, key in (("indikator", "indikator"), ("sasaran", "sasaran"), ("target", "target"),
                        ("perkiraan biaya", "biaya"), ("kegiatan", "kegiatan")):
        if label.startswith(prefix + " ") and key in labels.values():
            if key == "target" and "pelaksanaan" in label:
                continue
            return key
    return None


def _fields(row: BarisLembar, labels: dict[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in enumerate(row.nilai):
        if col in row.gabungan:
            continue
        key = _field(norm(value), labels)
        if key and key not in found:
            found[key] = col
    return found


def adalah_judul(bentuk: Bentuk):
    """A test of a header line by its (normalized) labels: the indikator and two other columns."""
    labels = _RAK_LABELS if bentuk is Bentuk.RAK else _PK_LABELS

    def test(values: list[str]) -> bool:
        found = {_field(v, labels) for v in values} - {None}
        return "indikator" in found and len(found) >= 3
    return test


# -- schedule sub-headers ----------------------------------------------------------------------

_BULAN_NAMA = {nama.casefold(): no for no, nama in enumerate(schedule.BULAN, start=1)} | {
    nama[:3].casefold(): no for no, nama in enumerate(schedule.BULAN, start=1)} | {"agt": 8, "ags": 8, "okt": 10, "nop": 11}
_ROMAWI = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _label_jadwal(value: Any) -> tuple[str, int, int] | None:
    """("bulan", m, 0), ("tw", q, 0), ("minggu", m, w), ("mg", 0, w) for a sub-header cell."""
    text = teks(value).casefold().strip()
    if not text:
        return None
    if m := re.fullmatch(r"(?:b|bln|bulan)?\s*(\d{1,2})", text):
        n = int(m[1])
        return ("bulan", n, 0) if 1 <= n <= 12 else ("x", n, 0)
    if text.rstrip(".") in _BULAN_NAMA:
        return "bulan", _BULAN_NAMA[text.rstrip(".")], 0
    if m := re.fullmatch(r"(?:tw|triwulan|trw|q)\s*[-.]?\s*(iv|i{1,3}|[1-4])", text):
        return "tw", int(_ROMAWI.get(m[1], m[1])), 0
    if m := re.fullmatch(r"(\d{1,2})\s*\.\s*([1-4])", text):
        return ("minggu", int(m[1]), int(m[2])) if 1 <= int(m[1]) <= 12 else None
    if m := re.fullmatch(r"(?:m|mg|minggu)\s*(?:ke)?\s*-?\s*([1-4])", text):
        return "mg", 0, int(m[1])
    return None


@dataclass(frozen=True)
class KolomJadwal:
    indeks: int                 # column, 0-based
    minggu: tuple[int, ...]     # the week indices 0..47 the column covers
    bulan: bool                 # a month column: "minggu ke 1-4" may be written in it


def _minggu_bawah(value: Any) -> int | None:
    """A week sub-header under a month: ``1``..``4``, ``M1``, ``Minggu 1``."""
    text = teks(value).casefold().strip()
    if m := re.fullmatch(r"(?:m|mg|minggu)?\s*(?:ke)?\s*-?\s*([1-4])", text):
        return int(m[1])
    return None


_TRIWULAN = re.compile(r"^(?:tw|trw|triwulan|kuartal)\b")


def _triwulan_di(rows: list[BarisLembar]) -> bool:
    """Whether a header row names quarters ("TW", "Triwulan") over the row below it."""
    return any(_TRIWULAN.match(norm(v)) for r in rows for v in r.nilai if teks(v))


def _label_triwulan(value: Any) -> tuple[str, int, int] | None:
    """Under a "TW"/"Triwulan" heading, ``1``..``4`` and ``I``..``IV`` are the quarters."""
    text = teks(value).casefold().strip().rstrip(".")
    if text in _ROMAWI:
        return "tw", _ROMAWI[text], 0
    if text in ("1", "2", "3", "4"):
        return "tw", int(text), 0
    return _label_jadwal(value)


def _jadwal_dari(row: BarisLembar, below: BarisLembar | None, cols: list[int], triwulan: bool = False
                 ) -> tuple[BentukJadwal, list[KolomJadwal], int] | None:
    """The schedule columns read from ``row`` (and ``below`` for weeks under months):
    (shape, columns, header rows used), or None when the row does not name a schedule.
    ``triwulan``: a row above names quarters ("TW" over "1 2 3 4", "Triwulan" over "I II III IV")."""
    label = _label_triwulan if triwulan else _label_jadwal
    parsed = {c: label(row.nilai[c]) if c < len(row.nilai) else None for c in cols}
    kinds = {p[0] for p in parsed.values() if p}
    full = [(m, w) for m in range(1, 13) for w in range(1, 5)]
    if kinds == {"bulan"}:
        months = sorted((c, p[1]) for c, p in parsed.items() if p)
        if sorted({m for _, m in months}) != list(range(1, 13)):
            return None
        if below is not None:  # weeks under the months (a month written once, or merged, over 4 columns)
            weeks = sorted((c, w) for c in cols if c < len(below.nilai) and (w := _minggu_bawah(below.nilai[c])))
            if len(weeks) == 48:
                out = []
                for c, w in weeks:
                    month = max((mc for mc, _ in months if mc <= c), default=None)
                    out.append((c, dict(months)[month] if month is not None else 0, w))
                if sorted((m, w) for _, m, w in out) == full:
                    return BentukJadwal.MINGGU, [KolomJadwal(c, ((m - 1) * 4 + w - 1,), False) for c, m, w in out], 2
        if len(months) != 12:
            return None
        return BentukJadwal.BULAN, [KolomJadwal(c, tuple(range((m - 1) * 4, m * 4)), True) for c, m in months], 1
    if kinds == {"tw"}:
        quarters = sorted((c, p[1]) for c, p in parsed.items() if p)
        if sorted(q for _, q in quarters) == [1, 2, 3, 4]:
            return BentukJadwal.TRIWULAN, [KolomJadwal(c, tuple(range((q - 1) * 12, q * 12)), False) for c, q in quarters], 1
    if kinds == {"minggu"}:
        weeks48 = sorted((c, p[1], p[2]) for c, p in parsed.items() if p)
        if sorted((m, w) for _, m, w in weeks48) == full:
            return BentukJadwal.MINGGU, [KolomJadwal(c, ((m - 1) * 4 + w - 1,), False) for c, m, w in weeks48], 1
    return None


def _cari_jadwal(lembar: Lembar, i: int, cols: list[int]) -> tuple[BentukJadwal, list[KolomJadwal], int] | None:
    """The schedule under the header row ``i``: (shape, columns, header rows)."""
    for k in range(3):
        if (current := _baris_ke(lembar, i + k)) is None:
            return None
        above = [r for j in range(max(i - 1, 0), i + k) if (r := _baris_ke(lembar, j)) is not None]
        below = _baris_ke(lembar, i + k + 1)
        # Quarters named over "1 2 3 4" or "I II III IV"; "TW I" over months 1..3 is a month
        # table, read by the months below it.
        got = (k > 0 and _triwulan_di(above) and _jadwal_dari(current, below, cols, True)) \
            or _jadwal_dari(current, below, cols)
        if got and got[0] is BentukJadwal.TRIWULAN and below is not None and k < 2:
            finer = _jadwal_dari(below, _baris_ke(lembar, i + k + 2), cols)
            if finer and finer[0] is not BentukJadwal.TRIWULAN:
                return finer[0], finer[1], k + 1 + finer[2]
        if got:
            return got[0], got[1], k + got[2]
    return None


# -- the table's layout --------------------------------------------------------------------------

@dataclass
class TataLetak:
    judul: int                              # index in Lembar.baris of the header row
    tinggi: int                             # header rows (the header row and the schedule's sub-headers)
    kolom: dict[str, int]                   # field -> column (0-based)
    nama: dict[str, str]                    # field -> label as written
    bentuk: BentukJadwal | None = None
    jadwal: list[KolomJadwal] = field(default_factory=list)
    tersirat: list[tuple[int, str]] = field(default_factory=list)   # (column, field) read by content
    tanpa_judul: list[tuple[int, list[str]]] = field(default_factory=list)  # columns with data, unread
    dipilih: list[tuple[int, str]] = field(default_factory=list)    # (column, field) the user chose
    terbuka: list[KolomTerbuka] = field(default_factory=list)        # the columns without heading


_DIBACA = ("biaya", "pelaksana", "kode_output")
# What a column without heading may be assigned on the dry-run page ("bulan_3": March).
PILIHAN = ("biaya", "pelaksana", "kode_output", "kegiatan", "target", "abaikan")


@dataclass(frozen=True)
class KolomTerbuka:
    """A column with data and no heading, shown on the dry run so the user may say what it is."""

    no: int                     # 1-based, as the form names it (kolom_<no>)
    huruf: str                  # as the user sees it: "18" in pasted text, "R" in a workbook
    contoh: tuple[str, ...]     # up to three of its values
    bidang: str | None          # what it is read as (a field, "bulan_3", "abaikan"), None: not read
    dipilih: bool               # the user's choice, not the reader's

    @property
    def nama(self) -> str | None:
        return nama_pilihan(self.bidang) if self.bidang else None


def pilihan_sah(bidang: str) -> bool:
    """Whether ``bidang`` is something a column may be assigned (a field, a month, or ignored)."""
    if bidang in PILIHAN:
        return True
    m = re.fullmatch(r"bulan_(\d{1,2})", bidang)
    return bool(m) and 1 <= int(m[1]) <= 12


def _huruf(lembar: Lembar, col: int) -> str:
    """A column as the user sees it: its number in pasted text, its letter in a workbook."""
    return str(col + 1) if lembar.tempel else get_column_letter(col + 1)


def _isi_tanpa_judul(lembar: Lembar, layout: TataLetak, pilihan: dict[int, str]) -> None:
    """Columns without a heading: what the user chose for them (``pilihan``, 0-based), else
    recognised by their cells, or listed (see workflow.imports.kolom)."""
    start = layout.judul + layout.tinggi
    rows = [r for _i, r in _potong(lembar, start, start + 400)]
    width = max((len(r.nilai) for r in rows), default=0)
    used = set(layout.kolom.values()) | {k.indeks for k in layout.jadwal}
    kosong = [c for c in range(width) if c not in used and any(c < len(r.nilai) and teks(r.nilai[c]) for r in rows)]
    chosen = {c: b for c, b in pilihan.items() if c in kosong and pilihan_sah(b)}
    for c, bidang in chosen.items():
        _pakai_pilihan(layout, c, bidang)
    hilang = {f for f in _DIBACA if f not in layout.kolom}
    for t in kolom_isi.tebak(rows, [c for c in kosong if c not in chosen], hilang,
                             layout.kolom.get("no", layout.kolom.get("indikator"))):
        layout.kolom[t.bidang] = t.kolom
        layout.nama[t.bidang] = _(kolom_isi.LABEL[t.bidang])
        layout.tersirat.append((t.kolom, t.bidang))
    taken = set(layout.kolom.values()) | {k.indeks for k in layout.jadwal}
    contoh = {c: kolom_isi.berisi(rows, c) for c in kosong}
    layout.tanpa_judul = [(c, contoh[c]) for c in kosong if c not in taken and c not in chosen]
    read = {c: b for b, c in layout.kolom.items()} | dict(layout.dipilih)
    layout.terbuka = [KolomTerbuka(c + 1, _huruf(lembar, c), tuple(contoh[c]), read.get(c), c in chosen)
                      for c in kosong]


def _pakai_pilihan(layout: TataLetak, c: int, bidang: str) -> None:
    """Read column ``c`` as the user said: a field (over a column headed so), a month of
    a monthly schedule, or nothing."""
    layout.dipilih.append((c, bidang))
    if bidang.startswith("bulan_"):
        if layout.bentuk in (None, BentukJadwal.BULAN):
            m = int(bidang.removeprefix("bulan_"))
            layout.bentuk = BentukJadwal.BULAN
            layout.jadwal = [k for k in layout.jadwal if k.minggu[0] // 4 != m - 1]
            layout.jadwal.append(KolomJadwal(c, tuple(range((m - 1) * 4, m * 4)), True))
            layout.jadwal.sort(key=lambda k: k.indeks)
    elif bidang != "abaikan":
        layout.kolom[bidang] = c
        layout.nama[bidang] = _(kolom_isi.LABEL[bidang])


def cari_tata_letak(lembar: Lembar, bentuk: Bentuk, pilihan: dict[int, str] | None = None) -> TataLetak | None:
    """The header row, the columns and the schedule; ``pilihan``: what the user said the
    columns without heading are (0-based column -> field, "bulan_3" or "abaikan")."""
    labels = _RAK_LABELS if bentuk is Bentuk.RAK else _PK_LABELS
    for i, row in enumerate(lembar.baris[:60]):
        found = _fields(row, labels)
        if "indikator" not in found or len(found) < 3:
            continue
        below = _baris_ke(lembar, i + 1)
        # A label split over two header rows ("Perkiraan" / "Biaya").
        if below is not None:
            for col, value in enumerate(row.nilai):
                if col in found.values() or not teks(value) or col >= len(below.nilai):
                    continue
                key = _field(norm(f"{teks(value)} {teks(below.nilai[col])}"), labels)
                if key and key not in found:
                    found[key] = col
        nama = {k: teks(row.nilai[c]) or k for k, c in found.items()}
        layout = TataLetak(judul=i, tinggi=1, kolom={k: c for k, c in found.items() if k != "jadwal"}, nama=nama)
        if bentuk is Bentuk.RAK:
            width = max(len(r.nilai) for r in lembar.baris[i:i + 4])
            used = set(layout.kolom.values())
            cols = [c for c in range(width) if c not in used]
            if got := _cari_jadwal(lembar, i, cols):
                layout.bentuk, layout.jadwal, layout.tinggi = got
            if lembar.tempel or "kunci" not in layout.kolom:
                _isi_tanpa_judul(lembar, layout, pilihan or {})
        return layout
    return None


# -- what is read ---------------------------------------------------------------------------------

@dataclass
class BarisRak:
    nomor: int
    kunci: str | None
    sasaran: str
    indikator: str
    target: str                 # as the operations read it; "" when empty
    kegiatan: list[str]
    kode_output: str | None
    jadwal: str | None          # 48 marks (workflow.schedule); None when the file has no schedule
    biaya: int | None
    pelaksana: str | None
    salah: frozenset[str] = frozenset()   # cells that could not be read (each is a Masalah); not compared


@dataclass
class IndikatorBerkas:
    nomor: int
    kunci: str | None
    uraian: str
    target: str                 # "" when empty
    kolom_target: int | None = None
    salah: frozenset[str] = frozenset()


@dataclass
class SasaranBerkas:
    nomor: int
    kunci: str | None
    uraian: str
    indikator: list[IndikatorBerkas] = field(default_factory=list)
    tujuan: str | None = None


@dataclass
class ProgramBerkas:
    nomor: int
    kode: str
    nama: str
    anggaran: int


@dataclass
class TabelImpor:
    """A RAK, PK or RKT table as read from a file or pasted text, with its problems."""

    jenis: JenisDokumen
    sumber: str                                   # "ekspor" (the exported layout), "kantor" (an office's own), "tempel"
    lembar: str
    kolom: frozenset[str] = frozenset()           # the fields the file has; the others are left as they are
    bentuk: BentukJadwal | None = None            # the schedule's shape in the file (RAK)
    baris: list[BarisRak] = field(default_factory=list)
    sasaran: list[SasaranBerkas] = field(default_factory=list)
    program: list[ProgramBerkas] | None = None    # None: the file has no program table
    meta: dict[str, str] = field(default_factory=dict)
    masalah: list[Masalah] = field(default_factory=list)
    catatan: list[str] = field(default_factory=list)  # what the reader inferred or left out (shown, not blocking)
    letak: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (column letter/number, label)
    terbuka: list[KolomTerbuka] = field(default_factory=list)  # columns without heading (the dry run's picker)

    @property
    def ekspor(self) -> bool:
        return self.sumber == "ekspor"


_NUMBERING = re.compile(r"^\(?\d{1,3}\)?\.?$")
_TOTAL = {"jumlah", "total", "jumlah total", "total biaya", "jumlah biaya", "jumlah anggaran", "total anggaran"}


class _Pembaca:
    """Reads one table's rows, collecting problems with their row and column."""

    def __init__(self, lembar: Lembar, layout: TataLetak, tabel: TabelImpor, labels: dict[str, str]) -> None:
        self.lembar, self.layout, self.tabel, self.labels = lembar, layout, tabel, labels
        self.tabel_ke = 1  # the tables met so far (a paste may hold several)

    def letter(self, col: int) -> str:
        return _huruf(self.lembar, col)

    def masalah(self, row: BarisLembar | int, col: int | None, pesan: str, nama: str | None = None) -> None:
        nomor = row if isinstance(row, int) else row.nomor
        self.tabel.masalah.append(Masalah(pesan, nomor, self.letter(col) if col is not None else None, nama))

    def sel(self, row: BarisLembar, key: str) -> tuple[Any, str | None, int | None]:
        col = self.layout.kolom.get(key)
        if col is None or col >= len(row.nilai):
            return None, None, col
        return row.nilai[col], row.format[col], col

    def teks(self, row: BarisLembar, key: str) -> str:
        return teks(self.sel(row, key)[0])

    def is_header(self, row: BarisLembar) -> bool:
        found = _fields(row, self.labels)
        return "indikator" in found and len(found) >= 3

    def is_numbering(self, row: BarisLembar) -> bool:
        text = self.teks(row, "indikator")
        return bool(_NUMBERING.match(text)) if text else False

    def is_total(self, row: BarisLembar) -> bool:
        """A totals row ("Jumlah"), also when its label is merged over the indikator column."""
        first = next((teks(v) for v in row.nilai if teks(v)), "")
        indikator = self.teks(row, "indikator")
        return norm(first) in _TOTAL and (not indikator or norm(indikator) in _TOTAL)

    def panjang(self, row: BarisLembar, key: str, text: str) -> str:
        if len(text) > MAX_TEKS_SEL:
            self.masalah(row, self.layout.kolom.get(key),
                         _("teks terlalu panjang (paling banyak %(maks)s karakter)", maks=MAX_TEKS_SEL),
                         self.layout.nama.get(key))
            return text[:MAX_TEKS_SEL]
        return text


def _rows(pembaca: _Pembaca):
    """(index, row, after_blank, after_header) for every row that may hold data."""
    layout, lembar = pembaca.layout, pembaca.lembar
    skip_until = layout.judul + layout.tinggi
    blank, header = False, True
    for idx, row in _potong(lembar, skip_until):
        if idx - skip_until >= MAX_BARIS_TABEL:
            # Rows that continue the row above are not data rows: without this, a crafted
            # table of continued rows would be read to the sheet's last row.
            raise BerkasDitolak(_("Tabel terlalu panjang: lebih dari %(maks)s baris lembar kerja di bawah judulnya "
                                  "(baris lanjutan dan baris kosong ikut dihitung); bagi menjadi beberapa berkas.",
                                  maks=MAX_BARIS_TABEL))
        if row.kosong():
            blank = True
            continue
        if pembaca.is_header(row):
            blank, header = False, True
            continue
        if pembaca.is_total(row):
            if pembaca.tabel.ekspor:
                return  # the exported RAK ends with its totals row; the signature block follows
            continue
        if blank and pembaca.tabel.ekspor and pembaca.tabel.jenis.bentuk is not Bentuk.RAK:
            return  # the exported PK/RKT table ends at its first empty row
        if pembaca.is_numbering(row) or (header and _is_subheader(row, layout)):
            continue
        if lembar.tempel:
            _geser_target(pembaca, row)
        yield idx, row, blank, header
        blank = header = False


_PERSEN = re.compile(r"^\d{1,3}(?:[.,]\d+)?%$")


def _target_sah(text: str) -> bool:
    try:
        return bool(teks_target(text))
    except NilaiSalah:
        return False


def _geser_target(pembaca: _Pembaca, row: BarisLembar) -> None:
    """A PDF copy sets the target a single space after a long indikator ("... jadwal 100%"),
    or a wrapped indikator's last word under the target: the words go back where they read."""
    tc = pembaca.layout.kolom.get("target")
    if tc is None or tc == 0 or tc - 1 in pembaca.layout.kolom.values() and tc - 1 != pembaca.layout.kolom.get(
            "indikator") or row.teks(tc - 1) == "":
        return
    left, target = row.teks(tc - 1), row.teks(tc)
    head, _sp, last = left.rpartition(" ")
    while len(row.nilai) <= tc:
        row.nilai.append(None)
        row.format.append(None)
    if target and not _target_sah(target):
        if head and _target_sah(f"{last} {target}"):
            row.nilai[tc - 1], row.nilai[tc] = head, f"{last} {target}"
        elif not pembaca.teks(row, "no") and not target.startswith("("):
            # a note in brackets under a target ("(Dakam)") is the target's own second line
            row.nilai[tc - 1], row.nilai[tc] = f"{left} {target}", None
    elif not target and head and pembaca.teks(row, "no") and _PERSEN.match(last):
        row.nilai[tc - 1], row.nilai[tc] = head, last


def _is_subheader(row: BarisLembar, layout: TataLetak) -> bool:
    """A repeated schedule sub-header row ("B1 .. B12") under a repeated header."""
    if not layout.jadwal:
        return False
    cells = [row.nilai[k.indeks] if k.indeks < len(row.nilai) else None for k in layout.jadwal]
    return any(_label_jadwal(v) for v in cells if teks(v) not in ("", "1")) and not any(
        teks(row.nilai[c]) for k, c in layout.kolom.items() if k == "indikator" and c < len(row.nilai))


def _ujung(pembaca: _Pembaca, row: BarisLembar) -> bool:
    """After an empty row: a row with no indikator and no target is past the table."""
    return not pembaca.teks(row, "indikator") and not pembaca.teks(row, "target")


# -- RAK ---------------------------------------------------------------------------------------------

def _tabel_berikut(pembaca: _Pembaca, idx: int) -> int | None:
    """After the table ended at row ``idx`` (an empty row, then no table row): the index of
    the next table's header (a RAK pasted in pieces, each with its header), read with the
    first table's columns; None when there is none; -1 when its columns differ (named in
    the dry run as skipped, never dropped without a word)."""
    lembar, layout, tabel = pembaca.lembar, pembaca.layout, pembaca.tabel
    for j, row in _potong(lembar, idx + 1, layout.judul + MAX_BARIS_TABEL):
        if "no" in layout.kolom and _NUMBERING.match(pembaca.teks(row, "no")):
            return None  # a numbered row comes first: still this table
        if not pembaca.is_header(row):
            continue
        pembaca.tabel_ke += 1
        ke = pembaca.tabel_ke
        if _fields(row, pembaca.labels).get("indikator") == layout.kolom.get("indikator"):
            tabel.catatan.append(_("Tabel ke-%(ke)s (mulai baris %(baris)s) dibaca juga; baris %(dari)s-%(sampai)s "
                                   "di antaranya bukan bagian tabel dan dilewati", ke=ke, baris=row.nomor,
                                   dari=lembar.baris[idx].nomor, sampai=row.nomor - 1))
            return j
        akhir = row.nomor
        for _k, r in _potong(lembar, j + 1, j + MAX_BARIS_TABEL):
            if pembaca.is_header(r):
                break
            akhir = r.nomor if not r.kosong() else akhir
        tabel.catatan.append(_("Tabel ke-%(ke)s (baris %(dari)s-%(sampai)s) dilewati: kolomnya tidak sejajar dengan "
                               "tabel pertama; tempel atau unggah tabel itu tersendiri", ke=ke, dari=row.nomor,
                               sampai=akhir))
        return -1
    return None


@dataclass
class _Mentah:
    row: BarisLembar
    texts: dict[str, str]
    kegiatan: str
    kode: str
    lanjutan: list[str] = field(default_factory=list)   # kegiatan text of the rows continuing this one


def _baca_rak(pembaca: _Pembaca) -> None:
    layout, tabel = pembaca.layout, pembaca.tabel
    has_no = "no" in layout.kolom and not tabel.ekspor
    raws: list[_Mentah] = []
    lompat = -1  # rows before this index lie between two tables
    for idx, row, after_blank, after_header in _rows(pembaca):
        texts = {k: pembaca.teks(row, k) for k in ("no", "sasaran", "indikator", "target", "kunci", "pelaksana")}
        kegiatan_value, _fmt, _col = pembaca.sel(row, "kegiatan")
        kegiatan = kegiatan_value if isinstance(kegiatan_value, str) else teks(kegiatan_value)
        kode = pembaca.teks(row, "kode_output")
        marks = any(teks(row.nilai[k.indeks]) not in ("", "-", "–", "_") for k in layout.jadwal if k.indeks < len(row.nilai))
        biaya = pembaca.teks(row, "biaya") not in ("", "-")
        # Text copied from a PDF wraps every cell, the amount and the pelaksana too: there a
        # line without number, target or marks continues the row above whatever else it holds.
        lanjut = not texts["no"] and not texts["target"] and not marks and (
            tabel.sumber == "tempel" or (not biaya and not texts["pelaksana"]))
        if has_no and raws and lanjut and (not after_blank or after_header):
            if (more := pembaca.teks(row, "biaya")) and len(more) < 40:
                prev = raws[-1].texts
                prev["biaya"] = f"{prev.get('biaya', pembaca.teks(raws[-1].row, 'biaya'))} {more}"
            _sambung(raws[-1], texts, kegiatan, kode)
            continue
        ujung = _ujung(pembaca, row)
        if after_blank and not after_header and raws and (ujung or has_no and not _NUMBERING.match(texts["no"])):
            # past the table: a signature block, or a title over the next piece of the table
            berikut = _tabel_berikut(pembaca, idx)
            if berikut is not None and berikut >= 0:
                lompat = berikut
                continue
            if ujung or berikut is not None:
                break  # the signature block, or a table with other columns (named as skipped)
        if idx < lompat:
            continue  # between two tables (a title, a page number)
        raws.append(_Mentah(row, texts, kegiatan.strip(), kode))
        if len(raws) > MAX_BARIS:
            raise BerkasDitolak(_("Tabel berisi lebih dari %(maks)s baris; bagi menjadi beberapa berkas.", maks=MAX_BARIS))
    sasaran_atas = ""
    for raw in raws:
        baris = _baris_rak(pembaca, raw, sasaran_atas)
        if baris is not None:
            sasaran_atas = baris.sasaran
            tabel.baris.append(baris)


def _sambung(prev: _Mentah, texts: dict[str, str], kegiatan: str, kode: str) -> None:
    # A cell already past MAX_TEKS_SEL is cut and reported as too long: growing it further
    # would only copy it again for every continuation row (thousands of them in a crafted file).
    if texts["pelaksana"] and len(prev.texts.get("pelaksana_lanjut", "")) <= 200:
        prev.texts["pelaksana_lanjut"] = f"{prev.texts.get('pelaksana_lanjut', '')} {texts['pelaksana']}"[:MAX_TEKS_SEL]
    for key in ("sasaran", "indikator"):
        if texts[key] and len(prev.texts[key]) <= MAX_TEKS_SEL:
            prev.texts[key] = _sambung_teks(prev.texts[key], texts[key])
    kegiatan = kegiatan.strip()
    if kegiatan:  # joined once at the end (each kegiatan is cut alone; none is dropped)
        last = prev.lanjutan[-1] if prev.lanjutan else prev.kegiatan
        joiner = "\n" if re.match(r"^\s*[-–—•*]", kegiatan) else "" if _utuh(last, kegiatan) else " "
        prev.lanjutan.append(f"{joiner}{kegiatan}" if prev.kegiatan or prev.lanjutan else kegiatan)
    if kode and not prev.kode:
        prev.kode = kode


def _dibaca(pembaca: _Pembaca, row, key: str, read, salah: set[str], value=None, fmt=None, *, sendiri=False):
    """One cell through its reader; a refusal is the row's problem (and the field marked
    wrong), the field then empty. ``sendiri``: ``value``/``fmt`` given, not the cell's."""
    cell_value, cell_fmt, c = pembaca.sel(row, key)
    try:
        return read(value, fmt) if sendiri else read(cell_value, cell_fmt)
    except NilaiSalah as exc:
        pembaca.masalah(row, c, exc.message, pembaca.layout.nama.get(key))
        salah.add(key)
        return None


def _kegiatan_dan_kode(pembaca: _Pembaca, raw: _Mentah, salah: set[str]) -> tuple[list[str], str | None]:
    """The row's kegiatan (a code typed at the end of the text taken as its output code)."""
    layout, row = pembaca.layout, raw.row
    kegiatan_text = raw.kegiatan + "".join(raw.lanjutan)
    kode = raw.kode.upper() or None
    stripped, trailing = kode_di_akhir(kegiatan_text)
    if trailing and (kode is None or kode == trailing):
        kegiatan_text, kode = stripped, trailing
    kegiatan = [pembaca.panjang(row, "kegiatan", k) for k in pisah_kegiatan(kegiatan_text, pembaca.tabel.ekspor)]
    if kode and not re.fullmatch(r"[A-Z]{2}\.\d{4}\.[A-Z]{3}\.\d{3}", kode):
        pembaca.masalah(row, layout.kolom.get("kode_output"),
                        _("kode output %(kode)s tidak sesuai pola, contoh: CQ.6709.QGE.003", kode=kutip(kode)),
                        layout.nama.get("kode_output"))
        salah.add("kode_output")
    return kegiatan, kode


def _jadwal_baris(pembaca: _Pembaca, row, salah: set[str]) -> str | None:
    """The row's schedule marks as the document's week string; a cell not read is a problem."""
    layout = pembaca.layout
    if not layout.jadwal:
        return None
    weeks: set[int] = set()
    for k in layout.jadwal:
        value = row.nilai[k.indeks] if k.indeks < len(row.nilai) else None
        try:
            marked = baca_tanda(value, k.bulan)
        except NilaiSalah as exc:
            header = pembaca.lembar.baris[layout.judul + layout.tinggi - 1].nilai
            label = teks(header[k.indeks]) if k.indeks < len(header) else None
            pembaca.masalah(row, k.indeks, exc.message, _("jadwal %(judul)s", judul=label) if label else _("jadwal"))
            salah.add("jadwal")
            continue
        if k.bulan:
            weeks.update(k.minggu[w - 1] for w in marked)
        elif marked:
            weeks.update(k.minggu)
    return "".join("1" if w in weeks else "0" for w in range(schedule.PANJANG))


def _baris_rak(pembaca: _Pembaca, raw: _Mentah, sasaran_atas: str) -> BarisRak | None:
    layout, tabel, row = pembaca.layout, pembaca.tabel, raw.row
    salah: set[str] = set()
    indikator = pembaca.panjang(row, "indikator", raw.texts["indikator"])
    if not indikator:
        pembaca.masalah(row, layout.kolom.get("indikator"),
                        _("indikator kinerja kosong; setiap baris rencana aksi wajib memilikinya"),
                        layout.nama.get("indikator"))
    sasaran = raw.texts["sasaran"]
    if not sasaran and not tabel.ekspor and "sasaran" in layout.kolom:
        sasaran = sasaran_atas
    sasaran = pembaca.panjang(row, "sasaran", sasaran)
    target = _dibaca(pembaca, row, "target", teks_target, salah) or ""
    kegiatan, kode = _kegiatan_dan_kode(pembaca, raw, salah)
    jadwal = _jadwal_baris(pembaca, row, salah)
    if "biaya" in raw.texts:  # wrapped over continuation lines
        biaya = _dibaca(pembaca, row, "biaya", baca_biaya, salah, raw.texts["biaya"], None, sendiri=True)
    else:
        biaya = _dibaca(pembaca, row, "biaya", baca_biaya, salah)
    pelaksana_value = pembaca.sel(row, "pelaksana")[0]
    if "pelaksana_lanjut" in raw.texts:
        pelaksana_value = f"{teks(pelaksana_value)}{raw.texts['pelaksana_lanjut']}"
    pelaksana = _dibaca(pembaca, row, "pelaksana", lambda v, _f: baca_pelaksana(v, tabel.jenis), salah,
                        pelaksana_value, None, sendiri=True)
    return BarisRak(row.nomor, raw.texts["kunci"] or None, sasaran, indikator, target, kegiatan, kode, jadwal, biaya,
                    pelaksana, frozenset(salah))


# -- PK and RKT ----------------------------------------------------------------------------------------

def _indikator_pk(pembaca: _Pembaca, row) -> IndikatorBerkas | None:
    """A PK row's indikator and target; None for an exported sasaran without indikator."""
    layout = pembaca.layout
    uraian = pembaca.panjang(row, "indikator", pembaca.teks(row, "indikator"))
    kunci = pembaca.teks(row, "kunci") or None
    value, _fmt, c = pembaca.sel(row, "target")
    if not uraian and not kunci and teks(value) == "" and pembaca.tabel.ekspor:
        return None
    if not uraian:
        pembaca.masalah(row, layout.kolom.get("indikator"), _("indikator kinerja kosong"), layout.nama.get("indikator"))
    salah: set[str] = set()
    target = _dibaca(pembaca, row, "target", teks_target, salah) or ""
    return IndikatorBerkas(row.nomor, kunci, uraian, target, c, frozenset(salah))


def _baca_pk(pembaca: _Pembaca) -> None:
    layout, tabel, lembar = pembaca.layout, pembaca.tabel, pembaca.lembar
    name = layout.nama.get
    current: SasaranBerkas | None = None
    current_key: str | None = None
    tujuan: str | None = None
    count = 0
    program_at: int | None = None
    last_idx = layout.judul
    for idx, row, after_blank, after_header in _rows(pembaca):
        last_idx = idx
        if _is_program_header(row):
            program_at = idx
            break
        if after_blank and not after_header and tabel.sasaran and _ujung(pembaca, row):
            # An empty row inside a PK (Balangan's seed has one) does not end it; the program
            # table or a signature block does.
            program_at = next((i for i, r in _potong(lembar, idx, idx + 5) if _is_program_header(r)), None)
            break
        if _lanjutan_pk(pembaca, row, current):
            continue
        kunci_sasaran = pembaca.teks(row, "kunci_sasaran") or None
        sasaran_value, _fmt, sasaran_col = pembaca.sel(row, "sasaran")
        sasaran_text = pembaca.panjang(row, "sasaran", teks(sasaran_value))
        if kunci_sasaran == sheet_layout.TUJUAN_MARK:
            tujuan = sasaran_text or None  # the heading of the sasaran below it
            current, current_key = None, None
            continue
        continues = sasaran_col is not None and sasaran_col in row.gabungan
        if kunci_sasaran is not None:
            new_group = kunci_sasaran != current_key
        else:
            new_group = bool(sasaran_text) and not continues
        if new_group or current is None:
            if not sasaran_text:
                pembaca.masalah(row, sasaran_col, _("sasaran kosong: indikator pertama harus di bawah sebuah sasaran"),
                                name("sasaran"))
            current = SasaranBerkas(row.nomor, kunci_sasaran, sasaran_text, tujuan=tujuan)
            current_key = kunci_sasaran
            tabel.sasaran.append(current)
        indikator = _indikator_pk(pembaca, row)
        if indikator is None:
            continue  # an exported sasaran without indikator
        current.indikator.append(indikator)
        count += 1
        if count > MAX_BARIS:
            raise BerkasDitolak(_("Tabel berisi lebih dari %(maks)s baris; bagi menjadi beberapa berkas.", maks=MAX_BARIS))
    _program_di_bawah(pembaca, program_at, last_idx)


def _program_di_bawah(pembaca: _Pembaca, program_at: int | None, last_idx: int) -> None:
    """The program table under the PK's, where the reading stopped (or a few rows below an
    exported one's last row)."""
    if program_at is None and pembaca.tabel.ekspor:
        program_at = next((i for i, r in _potong(pembaca.lembar, last_idx + 1, last_idx + 6)
                           if _is_program_header(r)), None)
    if program_at is not None:
        _baca_program(pembaca, program_at)


def _lanjutan_pk(pembaca: _Pembaca, row: BarisLembar, current: SasaranBerkas | None) -> bool:
    """In text copied from a PDF, a line with no number and no target continues the
    sasaran and the indikator above it (their cells wrapped): joined, not a new row."""
    if pembaca.tabel.sumber != "tempel" or current is None or "no" not in pembaca.layout.kolom:
        return False
    if pembaca.teks(row, "no") or pembaca.teks(row, "target") and not _target_lanjut(pembaca, row, current):
        return False
    sasaran, indikator = pembaca.teks(row, "sasaran"), pembaca.teks(row, "indikator")
    if sasaran and len(current.uraian) <= MAX_TEKS_SEL:
        current.uraian = _sambung_teks(current.uraian, sasaran)
    if indikator and current.indikator and len(current.indikator[-1].uraian) <= MAX_TEKS_SEL:
        current.indikator[-1].uraian = _sambung_teks(current.indikator[-1].uraian, indikator)
    elif indikator:
        return False
    return True


def _target_lanjut(pembaca: _Pembaca, row: BarisLembar, current: SasaranBerkas) -> bool:
    """A wrapped target ("1 Dokumen" over "(Dakam)"): the line's target, not one alone,
    completes the target above; joined to it."""
    more = pembaca.teks(row, "target")
    above = current.indikator[-1] if current.indikator else None
    if above is None or not above.target or _target_sah(more) or not _target_sah(f"{above.target} {more}"):
        return False
    above.target = f"{above.target} {more}"
    return True


def _utuh(before: str, after: str) -> bool:
    """Whether a word was cut at the line's end: "perundang-" + "undangan"."""
    return bool(re.search(r"\w-$", before)) and after[:1].isalpha()


def _sambung_teks(before: str, after: str) -> str:
    """A wrapped cell's lines joined: "perundang-" + "undangan" keeps the word whole."""
    if _utuh(before, after):
        return before + after
    return f"{before} {after}".strip()


def _is_program_header(row: BarisLembar) -> bool:
    return len(_fields(row, _PROGRAM_LABELS).keys() & {"kode", "nama", "anggaran"}) >= 2


def _baca_program(pembaca: _Pembaca, at: int) -> None:
    lembar, tabel = pembaca.lembar, pembaca.tabel
    header = lembar.baris[at]
    cols = _fields(header, _PROGRAM_LABELS)
    names = {k: teks(header.nilai[c]) for k, c in cols.items()}
    tabel.program = []
    for _i, row in _potong(lembar, at + 1):
        # The table is contiguous and ends at its total or its first empty row (a PK with
        # no programs has only the header and the total): what follows is the signature block.
        if row.kosong():
            break

        def get(key: str):
            c = cols.get(key)
            return (row.nilai[c], row.format[c], c) if c is not None and c < len(row.nilai) else (None, None, c)

        kode, nama = teks(get("kode")[0]), teks(get("nama")[0])
        if norm(kode or nama) in _TOTAL:
            break
        if not kode and not nama:
            continue
        value, fmt, c = get("anggaran")
        try:
            anggaran = baca_biaya(value, fmt)
        except NilaiSalah as exc:
            pembaca.masalah(row, c, exc.message, names.get("anggaran"))
            anggaran = 0
        if not kode:
            pembaca.masalah(row, cols.get("kode"), _("kode program kosong (mis. 076.01.CQ)"), names.get("kode"))
        if len(kode) > 20 or len(nama) > 255:
            pembaca.masalah(row, cols.get("nama"), _("kode (20) atau nama program (255 karakter) terlalu panjang"),
                            names.get("nama"))
        tabel.program.append(ProgramBerkas(row.nomor, kode, nama, anggaran or 0))


def nama_pilihan(bidang: str) -> str:
    """What a choice of the column picker reads as ("Perkiraan Biaya", "bulan 3", "diabaikan")."""
    if bidang == "abaikan":
        return _("diabaikan")
    if bidang.startswith("bulan_"):
        return _("jadwal bulan %(no)s", no=bidang.removeprefix("bulan_"))
    return _(kolom_isi.LABEL[bidang])


def _catatan_kolom(tabel: TabelImpor, layout: TataLetak, letter) -> None:
    """The dry run's notes on the columns without heading (named as the user sees them:
    "18" in pasted text, "R" in a workbook), and the picker's list of them."""
    for c, bidang in layout.tersirat:
        tabel.catatan.append(_("kolom %(no)s tidak berjudul; dibaca sebagai %(nama)s dari isinya",
                               no=letter(c), nama=_(kolom_isi.LABEL[bidang])))
    for c, contoh in layout.tanpa_judul:
        tabel.catatan.append(_("kolom %(no)s tidak berjudul dan tidak dikenali dari isinya (%(contoh)s); "
                               "tidak dibaca", no=letter(c), contoh=", ".join(kutip(v) for v in contoh)))
    for c, bidang in layout.dipilih:
        if bidang == "abaikan":
            tabel.catatan.append(_("kolom %(no)s diabaikan (pilihan Anda)", no=letter(c)))
        else:
            tabel.catatan.append(_("kolom %(no)s dibaca sebagai %(nama)s (pilihan Anda)", no=letter(c),
                                   nama=nama_pilihan(bidang)))
    tabel.terbuka = layout.terbuka


# -- entry ------------------------------------------------------------------------------------------------

def baca_tabel(sumber: Buku | Lembar, jenis: JenisDokumen, pilihan: dict[int, str] | None = None) -> TabelImpor:
    """The table of ``jenis`` in a workbook (its first sheet that has one) or pasted text.
    A workbook's rows are read from the open file as the table needs them; it is closed here.
    ``pilihan``: what the user said the columns without heading are (0-based column -> field)."""
    try:
        return _baca_tabel(sumber, jenis, pilihan or {})
    finally:
        if isinstance(sumber, Buku):
            sumber.tutup()


def _tak_terbaca(tabel: TabelImpor, lembar: Lembar, layout, read: set[str]) -> None:
    """Rows the reading did not reach (past an empty row or the totals row) must not be
    dropped without a word: each exported row's key not read is a problem."""
    kunci_col = layout.kolom.get("kunci")
    if kunci_col is None:
        return
    for _i, row in _potong(lembar, layout.judul + 1):
        value = row.teks(kunci_col)
        if value and value not in read and kunci_col not in row.gabungan:
            tabel.masalah.append(Masalah(
                _("baris ini berada di luar tabel (setelah baris kosong atau baris Jumlah) dan tidak dibaca; "
                  "hapus baris kosong di tengah tabel"), row.nomor))


def _baca_tabel(sumber: Buku | Lembar, jenis: JenisDokumen, pilihan: dict[int, str]) -> TabelImpor:
    bentuk = jenis.bentuk
    labels = _RAK_LABELS if bentuk is Bentuk.RAK else _PK_LABELS
    if isinstance(sumber, Lembar):
        sheets, meta = [sumber], {}
    else:
        sheets, meta = sumber.lembar, sumber.meta
    for lembar in sheets:
        layout = cari_tata_letak(lembar, bentuk, pilihan)
        if layout is None:
            continue
        kind = "tempel" if lembar.tempel else ("ekspor" if "kunci" in layout.kolom or meta.get("format") else "kantor")
        fields = set(layout.kolom) - {"no", "kunci", "kunci_sasaran"}
        if layout.jadwal:
            fields.add("jadwal")
        tabel = TabelImpor(jenis=jenis, sumber=kind, lembar=lembar.nama, kolom=frozenset(fields),
                           bentuk=layout.bentuk, meta=dict(meta))
        pembaca = _Pembaca(lembar, layout, tabel, labels)
        _catatan_kolom(tabel, layout, pembaca.letter)
        tabel.letak = {k: (pembaca.letter(c), layout.nama.get(k) or k) for k, c in layout.kolom.items()}
        if bentuk is Bentuk.RAK:
            _baca_rak(pembaca)
            read = {b.kunci for b in tabel.baris if b.kunci}
        else:
            missing = [label for key, label in (("sasaran", "Sasaran"), ("target", "Target")) if key not in layout.kolom]
            if missing:
                kolom = missing[0] if len(missing) == 1 else _("%(a)s dan %(b)s", a=missing[0], b=missing[1])
                tabel.masalah.append(Masalah(_("kolom %(kolom)s tidak ditemukan di baris judul tabel", kolom=kolom),
                                             lembar.baris[layout.judul].nomor))
                return tabel
            if kind == "ekspor":
                tabel.kolom = tabel.kolom | {"tujuan"}
            _baca_pk(pembaca)
            read = {i.kunci for s in tabel.sasaran for i in s.indikator if i.kunci}
        _tak_terbaca(tabel, lembar, layout, read)
        if "jadwal" in {k for k in _fields(lembar.baris[layout.judul], labels)} and not layout.jadwal:
            tabel.masalah.append(Masalah(
                _("kolom jadwal ditemukan, tetapi judul bulannya tidak terbaca (tulis 1..12, B1..B12, TW1..TW4 "
                  "atau 1.1..12.4 di bawah judul jadwal)"), lembar.baris[layout.judul].nomor))
        return tabel
    what = "RAK (No, Sasaran, Indikator Kinerja, Target, Kegiatan, bulan, Perkiraan Biaya, Pelaksana)" \
        if bentuk is Bentuk.RAK else "PK/RKT (No, Sasaran Strategis, Indikator Kinerja, Target)"
    raise BerkasDitolak(_("Tabel tidak ditemukan: tidak ada baris judul kolom %(kolom)s. "
                          "Sertakan baris judul tabel saat menyalin.", kolom=what))
