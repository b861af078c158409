"""Targets as offices write them: ``97,5%``, ``2 Laporan``, ``2.498 Orang``, ``B``, ``WTP``.

A target is stored structured (kind, number or code, unit, polarity) so that totals,
comparisons and capaian can be computed; these functions read the written form and
write it back the way a KPU document prints it.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tenants.teks import N_, _
from workflow.rupiah import tulis_desimal

MAX_TARGET = Decimal(10) ** 11  # with 4 decimals: 15 significant digits, exact on every backend


class JenisTarget(enum.StrEnum):
    ANGKA = "angka"        # a count or level with a unit: 2 Laporan, 3,5
    PERSEN = "persen"      # 97,5%
    PREDIKAT = "predikat"  # SAKIP grade AA..D
    OPINI = "opini"        # audit opinion WTP..TMP

    @property
    def label(self) -> str:
        return _(_LABEL_JENIS[self.value])


class Polaritas(enum.StrEnum):
    NAIK = "naik"    # higher is better
    TURUN = "turun"  # lower is better

    @property
    def label(self) -> str:
        return _(_LABEL_POLARITAS[self.value])


_LABEL_JENIS = {"angka": N_("Angka"), "persen": N_("Persen"), "predikat": N_("Predikat (AA-D)"),
                "opini": N_("Opini (WTP-TMP)")}
_LABEL_POLARITAS = {"naik": N_("Makin tinggi makin baik"), "turun": N_("Makin rendah makin baik")}


# Best first: the ordinal scales on which grades and opinions are compared.
PREDIKAT = ("AA", "A", "BB", "B", "CC", "C", "D")
OPINI = ("WTP", "WDP", "TW", "TMP")
KODE_TARGET = PREDIKAT + OPINI


class TargetError(ValueError):
    """A target that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Target:
    jenis: JenisTarget
    nilai: Decimal | None = None
    kode: str | None = None
    satuan: str | None = None

    def tulis(self) -> str:
        return tulis_target(self.jenis, self.nilai, self.kode, self.satuan)


_NUMBER = re.compile(r"^(?P<angka>\d[\d.,]*)\s*(?P<sisa>.*)$")


def baca_angka(text: str) -> Decimal:
    """An Indonesian number: dots group thousands, a comma marks decimals.

    A dot followed by other than exactly three digits can only be a decimal point (the
    seeds write ``0.16%``), so it is read as one.
    """
    text = text.strip()
    if "," in text:
        whole, _koma, frac = text.rpartition(",")
        text = whole.replace(".", "") + "." + frac
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise TargetError(_("'%(teks)s' bukan angka", teks=text)) from None
    if not value.is_finite():
        raise TargetError(_("'%(teks)s' bukan angka", teks=text))
    return value


def baca_target(text: str) -> Target:
    """Read a target as printed: ``100%``, ``97,5%``, ``2.498 Orang``, ``BB``, ``WTP``."""
    text = " ".join((text or "").split())
    if not text:
        raise TargetError(_("target kosong"))
    upper = text.upper()
    if upper in OPINI:
        return Target(JenisTarget.OPINI, kode=upper)
    if upper in PREDIKAT:
        return Target(JenisTarget.PREDIKAT, kode=upper)
    match = _NUMBER.match(text)
    if not match:
        raise TargetError(_("target '%(teks)s' tidak dikenali: tulis angka dengan satuan, persen, predikat (AA-D) "
                            "atau opini (WTP, WDP, TW, TMP)", teks=text))
    nilai = baca_angka(match["angka"].rstrip(".,"))
    sisa = match["sisa"].strip()
    if sisa.startswith("%"):
        if sisa != "%":
            raise TargetError(_("target '%(teks)s': setelah tanda %% tidak boleh ada teks lain", teks=text))
        return Target(JenisTarget.PERSEN, nilai=nilai, satuan="%")
    return Target(JenisTarget.ANGKA, nilai=nilai, satuan=sisa or None)


def tulis_angka(nilai: Decimal | int | float) -> str:
    return tulis_desimal(nilai, "#,##0.####")


def tulis_target(jenis: JenisTarget | None, nilai: Decimal | None, kode: str | None, satuan: str | None) -> str:
    if jenis in (JenisTarget.PREDIKAT, JenisTarget.OPINI):
        return kode or ""
    if nilai is None:
        return ""
    if jenis is JenisTarget.PERSEN:
        return f"{tulis_angka(nilai)}%"
    return f"{tulis_angka(nilai)} {satuan}".strip() if satuan else tulis_angka(nilai)


def lebih_buruk(polaritas: Polaritas, anak: Target, induk: Target) -> bool:
    """Whether a child office's target falls below its parent's (cascade rule).

    Numbers by polarity; grades and opinions on their ordinal scale (best first).
    """
    if anak.jenis is not induk.jenis:
        return True
    if anak.jenis in (JenisTarget.PREDIKAT, JenisTarget.OPINI):
        skala = PREDIKAT if anak.jenis is JenisTarget.PREDIKAT else OPINI
        return skala.index(anak.kode) > skala.index(induk.kode)
    if polaritas is Polaritas.TURUN:
        return anak.nilai > induk.nilai
    return anak.nilai < induk.nilai
