"""One office's evaluation for one year, and its rows: an answer per criterion (the
office's, then the evaluator's verdict), a grade per sub-component, findings with their
recommendation and the office's dispute.

Each row carries its own version (compare-and-set at flush), so two evaluators scoring
different criteria at once both keep their work and the same criterion twice answers 409.
The database refuses a status its fields contradict (the checks below); from ``final``
nothing changes (``workflow.evaluasi.immutability``).
"""
from __future__ import annotations

import enum
import json
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (Boolean, CheckConstraint, DateTime, ForeignKey, Integer, Numeric, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.people import User
from tenants.satker import Satker, enum_column
from tenants.teks import N_, _
from workflow.evaluasi.lke import LkeKriteria, LkeSubkomponen, LkeVersi


class StatusEvaluasi(enum.StrEnum):
    DRAF = "draf"                  # the office fills its self-assessment
    DIAJUKAN = "diajukan"          # the evaluator scores
    DIKEMBALIKAN = "dikembalikan"  # criteria returned for more evidence
    DITERBITKAN = "diterbitkan"    # provisional result published: the office may dispute once
    DISANGGAH = "disanggah"        # disputed: the evaluator answers, then finalises
    FINAL = "final"                # scored, hashed, immutable

    @property
    def label(self) -> str:
        return _(_LABEL_STATUS[self.value])


_LABEL_STATUS = {"draf": N_("Penilaian mandiri"), "diajukan": N_("Diajukan, dinilai evaluator"),
                 "dikembalikan": N_("Dikembalikan untuk bukti tambahan"), "diterbitkan": N_("Hasil sementara"),
                 "disanggah": N_("Disanggah"), "final": N_("Final")}
_DIAJUKAN_ATAU_SESUDAH = "('diajukan', 'dikembalikan', 'diterbitkan', 'disanggah', 'final')"
_TERBIT_ATAU_SESUDAH = "('diterbitkan', 'disanggah', 'final')"


class Evaluasi(db.Model):
    __tablename__ = "evaluasi"
    __table_args__ = (
        UniqueConstraint("satker_id", "tahun"),
        CheckConstraint("tahun BETWEEN 2000 AND 2100", name="tahun_wajar"),
        CheckConstraint(f"status NOT IN {_DIAJUKAN_ATAU_SESUDAH} OR (diajukan_oleh_id IS NOT NULL "
                        "AND diajukan_pada IS NOT NULL)", name="diajukan_bernama"),
        CheckConstraint("status <> 'dikembalikan' OR catatan IS NOT NULL", name="pengembalian_beralasan"),
        CheckConstraint(f"status NOT IN {_TERBIT_ATAU_SESUDAH} OR (diterbitkan_oleh_id IS NOT NULL "
                        "AND diterbitkan_pada IS NOT NULL)", name="terbit_bernama"),
        CheckConstraint("status <> 'disanggah' OR disanggah_pada IS NOT NULL", name="sanggahan_bertanggal"),
        CheckConstraint("status <> 'final' OR (difinalkan_oleh_id IS NOT NULL AND difinalkan_pada IS NOT NULL "
                        "AND skor_total IS NOT NULL AND predikat IS NOT NULL AND isi_final IS NOT NULL "
                        "AND hash_isi IS NOT NULL AND kode_verifikasi IS NOT NULL)", name="final_lengkap"),
        CheckConstraint("status = 'final' OR (skor_total IS NULL AND predikat IS NULL AND hash_isi IS NULL "
                        "AND kode_verifikasi IS NULL AND isi_final IS NULL)", name="skor_hanya_final"),
        CheckConstraint("skor_total IS NULL OR skor_total BETWEEN 0 AND 100", name="skor_wajar"),
        CheckConstraint("predikat IS NULL OR predikat IN ('AA', 'A', 'BB', 'B', 'CC', 'C', 'D', 'E')",
                        name="predikat_dikenal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    lke_versi_id: Mapped[int] = mapped_column(ForeignKey("lke_versi.id", ondelete="RESTRICT"))
    # Written only by workflow.evaluasi.flow.AlurEvaluasi.
    status: Mapped[StatusEvaluasi] = mapped_column(enum_column(StatusEvaluasi, 16), default=StatusEvaluasi.DRAF)
    versi: Mapped[int] = mapped_column(Integer, default=1)
    diajukan_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    diajukan_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    catatan: Mapped[str | None] = mapped_column(Text)  # the evaluator's reason for the last return
    diterbitkan_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    diterbitkan_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disanggah_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    disanggah_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # once: never cleared
    difinalkan_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    difinalkan_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The signer of the LHE as they were when finalising (a later change of memberships must
    # not change the printed report, nor a renamed account): "Inspektorat Utama", "KPU RI", "Jakarta".
    difinalkan_nama: Mapped[str | None] = mapped_column(String(120))
    difinalkan_jabatan: Mapped[str | None] = mapped_column(String(120))
    difinalkan_kantor: Mapped[str | None] = mapped_column(String(120))
    difinalkan_tempat: Mapped[str | None] = mapped_column(String(80))
    skor_total: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    predikat: Mapped[str | None] = mapped_column(String(2))
    isi_final: Mapped[str | None] = mapped_column(Text)  # the canonical JSON that was hashed
    hash_isi: Mapped[str | None] = mapped_column(String(64))
    kode_verifikasi: Mapped[str | None] = mapped_column(String(9), unique=True)
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    satker: Mapped[Satker] = relationship()
    lke: Mapped[LkeVersi] = relationship()
    jawaban: Mapped[list[Jawaban]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                  back_populates="evaluasi")
    nilai: Mapped[list[NilaiSubkomponen]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                         back_populates="evaluasi")
    temuan: Mapped[list[Temuan]] = relationship(order_by="Temuan.nomor", cascade="all, delete-orphan",
                                                passive_deletes=True, back_populates="evaluasi")
    difinalkan_oleh: Mapped[User | None] = relationship(foreign_keys=[difinalkan_oleh_id])

    __mapper_args__ = {"version_id_col": versi}

    @property
    def final(self) -> bool:
        return self.status is StatusEvaluasi.FINAL

    @property
    def hasil_final(self) -> dict:
        return json.loads(self.isi_final) if self.isi_final else {}


class Jawaban(db.Model):
    """A criterion: the office's answer (Y fulfilled, T not), note and links; the
    evaluator's verdict (agree, or disagree with a comment: the answer then counts the
    other way); a return for more evidence; the system's proposal (kept beside the
    decision, for the pre-fill)."""

    __tablename__ = "evaluasi_jawaban"
    __table_args__ = (
        UniqueConstraint("evaluasi_id", "kriteria_id"),
        CheckConstraint("jawaban IS NULL OR jawaban IN ('Y', 'T')", name="jawaban_dikenal"),
        CheckConstraint("usulan IS NULL OR usulan IN ('Y', 'T')", name="usulan_dikenal"),
        CheckConstraint("setuju IS NULL OR jawaban IS NOT NULL", name="dinilai_terjawab"),
        CheckConstraint("setuju IS NULL OR setuju OR komentar IS NOT NULL", name="tidak_setuju_berkomentar"),
        CheckConstraint("NOT perlu_bukti OR alasan_kembali IS NOT NULL", name="pengembalian_beralasan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluasi_id: Mapped[int] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"), index=True)
    kriteria_id: Mapped[int] = mapped_column(ForeignKey("lke_kriteria.id", ondelete="RESTRICT"))
    jawaban: Mapped[str | None] = mapped_column(String(1))
    catatan: Mapped[str | None] = mapped_column(Text)
    tautan: Mapped[str | None] = mapped_column(Text)  # JSON: [{"bukti": id} | {"kode": "K7QM-4XPA"}]
    diisi_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    diisi_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    setuju: Mapped[bool | None] = mapped_column(Boolean)
    komentar: Mapped[str | None] = mapped_column(Text)
    dinilai_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    dinilai_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    perlu_bukti: Mapped[bool] = mapped_column(Boolean, default=False)
    alasan_kembali: Mapped[str | None] = mapped_column(Text)
    usulan: Mapped[str | None] = mapped_column(String(1))
    usulan_fakta: Mapped[str | None] = mapped_column(Text)  # JSON: the facts and verification codes behind it
    versi: Mapped[int] = mapped_column(Integer, default=1)

    evaluasi: Mapped[Evaluasi] = relationship(back_populates="jawaban")
    kriteria: Mapped[LkeKriteria] = relationship()

    __mapper_args__ = {"version_id_col": versi}

    @property
    def tautan_list(self) -> list[dict]:
        return json.loads(self.tautan) if self.tautan else []

    @property
    def usulan_fakta_list(self) -> list[dict]:
        """The pre-fill's facts: [{"teks", "kode" (a verification code or None), "ok"}]."""
        return json.loads(self.usulan_fakta) if self.usulan_fakta else []

    @property
    def terpenuhi(self) -> bool | None:
        """Fulfilled as it counts: the office's answer, turned over when the evaluator disagrees."""
        if self.jawaban is None:
            return None
        ya = self.jawaban == "Y"
        return ya if self.setuju is not False else not ya


class NilaiSubkomponen(db.Model):
    """The evaluator's grade of a sub-component (AA..E), with the justification A and AA
    need (and any grade other than the one proposed)."""

    __tablename__ = "evaluasi_nilai"
    __table_args__ = (
        UniqueConstraint("evaluasi_id", "subkomponen_id"),
        CheckConstraint("nilai IS NULL OR nilai IN ('AA', 'A', 'BB', 'B', 'CC', 'C', 'D', 'E')", name="nilai_dikenal"),
        CheckConstraint("nilai IS NULL OR nilai NOT IN ('AA', 'A') OR alasan IS NOT NULL", name="a_beralasan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluasi_id: Mapped[int] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"), index=True)
    subkomponen_id: Mapped[int] = mapped_column(ForeignKey("lke_subkomponen.id", ondelete="RESTRICT"))
    nilai: Mapped[str | None] = mapped_column(String(2))
    alasan: Mapped[str | None] = mapped_column(Text)
    dinilai_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    dinilai_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    versi: Mapped[int] = mapped_column(Integer, default=1)

    evaluasi: Mapped[Evaluasi] = relationship(back_populates="nilai")
    subkomponen: Mapped[LkeSubkomponen] = relationship()

    __mapper_args__ = {"version_id_col": versi}


class Temuan(db.Model):
    """A finding and its recommendation (the LHE's rows; a recommendation becomes a
    follow-up), and the office's one dispute of it with the evaluator's answer."""

    __tablename__ = "evaluasi_temuan"
    __table_args__ = (
        UniqueConstraint("evaluasi_id", "nomor"),
        CheckConstraint("tanggapan IS NULL OR sanggahan IS NOT NULL", name="tanggapan_atas_sanggahan"),
        CheckConstraint("sanggahan_diterima IS NULL OR tanggapan IS NOT NULL", name="keputusan_bertanggapan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluasi_id: Mapped[int] = mapped_column(ForeignKey("evaluasi.id", ondelete="CASCADE"), index=True)
    nomor: Mapped[int] = mapped_column(Integer)
    subkomponen_id: Mapped[int | None] = mapped_column(ForeignKey("lke_subkomponen.id", ondelete="RESTRICT"))
    uraian: Mapped[str] = mapped_column(Text)
    rekomendasi: Mapped[str | None] = mapped_column(Text)
    dibuat_oleh_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sanggahan: Mapped[str | None] = mapped_column(Text)
    tanggapan: Mapped[str | None] = mapped_column(Text)
    sanggahan_diterima: Mapped[bool | None] = mapped_column(Boolean)
    versi: Mapped[int] = mapped_column(Integer, default=1)

    evaluasi: Mapped[Evaluasi] = relationship(back_populates="temuan")
    subkomponen: Mapped[LkeSubkomponen | None] = relationship()

    __mapper_args__ = {"version_id_col": versi}
