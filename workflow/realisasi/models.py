"""What offices achieved through the year: per indikator per month, and money spent per
RAK row per month.

Realisations are not part of the signed plan: they attach to an indikator (a RAK row)
by its kunci, which survives revisions, so a plan revised mid-year keeps its history.
A quarterly office enters at the quarter's last month (3, 6, 9, 12).
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tenants.db import db
from tenants.db import utcnow


class Realisasi(db.Model):
    __tablename__ = "realisasi"
    __table_args__ = (
        UniqueConstraint("dokumen_id", "indikator_kunci", "bulan"),
        CheckConstraint("bulan BETWEEN 1 AND 12", name="bulan_wajar"),
        # A number, or a grade/opinion code, or nothing yet: never both.
        CheckConstraint("nilai IS NULL OR kode IS NULL", name="nilai_atau_kode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dokumen_id: Mapped[int] = mapped_column(ForeignKey("dokumen.id", ondelete="CASCADE"), index=True)
    indikator_kunci: Mapped[str] = mapped_column(String(16))
    bulan: Mapped[int] = mapped_column(Integer)
    nilai: Mapped[Decimal | None] = mapped_column(Numeric(20, 4, asdecimal=True))
    kode: Mapped[str | None] = mapped_column(String(3))
    bukti: Mapped[str | None] = mapped_column(Text)  # evidence: a note or a link
    diisi_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    diisi_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RealisasiAnggaran(db.Model):
    """Money spent on one RAK row in one month (whole rupiah)."""

    __tablename__ = "realisasi_anggaran"
    __table_args__ = (
        UniqueConstraint("dokumen_id", "baris_kunci", "bulan"),
        CheckConstraint("bulan BETWEEN 1 AND 12", name="bulan_wajar"),
        CheckConstraint("jumlah >= 0", name="jumlah_positif"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dokumen_id: Mapped[int] = mapped_column(ForeignKey("dokumen.id", ondelete="CASCADE"), index=True)
    baris_kunci: Mapped[str] = mapped_column(String(16))
    bulan: Mapped[int] = mapped_column(Integer)
    jumlah: Mapped[int] = mapped_column(BigInteger)
    diisi_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    diisi_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
