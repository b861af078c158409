"""What waits for one person: signatures, reviews, rows, realisation, returned drafts,
documents still to be made; each with its due date from the calendar (``workflow.jadwal``).

One SQL statement per kind of item, whatever the number of documents: the candidates
come from SQL, the last step (which role signs next, which unit carries a row) is decided
here in Python with the same rules as ``workflow.dokumen.policy``, from the person's
memberships already loaded with the account.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import and_, bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased

from tenants import penunjukan, scoping
from tenants.people import Membership, Peran, User
from tenants.satker import Satker
from tenants.teks import N_, _
from workflow.dokumen import policy
from workflow.dokumen.jenis import Bentuk, JenisDokumen
from workflow.dokumen.models import AlasanRevisi, Dokumen, Revisi, Status
from workflow.dokumen.content import Indikator, RakBaris
from workflow.dokumen.signature import TandaTangan
from workflow.jadwal import queries as jadwal
from workflow.jadwal.models import Butir
from workflow.pelaporan.models import LaporanPeriode, StatusLaporan
from workflow.realisasi.models import Realisasi
from workflow.schedule import nama_bulan


class JenisTugas(enum.StrEnum):
    TANDA_TANGAN = "tanda_tangan"
    TINJAU = "tinjau"
    DIKEMBALIKAN = "dikembalikan"
    DRAF = "draf"
    BARIS = "baris"
    REALISASI = "realisasi"
    BUAT = "buat"
    VERIFIKASI = "verifikasi"

    @property
    def label(self) -> str:
        return _(_LABEL[self.value])


_LABEL = {
    "tanda_tangan": N_("Menunggu tanda tangan Anda"),
    "tinjau": N_("Menunggu tinjauan Anda"),
    "dikembalikan": N_("Dikembalikan untuk perbaikan"),
    "draf": N_("Draf yang Anda susun"),
    "baris": N_("Baris RAK unit Anda"),
    "realisasi": N_("Realisasi yang harus diisi"),
    "buat": N_("Dokumen yang harus dibuat"),
    "verifikasi": N_("Laporan periode menunggu verifikasi Anda"),
}


@dataclass(frozen=True)
class Tugas:
    jenis: JenisTugas
    dokumen: Dokumen | None             # None: a document still to be made (BUAT)
    sejak: datetime | None = None       # when it started waiting
    keterangan: str | None = None       # the reviewer's reason, the rows' count, the period
    tenggat: date | None = None         # due date, when the calendar knows one
    jumlah: int | None = None           # rows or indikator concerned
    pada: date | None = None            # the day the list was made (for the days late)
    satker: Satker | None = None        # a document still to be made: where, of which kind, which year
    jenis_dokumen: JenisDokumen | None = None
    tahun: int | None = None

    @property
    def kantor(self) -> Satker:
        return self.dokumen.satker if self.dokumen is not None else self.satker

    @property
    def jenis_dok(self) -> JenisDokumen:
        return self.dokumen.jenis if self.dokumen is not None else self.jenis_dokumen

    @property
    def tahun_dok(self) -> int:
        return self.dokumen.tahun if self.dokumen is not None else self.tahun

    @property
    def terlambat_hari(self) -> int:
        """Days past the due date (0: not late, or no date)."""
        if self.tenggat is None or self.pada is None:
            return 0
        return max((self.pada - self.tenggat).days, 0)


def _aktif():
    return and_(Revisi.dokumen_id == Dokumen.id, Revisi.nomor == Dokumen.nomor_revisi)


def _kantor(user: User, roles: Iterable[Peran] | None = None) -> dict[int, set[Peran]]:
    """Office id -> the roles ``user`` holds there (from the memberships loaded with the account)."""
    wanted = set(roles) if roles is not None else None
    kantor: dict[int, set[Peran]] = {}
    for m in scoping.memberships_of(user):
        if wanted is None or m.peran in wanted:
            kantor.setdefault(m.satker_id, set()).add(m.peran)
    return kantor


def _jabatan_penanda_tangan(session: Session, user: User, hari_ini: date) -> dict[int, set[Peran]]:
    """Office id -> the signing roles ``user`` holds there, or acts in today (Plh/Plt)."""
    kantor = _kantor(user, {p.peran for j in JenisDokumen for p in j.penandatangan})
    anggota = {m.satker_id for m in scoping.memberships_of(user)}
    for p in penunjukan.dipegang(session, user.id, hari_ini):
        if p.satker_id in anggota:  # an appointee signs while a member of that office
            kantor.setdefault(p.satker_id, set()).add(p.peran)
    return kantor


# The statements of the commonest items, built once: composing them cost as much as running
# them (the home page is the to-do list). bindparam("kantor", expanding=True): office ids.
_KANTOR = bindparam("kantor", expanding=True)
_TANDA_TANGAN = (
    select(Dokumen, Revisi.diajukan_pada,
           select(func.count(TandaTangan.id)).where(TandaTangan.revisi_id == Revisi.id).scalar_subquery(),
           exists().where(TandaTangan.revisi_id == Revisi.id, TandaTangan.user_id == bindparam("user")))
    .join(Revisi, _aktif()).where(Dokumen.status == Status.SUBMITTED, Dokumen.satker_id.in_(_KANTOR)))


def tanda_tangan(session: Session, user: User, hari_ini: date | None = None) -> list[Tugas]:
    """Submitted documents whose next signature is one of ``user``'s roles at that office,
    held or acted in."""
    kantor = _jabatan_penanda_tangan(session, user, hari_ini or date.today())
    if not kantor:
        return []
    rows = session.execute(_TANDA_TANGAN, {"user": user.id, "kantor": list(kantor)}).all()
    result = []
    for dokumen, diajukan, n, sudah_ttd in rows:
        urutan = dokumen.jenis.penandatangan
        if not sudah_ttd and n < len(urutan) and urutan[n].peran in kantor[dokumen.satker_id]:
            result.append(Tugas(JenisTugas.TANDA_TANGAN, dokumen, diajukan, urutan[n].kapasitas.label))
    return result


def tinjau(session: Session, user: User) -> list[Tugas]:
    """Signed documents of the offices ``user`` reviews, not submitted or signed by ``user``."""
    if not scoping.memberships_of(user, {Peran.REVIEWER}):
        return []
    sendiri = exists().where(TandaTangan.revisi_id == Revisi.id, TandaTangan.user_id == user.id)
    terakhir = select(func.max(TandaTangan.waktu)).where(TandaTangan.revisi_id == Revisi.id).scalar_subquery()
    rows = session.execute(
        select(Dokumen, terakhir).join(Revisi, _aktif())
        .where(Dokumen.status == Status.SIGNED, policy.ditinjau(user), ~sendiri,
               Revisi.diajukan_oleh_id.is_distinct_from(user.id))
    ).all()
    return [Tugas(JenisTugas.TINJAU, dokumen, sejak) for dokumen, sejak in rows]


def verifikasi(session: Session, user: User) -> list[Tugas]:
    """Submitted period reports of the offices ``user`` reviews, not submitted by ``user``."""
    if not scoping.memberships_of(user, {Peran.REVIEWER}):
        return []
    rows = session.execute(
        select(Dokumen, LaporanPeriode.periode, LaporanPeriode.diajukan_pada)
        .join(LaporanPeriode, LaporanPeriode.dokumen_id == Dokumen.id)
        .where(LaporanPeriode.status == StatusLaporan.DIAJUKAN, policy.ditinjau(user),
               LaporanPeriode.diajukan_oleh_id.is_distinct_from(user.id))
    ).all()
    return [Tugas(JenisTugas.VERIFIKASI, dokumen, sejak, nama_bulan(periode), jumlah=periode)
            for dokumen, periode, sejak in rows]


_LALU = aliased(Revisi)  # the revision before the current one: a returned draft's reason
_DRAF = (
    select(Dokumen, Revisi.alasan_jenis, Revisi.dibuat_pada, _LALU.catatan_tinjauan).join(Revisi, _aktif())
    .outerjoin(_LALU, and_(_LALU.dokumen_id == Dokumen.id, _LALU.nomor == Dokumen.nomor_revisi - 1))
    .where(Dokumen.status == Status.DRAFT, Dokumen.satker_id.in_(_KANTOR)))


def draf(session: Session, user: User) -> list[Tugas]:
    """Drafts ``user`` compiles (the kind's penyusun at that office); a returned one carries
    the reviewer's reason."""
    kantor = _kantor(user, {j.penyusun for j in JenisDokumen})
    if not kantor:
        return []
    rows = session.execute(_DRAF, {"kantor": list(kantor)}).all()
    result = []
    for dokumen, alasan_jenis, sejak, catatan in rows:
        if dokumen.jenis.penyusun not in kantor[dokumen.satker_id]:
            continue
        if alasan_jenis is AlasanRevisi.PENGEMBALIAN:
            result.append(Tugas(JenisTugas.DIKEMBALIKAN, dokumen, sejak, catatan))
        else:
            result.append(Tugas(JenisTugas.DRAF, dokumen, dokumen.dibuat_pada))
    return result


def _unit(membership: Membership, dokumen: Dokumen) -> str | None:
    return policy.pelaksana_milik(membership, dokumen.jenis)


def baris(session: Session, user: User) -> list[Tugas]:
    """Draft RAKs with rows carried out by ``user``'s subbagian or divisi."""
    units = scoping.memberships_of(user, {Peran.SUBBAG, Peran.ANGGOTA})
    if not units:
        return []
    rak = [j for j in JenisDokumen if j.bentuk is Bentuk.RAK]
    rows = session.execute(
        select(Dokumen, RakBaris.pelaksana, func.count(RakBaris.id)).join(Revisi, _aktif())
        .join(RakBaris, RakBaris.revisi_id == Revisi.id)
        .where(Dokumen.status == Status.DRAFT, Dokumen.jenis.in_(rak),
               Dokumen.satker_id.in_({m.satker_id for m in units}))
        .group_by(Dokumen.id, RakBaris.pelaksana)
    ).all()
    jumlah: dict[int, tuple[Dokumen, int]] = {}
    for dokumen, pelaksana, n in rows:
        if any(m.satker_id == dokumen.satker_id and _unit(m, dokumen) == pelaksana for m in units):
            lama = jumlah.get(dokumen.id, (dokumen, 0))[1]
            jumlah[dokumen.id] = (dokumen, lama + n)
    return [Tugas(JenisTugas.BARIS, d, d.diubah_pada, jumlah=n) for d, n in jumlah.values()]


def periode_lapor(hari_ini: date) -> tuple[int, int]:
    """The year and month whose realisation is due by ``hari_ini``: the last month that has
    ended (in January, December of the year before)."""
    if hari_ini.month == 1:
        return hari_ini.year - 1, 12
    return hari_ini.year, hari_ini.month - 1


_REALISASI = (
    select(Dokumen, Indikator.pelaksana, func.count(Indikator.id)).join(Revisi, _aktif())
    .join(Indikator, Indikator.revisi_id == Revisi.id)
    .where(Dokumen.status.in_(policy.STATUS_REALISASI), Dokumen.jenis.in_([j for j in JenisDokumen if j.bentuk is Bentuk.PK]),
           Dokumen.tahun == bindparam("tahun"), Dokumen.satker_id.in_(_KANTOR),
           ~exists().where(Realisasi.dokumen_id == Dokumen.id, Realisasi.indikator_kunci == Indikator.kunci,
                           Realisasi.bulan == bindparam("bulan"), Realisasi.nilai.is_not(None)))
    .group_by(Dokumen.id, Indikator.pelaksana))


def realisasi(session: Session, user: User, hari_ini: date) -> list[Tugas]:
    """Signed PKs of the reporting year whose indikator, carried by ``user`` (as penyusun or
    as the unit named pelaksana), has no realisation for the last month that has ended."""
    kantor = _kantor(user)
    if not kantor:
        return []
    tahun, bulan = periode_lapor(hari_ini)
    rows = session.execute(_REALISASI, {"kantor": list(kantor), "tahun": tahun, "bulan": bulan}).all()
    jumlah: dict[int, tuple[Dokumen, int]] = {}
    for dokumen, pelaksana, n in rows:
        if _melapor(user, dokumen, pelaksana):
            jumlah[dokumen.id] = (dokumen, jumlah.get(dokumen.id, (dokumen, 0))[1] + n)
    periode = f"{nama_bulan(bulan)} {tahun}"
    return [Tugas(JenisTugas.REALISASI, d, None, periode, jumlah=n) for d, n in jumlah.values()]


def _melapor(user: User, dokumen: Dokumen, pelaksana: str | None) -> bool:
    """Whether ``user`` reports the realisation of an indikator carried by ``pelaksana``
    (the rule of ``policy.isi_realisasi``)."""
    if scoping.memberships_at(user, dokumen.satker, dokumen.jenis.penyusun):
        return True
    return pelaksana is not None and any(
        policy.unit_realisasi(m, dokumen) == pelaksana for m in scoping.memberships_at(user, dokumen.satker))


BUAT_DALAM_HARI = 30  # a document still to be made shows this many days before it is due


def _tahun_buat(hari_ini: date) -> tuple[int, ...]:
    """The years whose documents may be due around ``hari_ini``: last year's LKj, this
    year's plans, next year's RKT."""
    return hari_ini.year - 1, hari_ini.year, hari_ini.year + 1


def buat(session: Session, user: User, hari_ini: date, nilai: dict) -> list[Tugas]:
    """Documents ``user`` compiles (the kind's penyusun at that office) that do not exist
    yet and are due within ``BUAT_DALAM_HARI`` days, or overdue."""
    kantor = _kantor(user, {j.penyusun for j in JenisDokumen})
    if not kantor:
        return []
    tahun = _tahun_buat(hari_ini)
    ada = {tuple(r) for r in session.execute(select(Dokumen.satker_id, Dokumen.jenis, Dokumen.tahun)
                                             .where(Dokumen.satker_id.in_(kantor), Dokumen.tahun.in_(tahun)))}
    satker = {m.satker_id: m.satker for m in scoping.memberships_of(user)}
    result = []
    for satker_id, peran in kantor.items():
        for jenis in (j for j in JenisDokumen if j.penyusun in peran):
            butir = Butir.dari_bentuk(jenis.bentuk)
            for t in tahun:
                if (satker_id, jenis, t) in ada:
                    continue
                tenggat = jadwal.jatuh_tempo(butir, t, jadwal.berlaku(nilai.get((t, butir)), satker[satker_id]))
                if tenggat is not None and (tenggat - hari_ini).days <= BUAT_DALAM_HARI:
                    result.append(Tugas(JenisTugas.BUAT, None, tenggat=tenggat, pada=hari_ini,
                                        satker=satker[satker_id], jenis_dokumen=jenis, tahun=t))
    return result


def _tenggat(t: Tugas, nilai: dict, dipa: dict[int, date], hari_ini: date) -> date | None:
    """An item's due date: the reviewer's for a review, the period's for a realisation,
    else the date to submit the document by."""
    d = t.dokumen
    if t.jenis is JenisTugas.VERIFIKASI:
        return None  # the calendar sets no date for verifying a period
    if t.jenis is JenisTugas.TINJAU:
        return jadwal.jatuh_tempo(Butir.TINJAUAN, d.tahun, jadwal.berlaku(nilai.get((d.tahun, Butir.TINJAUAN)),
                                                                          d.satker), sejak=jadwal.tanggal_lokal(t.sejak))
    if t.jenis is JenisTugas.REALISASI:
        tahun, bulan = periode_lapor(hari_ini)
        return jadwal.jatuh_tempo(Butir.REALISASI_BULAN, tahun,
                                  jadwal.berlaku(nilai.get((tahun, Butir.REALISASI_BULAN)), d.satker), periode=bulan)
    butir = Butir.dari_bentuk(d.jenis.bentuk)
    return jadwal.jatuh_tempo(butir, d.tahun, jadwal.berlaku(nilai.get((d.tahun, butir)), d.satker),
                              sejak=dipa.get(d.id))


def _dipa(session: Session, dokumen_id: list[int]) -> dict[int, date]:
    """The DIPA dates of revision 0 (a PK without a set date is due a month after it)."""
    if not dokumen_id:
        return {}
    return {d: t for d, t in session.execute(select(Revisi.dokumen_id, Revisi.dipa_tanggal)
                                             .where(Revisi.dokumen_id.in_(dokumen_id), Revisi.nomor == 0))}


def daftar(session: Session, user: User, hari_ini: date | None = None) -> list[Tugas]:
    """Everything that waits for ``user``, the earliest due (the overdue first) or longest
    waiting first; the calendar's reads cost the same three statements whatever the items."""
    hari_ini = hari_ini or date.today()
    items = [*tanda_tangan(session, user, hari_ini), *tinjau(session, user), *verifikasi(session, user),
             *draf(session, user),
             *baris(session, user), *realisasi(session, user, hari_ini)]
    if not items and not _kantor(user, {j.penyusun for j in JenisDokumen}):
        return []
    tahun = {t.dokumen.tahun for t in items} | set(_tahun_buat(hari_ini)) | {periode_lapor(hari_ini)[0]}
    nilai = jadwal.semua_nilai(session, tahun)
    dipa = _dipa(session, [t.dokumen.id for t in items if t.dokumen.jenis.bentuk is Bentuk.PK])
    items = [replace(t, tenggat=_tenggat(t, nilai, dipa, hari_ini), pada=hari_ini) for t in items]
    return sorted([*items, *buat(session, user, hari_ini, nilai)], key=_urutan)


def _urutan(t: Tugas) -> tuple:
    tenggat = t.tenggat or date.max
    sejak = t.sejak.replace(tzinfo=None) if t.sejak else datetime.max
    return (tenggat, _PRIORITAS[t.jenis], sejak, t.dokumen.id if t.dokumen is not None else 0)


_PRIORITAS = {JenisTugas.DIKEMBALIKAN: 0, JenisTugas.TANDA_TANGAN: 1, JenisTugas.TINJAU: 2,
              JenisTugas.REALISASI: 3, JenisTugas.BARIS: 4, JenisTugas.DRAF: 5, JenisTugas.BUAT: 6,
              JenisTugas.VERIFIKASI: 2}
