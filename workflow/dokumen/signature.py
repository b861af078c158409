"""Signatures: who signed which exact content, when, and in which capacity."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.people import User
from tenants.satker import enum_column
from workflow.dokumen.jenis import Kapasitas


class TandaTangan(db.Model):
    __tablename__ = "tanda_tangan"
    __table_args__ = (
        UniqueConstraint("revisi_id", "urutan"),
        CheckConstraint("urutan >= 1", name="urutan_positif"),
        CheckConstraint("length(hash_isi) = 64", name="hash_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revisi_id: Mapped[int] = mapped_column(ForeignKey("revisi.id", ondelete="RESTRICT"), index=True)
    urutan: Mapped[int] = mapped_column(Integer)
    kapasitas: Mapped[Kapasitas] = mapped_column(enum_column(Kapasitas, 16))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    membership_id: Mapped[int | None] = mapped_column(Integer)  # the role held then; kept if revoked later
    # Signed as an acting official (tenants.penunjukan): the appointment, kept if it is deleted later.
    penunjukan_id: Mapped[int | None] = mapped_column(Integer)
    nama: Mapped[str] = mapped_column(String(120))
    jabatan: Mapped[str] = mapped_column(String(200))
    hash_isi: Mapped[str] = mapped_column(String(64))
    waktu: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()
