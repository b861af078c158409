"""From submit on, a revision's content cannot change by any path.

This is the model-layer wall: every flush is inspected, and ORM bulk UPDATE/DELETE on
the protected tables is refused outright (the operations never need it). The
database holds the second wall: triggers on PostgreSQL and SQLite (see the migration
"documents and workflow") refuse the same writes from any SQL client. Signatures and
the audit log are append-only. A document's status is held the same two ways: here it
changes only inside a transition, and the migration "state invariants" refuses any
status its current revision's rows contradict (a lock, the signatures, the approval),
which is why the transitions write those rows before the status (workflow.dokumen.flow).
"""
from __future__ import annotations

from itertools import chain

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from tenants.teks import N_, _
from workflow.audit import AuditEntry
from workflow.dokumen.content import CONTENT_MODELS, Indikator, Kegiatan, RakBaris, Sasaran
from workflow.dokumen.models import HEADER_FIELDS, Dokumen, Revisi
from workflow.dokumen.signature import TandaTangan
from workflow.errors import IsiTerkunci

# Set on a Dokumen by workflow.dokumen.operations.transisi while the state machine moves it.
TRANSITION_FLAG = "_sakip_in_transition"
PROTECTED_TABLES = frozenset(
    [m.__tablename__ for m in CONTENT_MODELS] + ["revisi", "tanda_tangan", "audit_log"]
)
_LOCKED_REVISI_FIELDS = (
    *HEADER_FIELDS, "dokumen_id", "nomor", "alasan_jenis", "alasan", "hash_isi", "kode_verifikasi",
    "diajukan_oleh_id", "diajukan_pada", "program", "sasaran", "baris", "lkj",
)
# Written once by the review, then frozen like the content.
_REVIEW_FIELDS = ("hasil_tinjauan", "catatan_tinjauan", "ditinjau_oleh_id", "ditinjau_pada")
MESSAGE = N_("Isi %(label)s terkunci sejak diajukan; perubahan hanya lewat revisi baru.")


def _was_locked(revisi: Revisi) -> bool:
    history = inspect(revisi).attrs.terkunci.history
    if history.deleted:
        return bool(history.deleted[0])
    if inspect(revisi).pending:
        return False
    return bool(revisi.terkunci)


def _revisions_of(session: Session, obj) -> list[Revisi]:
    """Every revision a content row touches: the one it was in, the one it moves to, and
    its parent row's (an indikator's sasaran, a kegiatan's RAK row)."""
    found: list[Revisi] = []
    history = inspect(obj).attrs.revisi_id.history
    ids = {*history.deleted, *history.added, *history.unchanged, obj.revisi_id} - {None}
    found += [r for r in (session.get(Revisi, i) for i in ids) if r is not None]
    if isinstance(obj, (Indikator, Kegiatan)) and obj.revisi is not None:
        found.append(obj.revisi)
    # A pending row knows its parent only by id (relationships are not loaded for it).
    if isinstance(obj, Indikator):
        parent = obj.sasaran or (session.get(Sasaran, obj.sasaran_id) if obj.sasaran_id else None)
    elif isinstance(obj, Kegiatan):
        parent = obj.baris or (session.get(RakBaris, obj.baris_id) if obj.baris_id else None)
    else:
        parent = None
    if parent is not None and parent.revisi_id is not None:
        found.append(session.get(Revisi, parent.revisi_id))
    return [r for r in found if r is not None]


def _changed(obj, names) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _refuse(revisi: Revisi | None) -> None:
    raise IsiTerkunci(_(MESSAGE, label=revisi.label if revisi else _("revisi")))


@event.listens_for(Session, "before_flush")
def _guard_flush(session: Session, _context, _instances) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        modified = obj in session.new or obj in session.deleted or session.is_modified(obj)
        if not modified:
            continue
        if isinstance(obj, CONTENT_MODELS):
            for revisi in _revisions_of(session, obj):
                if _was_locked(revisi):
                    _refuse(revisi)
        elif isinstance(obj, Revisi) and obj not in session.new:
            history = inspect(obj).attrs.terkunci.history
            unlocked = history.deleted and history.deleted[0] and not obj.terkunci
            review = inspect(obj).attrs.hasil_tinjauan.history
            reviewed_before = bool(review.deleted and review.deleted[0] is not None) or (
                not review.deleted and obj.hasil_tinjauan is not None)
            re_reviewed = reviewed_before and _changed(obj, _REVIEW_FIELDS)
            if _was_locked(obj) and (obj in session.deleted or unlocked or re_reviewed
                                     or _changed(obj, _LOCKED_REVISI_FIELDS)):
                _refuse(obj)
        elif isinstance(obj, (TandaTangan, AuditEntry)) and obj not in session.new:
            raise IsiTerkunci(_("Tanda tangan dan jejak audit tidak dapat diubah atau dihapus."))
        elif isinstance(obj, Dokumen) and obj not in session.new and not obj.__dict__.get(TRANSITION_FLAG):
            if inspect(obj).attrs.status.history.has_changes():
                raise IsiTerkunci(_("Status dokumen hanya berubah lewat alur kerja (ajukan, tanda tangani, tinjau)."))


@event.listens_for(Session, "do_orm_execute")
def _guard_bulk(state) -> None:
    """Bulk statements bypass the flush: refuse them on the protected tables (the
    operations add and change rows one by one)."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) in PROTECTED_TABLES:
        raise IsiTerkunci(_("Perubahan massal pada isi dokumen tidak diizinkan; gunakan operasi alur kerja."))
