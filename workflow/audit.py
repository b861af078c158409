"""The audit trail: an append-only, hash-chained log of every edit and transition.

Each entry's hash covers its own fields and the previous entry's hash, so altering,
removing or inserting a row anywhere breaks every link after it; ``verify`` names the
first broken one. Entries keep snapshots (username, role, office) rather than foreign
keys, so the log outlives what it describes.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import DateTime, Index, Integer, String, Text, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from tenants.db import db
from tenants.teks import N_, _
from workflow.document import utcnow

GENESIS = "0" * 64

# Every action the log records (its ``aksi``), with the label a document's history shows
# (tenants.teks: Indonesian, or the reader's language on a page). ``append`` refuses any
# other, so a new action cannot reach the history as a bare code.
AKSI = {
    # the state machine's events (workflow.flow)
    "submit": N_("Diajukan"),
    "sign": N_("Ditandatangani"),
    "approve": N_("Disetujui"),
    "send_back": N_("Dikembalikan"),
    "revise": N_("Revisi dibuka"),
    # the edits (workflow.operations)
    "buat": N_("Dokumen dibuat"),
    "ubah_kepala": N_("Kepala diubah"),
    "ubah_program": N_("Program diubah"),
    "tambah_sasaran": N_("Sasaran ditambah"),
    "ubah_sasaran": N_("Sasaran diubah"),
    "hapus_sasaran": N_("Sasaran dihapus"),
    "tambah_indikator": N_("Indikator ditambah"),
    "ubah_indikator": N_("Indikator diubah"),
    "hapus_indikator": N_("Indikator dihapus"),
    "tambah_baris": N_("Baris ditambah"),
    "ubah_baris": N_("Baris diubah"),
    "hapus_baris": N_("Baris dihapus"),
    "geser": N_("Urutan diubah"),
    "ubah_bab_lkj": N_("Bab LKj diubah"),
    "ubah_pegawai_lkj": N_("Jumlah pegawai LKj diubah"),
    "ubah_angka_tertulis": N_("Angka tertulis LKj diubah"),
    # the cascade (workflow.cascade), written on the document below that receives the indikator
    "turunkan": N_("Indikator diturunkan dari satker induk"),
    # realisations (workflow.realisasi_ops)
    "realisasi": N_("Realisasi indikator diisi"),
    "realisasi_anggaran": N_("Realisasi anggaran diisi"),
}


def label_aksi(aksi: str) -> str:
    """An action's label in the reader's language ("Baris ditambah", "Row added")."""
    return _(AKSI[aksi]) if aksi in AKSI else aksi


# Any constant: the key of the PostgreSQL advisory lock that serialises appends. Advisory
# locks are database-wide, so the chain's schema is the lock's first key: two schemas (two
# deployments, parallel test runs) each have their own chain and never wait on each other.
_CHAIN_LOCK = 0x5A4B1


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    # A document's history, newest first, is read from this index alone: the log is the
    # whole country's, and walking it by seq to find one document's entries grows with it.
    __table_args__ = (Index("ix_audit_log_dokumen_id_seq", "dokumen_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # a fork (two entries after one) cannot be stored
    waktu: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(64))
    membership_id: Mapped[int | None] = mapped_column(Integer)
    peran: Mapped[str | None] = mapped_column(String(120))
    satker_kode: Mapped[str | None] = mapped_column(String(8))
    dokumen_id: Mapped[int | None] = mapped_column(Integer)
    revisi_nomor: Mapped[int | None] = mapped_column(Integer)
    aksi: Mapped[str] = mapped_column(String(32))
    dari: Mapped[str | None] = mapped_column(String(16))
    ke: Mapped[str | None] = mapped_column(String(16))
    alasan: Mapped[str | None] = mapped_column(Text)
    rincian: Mapped[str | None] = mapped_column(Text)  # JSON
    hash_sebelum: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    @property
    def rincian_data(self) -> dict:
        return json.loads(self.rincian) if self.rincian else {}


def _utc_text(moment: datetime) -> str:
    # SQLite hands timestamps back without a zone, PostgreSQL in the session's zone:
    # hash the UTC wall time so both read back to the same text.
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


HASHED_FIELDS = ("seq", "user_id", "username", "membership_id", "peran", "satker_kode", "dokumen_id",
                 "revisi_nomor", "aksi", "dari", "ke", "alasan", "rincian", "hash_sebelum")


def compute_hash(entry) -> str:
    """The hash of an entry (an AuditEntry or a plain row of the table)."""
    fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
    fields["waktu"] = _utc_text(entry.waktu)
    payload = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema()), :key)"), {"key": _CHAIN_LOCK})


def append(session: Session, *, aksi: str, rincian: dict | None = None, **fields) -> AuditEntry:
    """Add the next link of the chain (flushed, not committed); ``aksi`` is one of ``AKSI``."""
    if aksi not in AKSI:
        raise ValueError(f"aksi audit tidak dikenal: {aksi!r} (daftarkan di workflow.audit.AKSI dengan labelnya)")
    _lock_chain(session)
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        hash_sebelum=last.hash if last else GENESIS,
        waktu=utcnow(),
        aksi=aksi,
        rincian=json.dumps(rincian, ensure_ascii=False, sort_keys=True, default=str) if rincian else None,
        **fields,
    )
    entry.hash = compute_hash(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class Broken:
    seq: int
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken: Broken | None
    # The hash of the last entry: written down elsewhere (a printout, a ticket), it lets
    # a later check notice entries removed from the end, which no link can show.
    head: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.broken is None


def _entries(session: Session, batch: int = 1000) -> Iterator:
    """Plain rows in batches: a long chain never fills the session's identity map."""
    table = AuditEntry.__table__
    after = 0
    while True:
        rows = session.execute(select(table).where(table.c.seq > after).order_by(table.c.seq).limit(batch)).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def verify(session: Session) -> VerifyResult:
    """Walk the chain from the start; stop at the first link that does not hold."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for entry in _entries(session):
        if entry.seq != expected_seq:
            return VerifyResult(checked, Broken(expected_seq, f"entri nomor {expected_seq} hilang"))
        if entry.hash_sebelum != expected_prev:
            return VerifyResult(checked, Broken(entry.seq, "tidak tersambung dengan entri sebelumnya"))
        if compute_hash(entry) != entry.hash:
            return VerifyResult(checked, Broken(entry.seq, "isinya tidak cocok dengan hash-nya (diubah)"))
        expected_prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    return VerifyResult(checked, None, expected_prev)
