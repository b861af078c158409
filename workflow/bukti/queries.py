"""The evidence's reads: a cell's files, a document's, an office's per year and period, the
counts the realisation grid shows. Withdrawn files are left out of the lists (their record
stays, with the audit trail)."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from workflow.bukti.models import Bukti, Sasaran
from workflow.dokumen.models import Dokumen
from workflow.dokumen.queries import baca


def _aktif():
    return Bukti.ditarik_pada.is_(None)


def bukti_dokumen(session: Session, dokumen_id: int, bukti_id: int) -> Bukti | None:
    """A file still attached to this document (a withdrawn or another document's: None)."""
    return session.scalar(select(Bukti).where(Bukti.id == bukti_id, Bukti.dokumen_id == dokumen_id, _aktif()))


def daftar_sel(session: Session, dokumen_id: int, sasaran: Sasaran, kunci: str | None,
               periode: int | None) -> Sequence[Bukti]:
    query = select(Bukti).where(Bukti.dokumen_id == dokumen_id, Bukti.sasaran == sasaran.value, _aktif())
    if sasaran is not Sasaran.DOKUMEN:
        query = query.where(Bukti.kunci == kunci, Bukti.periode == periode)
    return session.scalars(query.options(joinedload(Bukti.diunggah_oleh)).order_by(Bukti.id)).all()


def daftar_dokumen(session: Session, dokumen_id: int) -> Sequence[Bukti]:
    """Every file attached to the document, its own and its periods'."""
    return session.scalars(select(Bukti).where(Bukti.dokumen_id == dokumen_id, _aktif())
                           .options(joinedload(Bukti.diunggah_oleh))
                           .order_by(Bukti.periode.nulls_first(), Bukti.kunci, Bukti.id)).all()


# Built once, the document bound per call: composing it cost about as much as running it.
_JUMLAH_PER_SEL = (select(Bukti.kunci, Bukti.periode, func.count())
                   .where(Bukti.dokumen_id == bindparam("dokumen"), Bukti.sasaran != Sasaran.DOKUMEN.value, _aktif())
                   .group_by(Bukti.kunci, Bukti.periode))


def jumlah_per_sel(session: Session, dokumen_id: int) -> dict[tuple[str, int], int]:
    """(kunci, period) -> how many files, for the grid's "Bukti (n)" links (one query)."""
    return {(kunci, periode): n for kunci, periode, n in baca(session, _JUMLAH_PER_SEL, {"dokumen": dokumen_id})}


def daftar_satker(session: Session, satker_id: int, tahun: int, periode: int | None) -> Sequence[Bukti]:
    """An office's files of a year: of one period, or all of them (its documents' own too)."""
    query = (select(Bukti).join(Dokumen, Dokumen.id == Bukti.dokumen_id)
             .where(Dokumen.satker_id == satker_id, Dokumen.tahun == tahun, _aktif()))
    if periode is not None:
        query = query.where(Bukti.periode == periode)
    return session.scalars(query.options(joinedload(Bukti.dokumen), joinedload(Bukti.diunggah_oleh))
                           .order_by(Bukti.periode.nulls_first(), Bukti.dokumen_id, Bukti.kunci, Bukti.id)).all()
