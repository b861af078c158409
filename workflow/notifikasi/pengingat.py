"""Reminders that reach the one who must act (issue 16, point 4): the reviewer's
"Ingatkan" button (``ingatkan``) and the daily run for every office (``jalankan``,
``sakip ingatkan``).

Who is reminded: the penyusun of the kind of document at that office (never everyone with
a role elsewhere); for a signed document waiting for its review, the reviewers of the
parent office who may review it; for a realisation, the penyusun of the PK and the units
(subbagian, divisi) that carry an indikator still without a value for the period.

The daily run reminds N working days before a due date (``workflow.jadwal.hari_kerja``)
and once on the first working day after it is missed. Each reminder sent leaves a row
keyed by office, year, item, kind, period and stage (``PengingatTerkirim``): a second run
sends nothing twice. Its cost does not grow with the offices: each table is read once per
year, whatever their number, and the notifications are written in bulk.

The glue lives here and not in ``workflow.jadwal``: the calendar stands below the
notifications (.importlinter), so it records a reminder and this module tells people.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import chain

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session, contains_eager

from tenants.db import utcnow
from tenants.penunjukan import Penunjukan
from tenants.people import Membership, Peran, User
from tenants.satker import Satker
from tenants.teks import _, dalam_bahasa
from workflow.dokumen import policy
from workflow.dokumen.content import Indikator
from workflow.dokumen.jenis import Bentuk, Sisi
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi, Status
from workflow.dokumen.signature import TandaTangan
from workflow.jadwal import operations as jadwal_operations, queries as jadwal
from workflow.jadwal.hari_kerja import hari_kerja, hari_kerja_di_antara
from workflow.jadwal.models import Butir
from workflow.notifikasi.models import JenisNotifikasi, PengingatTerkirim, TahapPengingat
from workflow.notifikasi.operations import Kiriman, beri_tahu_massal
from workflow.notifikasi.penerima import pemegang_peran
from workflow.realisasi.models import Realisasi
from workflow.schedule import BentukJadwal, nama_bulan, nama_triwulan

HARI_SEBELUM = 3      # working days before a due date: the first reminder
TENGGANG_TERLEWAT = 5  # working days after a missed date in which a run that missed a day still sends


@dataclass(frozen=True)
class Perlu:
    """One thing due at one office: a document to submit, a review, a period's realisation."""

    satker: Satker
    tahun: int
    butir: Butir
    jenis: JenisDokumen
    tenggat: date
    dokumen_id: int | None = None
    periode: int = 0                # the realisation's month (a quarter's last), a review's revision
    triwulan: bool = False


def tanggal_teks(hari: date) -> str:
    """29 Februari 2024 (in the current language: 29 February 2024)."""
    return f"{hari.day} {nama_bulan(hari.month)} {hari.year}"


def tautan(perlu: Perlu) -> str:
    """The document when it exists (its realisation page for a realisation), else the
    office's document list of that year."""
    if perlu.dokumen_id is None:
        return f"/satker/{perlu.satker.kode}/dokumen?tahun={perlu.tahun}"
    if perlu.butir in (Butir.REALISASI_BULAN, Butir.REALISASI_TRIWULAN):
        return f"/dokumen/{perlu.dokumen_id}/realisasi"
    return f"/dokumen/{perlu.dokumen_id}"


def _apa(perlu: Perlu) -> str:
    nilai = {"jenis": perlu.jenis.label, "tahun": perlu.tahun, "satker": perlu.satker.nama}
    if perlu.butir is Butir.TINJAUAN:
        return _("Tinjauan %(jenis)s %(tahun)s %(satker)s", **nilai)
    if perlu.butir in (Butir.REALISASI_BULAN, Butir.REALISASI_TRIWULAN):
        periode = nama_triwulan(perlu.periode // 3) if perlu.triwulan else nama_bulan(perlu.periode)
        return _("Realisasi %(periode)s %(tahun)s %(jenis)s %(satker)s", periode=periode, **nilai)
    return _("%(jenis)s %(tahun)s %(satker)s", **nilai)


def teks(perlu: Perlu, pada: date, reviewer: str | None) -> tuple[str, str]:
    """The title and the text of a reminder, in the current language: what, the due date,
    the days left or late, the reviewer's office."""
    apa, tanggal = _apa(perlu), tanggal_teks(perlu.tenggat)
    if pada > perlu.tenggat:
        hari = (pada - perlu.tenggat).days
        judul = _("Pengingat: %(apa)s terlambat %(n)s hari", apa=apa, n=hari)
        isi = _("Tenggatnya %(tanggal)s telah lewat: terlambat %(n)s hari.", tanggal=tanggal, n=hari)
    else:
        hari = (perlu.tenggat - pada).days
        judul = _("Pengingat: %(apa)s, tenggat %(tanggal)s", apa=apa, tanggal=tanggal)
        isi = _("Tenggatnya %(tanggal)s (%(n)s hari lagi).", tanggal=tanggal, n=hari)
    if reviewer:
        isi += " " + _("Reviewer: %(reviewer)s.", reviewer=reviewer)
    return judul, isi


def kiriman(perlu: Perlu, penerima: Iterable[User], pada: date, reviewer: str | None) -> list[Kiriman]:
    """One notification per person, in that person's language."""
    per_bahasa: dict[str, tuple[str, str]] = {}
    hasil = []
    for user in penerima:
        bahasa = user.bahasa or "id"
        if bahasa not in per_bahasa:
            with dalam_bahasa(bahasa):
                per_bahasa[bahasa] = teks(perlu, pada, reviewer)
        judul, isi = per_bahasa[bahasa]
        hasil.append(Kiriman(user, JenisNotifikasi.PENGINGAT, judul, isi, tautan(perlu), perlu.satker.id,
                             perlu.dokumen_id))
    return hasil


# -- the reviewer's "Ingatkan" ---------------------------------------------------------------

def ingatkan(session: Session, induk: Satker, tahun: int, jenis: JenisDokumen, kode: list[str] | None,
             user: User, pada: date | None = None) -> list[Satker]:
    """Record the reminder (``workflow.jadwal.operations.ingatkan``: who may, which offices)
    and tell the penyusun of ``jenis`` at each office reminded, in the same transaction.
    Returns the offices reminded. Flushes, never commits."""
    pada = pada or jadwal.hari_ini()
    sasaran = jadwal_operations.ingatkan(session, induk, tahun, jenis, kode, user, pada)
    baris = {b.satker.id: b for b in jadwal.kepatuhan(session, induk, tahun, jenis, pada).baris}
    semua = []
    for satker in sasaran:
        b = baris[satker.id]
        perlu = Perlu(satker, tahun, Butir.dari_bentuk(jenis.bentuk), jenis, b.tenggat or pada, b.dokumen_id)
        penerima = pemegang_peran(session, satker.id, jenis.penyusun)
        if b.tenggat is None:  # no date set: the reminder still says who reminds
            semua += [Kiriman(k.user, k.jenis, k.judul, _isi_tanpa_tenggat(k.user, induk), k.tautan, k.satker_id,
                              k.dokumen_id) for k in kiriman(perlu, penerima, pada, induk.nama)]
        else:
            semua += kiriman(perlu, penerima, pada, induk.nama)
    beri_tahu_massal(session, semua)
    return sasaran


def _isi_tanpa_tenggat(user: User, induk: Satker) -> str:
    with dalam_bahasa(user.bahasa or "id"):
        return _("Belum ada tenggat yang ditetapkan. Reviewer: %(reviewer)s.", reviewer=induk.nama)


# -- the daily run ----------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def tahap(pada: date, tenggat: date, hari_sebelum: int = HARI_SEBELUM) -> TahapPengingat | None:
    """Which reminder ``pada`` calls for: from ``hari_sebelum`` working days before the
    due date up to it; from the first working day after it for a few working days (a run
    that missed a day still sends, once: the key decides). None on a day off."""
    if not hari_kerja(pada):
        return None
    if pada <= tenggat:
        # A due date on a day off counts as one more working day away (Friday before a Sunday: 1).
        sisa = hari_kerja_di_antara(pada, tenggat) + (0 if hari_kerja(tenggat) else 1)
        return TahapPengingat.SEBELUM if sisa <= hari_sebelum else None
    return TahapPengingat.TERLEWAT if hari_kerja_di_antara(tenggat, pada) <= TENGGANG_TERLEWAT else None


@dataclass
class Ringkasan:
    """What a run sent: reminders (one per item and office), notifications, by kind."""

    pengingat: Counter = field(default_factory=Counter)   # (butir, tahap) -> reminders
    notifikasi: int = 0
    tanpa_penerima: int = 0                                 # due, but nobody holds the role there

    @property
    def jumlah(self) -> int:
        return sum(self.pengingat.values())

    def baris(self) -> list[str]:
        per_butir = Counter()
        for (butir, _tahap), n in self.pengingat.items():
            per_butir[butir] += n
        return [f"{b}: {n}" for b, n in sorted(per_butir.items())]


@dataclass
class _Data:
    """Everything one year's run reads, each table once for every office."""

    tahun: int
    kantor: dict[int, Satker]
    nilai: dict[tuple[int, Butir], dict[str, date | int]]
    dokumen: list[tuple]            # (id, satker id, jenis, status, revision, first submission, DIPA)
    ttd: dict[int, tuple]           # signed document id -> (last signature day, submitter, signers)
    indikator: dict[int, dict[str, str | None]]   # PK id -> {kunci: pelaksana}
    terisi: set[tuple[int, str, int]]             # (PK id, kunci, month) with a value
    triwulan: set[int]              # offices reporting by quarter this year
    anggota: dict[tuple[int, Peran], list[Membership]]
    plh: dict[tuple[int, Peran], User]                # the acting official (Plh/Plt) in force
    terkirim: set[tuple]

    def berlaku(self, satker: Satker, butir: Butir) -> date | int | None:
        return jadwal.berlaku(self.nilai.get((self.tahun, butir)), satker)

    def pemegang(self, satker_id: int | None, peran: Peran) -> list[User]:
        """As ``penerima.pemegang_peran``: the holders, and the acting official in force."""
        orang = {m.user.id: m.user for m in self.anggota.get((satker_id, peran), [])}
        if (acting := self.plh.get((satker_id, peran))) is not None and acting.active:
            orang.setdefault(acting.id, acting)
        return list(orang.values())


def _muat_dokumen(session: Session, tahun: int) -> list[tuple]:
    rows = session.execute(
        select(Dokumen.id, Dokumen.satker_id, Dokumen.jenis, Dokumen.status, Dokumen.nomor_revisi,
               func.min(Revisi.diajukan_pada), func.max(Revisi.dipa_tanggal).filter(Revisi.nomor == 0))
        .join(Revisi, Revisi.dokumen_id == Dokumen.id).where(Dokumen.tahun == tahun)
        .group_by(Dokumen.id, Dokumen.satker_id, Dokumen.jenis, Dokumen.status, Dokumen.nomor_revisi))
    return [(d, s, j, st, n, jadwal.tanggal_lokal(diajukan), dipa) for d, s, j, st, n, diajukan, dipa in rows]


def _muat_ttd(session: Session, tahun: int) -> dict[int, tuple]:
    """The signed documents' active revisions: the last signature's day, who submitted, who signed."""
    rows = session.execute(
        select(Dokumen.id, Revisi.diajukan_oleh_id, TandaTangan.user_id, TandaTangan.waktu)
        .join(Revisi, and_(Revisi.dokumen_id == Dokumen.id, Revisi.nomor == Dokumen.nomor_revisi))
        .join(TandaTangan, TandaTangan.revisi_id == Revisi.id)
        .where(Dokumen.tahun == tahun, Dokumen.status == Status.SIGNED))
    ttd: dict[int, tuple] = {}
    for dokumen_id, pengaju, penanda, waktu in rows:
        hari, _p, orang = ttd.get(dokumen_id, (None, pengaju, set()))
        hari = max(filter(None, (hari, jadwal.tanggal_lokal(waktu))))
        ttd[dokumen_id] = (hari, pengaju, orang | {penanda})
    return ttd


def _pk_realisasi(tahun: int):
    pk = [j for j in JenisDokumen if j.bentuk is Bentuk.PK]
    return (select(Dokumen.id).where(Dokumen.tahun == tahun, Dokumen.jenis.in_(pk),
                                     Dokumen.status.in_(policy.STATUS_REALISASI)))


def _muat_indikator(session: Session, tahun: int) -> tuple[dict, set]:
    """The signed PKs' indikator {PK id: {kunci: pelaksana}} and the (PK, kunci, month) with a value."""
    indikator: dict[int, dict[str, str | None]] = {}
    rows = session.execute(
        select(Dokumen.id, Indikator.kunci, Indikator.pelaksana)
        .join(Revisi, and_(Revisi.dokumen_id == Dokumen.id, Revisi.nomor == Dokumen.nomor_revisi))
        .join(Indikator, Indikator.revisi_id == Revisi.id).where(Dokumen.id.in_(_pk_realisasi(tahun))))
    for dokumen_id, kunci, pelaksana in rows:
        indikator.setdefault(dokumen_id, {})[kunci] = pelaksana
    terisi = {tuple(r) for r in session.execute(
        select(Realisasi.dokumen_id, Realisasi.indikator_kunci, Realisasi.bulan)
        .where(Realisasi.dokumen_id.in_(_pk_realisasi(tahun)),
               or_(Realisasi.nilai.is_not(None), Realisasi.kode.is_not(None))))}
    return indikator, terisi


def _muat_triwulan(session: Session, tahun: int) -> set[int]:
    """Offices whose latest RAK up to ``tahun`` plans by quarter (as
    ``workflow.dokumen.queries.bentuk_jadwal_kantor``, for every office at once)."""
    rows = session.execute(
        select(Dokumen.satker_id, Revisi.bentuk_jadwal).join(Revisi, Revisi.dokumen_id == Dokumen.id)
        .where(Dokumen.jenis.in_([j for j in JenisDokumen if j.bentuk is Bentuk.RAK]), Dokumen.tahun <= tahun,
               Revisi.bentuk_jadwal.is_not(None))
        .order_by(Dokumen.satker_id, Dokumen.tahun, Revisi.dibuat_pada))
    terakhir = {s: b for s, b in rows}  # ordered: the last row per office wins
    return {s for s, bentuk in terakhir.items() if bentuk is BentukJadwal.TRIWULAN}


def _muat_anggota(session: Session) -> dict[tuple[int, Peran], list[Membership]]:
    """Who holds which role where (active people; the same rule as ``penerima.pemegang_peran``)."""
    anggota: dict[tuple[int, Peran], list[Membership]] = {}
    rows = session.scalars(select(Membership).join(User, User.id == Membership.user_id)
                           .options(contains_eager(Membership.user).lazyload(User.memberships))
                           .where(User.active.is_(True)).order_by(Membership.user_id)).unique()
    for m in rows:
        anggota.setdefault((m.satker_id, m.peran), []).append(m)
    return anggota


def _muat_plh(session: Session, pada: date) -> dict[tuple[int, Peran], User]:
    rows = session.scalars(select(Penunjukan).where(Penunjukan.mulai <= pada, Penunjukan.sampai >= pada))
    return {(p.satker_id, p.peran): p.user for p in rows}


def muat(session: Session, tahun: int, pada: date) -> _Data:
    kantor = {s.id: s for s in session.scalars(select(Satker))}
    indikator, terisi = _muat_indikator(session, tahun)
    terkirim = {tuple(r) for r in session.execute(
        select(PengingatTerkirim.satker_id, PengingatTerkirim.butir, PengingatTerkirim.jenis,
               PengingatTerkirim.periode, PengingatTerkirim.tahap).where(PengingatTerkirim.tahun == tahun))}
    return _Data(tahun, kantor, jadwal.semua_nilai(session, [tahun]), _muat_dokumen(session, tahun),
                 _muat_ttd(session, tahun), indikator, terisi, _muat_triwulan(session, tahun),
                 _muat_anggota(session), _muat_plh(session, pada), terkirim)


_Temuan = tuple[Perlu, TahapPengingat, list[User]]


def _dokumen_belum(data: _Data, pada: date, hari_sebelum: int) -> Iterable[_Temuan]:
    """Each office's documents of the year not submitted yet (missing ones included)."""
    ada = {(s, j): (d, diajukan, dipa) for d, s, j, _st, _n, diajukan, dipa in data.dokumen}
    for satker in data.kantor.values():
        for jenis in JenisDokumen:
            dokumen_id, diajukan, dipa = ada.get((satker.id, jenis), (None, None, None))
            butir = Butir.dari_bentuk(jenis.bentuk)
            tenggat = jadwal.jatuh_tempo(butir, data.tahun, data.berlaku(satker, butir), sejak=dipa)
            if diajukan is not None or tenggat is None or (t := tahap(pada, tenggat, hari_sebelum)) is None:
                continue
            yield (Perlu(satker, data.tahun, butir, jenis, tenggat, dokumen_id), t,
                   data.pemegang(satker.id, jenis.penyusun))


def _tinjauan_belum(data: _Data, pada: date, hari_sebelum: int) -> Iterable[_Temuan]:
    """Signed documents waiting for their review: the reviewers of the parent office who
    neither submitted nor signed it."""
    for dokumen_id, satker_id, jenis, _status, nomor, _diajukan, _dipa in data.dokumen:
        if dokumen_id not in data.ttd:
            continue
        satker = data.kantor[satker_id]
        hari, pengaju, penanda = data.ttd[dokumen_id]
        tenggat = jadwal.jatuh_tempo(Butir.TINJAUAN, data.tahun, data.berlaku(satker, Butir.TINJAUAN), sejak=hari)
        if satker.parent_id is None or tenggat is None or (t := tahap(pada, tenggat, hari_sebelum)) is None:
            continue
        reviewer = [u for u in data.pemegang(satker.parent_id, Peran.REVIEWER)
                    if u.id != pengaju and u.id not in penanda]
        yield Perlu(satker, data.tahun, Butir.TINJAUAN, jenis, tenggat, dokumen_id, nomor), t, reviewer


def _unit(m: Membership, jenis: JenisDokumen) -> str | None:
    """The unit a membership reports for (``workflow.dokumen.policy.unit_realisasi``)."""
    if jenis.sisi is Sisi.SEKRETARIAT and m.peran is Peran.SUBBAG and m.subbagian:
        return m.subbagian.value
    if jenis.sisi is Sisi.KOMISI and m.peran is Peran.ANGGOTA and m.divisi:
        return m.divisi.value
    return None


def _realisasi_belum(data: _Data, pada: date, hari_sebelum: int) -> Iterable[_Temuan]:
    """Periods of a signed PK with an indikator still without a value: the penyusun and
    the units that carry those indikator."""
    jenis_dok = {d: (s, j) for d, s, j, *_rest in data.dokumen}
    for dokumen_id, indikator in data.indikator.items():
        satker_id, jenis = jenis_dok[dokumen_id]
        satker = data.kantor[satker_id]
        triwulan = satker_id in data.triwulan
        butir = Butir.REALISASI_TRIWULAN if triwulan else Butir.REALISASI_BULAN
        nilai = data.berlaku(satker, butir)
        for periode in range(1, 5 if triwulan else 13):
            tenggat = jadwal.jatuh_tempo(butir, data.tahun, nilai, periode=periode)
            if tenggat is None or (t := tahap(pada, tenggat, hari_sebelum)) is None:
                continue
            bulan = periode * 3 if triwulan else periode
            kosong = [k for k in indikator if (dokumen_id, k, bulan) not in data.terisi]
            if not kosong:
                continue
            pelaksana = {indikator[k] for k in kosong} - {None}
            unit = [m.user for peran in (Peran.SUBBAG, Peran.ANGGOTA) for m in data.anggota.get((satker_id, peran), [])
                    if _unit(m, jenis) in pelaksana]
            penerima = {u.id: u for u in [*data.pemegang(satker_id, jenis.penyusun), *unit]}
            yield (Perlu(satker, data.tahun, butir, jenis, tenggat, dokumen_id, bulan, triwulan), t,
                   list(penerima.values()))


def jalankan(session: Session, tahun: int, pada: date | None = None, hari_sebelum: int = HARI_SEBELUM,
             ringkasan: Ringkasan | None = None) -> Ringkasan:
    """The daily run for one year's items, every office: each reminder due today that was
    not sent yet, recorded and written as notifications (bulk). Flushes, never commits."""
    pada = pada or jadwal.hari_ini()
    ringkasan = ringkasan or Ringkasan()
    if not hari_kerja(pada):
        return ringkasan  # nobody is reminded on a day off
    data = muat(session, tahun, pada)
    semua: list[Kiriman] = []
    terkirim: list[dict] = []
    sekarang = utcnow()
    for perlu, t, penerima in chain(_dokumen_belum(data, pada, hari_sebelum), _tinjauan_belum(data, pada, hari_sebelum),
                                    _realisasi_belum(data, pada, hari_sebelum)):
        kunci = (perlu.satker.id, perlu.butir.value, perlu.jenis.value, perlu.periode, t)
        if kunci in data.terkirim:
            continue
        data.terkirim.add(kunci)
        induk = data.kantor.get(perlu.satker.parent_id)
        reviewer = induk.nama if induk is not None and perlu.butir is not Butir.TINJAUAN else None
        semua += kiriman(perlu, penerima, pada, reviewer)
        terkirim.append({"satker_id": perlu.satker.id, "tahun": tahun, "butir": perlu.butir.value,
                         "jenis": perlu.jenis.value, "periode": perlu.periode, "tahap": t, "tenggat": perlu.tenggat,
                         "penerima": len(penerima), "dikirim_pada": sekarang})
        ringkasan.pengingat[(perlu.butir.value, t.value)] += 1
        ringkasan.tanpa_penerima += not penerima
    if terkirim:
        session.connection().execute(insert(PengingatTerkirim.__table__), terkirim)
    ringkasan.notifikasi += beri_tahu_massal(session, semua)
    return ringkasan
