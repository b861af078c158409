"""Columns recognised by what their cells hold, for a table whose header lost a label
(a PDF copy that started below it, a heading left blank): an amount in rupiah is the
cost, a budget output code is the code, a unit's name is the pelaksana. Only the rows
that start a table row (a number in the No column, else an indikator) are looked at:
wrapped lines hold fragments. A column is taken when most of its cells read so; the dry
run says which column was read as what ("kolom 18 dibaca sebagai Perkiraan Biaya"),
and a column with data that is neither named nor recognised is listed, never dropped
without a word.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tenants.teks import N_
from workflow.imports.berkas import BarisLembar, teks
from workflow.imports.sel import KODE, NilaiSalah, baca_biaya, norm

LABEL = {"biaya": N_("Perkiraan Biaya"), "pelaksana": N_("Pelaksana"), "kode_output": N_("Kode Output"),
         "kegiatan": N_("Kegiatan"), "target": N_("Target")}
_UNIT = re.compile(r"^(?:sub ?bag(?:ian)?|sub bagian|bagian|divisi|div|bidang|semua|seluruh|kasubbag)\b")
_RUPIAH = re.compile(r"^rp\.?\s*\d|^\d{1,3}(?:\.\d{3})+(?:,-?)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Tebakan:
    kolom: int        # 0-based
    bidang: str       # the field it is read as ("biaya")


def _apa(value) -> str | None:
    text = teks(value)
    if not text:
        return None
    if _RUPIAH.match(text):
        try:
            baca_biaya(text)
            return "biaya"
        except NilaiSalah:
            return None
    if KODE.fullmatch(" " + text):
        return "kode_output"
    if _UNIT.match(norm(text)):
        return "pelaksana"
    return None


def tebak(rows: Sequence[BarisLembar], kosong: Sequence[int], hilang: set[str], awal: int | None) -> list[Tebakan]:
    """For the unnamed columns ``kosong``, the fields of ``hilang`` their cells read as
    (a field at most once, the column most of whose cells read so)."""
    counts: dict[int, dict[str, int]] = {c: {} for c in kosong}
    filled = {c: 0 for c in kosong}
    for row in rows:
        if awal is not None and not row.teks(awal):
            continue
        for c in kosong:
            if c < len(row.nilai) and teks(row.nilai[c]):
                filled[c] += 1
                if (what := _apa(row.nilai[c])) in hilang:
                    counts[c][what] = counts[c].get(what, 0) + 1
    out: list[Tebakan] = []
    taken: set[str] = set()
    for c in kosong:
        best = max(counts[c].items(), key=lambda kv: kv[1], default=None)
        if best and best[0] not in taken and best[1] * 2 > filled[c]:
            out.append(Tebakan(c, best[0]))
            taken.add(best[0])
    return out


def berisi(rows: Sequence[BarisLembar], c: int) -> list[str]:
    """Up to three values of column ``c`` (to show a column that has no heading)."""
    seen: list[str] = []
    for row in rows:
        if c < len(row.nilai) and (t := teks(row.nilai[c])) and t not in seen:
            seen.append(t[:40])
            if len(seen) == 3:
                break
    return seen


__all__ = ["LABEL", "Tebakan", "berisi", "tebak"]
