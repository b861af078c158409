"""Reads that both the write side (operations) and the read side (dashboards, realisation)
need: finding an office's document, and the schedule shape an office chose. They live
here so that a read never imports the write side."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.satker import Satker
from workflow.dokumen.jenis import Bentuk, berbentuk
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi
from workflow.schedule import BentukJadwal


def cari_dokumen(session: Session, satker: Satker, tahun: int, jenis: JenisDokumen) -> Dokumen | None:
    return session.scalar(select(Dokumen).where(
        Dokumen.satker_id == satker.id, Dokumen.tahun == tahun, Dokumen.jenis == jenis))


def bentuk_jadwal_kantor(session: Session, satker: Satker, tahun: int | None = None) -> BentukJadwal:
    """The schedule shape this office chose: that of its RAK of ``tahun`` (or of the latest
    year before it; any year when ``tahun`` is None), monthly for a first one. A later
    year's plan never changes how an earlier year is reported."""
    query = (select(Revisi.bentuk_jadwal).join(Dokumen)
             .where(Dokumen.satker_id == satker.id,
                    Dokumen.jenis.in_(berbentuk(Bentuk.RAK)),
                    Revisi.bentuk_jadwal.is_not(None))
             .order_by(Dokumen.tahun.desc(), Revisi.dibuat_pada.desc()).limit(1))
    if tahun is not None:
        query = query.where(Dokumen.tahun <= tahun)
    return session.scalar(query) or BentukJadwal.BULAN
