"""What a revision holds: program budgets, sasaran with indikator (PK, RKT), RAK rows.

Every content row carries ``revisi_id`` directly (also the nested ones), so the lock
check in the model layer and the database triggers need one lookup, and ``kunci``: a
key that survives copying into the next revision, so two revisions can be compared
row by row.
"""
from __future__ import annotations

import secrets
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, ForeignKeyConstraint, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db
from tenants.satker import enum_column
from workflow import schedule
from workflow.target import KODE_TARGET, JenisTarget, Polaritas, tulis_target


def new_kunci() -> str:
    return secrets.token_hex(6)


def _target_checks() -> tuple[CheckConstraint, ...]:
    codes = ", ".join(f"'{k}'" for k in KODE_TARGET)
    return (
        CheckConstraint(f"target_kode IS NULL OR target_kode IN ({codes})", name="kode_dikenal"),
        CheckConstraint(
            "(jenis_target IN ('predikat', 'opini') AND target_nilai IS NULL)"
            " OR (jenis_target IN ('angka', 'persen') AND target_kode IS NULL)",
            name="target_sesuai_jenis",
        ),
    )


class TargetMixin:
    """A target: a number with its unit, a percentage, a grade or an audit opinion."""

    jenis_target: Mapped[JenisTarget] = mapped_column(enum_column(JenisTarget, 10), default=JenisTarget.PERSEN)
    target_nilai: Mapped[Decimal | None] = mapped_column(Numeric(20, 4, asdecimal=True))
    target_kode: Mapped[str | None] = mapped_column(String(3))
    satuan: Mapped[str | None] = mapped_column(String(40))
    polaritas: Mapped[Polaritas] = mapped_column(enum_column(Polaritas, 8), default=Polaritas.NAIK)
    # Targets to date per quarter or month (JSON list) and why the last one is not the annual
    # target: workflow.dokumen.target_periode.
    target_periode: Mapped[str | None] = mapped_column(Text)
    alasan_target_periode: Mapped[str | None] = mapped_column(Text)

    @property
    def target(self) -> str:
        """The target as the office writes it: 97,5%, 2 Laporan, BB, WTP."""
        return tulis_target(self.jenis_target, self.target_nilai, self.target_kode, self.satuan)

    def target_lengkap(self) -> bool:
        if self.jenis_target in (JenisTarget.PREDIKAT, JenisTarget.OPINI):
            return self.target_kode is not None
        return self.target_nilai is not None

    def satuan_lengkap(self) -> bool:
        return self.jenis_target is not JenisTarget.ANGKA or bool(self.satuan)


class ProgramAnggaran(db.Model):
    """A program's budget as stated in the document (076.01.CQ, 076.01.WA)."""

    __tablename__ = "program_anggaran"
    __table_args__ = (CheckConstraint("anggaran >= 0", name="anggaran_positif"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revisi_id: Mapped[int] = mapped_column(ForeignKey("revisi.id", ondelete="CASCADE"), index=True)
    urutan: Mapped[int] = mapped_column(Integer)
    kode: Mapped[str] = mapped_column(String(20))
    nama: Mapped[str] = mapped_column(String(255))
    anggaran: Mapped[int] = mapped_column(BigInteger)


class Sasaran(db.Model):
    """A sasaran strategis of a PK or RKT, optionally under a tujuan heading."""

    __tablename__ = "sasaran"
    __table_args__ = (UniqueConstraint("revisi_id", "kunci"), UniqueConstraint("id", "revisi_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    revisi_id: Mapped[int] = mapped_column(ForeignKey("revisi.id", ondelete="CASCADE"), index=True)
    urutan: Mapped[int] = mapped_column(Integer)
    kunci: Mapped[str] = mapped_column(String(16), default=new_kunci)
    tujuan: Mapped[str | None] = mapped_column(Text)
    uraian: Mapped[str] = mapped_column(Text)

    indikator: Mapped[list[Indikator]] = relationship(
        back_populates="sasaran", primaryjoin="Sasaran.id == Indikator.sasaran_id", foreign_keys="Indikator.sasaran_id", order_by="Indikator.urutan", cascade="all, delete-orphan",
        passive_deletes=True, lazy="selectin",
    )


class Indikator(TargetMixin, db.Model):
    __tablename__ = "indikator"
    __table_args__ = (
        *_target_checks(),
        UniqueConstraint("revisi_id", "kunci"),
        # An indikator lives in its sasaran's revision: a draft row can never be hung under
        # a locked sasaran (the lock follows revisi_id).
        ForeignKeyConstraint(["sasaran_id", "revisi_id"], ["sasaran.id", "sasaran.revisi_id"], ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revisi_id: Mapped[int] = mapped_column(ForeignKey("revisi.id", ondelete="CASCADE"), index=True)
    sasaran_id: Mapped[int] = mapped_column(index=True)
    urutan: Mapped[int] = mapped_column(Integer)
    kunci: Mapped[str] = mapped_column(String(16), default=new_kunci)
    uraian: Mapped[str] = mapped_column(Text)
    # Cascade: the parent office's indikator this one carries, named by document and kunci
    # (a kunci survives revisions, a row id does not, so no foreign key can say it), and
    # the parent's target as it was taken over, to notice when the parent changes it.
    induk_dokumen_id: Mapped[int | None] = mapped_column(Integer, index=True)
    induk_kunci: Mapped[str | None] = mapped_column(String(16))
    induk_target: Mapped[str | None] = mapped_column(String(60))
    # How periods add up (workflow.capaian.CaraAgregasi); None: by the kind of target.
    cara_agregasi: Mapped[str | None] = mapped_column(String(10))
    # The subbag or divisi that carries the indikator and enters its realisation.
    pelaksana: Mapped[str | None] = mapped_column(String(16))

    sasaran: Mapped[Sasaran] = relationship(
        back_populates="indikator", primaryjoin="Indikator.sasaran_id == Sasaran.id", foreign_keys=[sasaran_id])
    revisi: Mapped["Revisi"] = relationship()  # noqa: F821 - sets revisi_id on insert


class RakBaris(TargetMixin, db.Model):
    """One row of a Rencana Aksi Kinerja."""

    __tablename__ = "rak_baris"
    __table_args__ = (
        *_target_checks(),
        UniqueConstraint("revisi_id", "kunci"),
        UniqueConstraint("id", "revisi_id"),
        CheckConstraint("biaya IS NULL OR biaya >= 0", name="biaya_positif"),
        CheckConstraint(
            f"length(jadwal) = {schedule.PANJANG} AND replace(replace(jadwal, '0', ''), '1', '') = ''",
            name="jadwal_48_tanda",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revisi_id: Mapped[int] = mapped_column(ForeignKey("revisi.id", ondelete="CASCADE"), index=True)
    urutan: Mapped[int] = mapped_column(Integer)
    kunci: Mapped[str] = mapped_column(String(16), default=new_kunci)
    sasaran: Mapped[str] = mapped_column(Text, default="")
    indikator: Mapped[str] = mapped_column(Text, default="")
    kode_output: Mapped[str | None] = mapped_column(String(32))
    jadwal: Mapped[str] = mapped_column(String(schedule.PANJANG), default=schedule.KOSONG)
    biaya: Mapped[int | None] = mapped_column(BigInteger)
    # A Divisi value (RAK Komisioner), a Subbagian value (RAK Sekretariat) or "semua".
    pelaksana: Mapped[str | None] = mapped_column(String(16))

    kegiatan: Mapped[list[Kegiatan]] = relationship(
        back_populates="baris", primaryjoin="RakBaris.id == Kegiatan.baris_id", foreign_keys="Kegiatan.baris_id", order_by="Kegiatan.urutan", cascade="all, delete-orphan",
        passive_deletes=True, lazy="selectin",
    )


class Kegiatan(db.Model):
    __tablename__ = "kegiatan"
    __table_args__ = (
        # A kegiatan lives in its row's revision (see Indikator).
        ForeignKeyConstraint(["baris_id", "revisi_id"], ["rak_baris.id", "rak_baris.revisi_id"], ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revisi_id: Mapped[int] = mapped_column(ForeignKey("revisi.id", ondelete="CASCADE"), index=True)
    baris_id: Mapped[int] = mapped_column(index=True)
    urutan: Mapped[int] = mapped_column(Integer)
    uraian: Mapped[str] = mapped_column(Text)

    baris: Mapped[RakBaris] = relationship(
        back_populates="kegiatan", primaryjoin="Kegiatan.baris_id == RakBaris.id", foreign_keys=[baris_id])
    revisi: Mapped["Revisi"] = relationship()  # noqa: F821 - sets revisi_id on insert


class IsiLkj(db.Model):
    """What a Laporan Kinerja's revision holds besides its header: the narrative chapters
    and the staff count, which people write, and ``tabel``: the computed tables (capaian,
    budget realisation) as they stood when it was submitted, so that what the Ketua signs
    no longer moves when a realisation is corrected later. While a draft, ``tabel`` is
    empty and the tables are computed live (workflow.dokumen.bab_lkj)."""

    __tablename__ = "lkj_isi"
    __table_args__ = (
        CheckConstraint("pegawai_pns IS NULL OR pegawai_pns >= 0", name="pns_positif"),
        CheckConstraint("pegawai_pppk IS NULL OR pegawai_pppk >= 0", name="pppk_positif"),
        CheckConstraint("pegawai_ppnpn IS NULL OR pegawai_ppnpn >= 0", name="ppnpn_positif"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revisi_id: Mapped[int] = mapped_column(ForeignKey("revisi.id", ondelete="CASCADE"), unique=True)
    kata_pengantar: Mapped[str] = mapped_column(Text, default="")
    ikhtisar: Mapped[str] = mapped_column(Text, default="")
    pendahuluan: Mapped[str] = mapped_column(Text, default="")
    perencanaan: Mapped[str] = mapped_column(Text, default="")
    akuntabilitas: Mapped[str] = mapped_column(Text, default="")
    penutup: Mapped[str] = mapped_column(Text, default="")
    pegawai_pns: Mapped[int | None] = mapped_column(Integer)
    pegawai_pppk: Mapped[int | None] = mapped_column(Integer)
    pegawai_ppnpn: Mapped[int | None] = mapped_column(Integer)
    # Figures as a paper report typed them (JSON, workflow.dokumen.bab_lkj.ANGKA_TERTULIS): shown
    # beside what the rows give, never used to compute.
    angka_tertulis: Mapped[str | None] = mapped_column(Text)
    tabel: Mapped[str | None] = mapped_column(Text)


# What people write in an LKj revision (copied into the next one; the tables are not).
LKJ_DITULIS = ("kata_pengantar", "ikhtisar", "pendahuluan", "perencanaan", "akuntabilitas", "penutup",
               "pegawai_pns", "pegawai_pppk", "pegawai_ppnpn", "angka_tertulis")

CONTENT_MODELS = (ProgramAnggaran, Sasaran, Indikator, RakBaris, Kegiatan, IsiLkj)
