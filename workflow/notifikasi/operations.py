"""The only writers of notifications: they change and flush, never commit.

``beri_tahu`` runs inside the transaction of the event that causes it (a document's
transition, a reminder): the caller's commit makes the notification and its e-mail real
together, and a rollback leaves no trace of either.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tenants.db import utcnow
from tenants.people import User
from tenants.satker import Satker
from workflow.notifikasi.models import JenisNotifikasi, JenisSurat, Notifikasi, Preferensi, SuratKeluar


@dataclass(frozen=True)
class Kiriman:
    """One notification to one person, as ``beri_tahu_massal`` writes it."""

    user: User
    jenis: JenisNotifikasi
    judul: str
    isi: str
    tautan: str | None
    satker_id: int | None = None
    dokumen_id: int | None = None


def beri_tahu(session: Session, penerima: Iterable[User], *, jenis: JenisNotifikasi, judul: str, isi: str,
              tautan: str | None, satker: Satker | None = None, dokumen=None) -> list[Notifikasi]:
    """One notification per recipient (each once, active accounts only), and the e-mail
    each one's preferences ask for: now, in tonight's digest, or none. Flushes."""
    orang = {u.id: u for u in penerima if u is not None}
    return beri_tahu_massal(session, [
        Kiriman(u, jenis, judul, isi, tautan, satker.id if satker is not None else None,
                dokumen.id if dokumen is not None else None) for u in orang.values()])


def beri_tahu_massal(session: Session, kiriman: Iterable[Kiriman]) -> list[Notifikasi]:
    """Many notifications at once (the daily reminders of 553 offices): one statement for
    the preferences, the rows inserted in batches; inactive accounts are skipped. Flushes."""
    kiriman = [k for k in kiriman if k.user is not None and k.user.active]
    if not kiriman:
        return []
    ids = {k.user.id for k in kiriman}
    pilihan = {p.user_id: p for p in session.scalars(select(Preferensi).where(Preferensi.user_id.in_(ids)))}
    dibuat = []
    for k in kiriman:
        pref = pilihan.get(k.user.id) or Preferensi(surel=True, ringkasan_harian=False)
        lewat_surel = bool(k.user.email) and pref.surel
        notifikasi = Notifikasi(user_id=k.user.id, jenis=k.jenis, judul=k.judul[:200], isi=k.isi, tautan=k.tautan,
                                satker_id=k.satker_id, dokumen_id=k.dokumen_id,
                                menunggu_ringkasan=lewat_surel and pref.ringkasan_harian)
        if lewat_surel and not pref.ringkasan_harian:
            notifikasi.surat = SuratKeluar(user_id=k.user.id, jenis=JenisSurat.SATU, alamat=k.user.email)
        dibuat.append(notifikasi)
    session.add_all(dibuat)
    session.flush()
    return dibuat


def tandai_dibaca(session: Session, user: User, notifikasi_id: int) -> Notifikasi | None:
    """Mark one of ``user``'s notifications read; None when ``user`` has no such one (another
    person's answers exactly as a missing one)."""
    notifikasi = session.scalar(select(Notifikasi).where(Notifikasi.id == notifikasi_id,
                                                         Notifikasi.user_id == user.id))
    if notifikasi is None:
        return None
    if notifikasi.dibaca_pada is None:
        notifikasi.dibaca_pada = utcnow()
        session.flush()
    return notifikasi


def tandai_semua_dibaca(session: Session, user: User) -> int:
    """Mark every unread notification of ``user`` read; how many were."""
    result = session.execute(update(Notifikasi)
                             .where(Notifikasi.user_id == user.id, Notifikasi.dibaca_pada.is_(None))
                             .values(dibaca_pada=utcnow()).execution_options(synchronize_session=False))
    session.flush()
    return result.rowcount or 0


def simpan_preferensi(session: Session, user: User, *, surel: bool, ringkasan_harian: bool) -> Preferensi:
    pref = session.get(Preferensi, user.id)
    if pref is None:
        pref = Preferensi(user_id=user.id)
        session.add(pref)
    pref.surel, pref.ringkasan_harian = surel, ringkasan_harian
    session.flush()
    return pref


def ubah_bahasa(session: Session, user: User, bahasa: str) -> None:
    """The language of ``user``'s mail follows the one they chose on a page."""
    if bahasa in ("id", "en") and user.bahasa != bahasa:
        user.bahasa = bahasa
        session.flush()
