"""Approving several signed documents at once. Each is loaded through the same wall as a
single document (``policy.terlihat``), checked by the same rules (the state machine asks
``policy.tinjau``; the version the inbox showed), audited on its own as a single approve,
and approved in a SAVEPOINT of its own: a document refused leaves nothing behind, and the
others go on. Flushes, never commits: the handler commits the whole batch."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tenants.people import User
from tenants.teks import _
from workflow.dokumen import policy
from workflow.dokumen.models import Dokumen
from workflow.dokumen.operations import transisi
from workflow.errors import Ditolak, WorkflowError

MAKS_DOKUMEN = 100  # a page of the inbox; more is a request nobody clicked together


@dataclass(frozen=True)
class Ditolak1:
    """One document of the batch that was not approved, and why. ``dokumen`` is None for an
    id that does not exist or is out of reach: the two read the same."""

    dokumen_id: int
    dokumen: Dokumen | None
    alasan: str


@dataclass
class HasilMassal:
    disetujui: list[Dokumen] = field(default_factory=list)
    ditolak: list[Ditolak1] = field(default_factory=list)


def tidak_ditemukan() -> str:
    return _("Dokumen tidak ditemukan.")


def setujui_banyak(session: Session, user: User, pilihan: Sequence[tuple[int, int | None]],
                   alasan: str | None = None) -> HasilMassal:
    """Approve each ``(document id, version shown)`` of ``pilihan`` that ``user`` may approve,
    in the order given, with the same note. Ids out of reach are reported as missing."""
    if len(pilihan) > MAKS_DOKUMEN:
        raise Ditolak(_("Paling banyak %(n)s dokumen sekali setuju.", n=MAKS_DOKUMEN))
    ids = [dokumen_id for dokumen_id, _versi in pilihan]
    # Locked in the order of their ids, as every batch does: two batches never wait on each other in a circle.
    terlihat = {d.id: d for d in session.scalars(
        select(Dokumen).where(Dokumen.id.in_(ids), policy.terlihat(user))
        .order_by(Dokumen.id).with_for_update(of=Dokumen))}
    hasil = HasilMassal()
    for dokumen_id, versi in pilihan:
        dokumen = terlihat.get(dokumen_id)
        if dokumen is None:
            hasil.ditolak.append(Ditolak1(dokumen_id, None, tidak_ditemukan()))
            continue
        if masalah := _setujui(session, dokumen, user, versi, alasan):
            hasil.ditolak.append(Ditolak1(dokumen_id, dokumen, masalah))
        else:
            hasil.disetujui.append(dokumen)
    return hasil


def _setujui(session: Session, dokumen: Dokumen, user: User, versi: int | None, alasan: str | None) -> str | None:
    """None when approved; else the reason, with nothing of this document kept."""
    if versi is None:  # the inbox sends the version each row was shown at
        return _("Versi dokumen tidak terkirim; muat ulang kotak tinjauan lalu coba lagi.")
    try:
        with session.begin_nested():
            transisi(session, dokumen, "approve", user, versi=versi, alasan=alasan)
    except WorkflowError as exc:
        return exc.message
    except (StaleDataError, IntegrityError):
        return _("Dokumen ini baru saja diubah oleh orang lain; tidak ada yang disimpan untuk dokumen ini. "
                 "Muat ulang kotak tinjauan lalu coba lagi.")
    return None
