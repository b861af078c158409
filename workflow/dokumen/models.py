"""A planning document (one per office, year and kind) and its numbered revisions.

The document carries the workflow status; each revision carries one version of the
content. A revision is locked from the moment it is submitted and stays as it was
submitted, signed and reviewed; a return or a revise opens the next revision.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text,
                        UniqueConstraint, false, select)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.people import User
from tenants.satker import Satker, enum_column
from tenants.teks import N_, _
from workflow.dokumen.jenis import Bentuk, JenisDokumen, Sisi  # noqa: F401 - read from here too
from workflow.schedule import BentukJadwal



class Status(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SIGNED = "signed"
    REVIEWED = "reviewed"

    @property
    def label(self) -> str:
        return _(_STATUS_LABEL[self.value])


_STATUS_LABEL = {"draft": N_("Draf"), "submitted": N_("Diajukan"), "signed": N_("Ditandatangani"),
                 "reviewed": N_("Disetujui")}


class AlasanRevisi(enum.StrEnum):
    AWAL = "awal"                                # Revisi ke-0
    PENGEMBALIAN = "pengembalian"                # opened by a reviewer's return
    PERGANTIAN_PEJABAT = "pergantian_pejabat"
    PERUBAHAN_ANGGARAN = "perubahan_anggaran"
    PERUBAHAN_PRIORITAS = "perubahan_prioritas"
    LAINNYA = "lainnya"

    @property
    def label(self) -> str:
        return _(_ALASAN_LABEL[self.value])


_ALASAN_LABEL = {
    "awal": N_("Dokumen awal"),
    "pengembalian": N_("Dikembalikan untuk perbaikan"),
    "pergantian_pejabat": N_("Pergantian pejabat"),
    "perubahan_anggaran": N_("Perubahan program/kegiatan/alokasi anggaran"),
    "perubahan_prioritas": N_("Perubahan prioritas atau asumsi"),
    "lainnya": N_("Lainnya"),
}


# The official reasons a planner may pick when revising an approved document.
ALASAN_RESMI = (AlasanRevisi.PERGANTIAN_PEJABAT, AlasanRevisi.PERUBAHAN_ANGGARAN,
                AlasanRevisi.PERUBAHAN_PRIORITAS, AlasanRevisi.LAINNYA)


class HasilTinjauan(enum.StrEnum):
    DISETUJUI = "disetujui"
    DIKEMBALIKAN = "dikembalikan"

    @property
    def label(self) -> str:
        return _(_HASIL_LABEL[self.value])


_HASIL_LABEL = {"disetujui": N_("Disetujui"), "dikembalikan": N_("Dikembalikan")}


class Dokumen(db.Model):
    __tablename__ = "dokumen"
    __table_args__ = (
        UniqueConstraint("satker_id", "tahun", "jenis"),
        CheckConstraint("tahun BETWEEN 2000 AND 2100", name="tahun_wajar"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    # The kinds the database knows are rows of jenis_dokumen (workflow.dokumen.jenis), not a CHECK.
    jenis: Mapped[JenisDokumen] = mapped_column(enum_column(JenisDokumen, 20, constraint=False),
                                                ForeignKey("jenis_dokumen.kode", ondelete="RESTRICT"))
    # Written only by workflow.dokumen.flow.DocumentFlow (see workflow.dokumen.operations).
    status: Mapped[Status] = mapped_column(enum_column(Status, 12), default=Status.DRAFT)
    nomor_revisi: Mapped[int] = mapped_column(Integer, default=0)
    # Compare-and-set on every change: two saves or transitions of the same version
    # cannot both succeed (the second sees zero rows updated).
    versi: Mapped[int] = mapped_column(Integer, default=1)
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    diubah_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    satker: Mapped[Satker] = relationship(lazy="joined")
    revisi: Mapped[list[Revisi]] = relationship(
        back_populates="dokumen", order_by="Revisi.nomor", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": versi}

    @property
    def judul(self) -> str:
        return f"{self.jenis.judul} {self.satker.nama} Tahun {self.tahun}"

    def revisi_ke(self, nomor: int) -> Revisi | None:
        return next((r for r in self.revisi if r.nomor == nomor), None)

    @property
    def revisi_aktif(self) -> Revisi:
        return db.session.scalars(
            select(Revisi).where(Revisi.dokumen_id == self.id, Revisi.nomor == self.nomor_revisi)
        ).one()

    def __str__(self) -> str:
        return f"{self.jenis.label} {self.satker.nama} {self.tahun}"


class Revisi(db.Model):
    """One numbered version of a document's content, with why and by whom it was opened."""

    __tablename__ = "revisi"
    __table_args__ = (
        UniqueConstraint("dokumen_id", "nomor"),
        CheckConstraint("nomor >= 0", name="nomor_positif"),
        CheckConstraint("(nomor = 0) = (alasan_jenis = 'awal')", name="awal_hanya_ke_nol"),
        CheckConstraint("alasan_jenis NOT IN ('pengembalian', 'lainnya') OR alasan IS NOT NULL", name="alasan_tertulis"),
        CheckConstraint("pagu IS NULL OR pagu >= 0", name="pagu_positif"),
        # Locked iff submitted: a locked revision always names its hash, submitter and code.
        CheckConstraint(
            "(terkunci AND hash_isi IS NOT NULL AND diajukan_oleh_id IS NOT NULL AND diajukan_pada IS NOT NULL"
            " AND kode_verifikasi IS NOT NULL)"
            " OR (NOT terkunci AND hash_isi IS NULL AND diajukan_oleh_id IS NULL AND kode_verifikasi IS NULL)",
            name="terkunci_saat_diajukan",
        ),
        # A review names its reviewer, and a return says why.
        CheckConstraint(
            "hasil_tinjauan IS NULL OR (terkunci AND ditinjau_oleh_id IS NOT NULL AND ditinjau_pada IS NOT NULL)",
            name="tinjauan_bernama",
        ),
        CheckConstraint("hasil_tinjauan <> 'dikembalikan' OR catatan_tinjauan IS NOT NULL", name="pengembalian_beralasan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dokumen_id: Mapped[int] = mapped_column(ForeignKey("dokumen.id", ondelete="CASCADE"), index=True)
    nomor: Mapped[int] = mapped_column(Integer)
    alasan_jenis: Mapped[AlasanRevisi] = mapped_column(enum_column(AlasanRevisi, 24))
    alasan: Mapped[str | None] = mapped_column(Text)
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # Header content: part of what is signed.
    tempat: Mapped[str | None] = mapped_column(String(80))
    tanggal: Mapped[date | None] = mapped_column(Date)
    dipa_nomor: Mapped[str | None] = mapped_column(String(80))
    dipa_tanggal: Mapped[date | None] = mapped_column(Date)
    pagu: Mapped[int | None] = mapped_column(BigInteger)
    bentuk_jadwal: Mapped[BentukJadwal | None] = mapped_column(enum_column(BentukJadwal, 10))

    terkunci: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    hash_isi: Mapped[str | None] = mapped_column(String(64))
    kode_verifikasi: Mapped[str | None] = mapped_column(String(12), unique=True)
    diajukan_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    diajukan_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    hasil_tinjauan: Mapped[HasilTinjauan | None] = mapped_column(enum_column(HasilTinjauan, 12))
    catatan_tinjauan: Mapped[str | None] = mapped_column(Text)
    ditinjau_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    ditinjau_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    dokumen: Mapped[Dokumen] = relationship(back_populates="revisi")
    dibuat_oleh: Mapped[User | None] = relationship(foreign_keys=[dibuat_oleh_id])
    diajukan_oleh: Mapped[User | None] = relationship(foreign_keys=[diajukan_oleh_id])
    ditinjau_oleh: Mapped[User | None] = relationship(foreign_keys=[ditinjau_oleh_id])

    program: Mapped[list["ProgramAnggaran"]] = relationship(
        order_by="ProgramAnggaran.urutan", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin")
    sasaran: Mapped[list["Sasaran"]] = relationship(
        order_by="Sasaran.urutan", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin")
    baris: Mapped[list["RakBaris"]] = relationship(
        order_by="RakBaris.urutan", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin")
    lkj: Mapped["IsiLkj | None"] = relationship(  # noqa: F821 - workflow.dokumen.content
        uselist=False, cascade="all, delete-orphan", passive_deletes=True, lazy="selectin")
    tanda_tangan: Mapped[list["TandaTangan"]] = relationship(
        order_by="TandaTangan.urutan", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin")

    @property
    def label(self) -> str:
        return _("Revisi ke-%(n)s", n=self.nomor)

    @property
    def total_biaya(self) -> int:
        return sum(b.biaya or 0 for b in self.baris)

    @property
    def total_program(self) -> int:
        return sum(p.anggaran or 0 for p in self.program)

    @property
    def selisih_pagu(self) -> int | None:
        """Pagu minus the program budgets; None when there is nothing to compare."""
        if self.pagu is None or not self.program:
            return None
        return self.pagu - self.total_program

    def __str__(self) -> str:
        return self.label


# Columns of Revisi that are content: they are hashed and frozen from submit on.
HEADER_FIELDS = ("tempat", "tanggal", "dipa_nomor", "dipa_tanggal", "pagu", "bentuk_jadwal")
