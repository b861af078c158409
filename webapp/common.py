"""What every blueprint needs about documents, so that no blueprint imports another's:
loading a document through the gate (``dokumen_or_404``), committing an operation
(``saving``), and the labels the pages share (registered as template globals by
``register``)."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

from flask import abort, send_file
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from tenants import teks
from tenants.db import db
from tenants.people import Divisi, Subbagian
from flask_babel import gettext as _
from workflow import audit
from workflow.dokumen import operations, policy
from workflow.dokumen.models import Dokumen, HasilTinjauan, JenisDokumen, Revisi, Status
from workflow.errors import Konflik, WorkflowError
from workflow.tinjauan import queries as tinjauan_queries

PELAKSANA_LABEL = {u.value: u.label for u in (*Divisi, *Subbagian)} | {policy.SEMUA: "Semua"}
STATUS_CSS = {Status.DRAFT: "secondary", Status.SUBMITTED: "info", Status.SIGNED: "primary", Status.REVIEWED: "success"}


# -- loading ---------------------------------------------------------------------------

def kirim_berkas(data: bytes, nama: str, mimetype: str):
    """A file made for one office (its plans, reports, evaluation): downloaded, never kept by a
    shared cache."""
    response = send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=nama, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def dokumen_or_404(dokumen_id: int, *, lock: bool = False) -> Dokumen:
    """Load -> check: a document outside the user's offices answers like a missing one."""
    query = select(Dokumen).where(Dokumen.id == dokumen_id, policy.terlihat(current_user))
    if lock:
        # Transitions queue up on the row, so the second of two simultaneous requests
        # sees the first one's result instead of the state both started from.
        query = query.with_for_update(of=Dokumen)
    dokumen = db.session.scalar(query)
    if dokumen is None:
        abort(404)
    return dokumen


_LOST_RACE = ("locked", "deadlock", "could not serialize")


@contextmanager
def saving():
    """Run an operation and commit it; losing a race to a concurrent change (the row
    version moved, a unique number was taken, SQLite's write lock, a PostgreSQL
    deadlock) becomes a ``Konflik`` and nothing of this request is kept."""
    try:
        yield
        db.session.commit()
    except (StaleDataError, IntegrityError, OperationalError) as exc:
        db.session.rollback()
        if isinstance(exc, OperationalError) and not any(w in str(exc).lower() for w in _LOST_RACE):
            raise
        raise Konflik(_("Dokumen ini baru saja diubah oleh orang lain; tidak ada yang disimpan dari "
                        "permintaan Anda. Muat ulang halaman lalu coba lagi.")) from None
    except WorkflowError:
        db.session.rollback()
        raise


# -- the filters of the lists (inbox, an office's documents, the offices below) -------------

@dataclass(frozen=True)
class PilihanSaringan:
    jenis: list[tuple[str, str]]
    status: list[tuple[str, str]]
    tahun: list[int]
    terlambat: bool  # offered once the calendar says what is late (workflow.tinjauan.queries)


def pilihan_saringan(statuses=tuple(Status), tahun=()) -> PilihanSaringan:
    return PilihanSaringan([(j.value, j.label) for j in JenisDokumen], [(s.value, s.label) for s in statuses],
                           list(tahun), tinjauan_queries.SARINGAN_TERLAMBAT is not None)


# -- verification codes ---------------------------------------------------------------

def kode_baku(kode: str) -> str:
    """The code as printed (``K7QM-4XPA``) however it was typed: in lower case, without its
    dash, with spaces. Anything else comes back trimmed, to be reported as not found."""
    huruf = "".join(c for c in kode.upper() if c.isascii() and c.isalnum())
    return f"{huruf[:4]}-{huruf[4:]}" if len(huruf) == 8 else kode.strip().upper()[:12]


# -- labels the pages share ----------------------------------------------------------

def pelaksana_label(value: str | None, jenis: JenisDokumen | None = None) -> str:
    """The unit's label; "semua" reads as the export and the editor write it for this kind."""
    if jenis is not None and value == policy.SEMUA:
        return dict(operations.pilihan_pelaksana(jenis))[value]
    return PELAKSANA_LABEL.get(value or "", "-")


def status_badge_class(status: Status) -> str:
    return STATUS_CSS[status]


def jenis_label(value: str) -> str:
    return JenisDokumen(value).label


def tombol_label(event: str) -> str:
    return teks._(operations.EVENT_LABELS[event])


def aksi_label(aksi: str) -> str:
    """An audited action's label (every action the log records has one: workflow.audit.AKSI)."""
    return audit.label_aksi(aksi)


def hasil_label(value: HasilTinjauan | None) -> str:
    return value.label if value else ""


HASIL_CSS = {HasilTinjauan.DISETUJUI: "success", HasilTinjauan.DIKEMBALIKAN: "danger"}


def keadaan_revisi(dokumen: Dokumen, revisi: Revisi, is_current: bool) -> tuple[str, str]:
    """(label, badge class) of what the page shows: the document's status on its current
    revision; on an older one what became of that revision (approved, returned, signed),
    never the document's present state, which belongs to another revision."""
    if is_current:
        return status_label(dokumen.status), STATUS_CSS[dokumen.status]
    if revisi.hasil_tinjauan is not None:
        return hasil_label(revisi.hasil_tinjauan), HASIL_CSS[revisi.hasil_tinjauan]
    if not revisi.terkunci:
        return status_label(Status.DRAFT), STATUS_CSS[Status.DRAFT]
    signed = len(revisi.tanda_tangan) >= len(dokumen.jenis.penandatangan)
    status = Status.SIGNED if signed else Status.SUBMITTED
    return status_label(status), STATUS_CSS[status]


def status_label(value: Status | str | None) -> str:
    try:
        return Status(value).label
    except ValueError:
        return value or ""


def register(bp) -> None:
    """The labels as the templates call them."""
    bp.add_app_template_filter(pelaksana_label, "pelaksana")
    for fn in (status_badge_class, jenis_label, tombol_label, aksi_label, hasil_label, keadaan_revisi, status_label):
        bp.add_app_template_global(fn)
