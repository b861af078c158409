"""Working days: Monday to Friday, without Indonesia's public holidays and joint leave
days (cuti bersama), as the ``holidays`` library keeps them (its Indonesia calendar:
category ``public`` for the holidays, ``government`` for cuti bersama, e.g. 8, 9, 12 and
15 April 2024 around Idul Fitri). A maintained calendar rather than a hand-written list:
the government fixes Islamic holidays and cuti bersama each year (DOMAIN.md, "Dates")."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from holidays.constants import GOVERNMENT, PUBLIC


@lru_cache(maxsize=32)
def _libur(tahun: int) -> frozenset[date]:
    return frozenset(holidays.Indonesia(years=tahun, categories=(PUBLIC, GOVERNMENT)))


def nama_libur(hari: date) -> str | None:
    """The holiday's name ("Eid al-Fitr Joint Holiday"), or None on an ordinary day."""
    return holidays.Indonesia(years=hari.year, categories=(PUBLIC, GOVERNMENT)).get(hari)


def hari_kerja(hari: date) -> bool:
    return hari.weekday() < 5 and hari not in _libur(hari.year)


def tambah_hari_kerja(mulai: date, n: int) -> date:
    """The n-th working day after ``mulai`` (``mulai`` itself not counted: the day a
    document is signed is not one of its reviewer's days)."""
    hari = mulai
    while n > 0:
        hari += timedelta(days=1)
        if hari_kerja(hari):
            n -= 1
    return hari


def hari_kerja_di_antara(mulai: date, sampai: date) -> int:
    """How many working days after ``mulai`` up to and including ``sampai``."""
    jumlah, hari = 0, mulai
    while hari < sampai:
        hari += timedelta(days=1)
        jumlah += hari_kerja(hari)
    return jumlah
