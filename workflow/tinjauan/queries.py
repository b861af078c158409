"""Reads of the reviewer's work: the inbox with its filters, the revision each waiting
document is best compared with, and the filters the office lists share."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from tenants.people import User
from tenants.satker import Satker
from workflow.dokumen import policy
from workflow.dokumen.models import Dokumen, HasilTinjauan, JenisDokumen, Revisi, Status

MENUNGGU = (Status.SUBMITTED, Status.SIGNED)
TAHUN_MIN, TAHUN_MAX = 2000, 2100

# Lateness is the calendar's to decide (issue 16 point 1): its package sets here a WHERE
# clause on Dokumen, "past its due date and not yet where it should be", as the LKj plugs
# its freeze into the document. Until one is set, the filter is not offered.
SARINGAN_TERLAMBAT: Callable[[], ColumnElement[bool]] | None = None


@dataclass(frozen=True)
class Saringan:
    """What a list is narrowed to (the GET parameters ``jenis``, ``status``, ``tahun``,
    ``terlambat``). A value that is not one of the choices is ignored, never an error: a
    filter in an address someone edited by hand shows the whole list."""

    jenis: JenisDokumen | None = None
    status: Status | None = None
    tahun: int | None = None
    terlambat: bool = False

    @classmethod
    def dari(cls, args: Mapping[str, str], statuses=tuple(Status)) -> Saringan:
        jenis = next((j for j in JenisDokumen if j.value == args.get("jenis")), None)
        status = next((s for s in statuses if s.value == args.get("status")), None)
        tahun = (args.get("tahun") or "").strip()
        tahun = int(tahun) if tahun.isascii() and tahun.isdigit() and TAHUN_MIN <= int(tahun) <= TAHUN_MAX else None
        terlambat = args.get("terlambat") == "1" and SARINGAN_TERLAMBAT is not None
        return cls(jenis, status, tahun, terlambat)

    @property
    def aktif(self) -> bool:
        return any((self.jenis, self.status, self.tahun, self.terlambat))

    def where(self) -> list[ColumnElement[bool]]:
        clauses = []
        if self.jenis is not None:
            clauses.append(Dokumen.jenis == self.jenis)
        if self.status is not None:
            clauses.append(Dokumen.status == self.status)
        if self.tahun is not None:
            clauses.append(Dokumen.tahun == self.tahun)
        if self.terlambat and SARINGAN_TERLAMBAT is not None:
            clauses.append(SARINGAN_TERLAMBAT())
        return clauses

    def cocok(self, dokumen: Dokumen) -> bool:
        """The same test on a loaded document (the office list holds at most one per kind)."""
        return ((self.jenis is None or dokumen.jenis is self.jenis)
                and (self.status is None or dokumen.status is self.status)
                and (self.tahun is None or dokumen.tahun == self.tahun))

    def args(self) -> dict[str, str]:
        """The parameters that keep the filter in a link (paging, the compare page)."""
        values = {"jenis": self.jenis.value if self.jenis else None, "status": self.status.value if self.status else None,
                  "tahun": str(self.tahun) if self.tahun else None, "terlambat": "1" if self.terlambat else None}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class Banding:
    """The revision a waiting document is compared with: the last one approved, or else the
    one before it (``disetujui`` False: the page says so)."""

    dari: int
    ke: int
    disetujui: bool


@dataclass(frozen=True)
class Menunggu:
    dokumen: Dokumen
    revisi: Revisi
    umur: int                  # days since it was submitted
    banding: Banding | None    # None for a first revision: nothing to compare with


def kotak_tinjauan(session: Session, user: User, saringan: Saringan = Saringan(),
                   hari_ini: date | None = None) -> list[Menunggu]:
    """Documents of the offices ``user`` reviews that wait for a review, oldest first. Two
    statements whatever their number: the documents, then their last approved revisions."""
    rows = session.execute(
        select(Dokumen, Revisi)
        .join(Revisi, (Revisi.dokumen_id == Dokumen.id) & (Revisi.nomor == Dokumen.nomor_revisi))
        .where(policy.ditinjau(user), Dokumen.status.in_(MENUNGGU), *saringan.where())
        .order_by(Revisi.diajukan_pada, Dokumen.id)
    ).all()
    disetujui = terakhir_disetujui(session, [d.id for d, _r in rows])
    today = hari_ini or date.today()
    return [Menunggu(d, r, (today - r.diajukan_pada.date()).days, banding(d, disetujui.get(d.id))) for d, r in rows]


def terakhir_disetujui(session: Session, dokumen_ids: list[int]) -> dict[int, int]:
    """{document id: number of its last approved revision}, for those that have one."""
    if not dokumen_ids:
        return {}
    return dict(session.execute(
        select(Revisi.dokumen_id, func.max(Revisi.nomor))
        .where(Revisi.dokumen_id.in_(dokumen_ids), Revisi.hasil_tinjauan == HasilTinjauan.DISETUJUI)
        .group_by(Revisi.dokumen_id)
    ).all())


def banding(dokumen: Dokumen, disetujui: int | None) -> Banding | None:
    ke = dokumen.nomor_revisi
    if disetujui is not None and disetujui < ke:
        return Banding(disetujui, ke, True)
    return Banding(ke - 1, ke, False) if ke > 0 else None


def dokumen_satker_bawah(session: Session, user: User, induk_id: int, saringan: Saringan) -> dict[int, list[Dokumen]]:
    """{office id: its documents that pass ``saringan``} for the offices right below
    ``induk_id`` that ``user`` may see, newest year first. One statement."""
    hasil: dict[int, list[Dokumen]] = {}
    for dokumen in session.scalars(
            select(Dokumen).join(Satker, Satker.id == Dokumen.satker_id)
            .where(Satker.parent_id == induk_id, policy.terlihat(user), *saringan.where())
            .order_by(Dokumen.tahun.desc(), Dokumen.jenis)):
        hasil.setdefault(dokumen.satker_id, []).append(dokumen)
    return hasil
