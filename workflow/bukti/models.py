"""The evidence's tables: one row per file (``Bukti``: what it is attached to, its name,
type, size and SHA-256, who added it, whether it was withdrawn), and the database backend's
chunks (``BuktiPotongan``: the bytes, 1 MB a row, keyed by the file's ``lokasi``).

A file row is never edited but to mark it withdrawn: its bytes are removed then, its
record stays (the audit trail names it by its hash).
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.people import User
from workflow.dokumen.models import Dokumen


class Sasaran(enum.StrEnum):
    """What a file is attached to."""

    INDIKATOR = "indikator"  # a period's realisation of an indikator of a PK
    BARIS = "baris"          # a period's money spent on a RAK row
    DOKUMEN = "dokumen"      # the document itself (any status)


class Bukti(db.Model):
    __tablename__ = "bukti"
    __table_args__ = (
        CheckConstraint("sasaran IN ('indikator', 'baris', 'dokumen')", name="sasaran_dikenal"),
        # A period's file names its row and period; a document's names neither.
        CheckConstraint("(sasaran = 'dokumen' AND kunci IS NULL AND periode IS NULL) OR "
                        "(sasaran <> 'dokumen' AND kunci IS NOT NULL AND periode BETWEEN 1 AND 12)",
                        name="sasaran_lengkap"),
        CheckConstraint("ukuran >= 0", name="ukuran_wajar"),
        Index("ix_bukti_dokumen_sel", "dokumen_id", "sasaran", "kunci", "periode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dokumen_id: Mapped[int] = mapped_column(ForeignKey("dokumen.id", ondelete="CASCADE"))
    sasaran: Mapped[str] = mapped_column(String(16))
    kunci: Mapped[str | None] = mapped_column(String(16))
    periode: Mapped[int | None] = mapped_column(Integer)
    revisi_nomor: Mapped[int] = mapped_column(Integer)  # the document's revision when it was added
    nama: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(120))
    ukuran: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    penyimpanan: Mapped[str] = mapped_column(String(16))  # the backend that holds the bytes
    lokasi: Mapped[str] = mapped_column(String(64), unique=True)  # the key in that backend
    diunggah_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    diunggah_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ditarik_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    ditarik_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    dokumen: Mapped[Dokumen] = relationship()
    diunggah_oleh: Mapped[User | None] = relationship(foreign_keys=[diunggah_oleh_id])
    ditarik_oleh: Mapped[User | None] = relationship(foreign_keys=[ditarik_oleh_id])

    @property
    def ditarik(self) -> bool:
        return self.ditarik_pada is not None


class BuktiPotongan(db.Model):
    """One chunk of a file kept in the database (``penyimpanan.Basisdata``)."""

    __tablename__ = "bukti_potongan"

    lokasi: Mapped[str] = mapped_column(String(64), primary_key=True)
    urutan: Mapped[int] = mapped_column(Integer, primary_key=True)
    isi: Mapped[bytes] = mapped_column(LargeBinary)
