"""What waits for one person: signatures, reviews, rows, realisation, returned drafts,
documents still to be made; each with its due date from the calendar (``workflow.jadwal``).

At most one SQL statement per kind of item, whatever the number of documents (the
signatures, the drafts and the documents still to be made share one): the candidates
come from SQL, the last step (which role signs next, which unit carries a row) is decided
here in Python with the same rules as ``workflow.dokumen.policy``, from the person's
memberships already loaded with the account.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from tenants import scoping
from tenants import penunjukan
from tenants.penunjukan import Penunjukan
from tenants.people import Peran, User
from tenants.satker import Satker
from tenants.teks import N_, _
from workflow.dokumen import policy
from workflow.dokumen.jenis import Bentuk, JenisDokumen
from workflow.dokumen.queries import baca
from workflow.dokumen.models import AlasanRevisi, Dokumen, Revisi, Status
from workflow.dokumen.content import Indikator, RakBaris
from workflow.dokumen.signature import TandaTangan
from workflow.jadwal import queries as jadwal
from workflow.jadwal.models import Butir
from workflow.pelaporan.models import LaporanPeriode, StatusLaporan
from workflow.realisasi.models import Realisasi
from workflow.schedule import nama_bulan
from workflow.tindaklanjut.models import StatusTindakLanjut, TindakLanjut


class JenisTugas(enum.StrEnum):
    TANDA_TANGAN = "tanda_tangan"
    TINJAU = "tinjau"
    DIKEMBALIKAN = "dikembalikan"
    DRAF = "draf"
    BARIS = "baris"
    REALISASI = "realisasi"
    BUAT = "buat"
    VERIFIKASI = "verifikasi"
    TINDAK_LANJUT = "tindak_lanjut"
    TUTUP_TINDAK_LANJUT = "tutup_tindak_lanjut"

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
    "tindak_lanjut": N_("Tindak lanjut rekomendasi evaluasi"),
    "tutup_tindak_lanjut": N_("Tindak lanjut menunggu keputusan Anda"),
}


@dataclass(frozen=True, slots=True)
class DokumenTugas:
    """What the list shows and decides on of a document: read as columns, its office taken
    from the memberships loaded with the account (loading ``Dokumen`` entities, each
    joined to its office, cost the home page more than the rest of the list)."""
    id: int
    satker: Satker
    jenis: JenisDokumen
    tahun: int


class KantorTugas(NamedTuple):
    """A follow-up's office, as the list shows it (its name; its code in the link)."""
    id: int
    kode: str
    nama: str
    path: str


@dataclass(frozen=True)
class Tugas:
    jenis: JenisTugas
    dokumen: DokumenTugas | None        # None: a document still to be made (BUAT)
    sejak: datetime | None = None       # when it started waiting
    keterangan: str | None = None       # the reviewer's reason, the rows' count, the period
    tenggat: date | None = None         # due date, when the calendar knows one
    jumlah: int | None = None           # rows or indikator concerned
    pada: date | None = None            # the day the list was made (for the days late)
    satker: Satker | KantorTugas | None = None  # no document (to be made, a follow-up): where, which kind, which year
    jenis_dokumen: JenisDokumen | None = None
    tahun: int | None = None

    @property
    def kantor(self) -> Satker | KantorTugas:
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


def _satker(user: User) -> dict[int, Satker]:
    """Office id -> the office, of the memberships loaded with the account."""
    return {m.satker_id: m.satker for m in scoping.memberships_of(user)}


# penunjukan.dipegang's rule, read as two columns: its entities (each joined to the person
# and the office) cost more than the signatures' statement itself.
_DIPEGANG = select(Penunjukan.satker_id, Penunjukan.peran).where(
    penunjukan.syarat_dipegang(bindparam("user"), bindparam("pada")))


def _jabatan_penanda_tangan(session: Session, user: User, hari_ini: date, menjabat: bool) -> dict[int, set[Peran]]:
    """Office id -> the signing roles ``user`` holds there, or acts in today (Plh/Plt; read
    only when ``menjabat``: ``user`` acts in some position today)."""
    kantor = _kantor(user, {p.peran for j in JenisDokumen for p in j.penandatangan})
    if not menjabat:
        return kantor
    anggota = {m.satker_id for m in scoping.memberships_of(user)}
    for satker_id, peran in baca(session, _DIPEGANG, {"user": user.id, "pada": hari_ini}):
        if satker_id in anggota:  # an appointee signs while a member of that office
            kantor.setdefault(satker_id, set()).add(peran)
    return kantor


# The statements of the commonest items, built once: composing them cost as much as running
# them (the home page is the to-do list). bindparam("kantor", expanding=True): office ids.
_KANTOR = bindparam("kantor", expanding=True)
_DOKUMEN = (Dokumen.id, Dokumen.satker_id, Dokumen.jenis, Dokumen.tahun)
_LALU = aliased(Revisi)  # the revision before the current one: a returned draft's reason
_TAHUN = bindparam("tahun", expanding=True)
# One statement for what the list asks of the documents of one's offices: the submitted ones
# (whose signature is next), the drafts (to compile, or returned) and, of the years around
# today, which exist at all (the documents still to be made are the others); and whether the
# person acts in a position today (rarely: only then are the positions read).
_DOKUMEN_KANTOR = (
    select(*_DOKUMEN, Dokumen.status, Dokumen.dibuat_pada, Revisi.id, Revisi.diajukan_pada, Revisi.alasan_jenis,
           Revisi.dibuat_pada, _LALU.catatan_tinjauan,
           select(func.count(TandaTangan.id)).where(TandaTangan.revisi_id == Revisi.id).scalar_subquery(),
           exists().where(TandaTangan.revisi_id == Revisi.id, TandaTangan.user_id == bindparam("user")),
           _DIPEGANG.exists())
    .outerjoin(Revisi, _aktif())  # whether a document exists does not depend on its revision
    .outerjoin(_LALU, and_(_LALU.dokumen_id == Dokumen.id, _LALU.nomor == Dokumen.nomor_revisi - 1))
    .where(Dokumen.satker_id.in_(_KANTOR),
           or_(Dokumen.status.in_((Status.SUBMITTED, Status.DRAFT)), Dokumen.tahun.in_(_TAHUN))))


@dataclass
class _DokumenKantor:
    tanda_tangan: list[Tugas]
    draf: list[Tugas]
    ada: set[tuple[int, JenisDokumen, int]]  # (office, kind, year) of the years asked


def _dokumen_kantor(session: Session, user: User, hari_ini: date, tahun: Iterable[int] = ()) -> _DokumenKantor:
    """Submitted documents whose next signature is one of ``user``'s roles at that office
    (held or acted in); drafts ``user`` compiles (the kind's penyusun at that office), a
    returned one with the reviewer's reason; which documents of ``tahun`` exist where
    ``user`` compiles."""
    satker = _satker(user)  # one signs (even as an appointee) and compiles at one's own offices only
    hasil = _DokumenKantor([], [], set())
    if not satker:
        return hasil
    rows = baca(session, _DOKUMEN_KANTOR, {"user": user.id, "pada": hari_ini, "kantor": sorted(satker),
                                          "tahun": sorted(tahun)})
    penanda = _jabatan_penanda_tangan(session, user, hari_ini, menjabat=bool(rows) and rows[0][-1])
    penyusun = _kantor(user, {j.penyusun for j in JenisDokumen})
    tahun = set(tahun)
    for (dokumen_id, satker_id, jenis, tahun_dok, status, dibuat, revisi_id, diajukan, alasan_jenis, sejak, catatan,
         n, sudah_ttd, _menjabat) in rows:
        if tahun_dok in tahun and satker_id in penyusun:
            hasil.ada.add((satker_id, jenis, tahun_dok))
        if revisi_id is None:
            continue
        if status is Status.SUBMITTED and satker_id in penanda:
            urutan = jenis.penandatangan
            if not sudah_ttd and n < len(urutan) and urutan[n].peran in penanda[satker_id]:
                dokumen = DokumenTugas(dokumen_id, satker[satker_id], jenis, tahun_dok)
                hasil.tanda_tangan.append(Tugas(JenisTugas.TANDA_TANGAN, dokumen, diajukan, urutan[n].kapasitas.label))
        elif status is Status.DRAFT and jenis.penyusun in penyusun.get(satker_id, ()):
            dokumen = DokumenTugas(dokumen_id, satker[satker_id], jenis, tahun_dok)
            if alasan_jenis is AlasanRevisi.PENGEMBALIAN:
                hasil.draf.append(Tugas(JenisTugas.DIKEMBALIKAN, dokumen, sejak, catatan))
            else:
                hasil.draf.append(Tugas(JenisTugas.DRAF, dokumen, dibuat))
    return hasil


def tanda_tangan(session: Session, user: User, hari_ini: date | None = None) -> list[Tugas]:
    """Submitted documents whose next signature is one of ``user``'s roles at that office,
    held or acted in."""
    return _dokumen_kantor(session, user, hari_ini or date.today()).tanda_tangan


def tinjau(session: Session, user: User) -> list[Tugas]:
    """Signed documents of the offices ``user`` reviews, not submitted or signed by ``user``."""
    if not scoping.memberships_of(user, {Peran.REVIEWER}):
        return []
    sendiri = exists().where(TandaTangan.revisi_id == Revisi.id, TandaTangan.user_id == user.id)
    terakhir = select(func.max(TandaTangan.waktu)).where(TandaTangan.revisi_id == Revisi.id).scalar_subquery()
    rows = session.execute(
        select(Dokumen.id, Satker, Dokumen.jenis, Dokumen.tahun, terakhir).join(Revisi, _aktif())
        .join(Satker, Satker.id == Dokumen.satker_id)
        .where(Dokumen.status == Status.SIGNED, policy.ditinjau(user), ~sendiri,
               Revisi.diajukan_oleh_id.is_distinct_from(user.id))
    ).all()
    return [Tugas(JenisTugas.TINJAU, DokumenTugas(dokumen_id, satker, jenis, tahun), sejak)
            for dokumen_id, satker, jenis, tahun, sejak in rows]


def verifikasi(session: Session, user: User) -> list[Tugas]:
    """Submitted period reports of the offices ``user`` reviews, not submitted by ``user``."""
    if not scoping.memberships_of(user, {Peran.REVIEWER}):
        return []
    rows = session.execute(
        select(Dokumen.id, Satker, Dokumen.jenis, Dokumen.tahun, LaporanPeriode.periode, LaporanPeriode.diajukan_pada)
        .join(LaporanPeriode, LaporanPeriode.dokumen_id == Dokumen.id)
        .join(Satker, Satker.id == Dokumen.satker_id)
        .where(LaporanPeriode.status == StatusLaporan.DIAJUKAN, policy.ditinjau(user),
               LaporanPeriode.diajukan_oleh_id.is_distinct_from(user.id))
    ).all()
    return [Tugas(JenisTugas.VERIFIKASI, DokumenTugas(dokumen_id, satker, jenis, tahun), sejak, nama_bulan(periode),
                  jumlah=periode)
            for dokumen_id, satker, jenis, tahun, periode, sejak in rows]


def draf(session: Session, user: User) -> list[Tugas]:
    """Drafts ``user`` compiles (the kind's penyusun at that office); a returned one carries
    the reviewer's reason."""
    return _dokumen_kantor(session, user, date.today()).draf


_BARIS = (
    select(*_DOKUMEN, Dokumen.diubah_pada, RakBaris.pelaksana, func.count(RakBaris.id)).join(Revisi, _aktif())
    .join(RakBaris, RakBaris.revisi_id == Revisi.id)
    .where(Dokumen.status == Status.DRAFT, Dokumen.jenis.in_([j for j in JenisDokumen if j.bentuk is Bentuk.RAK]),
           Dokumen.satker_id.in_(_KANTOR))
    .group_by(Dokumen.id, RakBaris.pelaksana))


def baris(session: Session, user: User) -> list[Tugas]:
    """Draft RAKs with rows carried out by ``user``'s subbagian or divisi."""
    units = scoping.memberships_of(user, {Peran.SUBBAG, Peran.ANGGOTA})
    if not units:
        return []
    rows = baca(session, _BARIS, {"kantor": sorted({m.satker_id for m in units})})
    satker = _satker(user)
    jumlah: dict[int, tuple[DokumenTugas, datetime, int]] = {}
    for dokumen_id, satker_id, jenis, tahun, diubah, pelaksana, n in rows:
        if any(m.satker_id == satker_id and policy.pelaksana_milik(m, jenis) == pelaksana for m in units):
            lama = jumlah[dokumen_id][2] if dokumen_id in jumlah else 0
            jumlah[dokumen_id] = (DokumenTugas(dokumen_id, satker[satker_id], jenis, tahun), diubah, lama + n)
    return [Tugas(JenisTugas.BARIS, d, diubah, jumlah=n) for d, diubah, n in jumlah.values()]


def periode_lapor(hari_ini: date) -> tuple[int, int]:
    """The year and month whose realisation is due by ``hari_ini``: the last month that has
    ended (in January, December of the year before)."""
    if hari_ini.month == 1:
        return hari_ini.year - 1, 12
    return hari_ini.year, hari_ini.month - 1


_REALISASI = (
    select(*_DOKUMEN, Indikator.pelaksana, func.count(Indikator.id)).join(Revisi, _aktif())
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
    rows = baca(session, _REALISASI, {"kantor": list(kantor), "tahun": tahun, "bulan": bulan})
    satker = _satker(user)
    jumlah: dict[int, tuple[DokumenTugas, int]] = {}
    for dokumen_id, satker_id, jenis, tahun_dok, pelaksana, n in rows:
        dokumen = DokumenTugas(dokumen_id, satker[satker_id], jenis, tahun_dok)
        if _melapor(user, dokumen, pelaksana):
            jumlah[dokumen_id] = (dokumen, jumlah.get(dokumen_id, (dokumen, 0))[1] + n)
    periode = f"{nama_bulan(bulan)} {tahun}"
    return [Tugas(JenisTugas.REALISASI, d, None, periode, jumlah=n) for d, n in jumlah.values()]


def _melapor(user: User, dokumen: DokumenTugas, pelaksana: str | None) -> bool:
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


def buat(user: User, hari_ini: date, nilai: dict, ada: set[tuple[int, JenisDokumen, int]]) -> list[Tugas]:
    """Documents ``user`` compiles (the kind's penyusun at that office) that do not exist
    yet (not in ``ada``, read by ``_dokumen_kantor`` for ``_tahun_buat``) and are due within
    ``BUAT_DALAM_HARI`` days, or overdue."""
    kantor = _kantor(user, {j.penyusun for j in JenisDokumen})
    if not kantor:
        return []
    tahun = _tahun_buat(hari_ini)
    satker = _satker(user)
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
    return {d: t for d, t in baca(session, _DIPA, {"dokumen": dokumen_id})}


_DIPA = select(Revisi.dokumen_id, Revisi.dipa_tanggal).where(
    Revisi.dokumen_id.in_(bindparam("dokumen", expanding=True)), Revisi.nomor == 0)


_TINDAK_LANJUT = select(TindakLanjut.id, TindakLanjut.status, TindakLanjut.tahun, TindakLanjut.dibuat_pada,
                        TindakLanjut.catatan, TindakLanjut.tenggat, TindakLanjut.dilaporkan_pada,
                        Satker.id, Satker.kode, Satker.nama, Satker.path).join(Satker, Satker.id == TindakLanjut.satker_id)
_MILIK = and_(TindakLanjut.status == StatusTindakLanjut.TERBUKA, TindakLanjut.pemilik_id == bindparam("user"))
_TINDAK_LANJUT_MILIK = _TINDAK_LANJUT.where(_MILIK)  # no inspektorat membership: one's own only


def tindak_lanjut(session: Session, user: User, hari_ini: date) -> list[Tugas]:
    """Open follow-ups ``user`` owns, by due date; reported ones of the offices ``user``
    evaluates (an inspektorat membership above, the rule of ``workflow.evaluasi.policy``),
    waiting to be closed or returned."""
    if not scoping.memberships_of(user):
        return []
    inspektorat = scoping.memberships_of(user, {Peran.INSPEKTORAT})
    if inspektorat:
        di_bawah = [and_(Satker.path.startswith(m.satker.path, autoescape=True), Satker.id != m.satker_id)
                    for m in inspektorat]
        dilaporkan = and_(TindakLanjut.status == StatusTindakLanjut.DILAPORKAN, or_(*di_bawah))
        statement = _TINDAK_LANJUT.where(or_(_MILIK, dilaporkan))
    else:
        statement = _TINDAK_LANJUT_MILIK
    result = []
    for tl_id, status, tahun, dibuat, catatan, tenggat, dilaporkan_pada, *kantor in baca(
            session, statement, {"user": user.id}):
        satker = KantorTugas(*kantor)
        if status is StatusTindakLanjut.TERBUKA:
            result.append(Tugas(JenisTugas.TINDAK_LANJUT, None, dibuat, catatan, tenggat, tl_id, hari_ini, satker,
                                tahun=tahun))
        else:  # the owner's date: the evaluator is not late by it
            result.append(Tugas(JenisTugas.TUTUP_TINDAK_LANJUT, None, dilaporkan_pada, jumlah=tl_id, pada=hari_ini,
                                satker=satker, tahun=tahun))
    return result


def daftar(session: Session, user: User, hari_ini: date | None = None) -> list[Tugas]:
    """Everything that waits for ``user``, the earliest due (the overdue first) or longest
    waiting first; the calendar's reads cost the same three statements whatever the items."""
    hari_ini = hari_ini or date.today()
    milik = _dokumen_kantor(session, user, hari_ini, _tahun_buat(hari_ini))
    items = [*milik.tanda_tangan, *tinjau(session, user), *verifikasi(session, user), *milik.draf,
             *baris(session, user), *realisasi(session, user, hari_ini)]
    tindak = tindak_lanjut(session, user, hari_ini)  # no document: dated already, added last
    if not items and not _kantor(user, {j.penyusun for j in JenisDokumen}):
        return sorted(tindak, key=_urutan)
    tahun = {t.dokumen.tahun for t in items} | set(_tahun_buat(hari_ini)) | {periode_lapor(hari_ini)[0]}
    nilai = jadwal.semua_nilai(session, tahun)
    dipa = _dipa(session, [t.dokumen.id for t in items if t.dokumen.jenis.bentuk is Bentuk.PK])
    items = [replace(t, tenggat=_tenggat(t, nilai, dipa, hari_ini), pada=hari_ini) for t in items]
    return sorted([*items, *buat(user, hari_ini, nilai, milik.ada), *tindak], key=_urutan)


def _urutan(t: Tugas) -> tuple:
    tenggat = t.tenggat or date.max
    sejak = t.sejak.replace(tzinfo=None) if t.sejak else datetime.max
    return (tenggat, _PRIORITAS[t.jenis], sejak, t.dokumen.id if t.dokumen is not None else 0)


_PRIORITAS = {JenisTugas.DIKEMBALIKAN: 0, JenisTugas.TANDA_TANGAN: 1, JenisTugas.TINJAU: 2,
              JenisTugas.REALISASI: 3, JenisTugas.BARIS: 4, JenisTugas.DRAF: 5, JenisTugas.BUAT: 6,
              JenisTugas.VERIFIKASI: 2, JenisTugas.TINDAK_LANJUT: 3, JenisTugas.TUTUP_TINDAK_LANJUT: 2}
