"""Targets per period (issue 17 point 1): what an indikator (or a RAK row's output) should
have reached by the end of each quarter (TW I-IV) or month, in the office's shape.

Each value is the target TO DATE at the end of its period, compared with the realisation
to date as the indikator's aggregation adds it up (``workflow.capaian.gabung``): for a
count that is summed ("12 Laporan") the targets rise (3, 6, 9, 12); for a level measured
at a point in time ("97,5%") each is that period's level. So the last period's target is
the annual target; where it is not, a reason must be written beside it.

Stored on the row as JSON text (a list of 4 or 12 strings: a number as ``Decimal`` text,
or a grade/opinion code), with the reason; both are content of the revision (hashed,
frozen at submit, copied into the next revision).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from tenants.teks import _
from workflow.errors import IsiTidakValid
from workflow.schedule import ROMAWI, BentukJadwal, nama_bulan
from workflow.target import MAX_TARGET, OPINI, PREDIKAT, JenisTarget, Polaritas, Target, TargetError, baca_target
from workflow.target import lebih_buruk, tulis_target

MAX_ALASAN = 2000
KODE_JENIS = (JenisTarget.PREDIKAT, JenisTarget.OPINI)


def jumlah_periode(bentuk: BentukJadwal | None) -> int:
    """Four quarters for an office that plans by quarter, else twelve months."""
    return 4 if bentuk is BentukJadwal.TRIWULAN else 12


def bulan_periode(n: int) -> list[int]:
    """The month each of ``n`` periods ends at (where its realisation is stored)."""
    return [3 * q for q in range(1, 5)] if n == 4 else list(range(1, 13))


def label_periode(n: int) -> list[str]:
    if n == 4:
        return [f"TW {r}" for r in ROMAWI]
    return [nama_bulan(b)[:3] for b in range(1, 13)]


def daftar(row) -> list[str] | None:
    """The stored period targets of a row (None: the row has none)."""
    text = getattr(row, "target_periode", None)
    return json.loads(text) if text else None


def _nilai(value: str, jenis: JenisTarget) -> Decimal | str:
    return value if jenis in KODE_JENIS else Decimal(value)


def sampai(row, bulan: int) -> Decimal | str | None:
    """The target to date at ``bulan`` (the period containing that month); None when the
    row has no period targets."""
    text = getattr(row, "target_periode", None)
    return _sampai(text, row.jenis_target, bulan) if text else None


@lru_cache(maxsize=4096)
def _sampai(text: str, jenis_target: str, bulan: int) -> Decimal | str | None:
    # Kept per stored text and month: a dashboard asks it for every indikator of many
    # offices, and reading the JSON again each time cost more than the rest of the figures.
    nilai = json.loads(text)
    if not nilai:
        return None
    akhir = bulan_periode(len(nilai))
    for i, b in enumerate(akhir):
        if bulan <= b:
            return _nilai(nilai[i], JenisTarget(jenis_target))
    return _nilai(nilai[-1], JenisTarget(jenis_target))


def _baca_satu(text: str, jenis: JenisTarget, where: str) -> str:
    try:
        target = baca_target(text)
    except TargetError as exc:
        raise IsiTidakValid(f"{where}: {exc}.") from None
    if jenis in KODE_JENIS:
        skala = PREDIKAT if jenis is JenisTarget.PREDIKAT else OPINI
        if target.kode not in skala:
            raise IsiTidakValid(_("%(letak)s: tulis salah satu dari %(skala)s.", letak=where, skala=", ".join(skala)))
        return target.kode
    if target.nilai is None:
        raise IsiTidakValid(_("%(letak)s: tulis sebuah angka.", letak=where))
    if target.nilai >= MAX_TARGET:
        raise IsiTidakValid(_("%(letak)s: angka terlalu besar.", letak=where))
    return str(target.nilai.normalize()) if target.nilai != target.nilai.to_integral() else str(int(target.nilai))


def baca(row, teks: Sequence[str]) -> list[str] | None:
    """Period targets as typed (one text per period: 4 quarters or 12 months) -> the values
    to store, None when all are empty. Either every period has a target or none has."""
    teks = [" ".join((t or "").split()) for t in teks]
    if not any(teks):
        return None
    n = len(teks)
    if n not in (4, 12):
        raise IsiTidakValid(_("Target per periode diisi untuk 4 triwulan atau 12 bulan; muat ulang halaman."))
    jenis = JenisTarget(row.jenis_target)
    hasil = []
    for label, text in zip(label_periode(n), teks):
        where = _("Target %(periode)s", periode=label)
        if not text:
            raise IsiTidakValid(_("%(letak)s belum diisi: isi target setiap periode, atau kosongkan semuanya.", letak=where))
        hasil.append(_baca_satu(text, jenis, where))
    return hasil


def tulis(row, nilai: str) -> str:
    jenis = JenisTarget(row.jenis_target)
    if jenis in KODE_JENIS:
        return nilai
    return tulis_target(jenis, Decimal(nilai), None, row.satuan)


def terakhir_sama(row) -> bool:
    """Whether the last period's target is the annual target (True when there are none)."""
    nilai = daftar(row)
    if not nilai:
        return True
    jenis = JenisTarget(row.jenis_target)
    if jenis in KODE_JENIS:
        return nilai[-1] == row.target_kode
    return row.target_nilai is not None and Decimal(nilai[-1]) == row.target_nilai


def isi(row, teks: Sequence[str], alasan: str | None) -> None:
    """Set a row's period targets and the reason beside them, checked: a last period
    other than the annual target needs its reason written."""
    nilai = baca(row, teks)
    row.target_periode = json.dumps(nilai) if nilai else None
    alasan = " ".join((alasan or "").split()) or None
    if alasan and len(alasan) > MAX_ALASAN:
        raise IsiTidakValid(_("Alasan target periode terakhir paling banyak %(maks)s karakter.", maks=MAX_ALASAN))
    row.alasan_target_periode = alasan if row.target_periode else None
    periksa_terakhir(row)


def periksa_terakhir(row) -> None:
    if not terakhir_sama(row) and not row.alasan_target_periode:
        nilai = daftar(row)
        raise IsiTidakValid(_("Target periode terakhir (%(akhir)s) berbeda dari target tahunan (%(target)s): tuliskan "
                              "alasannya di samping target per periode.", akhir=tulis(row, nilai[-1]), target=row.target))


def lebih_rendah_dari_induk(row, induk) -> list[str]:
    """The periods whose target falls below the parent row's for the same period (the
    cascade floor, as for annual targets); the labels of those periods."""
    anak, atas = daftar(row), daftar(induk)
    if not anak or not atas or len(anak) != len(atas):
        return []
    jenis, polaritas = JenisTarget(row.jenis_target), Polaritas(row.polaritas)
    if jenis is not JenisTarget(induk.jenis_target):
        return []  # the annual check already says the kinds differ
    labels = label_periode(len(anak))
    found = []
    for label, a, b in zip(labels, anak, atas):
        ta = Target(jenis, None if jenis in KODE_JENIS else Decimal(a), a if jenis in KODE_JENIS else None)
        tb = Target(jenis, None if jenis in KODE_JENIS else Decimal(b),
                    b if jenis in KODE_JENIS else None)
        if lebih_buruk(polaritas, ta, tb):
            found.append(label)
    return found
