"""Rupiah amounts and decimals as offices write them: ``Rp 10.604.086.100``,
``Rp. 99.498.000,-``, ``97,5``.

One parser for every way in: the editors' form fields (webapp.editors re-exports
``baca_rupiah``) and the Excel/paste import (workflow.imports); one writer for every way
out (pages, checks, PDFs), with Babel's Indonesian symbols and patterns.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, get_currency_symbol, get_decimal_symbol, get_group_symbol, parse_pattern

LOCALE = Locale.parse("id_ID")
MAX_BIAYA = 10**15  # a thousand trillion rupiah: beyond any KPU budget, within BIGINT
_RP = get_currency_symbol("IDR", LOCALE)
_GROUP = get_group_symbol(LOCALE)
_DECIMAL = get_decimal_symbol(LOCALE)
_POLA_RUPIAH = "¤ #,##0"

_RUPIAH = re.compile(r"^(?:rp\.?)?\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,0+)?\s*(?:,-)?$", re.IGNORECASE)


# A minus before or after the currency, as typed or as tulis_rupiah writes one ("-Rp 5.000").
_NEGATIF = re.compile(r"^(?:[-\u2212]\s*(?:rp\.?)?|rp\.?\s*[-\u2212])\s*\d", re.IGNORECASE)


# An amount with sen: a number, then a comma and digits that are not all zero.
_BERSEN = re.compile(r"^(?:rp\.?)?\s*(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$", re.IGNORECASE)


class RupiahNegatif(ValueError):
    """A negative amount: no budget, cost or spending is negative, and every way in says so."""


class RupiahBersen(ValueError):
    """An amount with sen (``1.250.000,50``): amounts here are whole rupiah."""


def baca_rupiah(text: str) -> int:
    """``Rp 10.604.086.100``, ``10604086100`` or ``Rp. 99.498.000,-`` -> whole rupiah.

    Raises RupiahNegatif for a negative amount, RupiahBersen for one with sen, ValueError
    for anything else (words, letters): each is told apart in what the user reads.
    """
    text = " ".join(text.split())
    match = _RUPIAH.match(text)
    if not match:
        if _NEGATIF.match(text):
            raise RupiahNegatif(text)
        raise (RupiahBersen if _BERSEN.match(text) else ValueError)(text)
    return int(match.group(1).replace(".", ""))


@cache
def _pola(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def _kelompok(n: int) -> str:
    return f"{n:,}".replace(",", _GROUP)


def tulis_rupiah(value: int | Decimal) -> str:
    """``Rp 20.999.655.000``; fractions rounded half-even to whole rupiah as Babel does.

    Whole numbers, nearly every amount shown, skip Babel's general formatter: a RAK page
    formats a hundred amounts and Babel's call costs about 30 times more. The result is
    the same (tests compare them).
    """
    if type(value) is int:
        return f"-{_RP} {_kelompok(-value)}" if value < 0 else f"{_RP} {_kelompok(value)}"
    return _pola(_POLA_RUPIAH).apply(value, LOCALE, currency="IDR", currency_digits=False)


def tulis_desimal(value: int | float | Decimal, pattern: str = "#,##0.##") -> str:
    """``97,5``, ``1.234,5678``: Babel's pattern, parsed once per pattern.

    Whole numbers, and Decimals not negative with no more decimals than the pattern shows
    (what the columns hold: nothing to round), skip Babel's general formatter, about twenty
    times dearer; the same text (tests compare them)."""
    if pattern.startswith("#,##0"):
        if type(value) is int:
            return f"-{_kelompok(-value)}" if value < 0 else _kelompok(value)
        if type(value) is Decimal and _tanpa_pembulatan(value, pattern):
            bulat, _titik, pecahan = format(value, "f").partition(".")
            pecahan = pecahan.rstrip("0")
            return f"{_kelompok(int(bulat))}{_DECIMAL}{pecahan}" if pecahan else _kelompok(int(bulat))
    return _pola(pattern).apply(value, LOCALE)


def _tanpa_pembulatan(value: Decimal, pattern: str) -> bool:
    pola = _pola(pattern)
    return (value.is_finite() and not value.is_signed() and pola.frac_prec[0] == 0
            and value.as_tuple().exponent >= -pola.frac_prec[1])
