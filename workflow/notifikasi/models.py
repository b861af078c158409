"""Notifications: what a person is told in the app, what is still to be mailed, and how
each person wants to be mailed.

A notification is written in the transaction of the event that causes it
(``operations.beri_tahu``), with its outbox row when it is to be mailed: a rolled-back
transition leaves neither. The worker (``pengirim``) only ever reads the outbox, so mail
goes out for committed events only, and each row says where its message stands.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, false, true)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tenants.db import db, utcnow
from tenants.people import User
from tenants.satker import enum_column


class JenisNotifikasi(enum.StrEnum):
    """Why someone is told: the step that now waits for them."""

    TANDA_TANGAN = "tanda_tangan"   # a submitted document waits for their signature
    TINJAUAN = "tinjauan"           # a signed document waits for their review
    DIKEMBALIKAN = "dikembalikan"   # their document was returned, with the reason
    DISETUJUI = "disetujui"         # their document was approved
    PENGINGAT = "pengingat"         # a due date (the calendar's reminders)


class StatusSurat(enum.StrEnum):
    QUEUED = "queued"     # waiting for a worker (again, after a failed attempt: coba_lagi_pada)
    SENDING = "sending"   # claimed by one worker, which is sending it now
    SENT = "sent"
    FAILED = "failed"     # given up after the last attempt; shown as failed


class JenisSurat(enum.StrEnum):
    SATU = "satu"             # one notification, mailed as it happens
    RINGKASAN = "ringkasan"   # the day's digest of several


class Notifikasi(db.Model):
    __tablename__ = "notifikasi"
    __table_args__ = (
        # A notification waits for the digest, or is in an e-mail already, never both.
        CheckConstraint("NOT (menunggu_ringkasan AND surat_id IS NOT NULL)", name="ringkasan_sekali"),
        # The unread count and the list: one index walk per person.
        Index("ix_notifikasi_user_dibaca", "user_id", "dibaca_pada"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    jenis: Mapped[JenisNotifikasi] = mapped_column(enum_column(JenisNotifikasi, 16))
    judul: Mapped[str] = mapped_column(String(200))
    isi: Mapped[str] = mapped_column(Text)
    # A path of this site (/dokumen/12), never an outside address.
    tautan: Mapped[str | None] = mapped_column(String(500))
    satker_id: Mapped[int | None] = mapped_column(ForeignKey("satker.id", ondelete="SET NULL"))
    dokumen_id: Mapped[int | None] = mapped_column(ForeignKey("dokumen.id", ondelete="SET NULL"), index=True)
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    dibaca_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    menunggu_ringkasan: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The e-mail that carries it (its own, or the day's digest); None: in the app only.
    surat_id: Mapped[int | None] = mapped_column(ForeignKey("surat_keluar.id", ondelete="SET NULL"), index=True)

    user: Mapped[User] = relationship()
    surat: Mapped[SuratKeluar | None] = relationship(back_populates="notifikasi")


class SuratKeluar(db.Model):
    """The outbox: one row per e-mail to send, claimed by exactly one worker at a time. What
    it says is the notifications that point at it (one, or the day's several), written in
    the recipient's language when it is sent."""

    __tablename__ = "surat_keluar"
    __table_args__ = (
        CheckConstraint("percobaan >= 0", name="percobaan_positif"),
        CheckConstraint("(status = 'sending') = (diklaim_oleh IS NOT NULL AND diklaim_pada IS NOT NULL)",
                        name="klaim_saat_mengirim"),
        CheckConstraint("(status = 'sent') = (terkirim_pada IS NOT NULL)", name="terkirim_bertanggal"),
        CheckConstraint("status <> 'failed' OR galat_terakhir IS NOT NULL", name="gagal_beralasan"),
        # What the workers look for: the due queued rows, oldest first.
        Index("ix_surat_keluar_antrean", "status", "coba_lagi_pada"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    jenis: Mapped[JenisSurat] = mapped_column(enum_column(JenisSurat, 10))
    # The address when the message was queued: a later change does not redirect it.
    alamat: Mapped[str] = mapped_column(String(254))
    status: Mapped[StatusSurat] = mapped_column(enum_column(StatusSurat, 10), default=StatusSurat.QUEUED)
    percobaan: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    coba_lagi_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    terkirim_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    galat_terakhir: Mapped[str | None] = mapped_column(Text)
    diklaim_oleh: Mapped[str | None] = mapped_column(String(64))
    diklaim_pada: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dibuat_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship()
    notifikasi: Mapped[list[Notifikasi]] = relationship(back_populates="surat", order_by="Notifikasi.id")


class Preferensi(db.Model):
    """How a person wants to be mailed; no row means the defaults (each message, by e-mail)."""

    __tablename__ = "preferensi_notifikasi"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    surel: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    ringkasan_harian: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class TahapPengingat(enum.StrEnum):
    """Which of an item's two automatic reminders: before its due date, or once missed."""

    SEBELUM = "sebelum"
    TERLEWAT = "terlewat"


class PengingatTerkirim(db.Model):
    """One automatic reminder sent (``workflow.notifikasi.pengingat.jalankan``): its key is
    what keeps a second run of the day, or of the next, from sending it again."""

    __tablename__ = "pengingat_terkirim"
    __table_args__ = (UniqueConstraint("satker_id", "tahun", "butir", "jenis", "periode", "tahap"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="CASCADE"))  # the office due
    tahun: Mapped[int] = mapped_column(Integer)
    butir: Mapped[str] = mapped_column(String(20))   # the calendar's item (workflow.jadwal.models.Butir)
    jenis: Mapped[str] = mapped_column(String(20))   # the document kind
    # The month of a realisation, the revision number of a review, 0 for a document.
    periode: Mapped[int] = mapped_column(Integer, default=0)
    tahap: Mapped[TahapPengingat] = mapped_column(enum_column(TahapPengingat, 10))
    tenggat: Mapped[date] = mapped_column(Date)
    penerima: Mapped[int] = mapped_column(Integer, default=0)  # 0: nobody holds the role there
    dikirim_pada: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
