"""The recap of a year's evaluations (issue 18 point 5): every office the person sees (its
province beside it), its total, predikat and score per component when final, its status
when not, the totals of the years before and the change; sortable; the predikat counted
per province and for all. Reads only.

Three statements whatever the number of offices: the offices with their parents, the
evaluations of the years shown, the component scores (with the components' names) of the
year's final evaluations, summed in SQL from the sub-component grades (which never change
once final) in whole thousandths, so no float touches them. Who sees which office is
``tenants.scoping``'s, as everywhere.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.orm import Session, aliased

from tenants import scoping
from tenants.people import User
from tenants.satker import Satker, Tingkat
from workflow.evaluasi.lke import LkeKomponen, LkeSubkomponen
from workflow.evaluasi.models import Evaluasi, NilaiSubkomponen, StatusEvaluasi
from workflow.evaluasi.skor import NILAI_ANGKA, SEMUA_PREDIKAT, dua_desimal

TAHUN_SEBELUMNYA = 3
SERIBU = Decimal(1000)
URUTAN_PREDIKAT = {p: i for i, p in enumerate(SEMUA_PREDIKAT)}


@dataclass(frozen=True)
class Kantor:
    """An office as the recap shows it (columns, not the mapped row)."""

    id: int
    kode: str
    nama: str
    path: str


@dataclass(frozen=True)
class NilaiTahun:
    """An evaluation of one year, as much as the recap shows of it."""

    status: StatusEvaluasi
    skor_total: Decimal | None
    predikat: str | None

    @property
    def final(self) -> bool:
        return self.status is StatusEvaluasi.FINAL


@dataclass
class BarisRekap:
    satker: Kantor
    provinsi: Kantor
    ini: NilaiTahun | None                    # the year's evaluation (None: not started)
    komponen: dict[str, Decimal]              # component code -> score, final only
    sebelumnya: dict[int, NilaiTahun | None]  # the years before, newest first

    @property
    def skor(self) -> Decimal | None:
        return self.ini.skor_total if self.ini else None

    @property
    def predikat(self) -> str | None:
        return self.ini.predikat if self.ini else None

    @property
    def perubahan(self) -> Decimal | None:
        """The total's change from last year, when both are final."""
        lalu = self.sebelumnya.get(next(iter(self.sebelumnya), None))
        if self.skor is None or lalu is None or lalu.skor_total is None:
            return None
        return self.skor - lalu.skor_total


@dataclass(frozen=True)
class Komponen:
    kode: str
    nama: str


@dataclass
class Distribusi:
    provinsi: Kantor | None  # None: everyone in the recap
    jumlah: Counter = field(default_factory=Counter)

    @property
    def final(self) -> int:
        return sum(self.jumlah[p] for p in SEMUA_PREDIKAT)

    @property
    def belum_final(self) -> int:
        return self.jumlah["-"]


@dataclass
class Rekap:
    tahun: int
    tahun_sebelumnya: list[int]
    komponen: list[Komponen]
    baris: list[BarisRekap]
    distribusi: list[Distribusi]
    total: Distribusi


def _offices(session: Session, user: User | None, provinsi: Satker | None):
    """Every office the user sees that has an evaluator (all but KPU RI), with its province."""
    induk = aliased(Satker)
    query = (select(Satker.id, Satker.kode, Satker.nama, Satker.path, Satker.tingkat,
                    induk.id, induk.kode, induk.nama, induk.path)
             .join(induk, induk.id == Satker.parent_id)
             .where(scoping.satker_filter(user)).order_by(Satker.path))
    if provinsi is not None:
        query = query.where(Satker.path.startswith(provinsi.path, autoescape=True))
    for row in session.execute(query):
        satker = Kantor(*row[:4])
        yield satker, satker if row[4] is Tingkat.PROVINSI else Kantor(*row[5:])


def _skor_komponen(session: Session, ids, tahun: int):
    """(office id, component code, order, name, score in thousandths) of the year's final evaluations."""
    angka = case({n.value: int(v) for n, v in NILAI_ANGKA.items()}, value=NilaiSubkomponen.nilai, else_=0)
    seribu = func.sum(angka * cast(func.round(LkeSubkomponen.bobot * 10), Integer))
    return session.execute(
        select(Evaluasi.satker_id, LkeKomponen.kode, LkeKomponen.urutan, LkeKomponen.nama, seribu)
        .join(NilaiSubkomponen, NilaiSubkomponen.evaluasi_id == Evaluasi.id)
        .join(LkeSubkomponen, LkeSubkomponen.id == NilaiSubkomponen.subkomponen_id)
        .join(LkeKomponen, LkeKomponen.id == LkeSubkomponen.komponen_id)
        .where(Evaluasi.tahun == tahun, Evaluasi.status == StatusEvaluasi.FINAL, Evaluasi.satker_id.in_(ids))
        .group_by(Evaluasi.satker_id, LkeKomponen.id, LkeKomponen.kode, LkeKomponen.urutan, LkeKomponen.nama))


def rekap(session: Session, user: User | None, tahun: int, provinsi: Satker | None = None,
          urut: str | None = None, turun: bool = False) -> Rekap:
    """The recap of ``tahun`` for what ``user`` sees (only ``provinsi``'s offices when given),
    sorted by ``urut`` (the columns ``_kunci`` knows; the hierarchy's order without one)."""
    offices = list(_offices(session, user, provinsi))
    ids = select(Satker.id).where(scoping.satker_filter(user), Satker.parent_id.is_not(None))
    if provinsi is not None:
        ids = ids.where(Satker.path.startswith(provinsi.path, autoescape=True))
    lalu = list(range(tahun - 1, tahun - 1 - TAHUN_SEBELUMNYA, -1))
    nilai: dict[tuple[int, int], NilaiTahun] = {
        (s, t): NilaiTahun(StatusEvaluasi(st), sk, p) for s, t, st, sk, p in session.execute(
            select(Evaluasi.satker_id, Evaluasi.tahun, Evaluasi.status, Evaluasi.skor_total, Evaluasi.predikat)
            .where(Evaluasi.tahun.between(tahun - TAHUN_SEBELUMNYA, tahun), Evaluasi.satker_id.in_(ids)))}
    komponen: dict[str, tuple[int, str]] = {}
    skor: dict[int, dict[str, Decimal]] = {}
    for satker_id, kode, urutan, nama, seribu in _skor_komponen(session, ids, tahun):
        komponen.setdefault(kode, (urutan, nama))
        skor.setdefault(satker_id, {})[kode] = dua_desimal(Decimal(int(seribu)) / SERIBU)
    baris = [BarisRekap(s, p, nilai.get((s.id, tahun)), skor.get(s.id, {}), {t: nilai.get((s.id, t)) for t in lalu})
             for s, p in offices]
    urutkan(baris, urut, turun)
    distribusi, total = _distribusi(baris)
    return Rekap(tahun, lalu, [Komponen(k, n) for k, (_u, n) in sorted(komponen.items(), key=lambda i: i[1][0])],
                 baris, distribusi, total)


def _distribusi(baris: list[BarisRekap]) -> tuple[list[Distribusi], Distribusi]:
    per: dict[int, Distribusi] = {}
    total = Distribusi(None)
    for b in sorted(baris, key=lambda b: b.provinsi.path):
        d = per.setdefault(b.provinsi.id, Distribusi(b.provinsi))
        key = b.predikat if b.ini is not None and b.ini.final else "-"
        d.jumlah[key] += 1
        total.jumlah[key] += 1
    return list(per.values()), total


def _status_urut(b: BarisRekap) -> int:
    order = list(StatusEvaluasi)
    return order.index(b.ini.status) if b.ini else -1


def _kunci(urut: str | None):
    """The sort key of a column; None for the hierarchy's order. Empty values go last."""
    if urut == "satker":
        return lambda b: b.satker.nama
    if urut == "provinsi":
        return lambda b: (b.provinsi.nama, b.satker.path)
    if urut == "status":
        return _status_urut
    if urut == "skor":
        return lambda b: b.skor
    if urut == "predikat":
        return lambda b: -URUTAN_PREDIKAT[b.predikat] if b.predikat else None
    if urut == "perubahan":
        return lambda b: b.perubahan
    if urut and urut.startswith("k-"):
        kode = urut[2:]
        return lambda b: b.komponen.get(kode)
    if urut and urut.startswith("t-") and urut[2:].isdigit():
        tahun = int(urut[2:])
        return lambda b: (b.sebelumnya.get(tahun).skor_total if b.sebelumnya.get(tahun) else None)
    return None


def urutkan(baris: list[BarisRekap], urut: str | None, turun: bool = False) -> None:
    """In place: by the column ``urut`` ascending (descending with ``turun``), rows without a
    value last either way, ties in the hierarchy's order."""
    key = _kunci(urut)
    baris.sort(key=lambda b: b.satker.path)
    if key is None:
        return
    ada = [b for b in baris if key(b) is not None]
    kosong = [b for b in baris if key(b) is None]
    ada.sort(key=key, reverse=turun)
    baris[:] = ada + kosong
