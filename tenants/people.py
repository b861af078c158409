"""People, their memberships in offices, and the roles a membership carries."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime, timezone

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from tenants.db import db
from tenants.satker import Satker, enum_column


class Peran(enum.StrEnum):
    ADMIN = "admin"
    KETUA = "ketua"
    ANGGOTA = "anggota"
    SEKRETARIS = "sekretaris"
    SUBBAG = "subbag"
    REVIEWER = "reviewer"
    INSPEKTORAT = "inspektorat"

    @property
    def label(self) -> str:
        return PERAN_LABEL[self]


PERAN_LABEL = {
    Peran.ADMIN: "Administrator",
    Peran.KETUA: "Ketua",
    Peran.ANGGOTA: "Anggota",
    Peran.SEKRETARIS: "Sekretaris",
    Peran.SUBBAG: "Subbagian",
    Peran.REVIEWER: "Reviewer",
    Peran.INSPEKTORAT: "Inspektorat",
}


class Divisi(enum.StrEnum):
    """The commissioners' divisions at a KPU Kabupaten/Kota (DOMAIN.md)."""

    PERENCANAAN = "perencanaan"
    TEKNIS = "teknis"
    HUKUM = "hukum"
    SOSDIKLIH = "sosdiklih"
    KEUANGAN = "keuangan"

    @property
    def label(self) -> str:
        return {
            "perencanaan": "Divisi Perencanaan, Data dan Informasi",
            "teknis": "Divisi Teknis Penyelenggaraan",
            "hukum": "Divisi Hukum dan Pengawasan",
            "sosdiklih": "Divisi Sosdiklih, Parmas dan SDM",
            "keuangan": "Divisi Keuangan, Umum, Rumah Tangga dan Logistik",
        }[self.value]


class Subbagian(enum.StrEnum):
    """The four subbagian of a sekretariat."""

    KUL = "kul"
    RENDATIN = "rendatin"
    TEKNIS_HUPMAS = "teknis_hupmas"
    HUKUM_SDM = "hukum_sdm"

    @property
    def label(self) -> str:
        return {
            "kul": "Subbagian Keuangan, Umum dan Logistik",
            "rendatin": "Subbagian Perencanaan, Data dan Informasi",
            "teknis_hupmas": "Subbagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat",
            "hukum_sdm": "Subbagian Hukum dan SDM",
        }[self.value]


def _new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(db.Model):
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("bahasa IN ('id', 'en')", name="bahasa_dikenal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # The office that owns the account: its admins (and those above) manage it.
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Part of the Flask-Login id: changing it ends every open session of the account.
    session_token: Mapped[str] = mapped_column(String(64), default=_new_session_token)
    # TOTP second factor (tenants.otp): the base32 secret once confirmed, and the last
    # time step accepted, so that one code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Where notifications are mailed (workflow.notifikasi); unique, stored in lower case.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # The language of the person's mail and, once chosen on a page, of their pages: 'id' or 'en'.
    bahasa: Mapped[str] = mapped_column(String(2), default="id", server_default="id")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(timezone.utc), server_default=func.now()
    )

    satker: Mapped[Satker] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin", order_by="Membership.id"
    )

    @validates("username")
    def _normalise_username(self, _key: str, username: str) -> str:
        return username.strip().lower()

    @validates("email")
    def _normalise_email(self, _key: str, email: str | None) -> str | None:
        return (email or "").strip().lower() or None

    def end_sessions(self) -> None:
        self.session_token = _new_session_token()

    # Flask-Login protocol, written out so the model does not depend on Flask-Login.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"


class Membership(db.Model):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "satker_id", "peran", "divisi", "subbagian", name="uq_membership_role"),
        CheckConstraint("(peran = 'anggota') = (divisi IS NOT NULL)", name="divisi_iff_anggota"),
        CheckConstraint("(peran = 'subbag') = (subbagian IS NOT NULL)", name="subbagian_iff_subbag"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    satker_id: Mapped[int] = mapped_column(ForeignKey("satker.id", ondelete="RESTRICT"), index=True)
    peran: Mapped[Peran] = mapped_column(enum_column(Peran, 16))
    divisi: Mapped[Divisi | None] = mapped_column(enum_column(Divisi, 16))
    subbagian: Mapped[Subbagian | None] = mapped_column(enum_column(Subbagian, 16))

    user: Mapped[User] = relationship(back_populates="memberships")
    satker: Mapped[Satker] = relationship(lazy="joined")

    @property
    def jabatan(self) -> str:
        """The position as an office would write it under a signature."""
        if self.peran is Peran.ANGGOTA and self.divisi:
            return f"Anggota, {self.divisi.label}"
        if self.peran is Peran.SUBBAG and self.subbagian:
            return self.subbagian.label
        return self.peran.label

    def __str__(self) -> str:
        return f"{self.jabatan} - {self.satker.nama}"
