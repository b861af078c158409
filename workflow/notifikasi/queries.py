"""Reads: a person's unread count, their notifications page by page, their preferences."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenants.people import User
from workflow.notifikasi.models import Notifikasi, Preferensi, StatusSurat, SuratKeluar

PER_HALAMAN = 20


def jumlah_belum_dibaca(session: Session, user_id: int) -> int:
    """One small statement (the index on user and read time)."""
    return session.scalar(select(kolom_belum_dibaca(user_id))) or 0


def kolom_belum_dibaca(user_id):
    """The unread count as a column of another statement (``user_id`` a value or a column):
    every page's bell shows it, so the signed-in person is loaded with it (webapp/auth.py)."""
    return (select(func.count()).select_from(Notifikasi)
            .where(Notifikasi.user_id == user_id, Notifikasi.dibaca_pada.is_(None)).scalar_subquery())


@dataclass(frozen=True)
class Halaman:
    butir: list[tuple[Notifikasi, StatusSurat | None]]  # each with its e-mail's status, if mailed
    nomor: int
    ada_berikutnya: bool


def daftar(session: Session, user: User, halaman: int = 1) -> Halaman:
    """``user``'s notifications, newest first, one page."""
    halaman = max(1, halaman)
    rows = session.execute(
        select(Notifikasi, SuratKeluar.status).outerjoin(SuratKeluar, SuratKeluar.id == Notifikasi.surat_id)
        .where(Notifikasi.user_id == user.id)
        .order_by(Notifikasi.dibuat_pada.desc(), Notifikasi.id.desc())
        .offset((halaman - 1) * PER_HALAMAN).limit(PER_HALAMAN + 1)).all()
    return Halaman([(n, s) for n, s in rows[:PER_HALAMAN]], halaman, len(rows) > PER_HALAMAN)


def preferensi(session: Session, user: User) -> Preferensi:
    """``user``'s preferences, or the defaults (each message by e-mail) when never saved."""
    return session.get(Preferensi, user.id) or Preferensi(user_id=user.id, surel=True, ringkasan_harian=False)
