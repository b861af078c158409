"""The worker: sends the outbox over SMTP, each message once, retrying while the server is down.

Several workers may run on several machines. A worker claims a batch of due rows in a
transaction of its own: on PostgreSQL with ``SELECT ... FOR UPDATE SKIP LOCKED`` (another
worker's rows are passed over, not waited for); on SQLite, whose writers queue up, by one
``UPDATE`` that stamps the rows with this round's token. A claimed row is ``sending``
until its outcome is committed: ``sent``; or back to ``queued`` with the next attempt
after an exponential backoff (the server unreachable, a message refused for now); or
``failed`` after the last attempt. A worker that dies mid-batch leaves its rows claimed:
``ambil_kembali_klaim_basi`` puts rows claimed longer ago than ``KLAIM_BASI`` back in the
queue (a message the dead worker had handed over but not recorded may then go twice:
SMTP gives no way to know).

The worker drives its own transactions (it is a process like a CLI command): it commits
each claim and each outcome, so that a crash loses nothing already decided.
"""
from __future__ import annotations

import os
import smtplib
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tenants.db import utcnow
from tenants.people import User
from workflow.notifikasi import surat as penulis
from workflow.notifikasi.models import JenisSurat, Notifikasi, Preferensi, StatusSurat, SuratKeluar

KLAIM_BASI = timedelta(minutes=15)


@dataclass(frozen=True)
class SetelanSmtp:
    host: str
    port: int = 587
    pengguna: str | None = None
    sandi: str | None = None
    pengirim: str = "SAKIP KPU <sakip@localhost>"
    starttls: bool = True
    batas_waktu: float = 30.0
    maks_percobaan: int = 8
    jeda_awal: timedelta = timedelta(minutes=1)
    jeda_maks: timedelta = timedelta(hours=6)
    alamat_situs: str | None = None  # links in the mail: https://sakip.kpu.go.id


@dataclass
class HasilKirim:
    terkirim: int = 0
    ditunda: int = 0
    gagal: int = 0
    galat: list[str] = field(default_factory=list)


def token_baru() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def jeda(setelan: SetelanSmtp, percobaan: int) -> timedelta:
    """The wait after the ``percobaan``-th failed attempt: 1, 2, 4, 8 ... minutes, at most ``jeda_maks``."""
    return min(setelan.jeda_awal * (2 ** max(percobaan - 1, 0)), setelan.jeda_maks)


def klaim(session: Session, token: str, batas: int, sekarang: datetime) -> list[SuratKeluar]:
    """Claim up to ``batas`` due rows for this worker and commit the claim."""
    due = (select(SuratKeluar.id)
           .where(SuratKeluar.status == StatusSurat.QUEUED, SuratKeluar.coba_lagi_pada <= sekarang)
           .order_by(SuratKeluar.coba_lagi_pada, SuratKeluar.id).limit(batas))
    stamp = {"status": StatusSurat.SENDING, "diklaim_oleh": token, "diklaim_pada": sekarang}
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(due.with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(SuratKeluar).where(SuratKeluar.id.in_(ids)).values(**stamp)
                            .execution_options(synchronize_session=False))
    else:
        # SQLite: one writer at a time; the status test keeps a row claimed meanwhile out.
        session.execute(update(SuratKeluar).where(SuratKeluar.id.in_(due.scalar_subquery()),
                                                  SuratKeluar.status == StatusSurat.QUEUED).values(**stamp)
                        .execution_options(synchronize_session=False))
    session.commit()
    return list(session.scalars(select(SuratKeluar).where(SuratKeluar.diklaim_oleh == token,
                                                          SuratKeluar.status == StatusSurat.SENDING)
                                .order_by(SuratKeluar.id)))


def ambil_kembali_klaim_basi(session: Session, sekarang: datetime | None = None) -> int:
    """Rows claimed by a worker that died mid-batch go back to the queue."""
    sekarang = sekarang or utcnow()
    result = session.execute(
        update(SuratKeluar).where(SuratKeluar.status == StatusSurat.SENDING,
                                  SuratKeluar.diklaim_pada < sekarang - KLAIM_BASI)
        .values(status=StatusSurat.QUEUED, diklaim_oleh=None, diklaim_pada=None)
        .execution_options(synchronize_session=False))
    session.commit()
    return result.rowcount or 0


def _terkirim(row: SuratKeluar) -> None:
    row.status, row.percobaan, row.terkirim_pada = StatusSurat.SENT, row.percobaan + 1, utcnow()
    row.diklaim_oleh = row.diklaim_pada = None


def _tunda(row: SuratKeluar, galat: str, setelan: SetelanSmtp, sekarang: datetime, hasil: HasilKirim) -> None:
    """One more failed attempt: retried after the backoff, or given up after the last."""
    row.percobaan += 1
    row.galat_terakhir = galat[:2000]
    row.diklaim_oleh = row.diklaim_pada = None
    if row.percobaan >= setelan.maks_percobaan:
        row.status = StatusSurat.FAILED
        hasil.gagal += 1
    else:
        row.status, row.coba_lagi_pada = StatusSurat.QUEUED, sekarang + jeda(setelan, row.percobaan)
        hasil.ditunda += 1
    hasil.galat.append(f"surat {row.id}: {galat}")


def _sambung(setelan: SetelanSmtp) -> smtplib.SMTP:
    smtp = smtplib.SMTP(setelan.host, setelan.port, timeout=setelan.batas_waktu)
    if setelan.starttls:
        smtp.starttls()
    if setelan.pengguna:
        smtp.login(setelan.pengguna, setelan.sandi or "")
    return smtp


def _pesan(session: Session, row: SuratKeluar, setelan: SetelanSmtp):
    user = session.get(User, row.user_id)
    butir = list(session.scalars(select(Notifikasi).where(Notifikasi.surat_id == row.id).order_by(Notifikasi.id)))
    return penulis.tulis(row, butir, nama=user.full_name, bahasa=user.bahasa or "id", pengirim=setelan.pengirim,
                         alamat_situs=setelan.alamat_situs)


def _kirim_batch(session: Session, rows: list[SuratKeluar], setelan: SetelanSmtp, sekarang: datetime,
                 hasil: HasilKirim) -> None:
    """Send claimed rows over one connection; each outcome is committed as it is known."""
    try:
        smtp = _sambung(setelan)
    except (OSError, smtplib.SMTPException) as exc:
        for row in rows:  # the server is down: every claimed row waits for the next attempt
            _tunda(row, f"server SMTP tidak dapat dihubungi: {exc}", setelan, sekarang, hasil)
        session.commit()
        return
    with smtp:
        for index, row in enumerate(rows):
            try:
                smtp.send_message(_pesan(session, row, setelan))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                _tunda(row, f"ditolak server: {exc}", setelan, sekarang, hasil)
            except (OSError, smtplib.SMTPException) as exc:
                for rest in rows[index:]:  # the connection broke: this one and the rest wait
                    _tunda(rest, f"sambungan SMTP terputus: {exc}", setelan, sekarang, hasil)
                session.commit()
                return
            else:
                _terkirim(row)
                hasil.terkirim += 1
            session.commit()


def kirim_antrean(session: Session, setelan: SetelanSmtp, *, batas: int = 50, token: str | None = None,
                  sekarang: datetime | None = None) -> HasilKirim:
    """Drain the due part of the outbox: claim a batch, send it, until nothing is due."""
    hasil = HasilKirim()
    sekarang = sekarang or utcnow()
    while rows := klaim(session, token or token_baru(), batas, sekarang):
        _kirim_batch(session, rows, setelan, sekarang, hasil)
        if hasil.ditunda and not hasil.terkirim:
            break  # the server is down: the next round tries again after the backoff
    return hasil


def buat_ringkasan(session: Session, sekarang: datetime | None = None) -> int:
    """The daily digest: one e-mail per person with notifications waiting for it; commits.
    Returns the number of digests queued."""
    sekarang = sekarang or utcnow()
    waiting = select(Notifikasi).where(Notifikasi.menunggu_ringkasan.is_(True)).order_by(Notifikasi.user_id,
                                                                                       Notifikasi.id)
    if session.get_bind().dialect.name == "postgresql":
        waiting = waiting.with_for_update(skip_locked=True)  # two workers never digest one row twice
    per_user: dict[int, list[Notifikasi]] = {}
    for notifikasi in session.scalars(waiting):
        per_user.setdefault(notifikasi.user_id, []).append(notifikasi)
    dibuat = 0
    for user_id, butir in per_user.items():
        user = session.get(User, user_id)
        pref = session.get(Preferensi, user_id)
        still_wanted = bool(user.email) and (pref is None or pref.surel)
        surat = SuratKeluar(user_id=user_id, jenis=JenisSurat.RINGKASAN, alamat=user.email or "",
                            coba_lagi_pada=sekarang) if still_wanted else None
        for n in butir:
            n.menunggu_ringkasan, n.surat = False, surat
        dibuat += surat is not None
    session.commit()
    return dibuat
