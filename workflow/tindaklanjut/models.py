"""A follow-up (``TindakLanjut``) of one recommendation of a final evaluation, and its
reports (``LaporanTindakLanjut``): the owner's progress note with its evidence links, and
the evaluator's decision on it (closed, or returned with a reason), numbered from 1.

The database refuses a status its fields contradict (the checks below): a reported or a
closed follow-up names its last report, a closed one who closed it; an open one neither.
"""
from __future__ import annotations

import enum
import json
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.people import User
from tenants.satker import Satker, enum_column
from tenants.teks import N_, _
from workflow.evaluasi.models import Evaluasi, Temuan


class StatusTindakLanjut(enum.StrEnum):
    TERBUKA = "terbuka"        # the owner works on it (again, after a return)
    DILAPORKAN = "dilaporkan"  # progress reported: the evaluator closes it or returns it
    SELESAI = "selesai"        # closed by the evaluator

    @property
    def label(self) -> str:
        return _(_LABEL[self.value])


_LABEL = {"terbuka": N_("Terbuka"), "dilaporkan": N_("Dilaporkan, menunggu evaluator"), "selesai": N_("Selesai")}


class TindakLanjut(db.Model):
    __tablename__ = "tindak_lanjut"
    __table_args__ = (
        UniqueConstraint("temuan_id"),
        UniqueConstraint("evaluasi_id", "nomor"),
        CheckConstraint("status = 'terbuka' OR (dilaporkan_oleh_id IS NOT NULL AND dilaporkan_pada IS NOT NULL "
                        "AND jumlah_laporan >= 1)", name="dilaporkan_bernama"),
        CheckConstraint("status <> 'terbuka' OR (dilaporkan_oleh_id IS NULL AND dilaporkan_pada IS NULL)",
                        name="terbuka_belum_dilaporkan"),
        CheckConstraint("(status = 'selesai') = (ditutup_oleh_id IS NOT NULL AND ditutup_pada IS NOT NULL)",
                        name="selesai_bernama"),
        CheckConstraint("jumlah_laporan >= 0", name="jumlah_wajar"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluasi_id: Mapped[int] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"), index=True)
    temuan_id: Mapped[int] = mapped_column(ForeignKey("evaluasi_temuan.id", ondelete="CASCADE"))
    # The office and year of the evaluation, kept on the row: the lists, the to-do list and
    # row-level security read them without the evaluation.
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    nomor: Mapped[int] = mapped_column(Integer)  # the finding's number in the LHE
    pemilik_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    tenggat: Mapped[date] = mapped_column(Date)
    # Written only by workflow.tindaklanjut.flow.AlurTindakLanjut.
    status: Mapped[StatusTindakLanjut] = mapped_column(enum_column(StatusTindakLanjut, 12),
                                                       default=StatusTindakLanjut.TERBUKA)
    jumlah_laporan: Mapped[int] = mapped_column(Integer, default=0)
    dilaporkan_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    dilaporkan_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ditutup_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    ditutup_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    catatan: Mapped[str | None] = mapped_column(Text)  # the evaluator's reason for the last return
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    versi: Mapped[int] = mapped_column(Integer, default=1)

    evaluasi: Mapped[Evaluasi] = relationship()
    temuan: Mapped[Temuan] = relationship()
    satker: Mapped[Satker] = relationship()
    pemilik: Mapped[User | None] = relationship(foreign_keys=[pemilik_id])
    laporan: Mapped[list[LaporanTindakLanjut]] = relationship(
        order_by="LaporanTindakLanjut.nomor", cascade="all, delete-orphan", passive_deletes=True,
        back_populates="tindak_lanjut")

    __mapper_args__ = {"version_id_col": versi}

    def terlambat(self, hari_ini: date) -> bool:
        """Past its due date and not closed."""
        return self.status is not StatusTindakLanjut.SELESAI and hari_ini > self.tenggat


class KeputusanLaporan(enum.StrEnum):
    SELESAI = "selesai"
    DIKEMBALIKAN = "dikembalikan"


class LaporanTindakLanjut(db.Model):
    """One report of progress: the note, the evidence links, and what the evaluator decided."""

    __tablename__ = "tindak_lanjut_laporan"
    __table_args__ = (
        UniqueConstraint("tindak_lanjut_id", "nomor"),
        CheckConstraint("nomor >= 1", name="nomor_wajar"),
        CheckConstraint("length(trim(uraian)) > 0", name="uraian_terisi"),
        CheckConstraint("keputusan IS NULL OR keputusan IN ('selesai', 'dikembalikan')", name="keputusan_dikenal"),
        CheckConstraint("keputusan IS NULL OR (diputus_oleh_id IS NOT NULL AND diputus_pada IS NOT NULL)",
                        name="keputusan_bernama"),
        CheckConstraint("keputusan IS NULL OR keputusan <> 'dikembalikan' OR alasan IS NOT NULL",
                        name="pengembalian_beralasan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tindak_lanjut_id: Mapped[int] = mapped_column(ForeignKey("tindak_lanjut.id", ondelete="CASCADE"), index=True)
    nomor: Mapped[int] = mapped_column(Integer)
    uraian: Mapped[str] = mapped_column(Text)
    tautan: Mapped[str | None] = mapped_column(Text)  # JSON: [{"bukti": id} | {"kode": "K7QM-4XPA"}]
    dilaporkan_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    dilaporkan_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    keputusan: Mapped[str | None] = mapped_column(String(12))
    alasan: Mapped[str | None] = mapped_column(Text)
    diputus_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    diputus_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tindak_lanjut: Mapped[TindakLanjut] = relationship(back_populates="laporan")
    dilaporkan_oleh: Mapped[User | None] = relationship(foreign_keys=[dilaporkan_oleh_id])
    diputus_oleh: Mapped[User | None] = relationship(foreign_keys=[diputus_oleh_id])

    @property
    def tautan_list(self) -> list[dict]:
        return json.loads(self.tautan) if self.tautan else []
