"""A document's version: every change bumps it, and a form sent from an older one is
refused unless the change it makes is only to what the sender saw (workflow.dokumen.sidik).
Shared by every writer (operations, realisation, cascade) without importing each other."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.teks import _
from workflow import audit
from workflow.dokumen.models import Dokumen
from tenants.db import utcnow
from workflow.errors import Konflik


def periksa_versi(session: Session, dokumen: Dokumen, versi: int | None) -> None:
    if versi is None or versi == dokumen.versi:
        return
    last = session.scalar(select(audit.AuditEntry).where(audit.AuditEntry.dokumen_id == dokumen.id)
                          .order_by(audit.AuditEntry.seq.desc()).limit(1))
    if last and last.username:
        raise Konflik(_("Dokumen ini telah diubah oleh %(siapa)s sejak Anda membukanya. Isian Anda belum "
                        "disimpan: periksa perubahan terbaru, lalu simpan lagi.", siapa=last.username))
    raise Konflik(_("Dokumen ini telah diubah sejak Anda membukanya. Isian Anda belum disimpan: "
                    "periksa perubahan terbaru, lalu simpan lagi."))


def sentuh(dokumen: Dokumen) -> None:
    # Any change bumps the document's version (compare-and-set at flush).
    dokumen.diubah_pada = utcnow()
