"""The audit trail: an append-only, keyed hash chain of every edit and transition.

Each entry's hash covers its own fields and the previous entry's hash, so altering,
removing or inserting a row anywhere breaks every link after it; ``verify`` names the
first broken one. Entries keep snapshots (username, role, office) rather than foreign
keys, so the log outlives what it describes.

The hash is an HMAC-SHA256 under ``SAKIP_AUDIT_KEY``, a secret the app servers hold and
the database does not: whoever can write the database but lacks the key cannot recompute
the chain after an edit, a deletion or a reordering. A plain SHA-256 chain, as this log
was written before it was keyed, is accepted only as the chain's beginning: its last
link is covered by the first keyed entry (written by ``sakip audit rekey``, or by the
first change after the upgrade), and from there on every entry must be keyed. Removing
entries from the end breaks no link; an anchor does show it: the head's seq and hash,
signed with the key (``anchor``) and kept outside the database, which ``verify`` checks
the chain still holds.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, Index, Integer, String, Text, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from tenants.db import db, utcnow
from tenants.people import Membership, User
from tenants.teks import N_, _

if TYPE_CHECKING:  # a type only: the documents write to the log, the log imports no document
    from workflow.dokumen.models import Dokumen

GENESIS = "0" * 64

# Every action the log records (its ``aksi``), with the label a document's history shows
# (tenants.teks: Indonesian, or the reader's language on a page). ``append`` refuses any
# other, so a new action cannot reach the history as a bare code.
AKSI = {
    # the state machine's events (workflow.dokumen.flow)
    "submit": N_("Diajukan"),
    "sign": N_("Ditandatangani"),
    "approve": N_("Disetujui"),
    "send_back": N_("Dikembalikan"),
    "revise": N_("Revisi dibuka"),
    # the edits (workflow.dokumen.operations)
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
    # the cascade (workflow.dokumen.cascade), written on the document below that receives the indikator
    "turunkan": N_("Indikator diturunkan dari satker induk"),
    # realisations (workflow.realisasi.operations)
    "realisasi": N_("Realisasi indikator diisi"),
    "realisasi_anggaran": N_("Realisasi anggaran diisi"),
    # a period's realisation reported and verified (workflow.pelaporan), written on the PK
    "laporan_analisis": N_("Analisis periode diisi"),
    "laporan_ajukan": N_("Laporan periode diajukan"),
    "laporan_verifikasi": N_("Laporan periode diverifikasi"),
    "laporan_kembalikan": N_("Laporan periode dikembalikan"),
    "laporan_koreksi": N_("Laporan periode dibuka untuk koreksi"),
    "realisasi_output": N_("Realisasi anggaran per output diisi"),
    "target_serapan": N_("Target penyerapan anggaran diubah"),
    # the calendar (workflow.jadwal.operations), written on the office
    "ubah_jadwal": N_("Jadwal diubah"),
    "ingatkan": N_("Satker diingatkan"),
    # acting officials (workflow.penunjukan.operations), written about the office
    "tunjuk_pelaksana": N_("Plh/Plt ditunjuk"),
    "akhiri_pelaksana": N_("Penunjukan Plh/Plt diakhiri lebih awal"),
    "hapus_pelaksana": N_("Penunjukan Plh/Plt dihapus"),
    # evidence (workflow.bukti.operations), written on the document the file is attached to
    "unggah_bukti": N_("Bukti dukung diunggah"),
    "tarik_bukti": N_("Bukti dukung ditarik"),
    # the yearly evaluation (workflow.evaluasi.operations), written on the office evaluated
    "evaluasi_isi": N_("Penilaian mandiri diisi"),
    "evaluasi_usulan": N_("Usulan jawaban dari data sistem diperbarui"),
    "evaluasi_nilai": N_("Penilaian evaluator diisi"),
    "evaluasi_temuan": N_("Temuan evaluasi ditulis"),
    "evaluasi_ajukan": N_("Penilaian mandiri diajukan"),
    "evaluasi_kembalikan": N_("Evaluasi dikembalikan untuk bukti tambahan"),
    "evaluasi_terbitkan": N_("Hasil sementara evaluasi diterbitkan"),
    "evaluasi_sanggah": N_("Hasil evaluasi disanggah"),
    "evaluasi_tanggapan": N_("Sanggahan ditanggapi"),
    "evaluasi_finalkan": N_("Evaluasi difinalkan"),
    # follow-ups of an evaluation's recommendations (workflow.tindaklanjut), written on the office
    "tindak_lanjut_dibuat": N_("Tindak lanjut rekomendasi dibuat"),
    "tindak_lanjut_ubah": N_("Penanggung jawab atau tenggat tindak lanjut diubah"),
    "tindak_lanjut_laporkan": N_("Perkembangan tindak lanjut dilaporkan"),
    "tindak_lanjut_selesai": N_("Tindak lanjut dinyatakan selesai"),
    "tindak_lanjut_kembalikan": N_("Laporan tindak lanjut dikembalikan"),
    # the chain itself (sakip audit rekey): the plain SHA-256 chain before it is keyed from here on
    "kunci_audit": N_("Jejak audit dikunci"),
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
    # An office's own entries (an evaluation's history: no document) come from the second,
    # partial one: the documents' entries, most of the log, are not in it.
    __table_args__ = (Index("ix_audit_log_dokumen_id_seq", "dokumen_id", "seq"),
                      Index("ix_audit_log_satker_kode_seq", "satker_kode", "seq",
                            sqlite_where=text("dokumen_id IS NULL"), postgresql_where=text("dokumen_id IS NULL")))

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
KEY_ENV = "SAKIP_AUDIT_KEY"


class AuditKeyMissing(RuntimeError):
    """No key to write or check the chain with; the message is for the operator."""


def audit_key() -> bytes:
    """The chain's key: the app's ``SAKIP_AUDIT_KEY`` (webapp.config: the environment's, or
    one generated for the embedded SQLite database), or the environment's outside an app."""
    from flask import current_app, has_app_context

    value = current_app.config.get(KEY_ENV) if has_app_context() else os.environ.get(KEY_ENV)
    if not value:
        raise AuditKeyMissing(f"{KEY_ENV} belum diisi: jejak audit tidak dapat ditulis atau diperiksa tanpa "
                              "kunci yang dipakai rantainya (README, Produksi).")
    return value.encode("utf-8")


def _payload(entry) -> bytes:
    fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
    fields["waktu"] = _utc_text(entry.waktu)
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def compute_hash(entry, key: bytes | None) -> str:
    """The hash of an entry (an AuditEntry or a plain row of the table): keyed with ``key``,
    or the plain SHA-256 the chain was written with before it had a key."""
    if key is None:
        return hashlib.sha256(_payload(entry)).hexdigest()
    return hmac.new(key, _payload(entry), hashlib.sha256).hexdigest()


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(current_schema()), :key)"), {"key": _CHAIN_LOCK})


def append(session: Session, *, aksi: str, rincian: dict | None = None, **fields) -> AuditEntry:
    """Add the next link of the chain (flushed, not committed); ``aksi`` is one of ``AKSI``."""
    if aksi not in AKSI:
        raise ValueError(f"aksi audit tidak dikenal: {aksi!r} (daftarkan di workflow.audit.AKSI dengan labelnya)")
    key = audit_key()
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
    entry.hash = compute_hash(entry, key)
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
    # The hash of the last entry: written down elsewhere (an anchor), it lets a later
    # check notice entries removed from the end, which no link can show.
    head: str = GENESIS
    # The first keyed entry: the plain entries before it are covered by its link.
    keyed_from: int | None = None

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


def _link(entry, key: bytes) -> str | None:
    """Which way an entry's hash was made: "kunci" (the HMAC under ``key``), "polos" (the
    plain SHA-256 of before the key), or None: by neither, so its content changed."""
    if hmac.compare_digest(compute_hash(entry, key), entry.hash):
        return "kunci"
    return "polos" if compute_hash(entry, None) == entry.hash else None


def verify(session: Session, anchors: Iterable[Anchor] = (), *, key: bytes | None = None,
           unkeyed_ok: bool = False) -> VerifyResult:
    """Walk the chain from the start; stop at the first link that does not hold. Plain
    entries pass only before the first keyed one, and a chain of plain entries only is
    refused (it has no key yet: ``sakip audit rekey``) unless ``unkeyed_ok``. Every
    anchor's entry must still be in the chain, unchanged."""
    key = audit_key() if key is None else key
    pinned = {a.seq: a.hash for a in anchors}
    expected_prev, expected_seq, keyed_from = GENESIS, 1, None
    for entry in _entries(session):
        checked = expected_seq - 1
        if entry.seq != expected_seq:
            return VerifyResult(checked, Broken(expected_seq, f"entri nomor {expected_seq} hilang"))
        if entry.hash_sebelum != expected_prev:
            return VerifyResult(checked, Broken(entry.seq, "tidak tersambung dengan entri sebelumnya"))
        link = _link(entry, key)
        if link is None:
            hint = ", atau SAKIP_AUDIT_KEY bukan kunci rantai ini" if entry.seq == 1 else ""
            return VerifyResult(checked, Broken(entry.seq, f"isinya tidak cocok dengan hash-nya (diubah{hint})"))
        if link == "polos" and keyed_from is not None:
            return VerifyResult(checked, Broken(entry.seq, f"tidak berkunci, padahal rantai berkunci sejak entri "
                                                           f"nomor {keyed_from} (ditulis atau dihitung ulang di "
                                                           "luar aplikasi)"))
        if pinned.get(entry.seq, entry.hash) != entry.hash:
            return VerifyResult(checked, Broken(entry.seq, "berbeda dari yang dicatat jangkar"))
        if link == "kunci" and keyed_from is None:
            keyed_from = entry.seq
        expected_prev, expected_seq = entry.hash, expected_seq + 1
    last = expected_seq - 1
    if cut := [seq for seq in pinned if seq > last]:
        return VerifyResult(last, Broken(min(cut), f"tidak ada lagi, padahal dicatat jangkar: ujung rantai "
                                                   f"dipotong (kini berakhir di entri nomor {last})"), expected_prev)
    if last and keyed_from is None and not unkeyed_ok:
        return VerifyResult(last, Broken(last, "rantai belum berkunci (SHA-256 tanpa kunci): jalankan "
                                               "`sakip audit rekey` dengan SAKIP_AUDIT_KEY"), expected_prev)
    return VerifyResult(last, None, expected_prev, keyed_from)


def rekey(session: Session) -> VerifyResult:
    """Key a plain chain: verify it as it is, then append the entry whose keyed link covers
    it (flushed, not committed). A chain already keyed, or broken, is left as it is; the
    result says which."""
    result = verify(session, unkeyed_ok=True)
    if result.ok and result.checked and result.keyed_from is None:
        append(session, aksi="kunci_audit", rincian={"entri_tanpa_kunci": result.checked,
                                                     "hash_terakhir_tanpa_kunci": result.head})
    return result


# -- anchors: the head, signed, kept outside the database ---------------------------------------

ANCHOR_VERSION = 1


class AnchorInvalid(ValueError):
    """An anchor that cannot be read or was not signed with this key."""


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    dibuat: str

    def _mac(self, key: bytes) -> str:
        message = f"sakip-jangkar-audit\n{ANCHOR_VERSION}\n{self.seq}\n{self.hash}\n{self.dibuat}"
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()

    def to_line(self, key: bytes | None = None) -> str:
        key = audit_key() if key is None else key
        return json.dumps({"jangkar_audit": ANCHOR_VERSION, "seq": self.seq, "hash": self.hash,
                           "dibuat": self.dibuat, "mac": self._mac(key)}, separators=(",", ":"))


def anchor(result: VerifyResult) -> Anchor:
    """The anchor of a verified chain's head."""
    return Anchor(result.checked, result.head, _utc_text(utcnow()) + "Z")


def read_anchors(lines: Iterable[str], source: str, key: bytes | None = None) -> list[Anchor]:
    """The anchors of a file of them (one JSON object a line, as ``sakip audit anchor``
    prints them), each checked against the key."""
    key = audit_key() if key is None else key
    anchors = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            found = Anchor(int(data["seq"]), str(data["hash"]), str(data["dibuat"]))
            mac = str(data["mac"])
            valid = data.get("jangkar_audit") == ANCHOR_VERSION
        except (ValueError, KeyError, TypeError, AttributeError):
            raise AnchorInvalid(f"{source} baris {number} bukan jangkar jejak audit.") from None
        if not (valid and hmac.compare_digest(found._mac(key), mac)):
            raise AnchorInvalid(f"{source} baris {number}: tanda jangkar tidak cocok dengan SAKIP_AUDIT_KEY "
                                "(diubah, atau dibuat dengan kunci lain).")
        anchors.append(found)
    if not anchors:
        raise AnchorInvalid(f"{source} tidak berisi jangkar satu pun.")
    return anchors


def catat(session: Session, dokumen: Dokumen, user: User | None, membership: Membership | None, *,
          aksi: str, revisi_nomor: int | None = None, peran: str | None = None, **fields) -> AuditEntry:
    """An entry about ``dokumen`` by ``user`` acting under ``membership`` (None: the system),
    in the position ``peran`` when it is not the membership's own (a Plh's)."""
    return append(
        session, aksi=aksi, user_id=user.id if user else None, username=user.username if user else None,
        membership_id=membership.id if membership else None,
        peran=peran or (f"{membership.jabatan}" if membership else None), satker_kode=dokumen.satker.kode,
        dokumen_id=dokumen.id, revisi_nomor=revisi_nomor if revisi_nomor is not None else dokumen.nomor_revisi,
        **fields,
    )
