"""One schedule model for the three shapes offices use.

A RAK row's schedule is 48 marks: 12 months x 4 weeks. Offices that plan by month
(B1..B12) mark whole months, by quarter (TW1..TW4) whole quarters, by week
("minggu ke 1-4") single weeks. The row keeps the finest grain; each RAK shows it in
the shape its office chose, and a month (quarter) counts as planned when any of its
weeks is.
"""
from __future__ import annotations

import enum
import functools
from collections.abc import Iterable

from tenants.teks import N_, _

# The months as offices write them (the import reads these; tenants.teks translates them
# for the pages through nama_bulan and singkatan_bulan).
BULAN = (N_("Januari"), N_("Februari"), N_("Maret"), N_("April"), N_("Mei"), N_("Juni"), N_("Juli"),
         N_("Agustus"), N_("September"), N_("Oktober"), N_("November"), N_("Desember"))
MINGGU_PER_BULAN = 4
PANJANG = 12 * MINGGU_PER_BULAN
KOSONG = "0" * PANJANG


class BentukJadwal(enum.StrEnum):
    BULAN = "bulan"
    TRIWULAN = "triwulan"
    MINGGU = "minggu"

    @property
    def label(self) -> str:
        return _(_LABEL_BENTUK[self.value])

    @property
    def kolom(self) -> list[str]:
        """Column headers of the schedule grid in this shape."""
        if self is BentukJadwal.BULAN:
            return [str(b) for b in range(1, 13)]
        if self is BentukJadwal.TRIWULAN:
            return [f"TW{t}" for t in range(1, 5)]
        return [f"{b}.{m}" for b in range(1, 13) for m in range(1, 5)]

    @property
    def judul(self) -> list[str]:
        """Each grid cell in words, for screen readers and tooltips."""
        if self is BentukJadwal.BULAN:
            return [nama_bulan(b) for b in range(1, 13)]
        if self is BentukJadwal.TRIWULAN:
            return [nama_triwulan(t) for t in range(1, 5)]
        return [_("%(bulan)s minggu ke %(minggu)s", bulan=nama_bulan(b), minggu=m)
                for b in range(1, 13) for m in range(1, 5)]


ROMAWI = ("I", "II", "III", "IV")


def nama_bulan(bulan: int) -> str:
    """A month (1..12) by name in the reader's language: "Mei", "May"."""
    return _(BULAN[bulan - 1])


def singkatan_bulan(bulan: int) -> str:
    """A month's first three letters in the reader's language: "Agu", "Aug"."""
    return nama_bulan(bulan)[:3]


def nama_triwulan(triwulan: int) -> str:
    """A quarter (1..4) in words: "Triwulan II", "Quarter II"."""
    return _("Triwulan %(romawi)s", romawi=ROMAWI[triwulan - 1])


_LABEL_BENTUK = {"bulan": N_("Bulanan (B1-B12)"), "triwulan": N_("Triwulanan (TW1-TW4)"),
                 "minggu": N_("Mingguan (minggu ke 1-4 tiap bulan)")}


def _weeks_of(bentuk: BentukJadwal, sel: int) -> range:
    """The week indices (0-based) a grid cell of this shape covers."""
    if bentuk is BentukJadwal.BULAN:
        return range((sel - 1) * 4, sel * 4)
    if bentuk is BentukJadwal.TRIWULAN:
        return range((sel - 1) * 12, sel * 12)
    return range(sel - 1, sel)


def jumlah_sel(bentuk: BentukJadwal) -> int:
    return {BentukJadwal.BULAN: 12, BentukJadwal.TRIWULAN: 4, BentukJadwal.MINGGU: PANJANG}[bentuk]


def dari_sel(bentuk: BentukJadwal, sel: Iterable[int]) -> str:
    """A stored schedule from the marked cells (1-based) of a grid in ``bentuk``."""
    marks = ["0"] * PANJANG
    for s in sel:
        if not 1 <= s <= jumlah_sel(bentuk):
            raise ValueError(f"sel jadwal {s} di luar 1..{jumlah_sel(bentuk)}")
        for week in _weeks_of(bentuk, s):
            marks[week] = "1"
    return "".join(marks)


def sel(jadwal: str, bentuk: BentukJadwal) -> list[bool]:
    """The grid cells of ``bentuk``: a cell is marked when any week in it is (a cell's
    weeks are consecutive: one slice of the string)."""
    return ["1" in jadwal[w.start:w.stop] for w in (_weeks_of(bentuk, s) for s in range(1, jumlah_sel(bentuk) + 1))]


def bulan(jadwal: str) -> list[int]:
    """The months (1..12) with at least one planned week."""
    return list(_bulan(jadwal))


@functools.lru_cache(maxsize=4096)
def _bulan(jadwal: str) -> tuple[int, ...]:
    # The dashboards ask it for every RAK row of an office (or of a province): most rows
    # share a handful of schedules.
    return tuple(b for b, on in enumerate(sel(jadwal, BentukJadwal.BULAN), start=1) if on)


def kosong(jadwal: str | None) -> bool:
    return not jadwal or "1" not in jadwal


def uraian(jadwal: str, bentuk: BentukJadwal) -> str:
    """The schedule in words, as used in history and diffs: "B1-B4, B8" or "TW1, TW3"."""
    cells = sel(jadwal, bentuk)
    if bentuk is BentukJadwal.MINGGU:
        parts = []
        for b in range(12):
            weeks = [m + 1 for m in range(4) if cells[b * 4 + m]]
            if weeks:
                parts.append(_("%(bulan)s minggu ke %(minggu)s", bulan=singkatan_bulan(b + 1), minggu=_ranges(weeks)))
        return "; ".join(parts) or "-"
    prefix = "B" if bentuk is BentukJadwal.BULAN else "TW"
    marked = [i + 1 for i, on in enumerate(cells) if on]
    return _ranges(marked, prefix) or "-"


def _ranges(numbers: list[int], prefix: str = "") -> str:
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{prefix}{r[0]}" if len(r) == 1 else f"{prefix}{r[0]}-{prefix}{r[-1]}" for r in runs)
