"""The only writers of notifications: they change and flush, never commit.

``beri_tahu`` runs inside the transaction of the event that causes it (a document's
transition, a reminder): the caller's commit makes the notification and its e-mail real
together, and a rollback leaves no trace of either.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tenants.db import utcnow
from tenants.people import User
from tenants.satker import Satker
from workflow.notifikasi.models import JenisNotifikasi, JenisSurat, Notifikasi, Preferensi, StatusSurat, SuratKeluar


def beri_tahu(session: Session, penerima: Iterable[User], *, jenis: JenisNotifikasi, judul: str, isi: str,
              tautan: str | None, satker: Satker | None = None, dokumen=None) -> list[Notifikasi]:
    """One notification per recipient (each once, active accounts only), and the e-mail
    each one's preferences ask for: now, in tonight's digest, or none. Flushes."""
    orang = {u.id: u for u in penerima if u is not None and u.active}
    if not orang:
        return []
    pilihan = {p.user_id: p for p in session.scalars(select(Preferensi).where(Preferensi.user_id.in_(orang)))}
    dibuat = []
    for user in orang.values():
        pref = pilihan.get(user.id) or Preferensi(surel=True, ringkasan_harian=False)
        lewat_surel = bool(user.email) and pref.surel
        notifikasi = Notifikasi(
            user_id=user.id, jenis=jenis, judul=judul[:200], isi=isi, tautan=tautan,
            satker_id=satker.id if satker is not None else None,
            dokumen_id=dokumen.id if dokumen is not None else None,
            menunggu_ringkasan=lewat_surel and pref.ringkasan_harian,
        )
        if lewat_surel and not pref.ringkasan_harian:
            notifikasi.surat = SuratKeluar(user_id=user.id, jenis=JenisSurat.SATU, alamat=user.email)
        session.add(notifikasi)
        dibuat.append(notifikasi)
    session.flush()
    return dibuat


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


def beri_tahu_massal(session: Session, kiriman: Iterable[Kiriman]) -> int:
    """Many notifications at once (the daily reminders of 553 offices), in three statements
    whatever their number: the preferences, the outbox, the notifications. A person told
    several things at once gets one e-mail carrying them all (which also lets the outbox
    rows be matched back by person, without relying on the order RETURNING gives them).
    Inactive accounts are skipped. Returns the number of notifications."""
    per_user: dict[int, list[Kiriman]] = {}
    for k in kiriman:
        if k.user is not None and k.user.active:
            per_user.setdefault(k.user.id, []).append(k)
    if not per_user:
        return 0
    pilihan = {p.user_id: p for p in session.scalars(select(Preferensi).where(Preferensi.user_id.in_(per_user)))}
    sekarang, surat, ringkasan = utcnow(), [], set()
    for user_id, daftar in per_user.items():
        pref = pilihan.get(user_id) or Preferensi(surel=True, ringkasan_harian=False)
        user = daftar[0].user
        if user.email and pref.surel and pref.ringkasan_harian:
            ringkasan.add(user_id)
        elif user.email and pref.surel:
            surat.append({"user_id": user_id, "alamat": user.email, "status": StatusSurat.QUEUED, "percobaan": 0,
                          "jenis": JenisSurat.SATU if len(daftar) == 1 else JenisSurat.RINGKASAN,
                          "coba_lagi_pada": sekarang, "dibuat_pada": sekarang})
    # Core, not the ORM's bulk insert, which SQLite runs one row at a time (it wants
    # RETURNING in parameter order); matched by person, the order does not matter.
    surat_id = dict(session.connection().execute(insert(SuratKeluar.__table__).returning(
        SuratKeluar.user_id, SuratKeluar.id), surat).all()) if surat else {}
    session.connection().execute(insert(Notifikasi.__table__), [
        {"user_id": k.user.id, "jenis": k.jenis, "judul": k.judul[:200], "isi": k.isi, "tautan": k.tautan,
         "satker_id": k.satker_id, "dokumen_id": k.dokumen_id, "dibuat_pada": sekarang,
         "menunggu_ringkasan": k.user.id in ringkasan, "surat_id": surat_id.get(k.user.id)}
        for daftar in per_user.values() for k in daftar])
    return sum(len(d) for d in per_user.values())


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
