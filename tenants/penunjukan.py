"""Acting officials: a person appointed Plh (temporary absence) or Plt (vacancy) of an
office's Ketua or Sekretaris, by letter, for a period (DOMAIN.md, "Acting officials").

The appointment is a role held for a while, so it sits with people and memberships; the
operation that writes it (checks, audit) is ``workflow.penunjukan.operations``. Here: the
table, the rules that need no database (``masalah``), and the reads every layer asks
(``aktif_untuk``: may this person act in that position today; ``berlaku``: who acts in it).
"""
from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, ColumnElement, Date, DateTime, ForeignKey, Select, String, and_, case, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.people import Peran, User
from tenants.satker import Satker, enum_column
from tenants.teks import N_, _

# The positions an acting official may hold: the two that sign an office's documents.
POSISI = (Peran.KETUA, Peran.SEKRETARIS)
# An office's day: appointments are dated by letters written in Indonesia (WIB, as the pages).
ZONA = ZoneInfo("Asia/Jakarta")


def hari_ini() -> date:
    return datetime.now(ZONA).date()


class JenisPenunjukan(enum.StrEnum):
    PLH = "plh"  # Pelaksana Harian: the holder is away for a while
    PLT = "plt"  # Pelaksana Tugas: the post is vacant

    @property
    def singkatan(self) -> str:
        """As it is written before the position: "Plh. Sekretaris"."""
        return {"plh": "Plh.", "plt": "Plt."}[self.value]

    @property
    def label(self) -> str:
        return _(_LABEL_JENIS[self.value])


_LABEL_JENIS = {"plh": N_("Pelaksana Harian (Plh.)"), "plt": N_("Pelaksana Tugas (Plt.)")}


class Penunjukan(db.Model):
    __tablename__ = "penunjukan"
    __table_args__ = (
        CheckConstraint("mulai <= sampai", name="periode_urut"),
        CheckConstraint("peran IN ('ketua', 'sekretaris')", name="posisi_ketua_sekretaris"),
        CheckConstraint("ditunjuk_oleh_id IS NULL OR ditunjuk_oleh_id <> user_id", name="bukan_diri_sendiri"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"), index=True)
    peran: Mapped[Peran] = mapped_column(enum_column(Peran, 16))
    jenis: Mapped[JenisPenunjukan] = mapped_column(enum_column(JenisPenunjukan, 8))
    mulai: Mapped[date] = mapped_column(Date)
    sampai: Mapped[date] = mapped_column(Date)  # inclusive: the last day the appointee acts
    nomor_surat: Mapped[str] = mapped_column(String(100))
    # Kept when the appointing account goes: the audit entry names it for ever.
    ditunjuk_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    dibuat: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    satker: Mapped[Satker] = relationship(lazy="joined")

    @property
    def jabatan(self) -> str:
        """As written under the signature: "Plh. Sekretaris KPU Kota Batu"."""
        return f"{self.jenis.singkatan} {self.peran.label} {self.satker.nama}"

    @property
    def sebutan(self) -> str:
        """The capacity without the office: "Plh. Sekretaris"."""
        return f"{self.jenis.singkatan} {self.peran.label}"

    def berlaku_pada(self, pada: date) -> bool:
        return self.mulai <= pada <= self.sampai

    def __str__(self) -> str:
        return f"{self.jabatan}: {self.user.full_name}"


def masalah(penunjuk: User | None, user: User, satker: Satker, peran: Peran, mulai: date, sampai: date) -> str | None:
    """The reason an appointment cannot be made, for the rules that need no other row."""
    if peran not in POSISI:
        return _("Plh atau Plt hanya dapat ditunjuk untuk jabatan Ketua atau Sekretaris.")
    if penunjuk is not None and penunjuk.id == user.id:
        return _("Anda tidak dapat menunjuk diri sendiri sebagai Plh atau Plt.")
    if mulai > sampai:
        return _("Tanggal mulai harus sebelum atau sama dengan tanggal selesai.")
    if not any(m.satker_id == satker.id for m in user.memberships):
        return _("%(nama)s bukan anggota %(satker)s: hanya anggota satker itu yang dapat ditunjuk.",
                 nama=user.full_name, satker=satker.nama)
    return None


def bertumpuk(satker_id: int, peran: Peran, mulai: date, sampai: date) -> Select[tuple[Penunjukan]]:
    """Appointments to the same position of the same office whose period meets this one."""
    return select(Penunjukan).where(
        Penunjukan.satker_id == satker_id, Penunjukan.peran == peran,
        Penunjukan.mulai <= sampai, Penunjukan.sampai >= mulai,
    ).order_by(Penunjukan.mulai)


def milik(session: Session, user: User, satker_id: int, peran: Peran) -> list[Penunjukan]:
    """The appointments ``user`` holds to this position of this office, any period."""
    return list(session.scalars(select(Penunjukan).where(
        Penunjukan.user_id == user.id, Penunjukan.satker_id == satker_id, Penunjukan.peran == peran,
    ).order_by(Penunjukan.mulai)))


def aktif_untuk(session: Session, user: User, satker_id: int, peran: Peran, pada: date) -> Penunjukan | None:
    """The appointment under which ``user`` acts as ``peran`` of the office on ``pada``."""
    return next((p for p in milik(session, user, satker_id, peran) if p.berlaku_pada(pada)), None)


def berlaku(session: Session, satker_id: int, peran: Peran, pada: date) -> Penunjukan | None:
    """Who acts as ``peran`` of the office on ``pada`` (at most one: overlaps are refused)."""
    return session.scalar(select(Penunjukan).where(
        Penunjukan.satker_id == satker_id, Penunjukan.peran == peran,
        and_(Penunjukan.mulai <= pada, Penunjukan.sampai >= pada)).limit(1))


def syarat_dipegang(user_id, pada) -> ColumnElement[bool]:
    """Appointments ``user_id`` acts under on ``pada`` (values or bound parameters): the one
    rule, for ``dipegang`` and for the to-do list's column read (workflow.tugas)."""
    return and_(Penunjukan.user_id == user_id, Penunjukan.mulai <= pada, Penunjukan.sampai >= pada)


def dipegang(session: Session, user_id: int, pada: date) -> list[Penunjukan]:
    """The positions ``user_id`` acts in on ``pada``, at any office (one statement)."""
    return list(session.scalars(select(Penunjukan).where(syarat_dipegang(user_id, pada))))


def daftar(satker_id: int, pada: date) -> Select[tuple[Penunjukan]]:
    """An office's appointments: those in force first, then the coming ones, then the past."""
    urutan = case((and_(Penunjukan.mulai <= pada, Penunjukan.sampai >= pada), 0),
                  (Penunjukan.mulai > pada, 1), else_=2)
    return select(Penunjukan).where(Penunjukan.satker_id == satker_id).order_by(
        urutan, Penunjukan.mulai.desc(), Penunjukan.id)


def kemarin(pada: date) -> date:
    return pada - timedelta(days=1)
