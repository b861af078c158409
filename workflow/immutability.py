"""From submit on, a revision's content cannot change by any path.

This is the model-layer wall: every flush is inspected, and ORM bulk UPDATE/DELETE on
the protected tables is refused outright (the operations never need it). The
database holds the second wall: triggers on PostgreSQL and SQLite (see the migration
"documents and workflow") refuse the same writes from any SQL client. Signatures and
the audit log are append-only.
"""
from __future__ import annotations

from itertools import chain

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from workflow.audit import AuditEntry
from workflow.content import CONTENT_MODELS, Indikator, Kegiatan
from workflow.document import HEADER_FIELDS, Revisi
from workflow.errors import IsiTerkunci
from workflow.signature import TandaTangan

PROTECTED_TABLES = frozenset(
    [m.__tablename__ for m in CONTENT_MODELS] + ["revisi", "tanda_tangan", "audit_log"]
)
_LOCKED_REVISI_FIELDS = (
    *HEADER_FIELDS, "dokumen_id", "nomor", "alasan_jenis", "alasan", "hash_isi", "kode_verifikasi",
    "diajukan_oleh_id", "diajukan_pada", "program", "sasaran", "baris",
)
MESSAGE = "Isi {label} terkunci sejak diajukan; perubahan hanya lewat revisi baru."


def _was_locked(revisi: Revisi) -> bool:
    history = inspect(revisi).attrs.terkunci.history
    if history.deleted:
        return bool(history.deleted[0])
    if inspect(revisi).pending:
        return False
    return bool(revisi.terkunci)


def _revisi_of(session: Session, obj) -> Revisi | None:
    if isinstance(obj, (Indikator, Kegiatan)) and obj.revisi is not None:
        return obj.revisi
    revisi_id = obj.revisi_id
    if revisi_id is None:
        history = inspect(obj).attrs.revisi_id.history
        revisi_id = history.deleted[0] if history.deleted else None
    return session.get(Revisi, revisi_id) if revisi_id is not None else None


def _changed(obj, names) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _refuse(revisi: Revisi | None) -> None:
    raise IsiTerkunci(MESSAGE.format(label=revisi.label if revisi else "revisi"))


@event.listens_for(Session, "before_flush")
def _guard_flush(session: Session, _context, _instances) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        modified = obj in session.new or obj in session.deleted or session.is_modified(obj)
        if not modified:
            continue
        if isinstance(obj, CONTENT_MODELS):
            revisi = _revisi_of(session, obj)
            if revisi is not None and _was_locked(revisi):
                _refuse(revisi)
        elif isinstance(obj, Revisi) and obj not in session.new:
            history = inspect(obj).attrs.terkunci.history
            unlocked = history.deleted and history.deleted[0] and not obj.terkunci
            review = inspect(obj).attrs.hasil_tinjauan.history
            re_reviewed = bool(review.deleted and review.deleted[0] is not None)
            if _was_locked(obj) and (obj in session.deleted or unlocked or re_reviewed
                                     or _changed(obj, _LOCKED_REVISI_FIELDS)):
                _refuse(obj)
        elif isinstance(obj, (TandaTangan, AuditEntry)) and obj not in session.new:
            raise IsiTerkunci("Tanda tangan dan jejak audit tidak dapat diubah atau dihapus.")


@event.listens_for(Session, "do_orm_execute")
def _guard_bulk(state) -> None:
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) in PROTECTED_TABLES:
        raise IsiTerkunci("Perubahan massal pada isi dokumen tidak diizinkan; gunakan operasi alur kerja.")
