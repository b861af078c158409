"""A period's report: one per signed PK and period, with its numbered revisions and the
analysis of each indikator (kendala, upaya, rencana tindak lanjut).

``periode`` is the month the period's realisation is stored at (workflow.realisasi: a
quarterly office's TW I is 3, a monthly office's March is 3). The report's current state
lives on ``LaporanPeriode``; the database refuses a state its fields contradict.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.people import User
from tenants.satker import enum_column
from tenants.teks import N_, _


class StatusLaporan(enum.StrEnum):
    DRAFT = "draft"
    DIAJUKAN = "diajukan"
    DIKEMBALIKAN = "dikembalikan"
    TERVERIFIKASI = "terverifikasi"

    @property
    def label(self) -> str:
        return _(_LABEL_STATUS[self.value])


_LABEL_STATUS = {"draft": N_("Belum dilaporkan"), "diajukan": N_("Diajukan"), "dikembalikan": N_("Dikembalikan"),
                 "terverifikasi": N_("Diverifikasi")}


class LaporanPeriode(db.Model):
    __tablename__ = "laporan_periode"
    __table_args__ = (
        UniqueConstraint("dokumen_id", "periode"),
        CheckConstraint("periode BETWEEN 1 AND 12", name="periode_wajar"),
        CheckConstraint("nomor_revisi >= 0", name="nomor_positif"),
        # Submitted and verified name who submitted; verified names who verified, never the
        # one who submitted; a return says why.
        CheckConstraint("status NOT IN ('diajukan', 'terverifikasi', 'dikembalikan')"
                        " OR (diajukan_oleh_id IS NOT NULL AND diajukan_pada IS NOT NULL)", name="diajukan_bernama"),
        CheckConstraint("status <> 'terverifikasi' OR (diverifikasi_oleh_id IS NOT NULL AND diverifikasi_pada IS NOT NULL)",
                        name="verifikasi_bernama"),
        CheckConstraint("diverifikasi_oleh_id IS NULL OR diverifikasi_oleh_id <> diajukan_oleh_id",
                        name="bukan_verifikasi_sendiri"),
        CheckConstraint("status <> 'dikembalikan' OR catatan IS NOT NULL", name="pengembalian_beralasan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dokumen_id: Mapped[int] = mapped_column(ForeignKey("dokumen.id", ondelete="CASCADE"), index=True)
    periode: Mapped[int] = mapped_column(Integer)
    # Written only by workflow.pelaporan.flow.AlurLaporan.
    status: Mapped[StatusLaporan] = mapped_column(enum_column(StatusLaporan, 16), default=StatusLaporan.DRAFT)
    nomor_revisi: Mapped[int] = mapped_column(Integer, default=0)
    versi: Mapped[int] = mapped_column(Integer, default=1)
    diajukan_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    diajukan_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    diverifikasi_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    diverifikasi_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    catatan: Mapped[str | None] = mapped_column(Text)  # the reviewer's reason for a return
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    diajukan_oleh: Mapped[User | None] = relationship(foreign_keys=[diajukan_oleh_id])
    diverifikasi_oleh: Mapped[User | None] = relationship(foreign_keys=[diverifikasi_oleh_id])
    revisi: Mapped[list[RevisiLaporan]] = relationship(
        order_by="RevisiLaporan.nomor", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin")

    __mapper_args__ = {"version_id_col": versi}

    @property
    def terkunci(self) -> bool:
        return self.status is StatusLaporan.TERVERIFIKASI

    @property
    def bisa_diisi(self) -> bool:
        """Whether the analysis may be written now (before submit, or after a return)."""
        return self.status in (StatusLaporan.DRAFT, StatusLaporan.DIKEMBALIKAN)


class RevisiLaporan(db.Model):
    """A numbered version of a report: 0 is the first; each correction after verification
    opens the next with its reason. Kept, with who verified it."""

    __tablename__ = "laporan_periode_revisi"
    __table_args__ = (
        UniqueConstraint("laporan_id", "nomor"),
        CheckConstraint("(nomor = 0) = (alasan IS NULL)", name="koreksi_beralasan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    laporan_id: Mapped[int] = mapped_column(ForeignKey("laporan_periode.id", ondelete="CASCADE"), index=True)
    nomor: Mapped[int] = mapped_column(Integer)
    alasan: Mapped[str | None] = mapped_column(Text)
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    diverifikasi_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    diverifikasi_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AnalisisIndikator(db.Model):
    """Why an indikator stands where it does in a period, and what is done about it."""

    __tablename__ = "laporan_periode_analisis"
    __table_args__ = (UniqueConstraint("laporan_id", "nomor_revisi", "indikator_kunci"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    laporan_id: Mapped[int] = mapped_column(ForeignKey("laporan_periode.id", ondelete="CASCADE"), index=True)
    nomor_revisi: Mapped[int] = mapped_column(Integer)
    indikator_kunci: Mapped[str] = mapped_column(String(16))
    kendala: Mapped[str | None] = mapped_column(Text)
    upaya: Mapped[str | None] = mapped_column(Text)
    rencana: Mapped[str | None] = mapped_column(Text)

    @property
    def lengkap(self) -> bool:
        return all((v or "").strip() for v in (self.kendala, self.upaya, self.rencana))
