"""The benchmark's figures: for each indikator of the office's PK that it carries by cascade,
the capaian of every office of the same level carrying the same indikator, reduced to n and
the quartiles (``statistics.quantiles``, method 'inclusive') for the office's province and
for the country, and where the office stands among them.

The same indikator at two offices is found by its root: the indikator at the top of its
cascade chain (KPU RI's for a province's and for a kabupaten/kota's that came down through
the province; the province's own for one that started there, compared within the province).

Whose figures count: a signed PK (signed or reviewed) and the realisation of its verified
periods only, as the LKj counts them (``workflow.lkj.tabel``). Two statements whatever the
number of offices and indikator: the office's roots, then every peer's realisation
aggregated in SQL per indikator (as the province matrix does, exactly on both backends);
the quartiles are computed in Python from those, so both backends give the same numbers.
"""
from __future__ import annotations

import statistics
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import and_, case, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from tenants.satker import Satker, Tingkat
from workflow import banding as paket
from workflow.capaian import Capaian, CaraAgregasi, Keadaan, hitung
from workflow.dokumen import target_periode
from workflow.dokumen.content import Indikator
from workflow.dokumen.jenis import Bentuk, berbentuk
from workflow.dokumen.models import Dokumen, Revisi, Status
from workflow.pelaporan.models import LaporanPeriode, StatusLaporan
from workflow.realisasi.dashboard import _JUMLAH, _KODE_TERAKHIR, _NILAI_TERAKHIR, _realisasi_sd
from workflow.realisasi.models import Realisasi
from workflow.realisasi.operations import KODE_JENIS, HasilIndikator, cara_agregasi
from workflow.target import JenisTarget, Polaritas

PK = berbentuk(Bentuk.PK)
DITANDATANGANI = (Status.SIGNED, Status.REVIEWED)
# Quartiles are shown only over at least this many offices: with two, the office's own value
# and the median would give away the other office's value (2 x median - own); below three,
# "data belum cukup" is printed instead.
MINIMUM = 3

_INDUK = aliased(Dokumen, name="banding_induk")
_INDUK_REVISI = aliased(Revisi, name="banding_induk_revisi")
_INDUK_INDIKATOR = aliased(Indikator, name="banding_induk_indikator")
# The root of an indikator's cascade chain: its parent's parent when the parent inherited
# too (a kabupaten/kota's indikator from KPU RI through its province), else its parent.
_NAIK = _INDUK_INDIKATOR.induk_dokumen_id.is_not(None)
_AKAR_DOKUMEN = case((_NAIK, _INDUK_INDIKATOR.induk_dokumen_id), else_=Indikator.induk_dokumen_id)
_AKAR_KUNCI = case((_NAIK, _INDUK_INDIKATOR.induk_kunci), else_=Indikator.induk_kunci)


def _dengan_akar(query):
    """Joins an indikator (of a document's current revision) to its parent indikator, for the root."""
    return (query.join(Revisi, and_(Revisi.dokumen_id == Dokumen.id, Revisi.nomor == Dokumen.nomor_revisi))
            .join(Indikator, Indikator.revisi_id == Revisi.id)
            .outerjoin(_INDUK, _INDUK.id == Indikator.induk_dokumen_id)
            .outerjoin(_INDUK_REVISI, and_(_INDUK_REVISI.dokumen_id == _INDUK.id,
                                           _INDUK_REVISI.nomor == _INDUK.nomor_revisi))
            .outerjoin(_INDUK_INDIKATOR, and_(_INDUK_INDIKATOR.revisi_id == _INDUK_REVISI.id,
                                              _INDUK_INDIKATOR.kunci == Indikator.induk_kunci))
            .where(Indikator.induk_dokumen_id.is_not(None)))


_PROVINSI = aliased(Satker, name="banding_provinsi")


def _akar_kantor(session: Session, satker: Satker, tahun: int) -> tuple[dict[tuple[int, str], tuple[int, str]], str | None]:
    """(PK id, indikator kunci) -> its root, for the office's inherited indikator; and the
    name of the office above it (its province, for a kabupaten/kota), in the same statement."""
    induk = select(_PROVINSI.nama).where(_PROVINSI.id == satker.parent_id).scalar_subquery()
    query = _dengan_akar(select(Dokumen.id, Indikator.kunci, _AKAR_DOKUMEN.label("akar_dokumen"),
                                _AKAR_KUNCI.label("akar_kunci"), induk.label("induk")).select_from(Dokumen)
                         ).where(Dokumen.satker_id == satker.id, Dokumen.tahun == tahun, Dokumen.jenis.in_(PK))
    rows = session.execute(query).all()
    return {(r.id, r.kunci): (r.akar_dokumen, r.akar_kunci) for r in rows}, rows[0].induk if rows else None


def _sejawat(session: Session, satker: Satker, tahun: int, akar: set[tuple[int, str]]):
    """Every office of the level whose signed PK carries one of the roots, with the
    realisation of its verified periods aggregated per indikator (one row per office and
    indikator; an office with nothing verified has no row).

    The realisation is aggregated first, over the verified periods of every signed PK of
    the level and year (hash joins over the year's rows), then joined to the indikator:
    joining each indikator to its months and each month to its report costs PostgreSQL
    four times as much on the national data set (bench/banding_national.py)."""
    dokumen = and_(Dokumen.tahun == tahun, Dokumen.jenis.in_(PK), Dokumen.status.in_(DITANDATANGANI),
                   Satker.tingkat == satker.tingkat)
    terverifikasi = (
        select(Realisasi.dokumen_id, Realisasi.indikator_kunci, func.max(Realisasi.bulan).label("bulan_akhir"),
               _JUMLAH.label("jumlah"), func.count(Realisasi.nilai).label("banyak"),
               _NILAI_TERAKHIR.label("terakhir"), _KODE_TERAKHIR.label("kode"))
        .join(LaporanPeriode, and_(LaporanPeriode.dokumen_id == Realisasi.dokumen_id,
                                   LaporanPeriode.periode == Realisasi.bulan,
                                   LaporanPeriode.status == StatusLaporan.TERVERIFIKASI))
        .join(Dokumen, Dokumen.id == Realisasi.dokumen_id).join(Satker, Satker.id == Dokumen.satker_id)
        .where(dokumen).group_by(Realisasi.dokumen_id, Realisasi.indikator_kunci)
        .subquery("banding_terverifikasi"))
    query = (_dengan_akar(
        select(Satker.id.label("satker_id"), Satker.parent_id, _AKAR_DOKUMEN.label("akar_dokumen"),
               _AKAR_KUNCI.label("akar_kunci"), Indikator.jenis_target, Indikator.polaritas, Indikator.target_nilai,
               Indikator.target_kode, Indikator.cara_agregasi, Indikator.target_periode, terverifikasi.c.bulan_akhir,
               terverifikasi.c.jumlah, terverifikasi.c.banyak, terverifikasi.c.terakhir, terverifikasi.c.kode)
        .select_from(Satker).join(Dokumen, Dokumen.satker_id == Satker.id))
        .join(terverifikasi, and_(terverifikasi.c.dokumen_id == Dokumen.id,
                                  terverifikasi.c.indikator_kunci == Indikator.kunci))
        .where(dokumen, tuple_(_AKAR_DOKUMEN, _AKAR_KUNCI).in_(sorted(akar))))
    # Plain rows through the connection: thousands of them, no ORM entity among them.
    return session.connection().execute(query).all()


@lru_cache(maxsize=256)
def _jenis(jenis_target: str, cara: str | None, polaritas: str) -> tuple[JenisTarget, CaraAgregasi, Polaritas]:
    # Read once per combination (a few per table), not once per office x indikator.
    jenis = JenisTarget(jenis_target)
    return jenis, cara_agregasi(jenis, cara), Polaritas(polaritas)


@lru_cache(maxsize=4096)
def _target_sd(target_periode_teks: str, jenis_target: str, bulan: int) -> Decimal | str | None:
    # A cascaded indikator carries the same period targets at every office: parsed once each.
    return target_periode.sampai(SimpleNamespace(target_periode=target_periode_teks, jenis_target=jenis_target), bulan)


def _persen(r) -> Decimal | None:
    """A peer's capaian from its aggregated row, by the rules of ``hitung_indikator``."""
    jenis, cara, polaritas = _jenis(r.jenis_target, r.cara_agregasi, r.polaritas)
    if jenis in KODE_JENIS:
        return None  # tercapai or not: no percentage to rank
    realisasi = _realisasi_sd(jenis, cara, r.jumlah, r.banyak or 0, r.terakhir, r.kode)
    target_sd = _target_sd(r.target_periode, r.jenis_target, r.bulan_akhir) if r.target_periode and r.bulan_akhir else None
    return hitung(jenis, polaritas, r.target_nilai if target_sd is None else target_sd, realisasi).persen


def _teks(nilai: Decimal | None) -> str | None:
    return None if nilai is None else Capaian(Keadaan.DIHITUNG, nilai).teks


def _simpan(nilai: Decimal | None) -> str | None:
    return None if nilai is None else str(nilai.quantize(Decimal("0.0001")))


def kuartil(nilai: Decimal, q1: Decimal, median: Decimal, q3: Decimal) -> int:
    """Which quarter of the offices a capaian falls in: 4 the top (at Q3 or above), 1 the bottom."""
    if nilai >= q3:
        return 4
    if nilai >= median:
        return 3
    return 2 if nilai >= q1 else 1


def ringkas(nilai: list[Decimal], sendiri: Decimal | None, dihitung: Decimal | None) -> dict:
    """n, the quartiles and the office's standing over the offices' capaian ``nilai``
    (``sendiri``: the office's capaian as its LKj shows it; ``dihitung``: its value among
    ``nilai`` when its own data counts, for the rank)."""
    hasil = {"n": len(nilai), "cukup": len(nilai) >= MINIMUM, "q1": None, "median": None, "q3": None,
             "q1_teks": None, "median_teks": None, "q3_teks": None, "kuartil": None, "peringkat": None}
    if not hasil["cukup"]:
        return hasil
    q1, median, q3 = statistics.quantiles(sorted(nilai), n=4, method="inclusive")
    for nama, q in (("q1", q1), ("median", median), ("q3", q3)):
        hasil[nama], hasil[f"{nama}_teks"] = _simpan(q), _teks(q)
    if sendiri is not None:
        hasil["kuartil"] = kuartil(sendiri, q1, median, q3)
    if dihitung is not None:
        # Ties share a rank: one more than the offices strictly above.
        hasil["peringkat"] = 1 + sum(1 for v in nilai if v > dihitung)
    return hasil


def perbandingan(session: Session, satker: Satker, tahun: int,
                 sendiri: Mapping[tuple[int, str], tuple[str, HasilIndikator]]) -> dict:
    """The LKj's table "Perbandingan capaian dengan satker lain" (a plain dict, frozen with
    the LKj's tables). ``sendiri``: (PK id, kunci) -> (the PK's kind, the indikator as the
    LKj's Tabel 3.x counts it), in the tables' order. Two statements (none for KPU RI,
    which has no office of its level)."""
    data = {"tingkat": satker.tingkat.value, "provinsi": None, "minimum": MINIMUM, "baris": []}
    if satker.tingkat is Tingkat.PUSAT:
        return data
    with paket.SELURUH[0]():
        akar, provinsi = _akar_kantor(session, satker, tahun)
        rows = _sejawat(session, satker, tahun, set(akar.values())) if akar else []
    per_akar: dict[tuple[int, str], dict[int, tuple[int | None, Decimal]]] = {}
    for r in rows:
        persen = _persen(r)
        if persen is not None:
            per_akar.setdefault((r.akar_dokumen, r.akar_kunci), {}).setdefault(r.satker_id, (r.parent_id, persen))
    kabkota = satker.tingkat is Tingkat.KABKOTA
    if kabkota:
        data["provinsi"] = provinsi
    for kunci, (jenis, hasil) in sendiri.items():
        if kunci not in akar or hasil.jenis in KODE_JENIS:
            continue
        kantor = per_akar.get(akar[kunci], {})
        dihitung = kantor.get(satker.id, (None, None))[1]
        se_provinsi = [v for induk, v in kantor.values() if induk == satker.parent_id]
        data["baris"].append({
            "jenis": jenis, "uraian": hasil.uraian, "capaian": hasil.capaian.teks,
            "persen": _simpan(hasil.capaian.persen), "dihitung": dihitung is not None,
            "provinsi": ringkas(se_provinsi, hasil.capaian.persen, dihitung) if kabkota else None,
            "nasional": ringkas([v for _induk, v in kantor.values()], hasil.capaian.persen, dihitung),
        })
    return data
