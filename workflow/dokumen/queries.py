"""Reads that both the write side (operations) and the read side (dashboards, realisation)
need: finding an office's document, and the schedule shape an office chose. They live
here so that a read never imports the write side."""
from __future__ import annotations

from sqlalchemy import and_, bindparam, event, select
from sqlalchemy.orm import Session, aliased

from tenants.satker import Satker
from workflow.dokumen.jenis import Bentuk, berbentuk
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi
from workflow.schedule import BentukJadwal


def baca(session: Session, statement, params: dict | None = None) -> list:
    """The rows of a select of columns (no ORM entity), as ``session.execute(...).all()``
    gives them, without the ORM's work per statement (about 0.1 ms, a page's reads run
    several): what the session holds pending is flushed first, as its autoflush would.
    Fetched all at once: iterating the connection's result fetches row by row, dearer."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params).all()


# Built once, the values bound per call (composing a select costs about as much as running it).
_CARI = select(Dokumen).where(Dokumen.satker_id == bindparam("satker"), Dokumen.tahun == bindparam("tahun"),
                              Dokumen.jenis == bindparam("jenis", type_=Dokumen.jenis.type))


def cari_dokumen(session: Session, satker: Satker, tahun: int, jenis: JenisDokumen) -> Dokumen | None:
    return session.scalar(_CARI, {"satker": satker.id, "tahun": tahun, "jenis": jenis})


_BENTUK = "sakip_bentuk_jadwal"  # session.info: (office id, year) -> shape, until the next write


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _lupakan_bentuk(session: Session, *_args) -> None:
    session.info.pop(_BENTUK, None)


def bentuk_jadwal_kantor(session: Session, satker: Satker, tahun: int | None = None) -> BentukJadwal:
    """The schedule shape this office chose: that of its RAK of ``tahun`` (or of the latest
    year before it; any year when ``tahun`` is None), monthly for a first one. A later
    year's plan never changes how an earlier year is reported.

    Asked by several parts of one page (the period list, the grid, the due date, the
    evidence): answered once per office and year until the session writes something."""
    kept = session.info.setdefault(_BENTUK, {})
    if (satker.id, tahun) not in kept:
        kept[(satker.id, tahun)] = _bentuk_jadwal(session, satker, tahun)
    return kept[(satker.id, tahun)]


# Built once, the values bound per call: composing the select cost about as much as
# running it (every page of an office asks it).
_BENTUK_SEMUA = (select(Revisi.bentuk_jadwal).join(Dokumen)
                 .where(Dokumen.satker_id == bindparam("satker"),
                        Dokumen.jenis.in_(berbentuk(Bentuk.RAK)),
                        Revisi.bentuk_jadwal.is_not(None))
                 .order_by(Dokumen.tahun.desc(), Revisi.dibuat_pada.desc()).limit(1))
_BENTUK_SAMPAI = _BENTUK_SEMUA.where(Dokumen.tahun <= bindparam("tahun"))


def bentuk_jadwal_kolom(satker_id, tahun):
    """``bentuk_jadwal_kantor`` of the office ``satker_id`` for ``tahun`` (columns of the
    statement it is put in, or bound parameters) as a column of that statement: one
    statement fewer for a page that loads the document anyway. None: monthly (the default).
    Its value goes to ``ingat_bentuk_jadwal``."""
    dokumen, revisi = aliased(Dokumen), aliased(Revisi)  # the statement's own are the edited ones
    return (select(revisi.bentuk_jadwal).join(dokumen, dokumen.id == revisi.dokumen_id)
            .where(dokumen.satker_id == satker_id, dokumen.jenis.in_(berbentuk(Bentuk.RAK)),
                   revisi.bentuk_jadwal.is_not(None), dokumen.tahun <= tahun)
            .order_by(dokumen.tahun.desc(), revisi.dibuat_pada.desc()).limit(1).scalar_subquery())


def ingat_bentuk_jadwal(session: Session, satker_id: int, tahun: int, bentuk: BentukJadwal | None) -> None:
    """What a ``bentuk_jadwal_kolom`` read, kept as ``bentuk_jadwal_kantor`` keeps its own answer."""
    session.info.setdefault(_BENTUK, {})[(satker_id, tahun)] = bentuk or BentukJadwal.BULAN


# The same as a column of another statement (an office's dashboard reads it with its
# documents), its values bound as "satker" and "tahun".
BENTUK_JADWAL_KOLOM = bentuk_jadwal_kolom(bindparam("satker"), bindparam("tahun"))


def _bentuk_jadwal(session: Session, satker: Satker, tahun: int | None) -> BentukJadwal:
    if tahun is None:
        rows = baca(session, _BENTUK_SEMUA, {"satker": satker.id})
    else:
        rows = baca(session, _BENTUK_SAMPAI, {"satker": satker.id, "tahun": tahun})
    return (rows[0][0] if rows else None) or BentukJadwal.BULAN


def bentuk_jadwal_banyak(session: Session, satker_ids, tahun: int) -> dict[int, BentukJadwal]:
    """``bentuk_jadwal_kantor`` of many offices (ids, or a select of them) in one statement:
    office id -> its shape, every office named (monthly when it has no plan)."""
    rak = and_(Dokumen.satker_id == Satker.id, Dokumen.jenis.in_(berbentuk(Bentuk.RAK)), Dokumen.tahun <= tahun)
    rows = session.execute(
        select(Satker.id, Revisi.bentuk_jadwal).select_from(Satker).outerjoin(Dokumen, rak)
        .outerjoin(Revisi, and_(Revisi.dokumen_id == Dokumen.id, Revisi.bentuk_jadwal.is_not(None)))
        .where(Satker.id.in_(satker_ids)).order_by(Dokumen.tahun, Revisi.dibuat_pada))
    hasil: dict[int, BentukJadwal] = {}
    for satker_id, bentuk in rows:
        # Oldest plan first, so each office keeps its latest plan's shape.
        if bentuk is not None:
            hasil[satker_id] = BentukJadwal(bentuk)
        else:
            hasil.setdefault(satker_id, BentukJadwal.BULAN)
    return hasil
