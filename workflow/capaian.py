"""Capaian (achievement), computed and never typed.

The formulas (also in the README):

- higher is better:  capaian = R / T x 100
- lower is better:   capaian = (2T - R) / T x 100  (R = T gives 100; every point of R
  below T adds as much as a point above T takes away; R >= 2T gives 0 or less, shown as is)
- letter grades (AA > A > BB > B > CC > C > D) and audit opinions (WTP > WDP > TW > TMP):
  compared on their ordinal scale: "tercapai" when R is as good as T or better, else
  "tidak tercapai";
- a missing or zero target, or a missing realisation: "tidak dapat dihitung".

Realisations of several periods add up per indikator in one of three ways (sum, last
value, average); an empty period is not a zero: it is left out.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tenants.teks import N_, _
from workflow.target import OPINI, PREDIKAT, JenisTarget, Polaritas

SERATUS = Decimal(100)


class CaraAgregasi(enum.StrEnum):
    JUMLAH = "jumlah"      # counts: reports, events, people
    TERAKHIR = "terakhir"  # levels and percentages measured at a point in time
    RATA_RATA = "rata_rata"

    @property
    def label(self) -> str:
        return _(_LABEL_AGREGASI[self.value])


_LABEL_AGREGASI = {"jumlah": N_("Dijumlahkan"), "terakhir": N_("Nilai terakhir"), "rata_rata": N_("Rata-rata")}


class Keadaan(enum.StrEnum):
    DIHITUNG = "dihitung"
    TERCAPAI = "tercapai"
    TIDAK_TERCAPAI = "tidak_tercapai"
    TIDAK_DAPAT_DIHITUNG = "tidak_dapat_dihitung"


@dataclass(frozen=True)
class Capaian:
    keadaan: Keadaan
    persen: Decimal | None = None  # only for numbers and percentages

    @property
    def teks(self) -> str:
        if self.persen is not None:
            return f"{self.persen.quantize(Decimal('0.01')).normalize():f}".replace(".", ",") + "%"
        return _(_TEKS_KEADAAN[self.keadaan])


_TEKS_KEADAAN = {Keadaan.TERCAPAI: N_("tercapai"), Keadaan.TIDAK_TERCAPAI: N_("tidak tercapai"),
                 Keadaan.TIDAK_DAPAT_DIHITUNG: N_("tidak dapat dihitung")}


TIDAK_DAPAT_DIHITUNG = Capaian(Keadaan.TIDAK_DAPAT_DIHITUNG)


def _skala(jenis: JenisTarget) -> Sequence[str]:
    return PREDIKAT if jenis is JenisTarget.PREDIKAT else OPINI


def hitung(jenis: JenisTarget, polaritas: Polaritas, target: Decimal | str | None,
           realisasi: Decimal | str | None) -> Capaian:
    """Capaian of one realisation against one target (see the module docstring)."""
    if target is None or realisasi is None:
        return TIDAK_DAPAT_DIHITUNG
    if jenis in (JenisTarget.PREDIKAT, JenisTarget.OPINI):
        skala = _skala(jenis)
        if target not in skala or realisasi not in skala:
            return TIDAK_DAPAT_DIHITUNG
        # Best first on the scale: a smaller index is better.
        ok = skala.index(realisasi) <= skala.index(target)
        return Capaian(Keadaan.TERCAPAI if ok else Keadaan.TIDAK_TERCAPAI)
    target, realisasi = Decimal(target), Decimal(realisasi)
    if target == 0:
        return TIDAK_DAPAT_DIHITUNG
    if polaritas is Polaritas.TURUN:
        return Capaian(Keadaan.DIHITUNG, (2 * target - realisasi) / target * SERATUS)
    return Capaian(Keadaan.DIHITUNG, realisasi / target * SERATUS)


def gabung(nilai: Iterable[Decimal | None], cara: CaraAgregasi) -> Decimal | None:
    """Periods to date in one figure; None when no period has a value yet."""
    ada = [v for v in nilai if v is not None]
    if not ada:
        return None
    if cara is CaraAgregasi.JUMLAH:
        return sum(ada, Decimal(0))
    if cara is CaraAgregasi.TERAKHIR:
        return ada[-1]
    return sum(ada, Decimal(0)) / len(ada)


class Gabungan:
    """``gabung`` of a list that grows one value at a time (a chart's figure to date after
    each period), without adding the list up again at each step: the same operations in
    the same order, so the same figures."""

    def __init__(self, cara: CaraAgregasi):
        self.cara, self.jumlah, self.banyak, self.akhir = cara, Decimal(0), 0, None

    def tambah(self, nilai: Decimal | None) -> None:
        if nilai is not None:
            self.jumlah, self.banyak, self.akhir = self.jumlah + nilai, self.banyak + 1, nilai

    @property
    def nilai(self) -> Decimal | None:
        if not self.banyak:
            return None
        if self.cara is CaraAgregasi.JUMLAH:
            return self.jumlah
        if self.cara is CaraAgregasi.TERAKHIR:
            return self.akhir
        return self.jumlah / self.banyak


def gabung_kode(nilai: Iterable[str | None]) -> str | None:
    """Grades and opinions are never summed: the latest one stands."""
    ada = [v for v in nilai if v]
    return ada[-1] if ada else None


class Lampu(enum.StrEnum):
    """The traffic light of a dashboard cell."""

    HIJAU = "hijau"    # capaian >= 100%, or tercapai
    KUNING = "kuning"  # 80% <= capaian < 100%
    MERAH = "merah"    # below 80%, or tidak tercapai
    ABU = "abu"        # tidak dapat dihitung


AMBANG_KUNING = Decimal(80)


def lampu(capaian: Capaian) -> Lampu:
    if capaian.keadaan is Keadaan.TIDAK_DAPAT_DIHITUNG:
        return Lampu.ABU
    if capaian.keadaan is Keadaan.TERCAPAI:
        return Lampu.HIJAU
    if capaian.keadaan is Keadaan.TIDAK_TERCAPAI:
        return Lampu.MERAH
    if capaian.persen >= SERATUS:
        return Lampu.HIJAU
    return Lampu.KUNING if capaian.persen >= AMBANG_KUNING else Lampu.MERAH
