"""What changed between two revisions of one document.

``bandingkan(lama, baru)`` compares two loaded revisions of the same document: header
fields, program budgets, and the rows (RAK rows, or the sasaran and indikator of a PK or
RKT). Rows are matched by ``kunci``, which survives copying into the next revision
(workflow.dokumen.revisions); program budgets are matched by kode.

A row is reported once: added, removed, changed (with every changed cell, old and new as
display strings and as raw values), or moved. A move is a change of place relative to
the rows both revisions share: deleting row 2 shifts rows 3..n up by one, and none of
them counts as moved. Among the shared rows, the longest run that kept its relative
order stays put; every other shared row is reported as moved ("dipindah dari urutan X
ke Y"): as ``DIPINDAH`` when nothing else in it changed, otherwise as ``DIUBAH`` with
``dipindah`` set.

Pure functions over objects already in memory: no SQL beyond what loading the revisions'
selectin relationships does (and ``revisi.dokumen`` when it is not already loaded).
Linear in the number of rows, apart from an O(n log n) step to find the moved rows.
"""
from __future__ import annotations

import enum
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tenants.teks import N_, _
from workflow import naskah, schedule
from workflow.capaian import CaraAgregasi
from workflow.dokumen import bab_lkj as lkj
from workflow.dokumen.content import RakBaris
from workflow.dokumen.models import HEADER_FIELDS, Bentuk, JenisDokumen, Revisi
from workflow.rupiah import tulis_rupiah as rupiah
from workflow.schedule import BentukJadwal

KOSONG = "-"  # how an empty cell is shown
PANAH = " -> "

# The cells' names in Indonesian, marked for the catalogue: a Sel's or Isian's label is
# these translated (tenants.teks) when the comparison is made.
LABEL_KEPALA = {
    "tempat": N_("Tempat"),
    "tanggal": N_("Tanggal"),
    "dipa_nomor": N_("Nomor DIPA"),
    "dipa_tanggal": N_("Tanggal DIPA"),
    "pagu": N_("Pagu"),
    "bentuk_jadwal": N_("Bentuk jadwal"),
}
LABEL_BARIS = {
    "sasaran": N_("Sasaran"),
    "indikator": N_("Indikator kinerja"),
    "target": N_("Target"),
    "polaritas": N_("Polaritas"),
    "kegiatan": N_("Kegiatan"),
    "kode_output": N_("Kode output"),
    "jadwal": N_("Bulan pelaksanaan"),
    "biaya": N_("Perkiraan biaya"),
    "pelaksana": N_("Pelaksana"),
}
LABEL_SASARAN = {"tujuan": N_("Tujuan"), "uraian": N_("Sasaran")}
LABEL_INDIKATOR = {"sasaran": N_("Sasaran"), "uraian": N_("Indikator kinerja"), "target": N_("Target"),
                   "polaritas": N_("Polaritas"), "pelaksana": N_("Pelaksana"), "agregasi": N_("Cara agregasi")}
LABEL_PROGRAM = {"kode": N_("Kode program"), "nama": N_("Nama program"), "anggaran": N_("Anggaran")}

# Cells holding rupiah: their change also carries the difference.
_UANG = frozenset({"biaya", "anggaran", "pagu"})


class JenisPerubahan(enum.StrEnum):
    DITAMBAH = "ditambah"
    DIHAPUS = "dihapus"
    DIUBAH = "diubah"
    DIPINDAH = "dipindah"

    @property
    def label(self) -> str:
        return _(_LABEL_JENIS[self.value])


_LABEL_JENIS = {"ditambah": N_("Ditambah"), "dihapus": N_("Dihapus"), "diubah": N_("Diubah"), "dipindah": N_("Dipindah")}


class Bagian(enum.StrEnum):
    """Which part of the document a row change is in."""

    BARIS = "baris"          # RAK rows
    SASARAN = "sasaran"      # PK/RKT sasaran
    INDIKATOR = "indikator"  # PK/RKT indikator
    PROGRAM = "program"      # program budgets (every document)

    @property
    def label(self) -> str:
        return _(_LABEL_BAGIAN[self.value])


_LABEL_BAGIAN = {"baris": N_("Baris"), "sasaran": N_("Sasaran"), "indikator": N_("Indikator"), "program": N_("Program")}


@dataclass(frozen=True)
class Sel:
    """One changed cell (or header field): its label, and old and new as shown and as stored."""

    kolom: str                          # field name: "biaya", "jadwal", "target", "tempat", ...
    label: str                          # "Perkiraan biaya"
    lama: str                           # display string, KOSONG ("-") when empty
    baru: str
    nilai_lama: Any                     # raw value (int, str, list[str], date, enum, None)
    nilai_baru: Any
    selisih: int | None = None          # rupiah cells: new minus old (None when either is empty)
    bulan_ditambah: tuple[int, ...] = ()  # jadwal: months (1..12) planned only in the new revision
    bulan_dihapus: tuple[int, ...] = ()   # jadwal: months planned only in the old revision
    keterangan: str | None = None       # a note in words: "bertambah Rp 1.500.000", "ditambah: Mei"

    def __str__(self) -> str:
        text = f"{self.label}: {self.lama}{PANAH}{self.baru}"
        return f"{text} ({self.keterangan})" if self.keterangan else text


@dataclass(frozen=True)
class Isian:
    """One cell of a row as shown (for added and removed rows, and as context)."""

    kolom: str
    label: str
    teks: str
    nilai: Any


@dataclass(frozen=True)
class PerubahanBaris:
    """One row added, removed, changed or moved."""

    jenis: JenisPerubahan
    bagian: Bagian
    kunci: str                          # the row's kunci (program: its kode)
    judul: str                          # what names the row: indikator text, sasaran text, "kode nama"
    urutan_lama: int | None             # 1-based place in the old revision (indikator: within its sasaran)
    urutan_baru: int | None             # 1-based place in the new revision; None when removed
    sel: tuple[Sel, ...] = ()           # the changed cells (DIUBAH only)
    isi: tuple[Isian, ...] = ()         # the row's cells: as in the new revision, or the old one when removed
    dipindah: bool = False              # moved relative to the shared rows (always for DIPINDAH)

    @property
    def keterangan(self) -> str:
        """The change in words, e.g. "dipindah dari urutan 3 ke 2"."""
        return keterangan(self.jenis, self.urutan_lama, self.urutan_baru, self.sel, self.dipindah)

    def cari(self, kolom: str) -> Sel | None:
        """The changed cell ``kolom``, or None when it did not change."""
        return next((s for s in self.sel if s.kolom == kolom), None)

    def nilai(self, kolom: str) -> Isian | None:
        return next((i for i in self.isi if i.kolom == kolom), None)


@dataclass(frozen=True)
class Jumlah:
    """A total before and after."""

    kolom: str                 # "total_biaya", "total_program", "pagu", "jumlah_baris", "jumlah_sasaran"
    label: str
    lama: int | None
    baru: int | None
    teks_lama: str
    teks_baru: str

    @property
    def selisih(self) -> int | None:
        return None if self.lama is None or self.baru is None else self.baru - self.lama

    @property
    def berubah(self) -> bool:
        return self.lama != self.baru

    def __str__(self) -> str:
        return f"{self.label}: {self.teks_lama}{PANAH}{self.teks_baru}"


@dataclass(frozen=True)
class Perbandingan:
    """Everything that differs from ``lama`` to ``baru`` (either may be the later one)."""

    dokumen_id: int
    bentuk: Bentuk
    nomor_lama: int
    nomor_baru: int
    kepala: tuple[Sel, ...]                  # changed header fields, in HEADER_FIELDS order
    program: tuple[PerubahanBaris, ...]      # program budgets, matched by kode
    baris: tuple[PerubahanBaris, ...]        # RAK rows (empty for PK/RKT)
    sasaran: tuple[PerubahanBaris, ...]      # PK/RKT sasaran (empty for RAK)
    indikator: tuple[PerubahanBaris, ...]    # PK/RKT indikator, flattened with their sasaran (empty for RAK)
    total_biaya: Jumlah | None               # RAK: sum of perkiraan biaya; None for PK/RKT
    total_program: Jumlah
    pagu: Jumlah
    jumlah_baris: Jumlah                     # RAK rows, or PK/RKT indikator
    jumlah_sasaran: Jumlah | None            # PK/RKT only

    @property
    def semua(self) -> tuple[PerubahanBaris, ...]:
        """Every row change: program, then sasaran, indikator, RAK rows."""
        return self.program + self.sasaran + self.indikator + self.baris

    @property
    def kosong(self) -> bool:
        """No difference at all: header, programs, rows and order are the same."""
        return not self.kepala and not self.semua

    def hitung(self, jenis: JenisPerubahan, bagian: Bagian | None = None) -> int:
        return sum(1 for p in self.semua if p.jenis is jenis and (bagian is None or p.bagian is bagian))

    @property
    def ditambah(self) -> int:
        """Rows added, over every part (program, sasaran, indikator, RAK rows); see hitung()."""
        return self.hitung(JenisPerubahan.DITAMBAH)

    @property
    def dihapus(self) -> int:
        return self.hitung(JenisPerubahan.DIHAPUS)

    @property
    def diubah(self) -> int:
        return self.hitung(JenisPerubahan.DIUBAH)

    @property
    def dipindah(self) -> int:
        """Pure moves (rows both moved and changed count as diubah)."""
        return self.hitung(JenisPerubahan.DIPINDAH)

    @property
    def totals(self) -> tuple[Jumlah, ...]:
        """The totals that apply to this kind of document, in display order."""
        found = (self.total_biaya, self.total_program, self.pagu, self.jumlah_sasaran, self.jumlah_baris)
        return tuple(j for j in found if j is not None)

    def teks(self) -> list[str]:
        """The comparison as plain lines (logs, plain-text mail, debugging)."""
        lama, baru = _("Revisi ke-%(n)s", n=self.nomor_lama), _("Revisi ke-%(n)s", n=self.nomor_baru)
        lines = [f"{lama}{PANAH}{baru}"]
        lines += [_("Kepala: %(sel)s", sel=s) for s in self.kepala]
        for p in self.semua:
            where = f"{p.bagian.label} {p.urutan_baru or p.urutan_lama} ({p.judul})"
            lines.append(f"{where}: {p.keterangan}")
            lines += [f"  {s}" for s in p.sel]
        lines += [str(j) for j in self.totals if j.berubah]
        return lines


def keterangan(jenis: JenisPerubahan, urutan_lama: int | None, urutan_baru: int | None, sel: Iterable[Sel],
               dipindah: bool) -> str:
    """A row change in words: "ditambah di urutan 2", "diubah: Perkiraan biaya; dipindah dari
    urutan 3 ke 2" (the comparison's and the import dry run's)."""
    if jenis is JenisPerubahan.DITAMBAH:
        return _("ditambah di urutan %(baru)s", baru=urutan_baru)
    if jenis is JenisPerubahan.DIHAPUS:
        return _("dihapus dari urutan %(lama)s", lama=urutan_lama)
    pindah = _("dipindah dari urutan %(lama)s ke %(baru)s", lama=urutan_lama, baru=urutan_baru)
    if jenis is JenisPerubahan.DIPINDAH:
        return pindah
    diubah = _("diubah: %(sel)s", sel=", ".join(s.label for s in sel))
    return f"{diubah}; {pindah}" if dipindah else diubah


# -- comparing -----------------------------------------------------------------------

def bandingkan(lama: Revisi, baru: Revisi) -> Perbandingan:
    """Compare two revisions of the same document; raises ValueError for two documents."""
    if lama.dokumen_id != baru.dokumen_id:
        raise ValueError(f"{lama.label} dan {baru.label} bukan revisi dari dokumen yang sama.")
    jenis: JenisDokumen = lama.dokumen.jenis
    bentuk = jenis.bentuk
    rak = bentuk is Bentuk.RAK
    mundur = lama.nomor > baru.nomor
    pelaksana = _pelaksana_labels(jenis)
    ctx_lama, ctx_baru = _Konteks.dari(lama, pelaksana), _Konteks.dari(baru, pelaksana)

    def rows(bagian: Bagian, read) -> tuple[PerubahanBaris, ...]:
        return _bandingkan_baris(bagian, _KOLOM[bagian], read(lama), read(baru), ctx_lama, ctx_baru, mundur)

    if rak:
        baris, sasaran, indikator = rows(Bagian.BARIS, _rak_rows), (), ()
        n_lama, n_baru = len(lama.baris), len(baru.baris)
    else:
        baris = ()
        sasaran, indikator = rows(Bagian.SASARAN, _sasaran_rows), rows(Bagian.INDIKATOR, _indikator_rows)
        n_lama = sum(len(s.indikator) for s in lama.sasaran)
        n_baru = sum(len(s.indikator) for s in baru.sasaran)
    return Perbandingan(
        dokumen_id=lama.dokumen_id, bentuk=bentuk, nomor_lama=lama.nomor, nomor_baru=baru.nomor,
        kepala=_bandingkan_kepala(lama, baru),
        program=rows(Bagian.PROGRAM, _program_rows),
        baris=baris, sasaran=sasaran, indikator=indikator,
        total_biaya=_uang("total_biaya", _("Jumlah perkiraan biaya"), lama.total_biaya, baru.total_biaya) if rak else None,
        total_program=_uang("total_program", _("Jumlah anggaran program"), lama.total_program, baru.total_program),
        pagu=_uang("pagu", _("Pagu"), lama.pagu, baru.pagu),
        jumlah_baris=_banyak("jumlah_baris", _("Jumlah baris") if rak else _("Jumlah indikator"), n_lama, n_baru),
        jumlah_sasaran=None if rak else _banyak("jumlah_sasaran", _("Jumlah sasaran"), len(lama.sasaran),
                                                len(baru.sasaran)),
    )


# -- display ---------------------------------------------------------------------------

def _teks(value: Any) -> str:
    if value is None or value == "" or value == []:
        return KOSONG
    if isinstance(value, date):  # "13 Januari 2024", as the pages write a date (d MMMM y)
        return f"{value.day} {schedule.nama_bulan(value.month)} {value.year}"
    if hasattr(value, "label"):  # enums with a label (in the reader's language)
        return value.label
    if isinstance(value, (list, tuple)):
        return "; ".join(value)
    return str(value)


def _rp(value: int | None) -> str:
    return KOSONG if value is None else rupiah(value)


def _uang(kolom: str, label: str, lama: int | None, baru: int | None) -> Jumlah:
    return Jumlah(kolom, label, lama, baru, _rp(lama), _rp(baru))


def _banyak(kolom: str, label: str, lama: int, baru: int) -> Jumlah:
    return Jumlah(kolom, label, lama, baru, str(lama), str(baru))


def nama_bulan(months: Iterable[int]) -> str:
    """Months (1..12) by name, in the reader's language: "Mei, Juni"."""
    return ", ".join(schedule.nama_bulan(b) for b in months)


def keterangan_uang(selisih: int) -> str:
    """A rupiah cell's change in words: "bertambah Rp 97.000", "berkurang Rp 1.500.000"."""
    if selisih > 0:
        return _("bertambah %(jumlah)s", jumlah=rupiah(selisih))
    return _("berkurang %(jumlah)s", jumlah=rupiah(abs(selisih)))


def keterangan_bulan(added: Iterable[int], removed: Iterable[int]) -> str | None:
    """A schedule's change in words: "bulan ditambah: Mei; bulan dihapus: Januari"."""
    notes = ([_("bulan ditambah: %(bulan)s", bulan=nama_bulan(added))] if added else []) + (
        [_("bulan dihapus: %(bulan)s", bulan=nama_bulan(removed))] if removed else [])
    return "; ".join(notes) or None


def _sel(kolom: str, label: str, a: Any, b: Any, lama: str, baru: str) -> Sel:
    """A changed cell from raw values ``a``, ``b`` and their display strings."""
    extra: dict[str, Any] = {}
    if kolom in _UANG:
        if a is not None and b is not None:
            selisih = b - a
            extra = {"selisih": selisih, "keterangan": keterangan_uang(selisih)}
    elif kolom == "jadwal":
        if lama == baru:  # differs below the grain shown (weeks): show the weeks
            lama = schedule.uraian(a, BentukJadwal.MINGGU)
            baru = schedule.uraian(b, BentukJadwal.MINGGU)
        before, after = set(schedule.bulan(a)), set(schedule.bulan(b))
        added, removed = tuple(sorted(after - before)), tuple(sorted(before - after))
        extra = {"bulan_ditambah": added, "bulan_dihapus": removed, "keterangan": keterangan_bulan(added, removed)}
    elif kolom == "kegiatan":
        before, after = set(a), set(b)
        added = [k for k in b if k not in before]
        removed = [k for k in a if k not in after]
        notes = ([_("ditambah: %(kegiatan)s", kegiatan="; ".join(added))] if added else []) + (
            [_("dihapus: %(kegiatan)s", kegiatan="; ".join(removed))] if removed else [])
        extra = {"keterangan": ", ".join(notes) or _("urutan diubah")}
    return Sel(kolom, label, lama, baru, a, b, **extra)


# -- header ------------------------------------------------------------------------------

def _bandingkan_kepala(lama: Revisi, baru: Revisi) -> tuple[Sel, ...]:
    changes = []
    for name in HEADER_FIELDS:
        a, b = getattr(lama, name), getattr(baru, name)
        if name == "bentuk_jadwal":
            a, b = (BentukJadwal(v) if v is not None else None for v in (a, b))
        if a != b:
            fmt = _rp if name == "pagu" else _teks
            changes.append(_sel(name, _(LABEL_KEPALA[name]), a, b, fmt(a), fmt(b)))
    return tuple(changes) + _bandingkan_lkj(lama, baru)


def _bandingkan_lkj(lama: Revisi, baru: Revisi) -> tuple[Sel, ...]:
    """An LKj's written parts (chapters, staff); its tables are computed, not compared."""
    if lama.lkj is None and baru.lkj is None:
        return ()
    labels = {name: _(judul) for name, judul in lkj.BAB} | {
        name: _("Pegawai %(status)s", status=label) for name, label in lkj.PEGAWAI}
    changes = []
    for name, label in labels.items():
        a, b = getattr(lama.lkj, name, None), getattr(baru.lkj, name, None)
        if a != b:
            # A chapter pasted from Word is markup: compared as the words it shows.
            tampil = (lambda t: _teks(naskah.teks_polos(t))) if name in lkj.JUDUL_BAB else _teks
            changes.append(_sel(name, label, a, b, tampil(a), tampil(b)))
    return tuple(changes)


# -- rows ----------------------------------------------------------------------------------
#
# Rows are compared on cheap keys; display strings (babel number formatting, schedule
# words) are made only for the rows that are reported, so an unchanged row costs a few
# attribute reads.

@dataclass(frozen=True)
class _Konteks:
    """What showing one revision's cells needs."""

    bentuk_jadwal: BentukJadwal
    pelaksana: dict[str, str]

    @classmethod
    def dari(cls, revisi: Revisi, pelaksana: dict[str, str]) -> _Konteks:
        # BentukJadwal(...): a value just assigned may still be a plain str, and
        # workflow.schedule compares shapes with ``is``.
        return cls(BentukJadwal(revisi.bentuk_jadwal or BentukJadwal.BULAN), pelaksana)


@dataclass(frozen=True)
class _Kolom:
    kolom: str
    label: str
    banding: Callable[[Any], Any]                   # what is compared: cheap
    mentah: Callable[[Any], Any] | None = None      # the raw value reported (default: banding)
    tampil: Callable[[Any, _Konteks], str] = lambda v, ctx: _teks(v)
    # The comparison key is finer than what a reader sees (a target's stored parts):
    # report only when the raw values differ too.
    periksa_mentah: bool = False

    def nilai(self, obj: Any) -> Any:
        return (self.mentah or self.banding)(obj)


def _target_key(row) -> tuple:
    nilai = row.target_nilai
    return (row.jenis_target, None if nilai is None else nilai.normalize(), row.target_kode, row.satuan)


def _agregasi(value: str | None, ctx: _Konteks) -> str:
    return CaraAgregasi(value).label if value else KOSONG


def _kegiatan(baris: RakBaris) -> list[str]:
    return [k.uraian for k in baris.kegiatan]


_KOLOM: dict[Bagian, tuple[_Kolom, ...]] = {
    Bagian.BARIS: (
        _Kolom("sasaran", LABEL_BARIS["sasaran"], lambda b: b.sasaran),
        _Kolom("indikator", LABEL_BARIS["indikator"], lambda b: b.indikator),
        _Kolom("target", LABEL_BARIS["target"], _target_key, lambda b: b.target, periksa_mentah=True),
        _Kolom("polaritas", LABEL_BARIS["polaritas"], lambda b: b.polaritas),
        _Kolom("kegiatan", LABEL_BARIS["kegiatan"], _kegiatan),
        _Kolom("kode_output", LABEL_BARIS["kode_output"], lambda b: b.kode_output),
        _Kolom("jadwal", LABEL_BARIS["jadwal"], lambda b: b.jadwal or schedule.KOSONG,
               tampil=lambda v, ctx: schedule.uraian(v, ctx.bentuk_jadwal)),
        _Kolom("biaya", LABEL_BARIS["biaya"], lambda b: b.biaya, tampil=lambda v, ctx: _rp(v)),
        _Kolom("pelaksana", LABEL_BARIS["pelaksana"], lambda b: b.pelaksana,
               tampil=lambda v, ctx: ctx.pelaksana.get(v, v) if v else KOSONG),
    ),
    Bagian.SASARAN: (
        _Kolom("tujuan", LABEL_SASARAN["tujuan"], lambda s: s.tujuan),
        _Kolom("uraian", LABEL_SASARAN["uraian"], lambda s: s.uraian),
    ),
    # An indikator row is (sasaran, indikator); its sasaran is compared by kunci.
    Bagian.INDIKATOR: (
        _Kolom("sasaran", LABEL_INDIKATOR["sasaran"], lambda r: r[0].kunci, lambda r: r[0].uraian),
        _Kolom("uraian", LABEL_INDIKATOR["uraian"], lambda r: r[1].uraian),
        _Kolom("target", LABEL_INDIKATOR["target"], lambda r: _target_key(r[1]), lambda r: r[1].target,
               periksa_mentah=True),
        _Kolom("polaritas", LABEL_INDIKATOR["polaritas"], lambda r: r[1].polaritas),
        _Kolom("pelaksana", LABEL_INDIKATOR["pelaksana"], lambda r: r[1].pelaksana,
               tampil=lambda v, ctx: ctx.pelaksana.get(v, v) if v else KOSONG),
        _Kolom("agregasi", LABEL_INDIKATOR["agregasi"], lambda r: r[1].cara_agregasi, tampil=_agregasi),
    ),
    Bagian.PROGRAM: (
        _Kolom("kode", LABEL_PROGRAM["kode"], lambda p: p.kode),
        _Kolom("nama", LABEL_PROGRAM["nama"], lambda p: p.nama),
        _Kolom("anggaran", LABEL_PROGRAM["anggaran"], lambda p: p.anggaran, tampil=lambda v, ctx: _rp(v)),
    ),
}


@dataclass
class _Row:
    """A row of one revision: its key, place and the object its cells are read from."""

    kunci: str
    posisi: int                  # 1-based place (indikator: within its sasaran)
    judul: str
    obj: Any
    grup: Any = None             # moves are looked for among rows of the same group


def _pelaksana_labels(jenis: JenisDokumen) -> dict[str, str]:
    from workflow.dokumen.operations import pilihan_pelaksana  # operations imports much; keep it local

    return dict(pilihan_pelaksana(jenis))


def _rak_rows(revisi: Revisi) -> list[_Row]:
    return [_Row(b.kunci, no, b.indikator or _("Baris %(no)s", no=no), b) for no, b in enumerate(revisi.baris, start=1)]


def _sasaran_rows(revisi: Revisi) -> list[_Row]:
    return [_Row(s.kunci, no, s.uraian, s) for no, s in enumerate(revisi.sasaran, start=1)]


def _indikator_rows(revisi: Revisi) -> list[_Row]:
    return [_Row(i.kunci, no, i.uraian, (s, i), grup=s.kunci)
            for s in revisi.sasaran for no, i in enumerate(s.indikator, start=1)]


def _program_rows(revisi: Revisi) -> list[_Row]:
    rows, seen = [], {}
    for no, p in enumerate(revisi.program, start=1):
        # Two programs with the same kode are told apart by which one it is.
        seen[p.kode] = seen.get(p.kode, 0) + 1
        kunci = p.kode if seen[p.kode] == 1 else f"{p.kode}#{seen[p.kode]}"
        rows.append(_Row(kunci, no, f"{p.kode} {p.nama}", p))
    return rows


def _isi(kolom: tuple[_Kolom, ...], row: _Row, ctx: _Konteks) -> tuple[Isian, ...]:
    out = []
    for k in kolom:
        value = k.nilai(row.obj)
        out.append(Isian(k.kolom, _(k.label), k.tampil(value, ctx), value))
    return tuple(out)


def _changed(kolom: tuple[_Kolom, ...], old: _Row, new: _Row) -> list[int]:
    """Which cells may differ, on the cheap comparison keys alone."""
    return [i for i, k in enumerate(kolom) if k.banding(old.obj) != k.banding(new.obj)]


def _cells(kolom: tuple[_Kolom, ...], which: list[int], old: _Row, ctx_lama: _Konteks,
           isi_baru: tuple[Isian, ...]) -> tuple[Sel, ...]:
    """The changed cells; the new side's display strings come from the new row's ``isi``."""
    cells = []
    for i in which:
        k, b = kolom[i], isi_baru[i]
        a = k.nilai(old.obj)
        if k.periksa_mentah and a == b.nilai:
            continue
        cells.append(_sel(k.kolom, b.label, a, b.nilai, k.tampil(a, ctx_lama), b.teks))
    return tuple(cells)


def _moved(dari: list[_Row], ke_by_kunci: dict[str, _Row]) -> set[str]:
    """Shared rows outside the longest run (per group) that kept its relative order.

    ``dari`` is one revision's rows in order, ``ke_by_kunci`` the other's (in its order).
    """
    rank = {}
    for i, row in enumerate(dari):
        other = ke_by_kunci.get(row.kunci)
        if other is not None and other.grup == row.grup:
            rank[row.kunci] = i
    groups: dict[Any, list[str]] = {}
    for row in ke_by_kunci.values():  # dicts keep insertion (revision) order
        if row.kunci in rank:
            groups.setdefault(row.grup, []).append(row.kunci)
    moved: set[str] = set()
    for keys in groups.values():
        keep = longest_increasing([rank[k] for k in keys])
        moved.update(k for i, k in enumerate(keys) if i not in keep)
    return moved


def longest_increasing(seq: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []       # values
    tail_at: list[int] = []     # index in seq of each tail
    before = [-1] * len(seq)
    for i, value in enumerate(seq):
        j = bisect_left(tails, value)
        if j == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[j], tail_at[j] = value, i
        before[i] = tail_at[j - 1] if j else -1
    keep, i = set(), tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(i)
        i = before[i]
    return keep


def _bandingkan_baris(bagian: Bagian, kolom: tuple[_Kolom, ...], lama: list[_Row], baru: list[_Row],
                      ctx_lama: _Konteks, ctx_baru: _Konteks, mundur: bool = False) -> tuple[PerubahanBaris, ...]:
    lama_by = {r.kunci: r for r in lama}
    baru_by = {r.kunci: r for r in baru}
    # When rows swap places either one can be "the one that moved". The choice is made
    # from the earlier revision to the later one, so comparing backwards names the same rows.
    moved = _moved(baru, lama_by) if mundur else _moved(lama, baru_by)

    # Output in the new revision's order; a removed row follows the shared row before it.
    anchored: dict[str | None, list[_Row]] = {}
    anchor = None
    for row in lama:
        if row.kunci in baru_by:
            anchor = row.kunci
        else:
            anchored.setdefault(anchor, []).append(row)

    def removed(key: str | None) -> list[PerubahanBaris]:
        return [PerubahanBaris(JenisPerubahan.DIHAPUS, bagian, r.kunci, r.judul, r.posisi, None,
                               isi=_isi(kolom, r, ctx_lama))
                for r in anchored.get(key, ())]

    out = removed(None)
    for row in baru:
        old = lama_by.get(row.kunci)
        if old is None:
            out.append(PerubahanBaris(JenisPerubahan.DITAMBAH, bagian, row.kunci, row.judul, None, row.posisi,
                                      isi=_isi(kolom, row, ctx_baru)))
            continue
        which = _changed(kolom, old, row)
        pindah = row.kunci in moved
        if which or pindah:  # only now is anything formatted for display
            isi = _isi(kolom, row, ctx_baru)
            cells = _cells(kolom, which, old, ctx_lama, isi)
            if cells or pindah:
                jenis = JenisPerubahan.DIUBAH if cells else JenisPerubahan.DIPINDAH
                out.append(PerubahanBaris(jenis, bagian, row.kunci, row.judul, old.posisi, row.posisi,
                                          sel=cells, isi=isi, dipindah=pindah))
        out += removed(row.kunci)
    return tuple(out)


__all__ = [
    "Bagian", "Isian", "JenisPerubahan", "Jumlah", "PerubahanBaris", "Perbandingan", "Sel", "bandingkan",
    "KOSONG", "LABEL_BARIS", "LABEL_INDIKATOR", "LABEL_KEPALA", "LABEL_PROGRAM", "LABEL_SASARAN",
]
