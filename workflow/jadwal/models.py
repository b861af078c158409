"""The calendar's tables: a due date per year, office and item (``Jadwal``), and the
reminders sent to offices that have not submitted (``Pengingat``).

KPU RI's rows are the national calendar; a province's rows set earlier dates for its
kabupaten/kota (never later: ``workflow.jadwal.operations.atur``). An item is due either on
a date (``tanggal``: RKT, RAK, LKj, and the PK when KPU RI fixes one) or after a number of
days (``hari``: the day of the following month a period's realisation is due, the working
days a reviewer has); exactly one of the two, held by the database.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.satker import Satker, enum_column
from tenants.teks import N_, _
from workflow.dokumen.jenis import Bentuk


class Butir(enum.StrEnum):
    """One item of the calendar."""

    PK = "pk"
    RKT = "rkt"
    RAK = "rak"
    REALISASI_BULAN = "realisasi_bulan"
    REALISASI_TRIWULAN = "realisasi_triwulan"
    LKJ = "lkj"
    TINJAUAN = "tinjauan"

    @property
    def label(self) -> str:
        return _(_LABEL_BUTIR[self.value])

    @property
    def berhari(self) -> bool:
        """Due after a number of days (a day of the following month, working days), not on a date."""
        return self in _BERHARI

    @classmethod
    def dari_bentuk(cls, bentuk: Bentuk) -> Butir:
        return cls(bentuk.value)


_BERHARI = frozenset({Butir.REALISASI_BULAN, Butir.REALISASI_TRIWULAN, Butir.TINJAUAN})
_LABEL_BUTIR = {
    "pk": N_("Perjanjian Kinerja (PK)"),
    "rkt": N_("Rencana Kerja Tahunan (RKT)"),
    "rak": N_("Rencana Aksi Kinerja (RAK)"),
    "realisasi_bulan": N_("Realisasi bulanan: tanggal pada bulan berikutnya"),
    "realisasi_triwulan": N_("Realisasi triwulan: tanggal pada bulan setelah triwulan"),
    "lkj": N_("Laporan Kinerja (LKj)"),
    "tinjauan": N_("Tinjauan reviewer: hari kerja setelah ditandatangani"),
}


class Jadwal(db.Model):
    """One item's due date for one year, set by one office for the offices below it."""

    __tablename__ = "jadwal"
    __table_args__ = (
        UniqueConstraint("satker_id", "tahun", "butir"),
        CheckConstraint("(tanggal IS NULL) <> (hari IS NULL)", name="tanggal_atau_hari"),
        CheckConstraint("hari IS NULL OR hari BETWEEN 1 AND 28", name="hari_positif"),
        CheckConstraint("tahun BETWEEN 2000 AND 2100", name="tahun_wajar"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    butir: Mapped[Butir] = mapped_column(enum_column(Butir, 20))
    tanggal: Mapped[date | None] = mapped_column(Date)
    hari: Mapped[int | None] = mapped_column(Integer)
    diubah_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    diubah_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    satker: Mapped[Satker] = relationship()

    @property
    def nilai(self) -> date | int:
        return self.hari if self.butir.berhari else self.tanggal


class Pengingat(db.Model):
    """A reminder an office sent one of its children about a kind of document of a year."""

    __tablename__ = "pengingat"
    __table_args__ = (Index("ix_pengingat_satker_tahun_jenis", "satker_id", "tahun", "jenis"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"))  # reminded
    tahun: Mapped[int] = mapped_column(Integer)
    jenis: Mapped[str] = mapped_column(String(20))
    oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    oleh_satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"))  # reminding
    pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
