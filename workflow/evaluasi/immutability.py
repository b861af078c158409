"""A final evaluation never changes, by any path of the application: every flush is
inspected (the evaluation, its answers, grades and findings), and bulk UPDATE/DELETE on
these tables is refused outright (the operations change rows one by one). The database
holds the states' fields (the checks of ``workflow.evaluasi.models``); what was hashed is
kept beside the hash (``isi_final``), so the verification page shows any change made
outside the application."""
from __future__ import annotations

from itertools import chain

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from tenants.teks import _
from workflow.errors import IsiTerkunci
from workflow.evaluasi.models import Evaluasi, Jawaban, NilaiSubkomponen, StatusEvaluasi, Temuan

TABLES = frozenset({"evaluasi", "evaluasi_jawaban", "evaluasi_nilai", "evaluasi_temuan"})
_ROWS = (Jawaban, NilaiSubkomponen, Temuan)


def _was_final(ev: Evaluasi | None) -> bool:
    if ev is None or inspect(ev).pending:
        return False
    history = inspect(ev).attrs.status.history
    before = history.deleted[0] if history.deleted else ev.status
    return StatusEvaluasi(before) is StatusEvaluasi.FINAL


def _refuse() -> None:
    raise IsiTerkunci(_("Evaluasi ini sudah final: nilai, jawaban dan temuannya tidak dapat diubah."))


@event.listens_for(Session, "before_flush")
def _guard_flush(session: Session, _context, _instances) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Evaluasi):
            if obj not in session.new and (obj in session.deleted or session.is_modified(obj)) and _was_final(obj):
                _refuse()
        elif isinstance(obj, _ROWS):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            ev = obj.evaluasi if obj.evaluasi is not None else session.get(Evaluasi, obj.evaluasi_id)
            if _was_final(ev):
                _refuse()


@event.listens_for(Session, "do_orm_execute")
def _guard_bulk(state) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) in TABLES:
        raise IsiTerkunci(_("Perubahan massal pada evaluasi tidak diizinkan; gunakan operasi evaluasi."))
