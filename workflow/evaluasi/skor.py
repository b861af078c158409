"""The worksheet's arithmetic, exact in decimals (never a float): a sub-component's grade
proposed from the share of its criteria fulfilled, its score, the total and the predikat.

Pure functions of numbers: the database, the forms and the property test
(tests/test_lke_skor.py) all go through here. The rules and the decisions where the
sources disagree are in ``workflow/evaluasi/__init__.py``.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal

SERATUS = Decimal(100)
NOL = Decimal(0)


class Nilai(enum.StrEnum):
    """A sub-component's grade, best first."""

    AA = "AA"
    A = "A"
    BB = "BB"
    B = "B"
    CC = "CC"
    C = "C"
    D = "D"
    E = "E"

    @property
    def angka(self) -> Decimal:
        return NILAI_ANGKA[self]

    @property
    def hanya_pilihan_evaluator(self) -> bool:
        """A and AA: never proposed, chosen by the evaluator at 100 % with a justification."""
        return self in (Nilai.AA, Nilai.A)


NILAI_ANGKA = {Nilai.AA: Decimal(100), Nilai.A: Decimal(90), Nilai.BB: Decimal(80), Nilai.B: Decimal(70),
               Nilai.CC: Decimal(60), Nilai.C: Decimal(50), Nilai.D: Decimal(30), Nilai.E: NOL}

# The predikat of a total: (predikat, exclusive lower bound), best first; a total of
# exactly 0 gets E (below D's "> 0").
PREDIKAT = (("AA", Decimal(90)), ("A", Decimal(80)), ("BB", Decimal(70)), ("B", Decimal(60)),
            ("CC", Decimal(50)), ("C", Decimal(30)), ("D", NOL))
PREDIKAT_NOL = "E"
# What each predikat means (PermenPAN-RB 88/2021), and its range as the regulation writes it.
ARTI_PREDIKAT = {"AA": ("Sangat Memuaskan", "> 90 - 100"), "A": ("Memuaskan", "> 80 - 90"),
                 "BB": ("Sangat Baik", "> 70 - 80"), "B": ("Baik", "> 60 - 70"),
                 "CC": ("Cukup (Memadai)", "> 50 - 60"), "C": ("Kurang", "> 30 - 50"),
                 "D": ("Sangat Kurang", "> 0 - 30"), "E": ("Sangat Kurang", "0")}
SEMUA_PREDIKAT = (*(p for p, _b in PREDIKAT), PREDIKAT_NOL)


def persen(terpenuhi: int, jumlah: int) -> Decimal:
    """The share of criteria fulfilled, in percent (exact: a fraction, not rounded)."""
    if jumlah <= 0 or not 0 <= terpenuhi <= jumlah:
        raise ValueError(f"{terpenuhi} dari {jumlah} kriteria")
    return Decimal(terpenuhi) * SERATUS / Decimal(jumlah)


def usulan(terpenuhi: int, jumlah: int) -> Nilai:
    """The grade the share proposes: E at 0 %, D up to 25 %, C up to 50 %, CC up to 75 %,
    B below 100 %, BB at 100 % (A and AA are the evaluator's to give)."""
    if terpenuhi == jumlah and jumlah > 0:
        return Nilai.BB
    p = persen(terpenuhi, jumlah)
    for nilai, batas in ((Nilai.B, 75), (Nilai.CC, 50), (Nilai.C, 25), (Nilai.D, 0)):
        if p > batas:
            return nilai
    return Nilai.E


def boleh_dipilih(nilai: Nilai, terpenuhi: int, jumlah: int) -> bool:
    """Whether the evaluator may give ``nilai`` at this share: A and AA only at 100 %."""
    return not nilai.hanya_pilihan_evaluator or (jumlah > 0 and terpenuhi == jumlah)


def skor(nilai: Nilai, bobot: Decimal) -> Decimal:
    """A sub-component's score: grade / 100 x weight (exact: weights have one decimal and
    grades are whole tens, so two decimals always hold it)."""
    return nilai.angka * Decimal(bobot) / SERATUS


def jumlah(skor_skor: Iterable[Decimal]) -> Decimal:
    return sum((Decimal(s) for s in skor_skor), NOL)


def predikat(total: Decimal) -> str:
    """AA > 90, A > 80, BB > 70, B > 60, CC > 50, C > 30, D > 0, E at 0: the lower bound is
    exclusive, so 90,00 is A and 70,01 is BB."""
    total = Decimal(total)
    if not NOL <= total <= SERATUS:
        raise ValueError(f"total di luar 0..100: {total}")
    for nama, batas in PREDIKAT:
        if total > batas:
            return nama
    return PREDIKAT_NOL


def dua_desimal(angka: Decimal) -> Decimal:
    """For storing and printing: every score here is exact at two decimals already."""
    return Decimal(angka).quantize(Decimal("0.01"))
