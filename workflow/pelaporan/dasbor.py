"""The period reports as the province matrix and the national view show them (issue 17
point 5): for a chosen period, each office's report status, "late" when the calendar's
due date has passed without a submission, and the offices needing attention first; for
KPU RI, the kabupaten/kota of each province counted by that status.

Reads only, in a fixed number of statements whatever the number of offices: the offices'
shapes, their reports' statuses and the calendar are each read once for all of them.

The period is chosen as a month (the month a period ends, as realisations and reports
store it). A quarterly office is judged on the latest quarter ended by that month (TW I
for January and February): its report due then, not one whose quarter is still running.
The PK judged is the office's PK Komisi, the one the matrix's cells compare.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from tenants import scoping
from tenants.people import User
from tenants.satker import Satker, Tingkat
from tenants.teks import N_, _
from workflow.dokumen.models import Dokumen, JenisDokumen
from workflow.dokumen.queries import bentuk_jadwal_banyak
from workflow.jadwal.queries import hari_ini, tenggat_realisasi_semua
from workflow.pelaporan.models import LaporanPeriode, StatusLaporan
from workflow.pelaporan.queries import status_banyak
from workflow.realisasi.dashboard import BarisMatriks, Matriks, matriks
from workflow.realisasi.operations import Periode, periode
from workflow.schedule import BentukJadwal

JENIS = JenisDokumen.PK_KOMISI


class Keadaan(enum.StrEnum):
    """Where an office's report of a period stands; exactly one per office."""

    BELUM = "belum"
    DIAJUKAN = "diajukan"
    DIKEMBALIKAN = "dikembalikan"
    TERVERIFIKASI = "terverifikasi"
    TERLAMBAT = "terlambat"

    @property
    def label(self) -> str:
        return _(_LABEL[self.value])

    @property
    def perlu_perhatian(self) -> bool:
        return self in (Keadaan.TERLAMBAT, Keadaan.DIKEMBALIKAN)


_LABEL = {"belum": N_("Belum dilaporkan"), "diajukan": N_("Diajukan"), "dikembalikan": N_("Dikembalikan"),
          "terverifikasi": N_("Diverifikasi"), "terlambat": N_("Terlambat")}
_DARI_STATUS = {StatusLaporan.DIAJUKAN: Keadaan.DIAJUKAN, StatusLaporan.DIKEMBALIKAN: Keadaan.DIKEMBALIKAN,
                StatusLaporan.TERVERIFIKASI: Keadaan.TERVERIFIKASI}
# How the status column sorts: what needs attention first.
URUT_KEADAAN = {Keadaan.TERLAMBAT: 0, Keadaan.DIKEMBALIKAN: 1, Keadaan.BELUM: 2, Keadaan.DIAJUKAN: 3,
                Keadaan.TERVERIFIKASI: 4}


def keadaan(status: StatusLaporan | None, tenggat: date | None, pada: date) -> Keadaan:
    """Late only while nothing is submitted (a report reopened for correction counts as
    not submitted again); a returned report was submitted, and shows as returned."""
    if status in _DARI_STATUS:
        return _DARI_STATUS[status]
    return Keadaan.TERLAMBAT if tenggat is not None and pada > tenggat else Keadaan.BELUM


def periode_untuk(bentuk: BentukJadwal, bulan: int) -> int:
    """The period (its month) an office of this shape is judged on for the chosen month."""
    if bentuk is BentukJadwal.TRIWULAN:
        return max(3, bulan - bulan % 3)
    return bulan


def pilihan_periode(bentuk: Iterable[BentukJadwal]) -> list[Periode]:
    """The chooser: quarters when every office reports by quarter, else months."""
    semua = list(bentuk)
    triwulan = bool(semua) and all(b is BentukJadwal.TRIWULAN for b in semua)
    return periode(BentukJadwal.TRIWULAN if triwulan else BentukJadwal.BULAN)


def pilih_periode(pilihan: list[Periode], diminta: int | None, tahun: int, pada: date | None = None) -> int:
    """The month chosen: the one asked for when the chooser has it (a month asked of a
    quarterly chooser: the quarter ended by it), else the latest period ended by today
    (the whole year for a past year, the first period for a future one)."""
    bulan = [p.bulan for p in pilihan]
    if diminta is not None and 1 <= diminta <= 12:
        if diminta in bulan:
            return diminta
        if len(bulan) == 4:
            return periode_untuk(BentukJadwal.TRIWULAN, diminta)
    pada = pada or hari_ini()
    if tahun != pada.year:
        return bulan[-1] if tahun < pada.year else bulan[0]
    berakhir = [b for b in bulan if b < pada.month]
    return berakhir[-1] if berakhir else bulan[0]


def bentuk_anak(session: Session, satker: Satker, tahun: int, user: User | None) -> dict[int, BentukJadwal]:
    """The shape of every office directly below ``satker`` that ``user`` may see (office id
    -> shape; monthly when it has no plan yet). One statement."""
    anak = select(Satker.id).where(Satker.parent_id == satker.id, scoping.satker_filter(user))
    return bentuk_jadwal_banyak(session, anak, tahun)


@dataclass(frozen=True)
class LaporanKantor:
    periode: int                    # the month of the period judged
    nama_periode: str
    status: StatusLaporan | None    # None: no report opened
    keadaan: Keadaan
    tenggat: date | None


def laporan_kantor(session: Session, kantor: Iterable[tuple[Satker, int | None]], bentuk: dict[int, BentukJadwal],
                   tahun: int, bulan: int, pada: date | None = None, tenggat: Callable | None = None,
                   status: dict[tuple[int, int], StatusLaporan] | None = None) -> dict[int, LaporanKantor]:
    """Each office's report of the period chosen (office id -> its report): ``kantor`` the
    offices with their PK Komisi's id (None: none), ``bentuk`` their shapes. Two statements
    (the reports' statuses, the calendar), none for what the caller already read
    (``tenggat``, ``status``)."""
    pada = pada or hari_ini()
    kantor = list(kantor)
    if status is None:
        status = status_banyak(session, [d for _s, d in kantor if d is not None])
    tenggat = tenggat or tenggat_realisasi_semua(session, tahun)
    nama = {b: {p.bulan: p.nama for p in periode(b)} for b in BentukJadwal}
    hasil = {}
    for satker, dokumen_id in kantor:
        b = bentuk.get(satker.id, BentukJadwal.BULAN)
        p = periode_untuk(b, bulan)
        s = status.get((dokumen_id, p)) if dokumen_id is not None else None
        t = tenggat(satker, b, p)
        hasil[satker.id] = LaporanKantor(p, nama[b].get(p, str(p)), s, keadaan(s, t, pada), t)
    return hasil


URUT_PERHATIAN, URUT_LAPORAN, URUT_CAPAIAN = "perhatian", "laporan", "capaian"


def urutkan(baris: list[BarisMatriks], laporan: dict[int, LaporanKantor], urut: str | None,
            turun: bool = False) -> bool:
    """Sort the matrix's rows in place by the report ("laporan"), the office's capaian
    ("capaian") or, by default ("perhatian"), attention first: late or returned, then the
    lowest capaian (offices with none to compute after them). False when ``urut`` is none
    of these (the matrix's own sorts apply)."""
    def capaian(b: BarisMatriks) -> tuple:
        c = b.capaian_rata
        return (c is None, c if c is not None else Decimal(0), b.satker.kode)

    def keadaan_(b: BarisMatriks) -> Keadaan:
        lap = laporan.get(b.satker.id)
        return lap.keadaan if lap else Keadaan.BELUM

    if urut in (None, "", URUT_PERHATIAN):
        baris.sort(key=lambda b: (not keadaan_(b).perlu_perhatian, *capaian(b)), reverse=turun)
    elif urut == URUT_LAPORAN:
        baris.sort(key=lambda b: (URUT_KEADAAN[keadaan_(b)], b.satker.kode), reverse=turun)
    elif urut == URUT_CAPAIAN:
        ada = sorted((b for b in baris if b.capaian_rata is not None), key=capaian, reverse=turun)
        baris[:] = ada + sorted((b for b in baris if b.capaian_rata is None), key=lambda b: b.satker.kode)
    else:
        return False
    return True


@dataclass
class RekapProvinsi:
    satker: Satker
    jumlah: dict[Keadaan, int]

    @property
    def total(self) -> int:
        return sum(self.jumlah.values())


def rekap_nasional(session: Session, provinsi: list[Satker], tahun: int, bulan: int, user: User | None,
                   pada: date | None = None, tenggat: Callable | None = None) -> list[RekapProvinsi]:
    """The kabupaten/kota of each province of ``provinsi`` that ``user`` may see, counted by
    their report of the period chosen. Three statements whatever the number of offices
    (the offices with their PK Komisi's reports of the period, their shapes, the calendar;
    two when ``tenggat`` is given). The offices are read as plain columns, not objects:
    there are 514 of them."""
    rekap = {p.id: RekapProvinsi(p, {k: 0 for k in Keadaan}) for p in provinsi}
    if not provinsi:
        return []
    kabkota = and_(Satker.tingkat == Tingkat.KABKOTA, Satker.parent_id.in_(list(rekap)), scoping.satker_filter(user))
    # The month chosen, or the quarter ended by it: whichever each office's shape asks.
    periode_ = {bulan, periode_untuk(BentukJadwal.TRIWULAN, bulan)}
    rows = session.execute(
        select(Satker.id, Satker.parent_id, Satker.kode, Satker.path, Dokumen.id.label("dokumen_id"),
               LaporanPeriode.periode, LaporanPeriode.status)
        .outerjoin(Dokumen, and_(Dokumen.satker_id == Satker.id, Dokumen.tahun == tahun, Dokumen.jenis == JENIS))
        .outerjoin(LaporanPeriode, and_(LaporanPeriode.dokumen_id == Dokumen.id, LaporanPeriode.periode.in_(periode_)))
        .where(kabkota))
    kantor, status = {}, {}
    for r in rows:
        kantor.setdefault(r.id, r)
        if r.periode is not None:
            status[(r.dokumen_id, r.periode)] = StatusLaporan(r.status)
    bentuk = bentuk_jadwal_banyak(session, select(Satker.id).where(kabkota), tahun)
    laporan = laporan_kantor(session, ((r, r.dokumen_id) for r in kantor.values()), bentuk, tahun, bulan, pada,
                             tenggat, status)
    for r in kantor.values():
        rekap[r.parent_id].jumlah[laporan[r.id].keadaan] += 1
    return list(rekap.values())


@dataclass
class MatriksPeriode:
    """What a province's (KPU RI's) dashboard shows for one period."""

    m: Matriks
    pilihan: list[Periode]          # the period chooser
    bulan: int                      # the period chosen (its month)
    laporan: dict[int, LaporanKantor]
    rekap: list[RekapProvinsi] | None  # KPU RI only

    @property
    def nama_periode(self) -> str:
        return next(p.nama for p in self.pilihan if p.bulan == self.bulan)


def matriks_periode(session: Session, satker: Satker, tahun: int, user: User | None, diminta: int | None = None,
                    pada: date | None = None) -> MatriksPeriode:
    """The matrix of the offices below ``satker`` for the period ``diminta`` (a month; the
    latest ended when None or not offered), each office's report of it, and for KPU RI the
    kabupaten/kota counted per province. A fixed number of statements: the matrix's four,
    the shapes, the statuses, the calendar; KPU RI two more (``rekap_nasional``)."""
    bentuk = bentuk_anak(session, satker, tahun, user)
    pilihan = pilihan_periode(bentuk.values())
    bulan = pilih_periode(pilihan, diminta, tahun, pada)
    m = matriks(session, satker, tahun, user, sampai=bulan)
    tenggat = tenggat_realisasi_semua(session, tahun)
    laporan = laporan_kantor(session, [(b.satker, b.dokumen_id) for b in m.baris], bentuk, tahun, bulan, pada, tenggat)
    rekap = None
    if satker.tingkat is Tingkat.PUSAT:
        rekap = rekap_nasional(session, [b.satker for b in m.baris], tahun, bulan, user, pada, tenggat)
    return MatriksPeriode(m, pilihan, bulan, laporan, rekap)
