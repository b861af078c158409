"""Reads of the calendar: an office's due dates, a document's, and how the offices below
one office stand for a kind of document (on time, late, missing, not due yet).

The date an office must meet is the earliest set above it: a province's row for its
kabupaten/kota, KPU RI's for everyone (and for itself). A province may only set a date
earlier than KPU RI's (``operations.atur``); should KPU RI later move its own before the
province's, the earlier still holds, so no office is ever given more time than KPU RI's.
"""
from __future__ import annotations

import calendar
import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, bindparam, case, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from tenants.db import tanggal_wib

from tenants.satker import KODE_RI, Satker, Tingkat
from tenants.teks import N_, _
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi, Status
from workflow.dokumen.queries import baca
from workflow.dokumen.signature import TandaTangan
from workflow.jadwal.hari_kerja import tambah_hari_kerja
from workflow.jadwal.models import Butir, Jadwal, Pengingat
from workflow.schedule import BentukJadwal

# The offices' clock (webapp.printed shows times on it too): a document submitted at 23.30
# WIB on the due date is on time, although it is the next day in UTC by then.
ZONA = ZoneInfo("Asia/Jakarta")


def hari_ini() -> date:
    return datetime.now(ZONA).date()


def tanggal_lokal(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZONA).date()


def tahun_bawaan(session: Session) -> int:
    """The year a calendar page opens on: the latest year with a calendar up to next year,
    else this year (a page on a year nobody has planned shows nothing worth seeing)."""
    tahun = hari_ini().year
    terakhir = session.scalar(select(func.max(Jadwal.tahun)).where(Jadwal.tahun <= tahun + 1))
    return terakhir or tahun


def satu_bulan_setelah(hari: date) -> date:
    """PermenPAN-RB 53/2014: the PK at the latest one month after the DIPA (31 January ->
    29 February in a leap year: the last day when the month is shorter)."""
    tahun, bulan = (hari.year + 1, 1) if hari.month == 12 else (hari.year, hari.month + 1)
    return date(tahun, bulan, min(hari.day, calendar.monthrange(tahun, bulan)[1]))


def _penentu(satker: Satker) -> list[str]:
    """The offices whose rows apply to ``satker``: those above it; KPU RI's for itself."""
    kode = satker.path.strip("/").split("/")
    return kode if satker.kode == KODE_RI else kode[:-1]


# Built once, the values bound per call: composing a select costs about as much as running it.
_BARIS = (select(Satker.kode, Jadwal.tanggal, Jadwal.hari).join(Satker, Satker.id == Jadwal.satker_id)
          .where(Jadwal.tahun == bindparam("tahun"), Jadwal.butir == bindparam("butir", type_=Jadwal.butir.type)))
_BARIS_KANTOR = _BARIS.where(Satker.kode.in_(bindparam("kode", expanding=True)))


def _baris(session: Session, tahun: int, butir: Butir, kode: list[str] | None = None) -> dict[str, date | int]:
    """{office code: its value} of the rows of one item and year (all offices' when no codes)."""
    rows = baca(session, _BARIS, {"tahun": tahun, "butir": butir}) if kode is None else baca(
        session, _BARIS_KANTOR, {"tahun": tahun, "butir": butir, "kode": kode})
    return {k: (h if butir.berhari else t) for k, t, h in rows}


def _terawal(nilai: dict[str, date | int], kode: list[str]) -> date | int | None:
    berlaku = [nilai[k] for k in kode if k in nilai]
    return min(berlaku) if berlaku else None


def nilai_berlaku(session: Session, satker: Satker, tahun: int, butir: Butir) -> date | int | None:
    """The value set above ``satker`` (a date, or a number of days), the earliest of them."""
    kode = _penentu(satker)
    return _terawal(_baris(session, tahun, butir, kode), kode)


_SEMUA = (select(Jadwal.tahun, Jadwal.butir, Satker.kode, Jadwal.tanggal, Jadwal.hari)
          .join(Satker, Satker.id == Jadwal.satker_id).where(Jadwal.tahun.in_(bindparam("tahun", expanding=True))))


def semua_nilai(session: Session, tahun: Iterable[int]) -> dict[tuple[int, Butir], dict[str, date | int]]:
    """Every office's rows of these years in one statement (the daily reminders, the to-do
    list): {(year, item): {office code: value}}; ``berlaku`` reads an office's from it."""
    nilai: dict[tuple[int, Butir], dict[str, date | int]] = {}
    for t, butir, kode, tanggal, hari in baca(session, _SEMUA, {"tahun": sorted(set(tahun))}):
        nilai.setdefault((t, butir), {})[kode] = hari if butir.berhari else tanggal
    return nilai


def berlaku(nilai: dict[str, date | int] | None, satker: Satker) -> date | int | None:
    """The value that applies to ``satker`` among rows read by ``semua_nilai``."""
    return _terawal(nilai or {}, _penentu(satker))


def nilai_sendiri(session: Session, satker: Satker, tahun: int) -> dict[Butir, date | int]:
    """What ``satker`` itself set for the offices below it, by item."""
    rows = session.execute(select(Jadwal.butir, Jadwal.tanggal, Jadwal.hari)
                           .where(Jadwal.satker_id == satker.id, Jadwal.tahun == tahun))
    return {b: (h if b.berhari else t) for b, t, h in rows}


def nilai_untuk_bawahan(session: Session, satker: Satker, tahun: int) -> dict[Butir, date | int]:
    """What applies to the offices below ``satker``: its own rows, else those above it."""
    kode = satker.path.strip("/").split("/")
    return {b: v for b in Butir if (v := _terawal(_baris(session, tahun, b, kode), kode)) is not None}


def jatuh_tempo(butir: Butir, tahun: int, nilai: date | int | None, *, periode: int | None = None,
                sejak: date | None = None) -> date | None:
    """The due date an item's value gives: ``periode`` is the month (1-12) or quarter (1-4)
    of a realisation; ``sejak`` the DIPA date of a PK without a set date, or the day a
    document was signed for its reviewer."""
    if butir is Butir.PK and nilai is None:
        return satu_bulan_setelah(sejak) if sejak else None
    if nilai is None or not butir.berhari:
        return nilai
    if butir is Butir.TINJAUAN:
        return tambah_hari_kerja(sejak, nilai) if sejak else None
    akhir = periode * (3 if butir is Butir.REALISASI_TRIWULAN else 1)
    return date(tahun + 1, 1, nilai) if akhir == 12 else date(tahun, akhir + 1, nilai)


def tenggat(session: Session, satker: Satker, tahun: int, butir: Butir, *, periode: int | None = None,
            sejak: date | None = None) -> date | None:
    """The date ``satker`` must meet for an item of a year (None: nothing set)."""
    return jatuh_tempo(butir, tahun, nilai_berlaku(session, satker, tahun, butir), periode=periode, sejak=sejak)


def tenggat_realisasi_semua(session: Session, tahun: int) -> Callable[[Satker, BentukJadwal, int], date | None]:
    """Every office's due date for a period's realisation, from ONE statement reading the
    year's rows of both realisation items (the province matrix and the national count ask
    it for hundreds of offices). The function returned takes the office, its shape and the
    period (the month its realisation is stored at: 3 for TW I)."""
    butir_bentuk = {BentukJadwal.TRIWULAN: Butir.REALISASI_TRIWULAN}
    nilai: dict[Butir, dict[str, int]] = {Butir.REALISASI_BULAN: {}, Butir.REALISASI_TRIWULAN: {}}
    for kode, butir, hari in session.execute(
            select(Satker.kode, Jadwal.butir, Jadwal.hari).join(Satker, Satker.id == Jadwal.satker_id)
            .where(Jadwal.tahun == tahun, Jadwal.butir.in_(tuple(nilai)))):
        nilai[Butir(butir)][kode] = hari

    def untuk(satker: Satker, bentuk: BentukJadwal, periode: int) -> date | None:
        butir = butir_bentuk.get(bentuk, Butir.REALISASI_BULAN)
        ke = periode // 3 if butir is Butir.REALISASI_TRIWULAN else periode
        return jatuh_tempo(butir, tahun, _terawal(nilai[butir], _penentu(satker)), periode=ke)
    return untuk


class Keadaan(enum.StrEnum):
    """Where an office stands against a due date."""

    TEPAT_WAKTU = "tepat_waktu"
    TERLAMBAT = "terlambat"
    BELUM_MENGAJUKAN = "belum_mengajukan"    # not submitted, and overdue
    BELUM_JATUH_TEMPO = "belum_jatuh_tempo"  # not submitted, still in time (or no date set)

    @property
    def label(self) -> str:
        return _(_LABEL_KEADAAN[self.value])


_LABEL_KEADAAN = {"tepat_waktu": N_("Tepat waktu"), "terlambat": N_("Terlambat"),
                  "belum_mengajukan": N_("Belum mengajukan"), "belum_jatuh_tempo": N_("Belum jatuh tempo")}


def keadaan(tanggal: date | None, diajukan: date | None, pada: date) -> Keadaan:
    if diajukan is not None:
        return Keadaan.TERLAMBAT if tanggal is not None and diajukan > tanggal else Keadaan.TEPAT_WAKTU
    return Keadaan.BELUM_MENGAJUKAN if tanggal is not None and pada > tanggal else Keadaan.BELUM_JATUH_TEMPO


@dataclass(frozen=True)
class Tenggat:
    """A document's due date as its page shows it: for its drafter (submit by) or, once
    signed, for its reviewer (review by)."""

    tanggal: date
    pada: date                      # today
    diajukan: date | None           # the first submission (for the drafter's date)
    untuk_reviewer: bool = False

    @property
    def keadaan(self) -> Keadaan:
        return keadaan(self.tanggal, None if self.untuk_reviewer else self.diajukan, self.pada)

    @property
    def sisa_hari(self) -> int:
        """Days left (negative: overdue), counted from today, or from the first submission."""
        return (self.tanggal - (self.diajukan if self.diajukan and not self.untuk_reviewer else self.pada)).days


def _diajukan_pertama(session: Session, dokumen: Dokumen) -> date | None:
    return tanggal_lokal(session.scalar(select(func.min(Revisi.diajukan_pada)).where(Revisi.dokumen_id == dokumen.id)))


def _dipa_awal(session: Session, dokumen: Dokumen) -> date | None:
    return session.scalar(select(Revisi.dipa_tanggal).where(Revisi.dokumen_id == dokumen.id, Revisi.nomor == 0))


def tenggat_dokumen(session: Session, dokumen: Dokumen, pada: date | None = None,
                    revisi: Sequence[Revisi] | None = None) -> Tenggat | None:
    """The due date that matters for ``dokumen`` now: its reviewer's once signed, else the
    date to submit by (met or missed by its first submission). None: no date set.
    ``revisi``: all its revisions when the caller has them loaded (its page does), so that
    the DIPA date and the first submission are not asked again."""
    pada = pada or hari_ini()
    if dokumen.status is Status.SIGNED:
        ditandatangani = session.scalar(select(func.max(TandaTangan.waktu)).join(Revisi)
                                        .where(Revisi.dokumen_id == dokumen.id, Revisi.nomor == dokumen.nomor_revisi))
        tanggal = tenggat(session, dokumen.satker, dokumen.tahun, Butir.TINJAUAN, sejak=tanggal_lokal(ditandatangani))
        return Tenggat(tanggal, pada, None, untuk_reviewer=True) if tanggal else None
    butir = Butir.dari_bentuk(dokumen.jenis.bentuk)
    if butir is not Butir.PK:
        dipa = None
    elif revisi is not None:
        dipa = next((r.dipa_tanggal for r in revisi if r.nomor == 0), None)
    else:
        dipa = _dipa_awal(session, dokumen)
    tanggal = tenggat(session, dokumen.satker, dokumen.tahun, butir, sejak=dipa)
    if not tanggal:
        return None
    if revisi is not None:
        diajukan = tanggal_lokal(min((r.diajukan_pada for r in revisi if r.diajukan_pada), default=None))
    else:
        diajukan = _diajukan_pertama(session, dokumen)
    return Tenggat(tanggal, pada, diajukan)


@dataclass(frozen=True)
class BarisKepatuhan:
    satker: Satker
    tenggat: date | None
    diajukan: date | None
    dokumen_id: int | None
    keadaan: Keadaan
    terlambat_hari: int             # past the due date: at the first submission, or today when none
    diingatkan: datetime | None     # the last reminder


@dataclass
class Kepatuhan:
    pada: date
    baris: list[BarisKepatuhan] = field(default_factory=list)

    @property
    def jumlah(self) -> Counter:
        return Counter(b.keadaan for b in self.baris)


def _kantor(induk: Satker, semua_turunan: bool, filter_satker: ColumnElement[bool] | None):
    """The offices judged: the children of ``induk``, or every kabupaten/kota below it."""
    where = (and_(Satker.path.startswith(induk.path, autoescape=True), Satker.tingkat == Tingkat.KABKOTA)
             if semua_turunan and induk.kode == KODE_RI else Satker.parent_id == induk.id)
    return select(Satker.id).where(where, filter_satker if filter_satker is not None else true())


def _dokumen_per_kantor(session: Session, kantor, tahun: int, jenis: JenisDokumen) -> dict[int, tuple]:
    """{office id: (document id, first submission, DIPA date of revision 0)} in one statement."""
    rows = session.execute(
        select(Dokumen.satker_id, Dokumen.id, func.min(Revisi.diajukan_pada),
               func.max(Revisi.dipa_tanggal).filter(Revisi.nomor == 0))
        .join(Revisi, Revisi.dokumen_id == Dokumen.id)
        .where(Dokumen.satker_id.in_(kantor), Dokumen.tahun == tahun, Dokumen.jenis == jenis)
        .group_by(Dokumen.satker_id, Dokumen.id))
    return {s: (d, tanggal_lokal(diajukan), dipa) for s, d, diajukan, dipa in rows}


def _diingatkan(session: Session, kantor, tahun: int, jenis: JenisDokumen) -> dict[int, datetime]:
    rows = session.execute(select(Pengingat.satker_id, func.max(Pengingat.pada))
                           .where(Pengingat.satker_id.in_(kantor), Pengingat.tahun == tahun,
                                  Pengingat.jenis == jenis.value).group_by(Pengingat.satker_id))
    return dict(rows.all())


def kepatuhan(session: Session, induk: Satker, tahun: int, jenis: JenisDokumen, pada: date | None = None, *,
              semua_turunan: bool = False, filter_satker: ColumnElement[bool] | None = None) -> Kepatuhan:
    """Where each office below ``induk`` stands for one kind of document of a year, in four
    statements whatever the number of offices (38 provinces, 514 kabupaten/kota)."""
    pada = pada or hari_ini()
    butir = Butir.dari_bentuk(jenis.bentuk)
    kantor = _kantor(induk, semua_turunan, filter_satker)
    offices = session.scalars(select(Satker).where(Satker.id.in_(kantor)).order_by(Satker.path)).all()
    nilai = _baris(session, tahun, butir)
    dokumen = _dokumen_per_kantor(session, kantor, tahun, jenis)
    diingatkan = _diingatkan(session, kantor, tahun, jenis)
    hasil = Kepatuhan(pada)
    for satker in offices:
        dokumen_id, diajukan, dipa = dokumen.get(satker.id, (None, None, None))
        tanggal = jatuh_tempo(butir, tahun, _terawal(nilai, _penentu(satker)), sejak=dipa)
        terlambat = max(((diajukan or pada) - tanggal).days, 0) if tanggal else 0
        hasil.baris.append(BarisKepatuhan(satker, tanggal, diajukan, dokumen_id, keadaan(tanggal, diajukan, pada),
                                          terlambat, diingatkan.get(satker.id)))
    return hasil


def _butir_dokumen():
    """SQL: the calendar item of a document's kind (PK, RKT, RAK, LKj)."""
    return case({j.value: Butir.dari_bentuk(j.bentuk).value for j in JenisDokumen}, value=Dokumen.jenis)


def terlambat_sql(pada: date | None = None) -> ColumnElement[bool]:
    """SQL on Dokumen: submitted after its due date, or not submitted and overdue on ``pada``
    (the lists' "Terlambat saja" filter; the same rule as ``keadaan``). The due date is the
    earliest set above the office (KPU RI's applies to itself too); a PK with no date set has
    none here (its DIPA default is read per document, on its page)."""
    kantor, penentu = aliased(Satker), aliased(Satker)
    berlaku = or_(penentu.kode == KODE_RI,
                  and_(func.substr(kantor.path, 1, func.length(penentu.path)) == penentu.path,
                       kantor.id != penentu.id))
    tenggat = (select(func.min(Jadwal.tanggal)).join(penentu, penentu.id == Jadwal.satker_id)
               .join(kantor, kantor.id == Dokumen.satker_id)
               .where(Jadwal.tahun == Dokumen.tahun, Jadwal.butir == _butir_dokumen(), berlaku)
               .correlate(Dokumen).scalar_subquery())
    pertama = (select(func.min(Revisi.diajukan_pada)).where(Revisi.dokumen_id == Dokumen.id)
               .correlate(Dokumen).scalar_subquery())
    return and_(tenggat.is_not(None), or_(and_(pertama.is_not(None), tanggal_wib(pertama) > tenggat),
                                          and_(pertama.is_(None), tenggat < (pada or hari_ini()))))
