"""Reading money per output code and month from a sheet (the rows ``workflow.imports``
opened: .xlsx, .ods, .csv or pasted text; this module takes any rows with ``nomor`` and
``nilai`` so that it does not depend on the import package, a sibling).

Two layouts are accepted, the header row being found among the first 30 rows:

- long: ``Kode Output | Bulan | Realisasi`` (the amount column may be headed
  ``Realisasi``, ``Jumlah``, ``Nilai`` or ``Rupiah``); a month as ``3``, ``B3``, ``Maret``
  or ``Mar``, or a date (its month). Rows of the same code and month are added up (a SAKTI
  listing per SPM has several).
- wide: ``Kode Output | Jan | Feb | ... | Des`` (``Januari``..``Desember``, ``1``..``12``
  or ``B1``..``B12``; English short names too); other columns (``Uraian``, ``Jumlah``)
  are ignored.

A code is ``CQ.6709.QGE.003`` or with the DIPA's prefix ``076.01.CQ.6709.QGE.003``; an
amount ``Rp 1.234.000``, ``1234000`` or a number cell. An empty cell changes nothing
(clearing a month is done on the page). Every problem names its row and column.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from tenants.teks import _
from workflow.anggaran.operations import IsianOutput, baca_jumlah, normalkan_kode

MAKS_JUDUL = 30
_BULAN = {nama: i for i, names in enumerate((
    ("jan", "januari", "january"), ("feb", "februari", "february", "pebruari"), ("mar", "maret", "march"),
    ("apr", "april"), ("mei", "may"), ("jun", "juni", "june"), ("jul", "juli", "july"),
    ("agu", "agt", "agus", "agustus", "aug", "august"), ("sep", "sept", "september"),
    ("okt", "oktober", "oct", "october"), ("nov", "nopember", "november"), ("des", "desember", "dec", "december"),
), start=1) for nama in names}
_B = re.compile(r"^(?:b|bulan|bln)\s*\.?\s*(\d{1,2})$")
_JUMLAH = ("realisasi", "jumlah", "nilai", "rupiah", "amount")


class Baris(Protocol):
    nomor: int
    nilai: list[Any]


@dataclass
class HasilBaca:
    isian: list[IsianOutput] = field(default_factory=list)   # one per (code, month), amounts as int
    masalah: list[str] = field(default_factory=list)
    bentuk: str = ""                                         # "panjang" or "lebar"
    baris: int = 0                                           # data rows read


def huruf(kolom: int) -> str:
    """0 -> A, 26 -> AA."""
    letters = ""
    kolom += 1
    while kolom:
        kolom, rest = divmod(kolom - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _teks(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def bulan_dari(value: Any) -> int | None:
    """A month as offices write it, or None."""
    if isinstance(value, (date, datetime)):
        return value.month
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1 <= value <= 12 else None
    text = _teks(value).lower().rstrip(".")
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    if match := _B.match(text):
        return int(match.group(1)) if 1 <= int(match.group(1)) <= 12 else None
    return _BULAN.get(text)


def _cari_judul(rows: Sequence[Baris]) -> tuple[int, dict[str, int], dict[int, int]] | None:
    """(index of the header row, {field: column}, {column: month}) of the first row that has a code column."""
    for i, row in enumerate(rows[:MAKS_JUDUL]):
        labels = [_teks(v).lower() for v in row.nilai]
        kode = next((c for c, t in enumerate(labels) if t.startswith("kode")), None)
        if kode is None:
            continue
        kolom = {"kode": kode}
        bulan = {c: b for c, t in enumerate(labels) if c != kode and (b := bulan_dari(t)) is not None}
        if (c := next((c for c, t in enumerate(labels) if t == "bulan" or t.startswith("bulan ")), None)) is not None:
            kolom["bulan"] = c
        if (c := next((c for c, t in enumerate(labels) if t.split(" ")[0] in _JUMLAH), None)) is not None:
            kolom["jumlah"] = c
        return i, kolom, bulan
    return None


def baca_lembar(rows: Iterable[Baris]) -> HasilBaca:
    """The figures in a sheet, or the problems (``HasilBaca.masalah``) with row and column."""
    rows = list(rows)
    hasil = HasilBaca()
    judul = _cari_judul(rows)
    if judul is None:
        hasil.masalah.append(_("Tidak ditemukan baris judul dengan kolom 'Kode Output' pada %(n)s baris pertama. "
                               "Kolom yang diterima: Kode Output | Bulan | Realisasi, atau Kode Output | Jan | Feb "
                               "| ... | Des.", n=MAKS_JUDUL))
        return hasil
    i, kolom, bulan = judul
    if "bulan" in kolom and "jumlah" in kolom:
        hasil.bentuk = "panjang"
    elif len(bulan) >= 1:
        hasil.bentuk = "lebar"
    else:
        hasil.masalah.append(_("Baris %(no)s: judul kolom dikenali 'Kode' tetapi tidak ada kolom 'Bulan' dan "
                               "'Realisasi', juga tidak ada kolom bulan (Jan ... Des).", no=rows[i].nomor))
        return hasil
    jumlah: dict[tuple[str, int], int] = {}
    for row in rows[i + 1:]:
        if all(_teks(v) == "" for v in row.nilai):
            continue
        hasil.baris += 1
        if hasil.bentuk == "panjang":
            _baris_panjang(row, kolom, jumlah, hasil.masalah)
        else:
            _baris_lebar(row, kolom["kode"], bulan, jumlah, hasil.masalah)
    hasil.isian = [IsianOutput(k, b, v) for (k, b), v in sorted(jumlah.items())]
    return hasil


def _sel(row: Baris, c: int) -> Any:
    return row.nilai[c] if c < len(row.nilai) else None


def _letak(row: Baris, c: int) -> str:
    return _("Baris %(no)s, kolom %(kolom)s", no=row.nomor, kolom=huruf(c))


def _kode(row: Baris, c: int, masalah: list[str]) -> str | None:
    text = _teks(_sel(row, c))
    kode = normalkan_kode(text)
    if kode is None:
        masalah.append(_("%(letak)s: '%(kode)s' bukan kode output (mis. CQ.6709.QGE.003 atau "
                         "076.01.CQ.6709.QGE.003).", letak=_letak(row, c), kode=text[:40]))
    return kode


def _amount(row: Baris, c: int, masalah: list[str]) -> int | None:
    value = _sel(row, c)
    if isinstance(value, float):
        if not value.is_integer():
            masalah.append(_("%(letak)s: %(nilai)s: tulis tanpa sen (rupiah utuh).", letak=_letak(row, c), nilai=value))
            return None
        value = int(value)
    elif value is not None and not isinstance(value, int):
        value = _teks(value)
    hasil = baca_jumlah(value, _letak(row, c))
    if isinstance(hasil, str):
        masalah.append(hasil)
        return None
    return hasil


def _tambah(jumlah: dict[tuple[str, int], int], kode: str, bulan: int, nilai: int) -> None:
    jumlah[(kode, bulan)] = jumlah.get((kode, bulan), 0) + nilai


def _baris_panjang(row: Baris, kolom: dict[str, int], jumlah: dict, masalah: list[str]) -> None:
    kode = _kode(row, kolom["kode"], masalah)
    b = bulan_dari(_sel(row, kolom["bulan"]))
    if b is None:
        masalah.append(_("%(letak)s: '%(bulan)s' bukan bulan (1-12, B1-B12 atau Januari-Desember).",
                         letak=_letak(row, kolom["bulan"]), bulan=_teks(_sel(row, kolom["bulan"]))[:20]))
    nilai = _amount(row, kolom["jumlah"], masalah)
    if kode and b and nilai is not None:
        _tambah(jumlah, kode, b, nilai)


def _baris_lebar(row: Baris, c_kode: int, bulan: dict[int, int], jumlah: dict, masalah: list[str]) -> None:
    kode = _kode(row, c_kode, masalah)
    for c, b in bulan.items():
        nilai = _amount(row, c, masalah)
        if kode and nilai is not None:
            _tambah(jumlah, kode, b, nilai)
