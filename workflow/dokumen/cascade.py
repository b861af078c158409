"""Targets down: a parent office's PK indikator go into the draft PKs of the offices
directly below it (KPU RI -> 38 provinces; a province -> its kabupaten/kota).

Each inherited indikator keeps its link to the parent's (document and kunci) and the
parent's target as taken over. Running the cascade again adds nothing twice. A child may
add its own indikator and raise a target, never lower it below the parent's. When the
parent changes an indikator in a later revision, the children see the change and can
take it into their draft.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tenants.people import User
from tenants.satker import Satker
from tenants.teks import _
from workflow.audit import catat
from workflow.dokumen import operations, policy
from workflow.dokumen.content import Indikator, Sasaran
from workflow.dokumen.models import Dokumen, Revisi, Status
from workflow.dokumen.versi import sentuh
from workflow.errors import Ditolak
from workflow.target import Target, baca_target, lebih_buruk


@dataclass
class HasilCascade:
    anak: int = 0                 # child offices reached
    dokumen_baru: int = 0         # child PKs created as drafts
    indikator_baru: int = 0       # indikator added in total
    sudah_ada: int = 0            # already inherited (idempotence)
    dilewati: list[tuple[str, str]] = field(default_factory=list)  # (office, why)

    @property
    def ringkasan(self) -> str:
        text = _("%(anak)s satker: %(baru)s indikator ditambahkan, %(ada)s sudah ada, %(dokumen)s PK baru dibuat "
                 "sebagai draf.", anak=self.anak, baru=self.indikator_baru, ada=self.sudah_ada, dokumen=self.dokumen_baru)
        if self.dilewati:
            daftar = "; ".join(f"{s} ({why})" for s, why in self.dilewati)
            text += " " + _("Dilewati %(n)s: %(daftar)s", n=len(self.dilewati), daftar=daftar)
        return text


def _children(session: Session, satker: Satker) -> list[Satker]:
    return list(session.scalars(select(Satker).where(Satker.parent_id == satker.id).order_by(Satker.kode)))


def _child_documents(session: Session, induk: Dokumen, children: list[Satker]) -> dict[int, Dokumen]:
    rows = session.scalars(select(Dokumen).where(
        Dokumen.satker_id.in_([c.id for c in children]), Dokumen.tahun == induk.tahun, Dokumen.jenis == induk.jenis))
    return {d.satker_id: d for d in rows}


def _active_revisions(session: Session, documents: list[Dokumen]) -> dict[int, Revisi]:
    """Every document's current revision with its sasaran and indikator, in three queries."""
    if not documents:
        return {}
    by_id = {d.id: d.nomor_revisi for d in documents}
    rows = session.scalars(
        select(Revisi).where(Revisi.dokumen_id.in_(by_id))
        .options(selectinload(Revisi.sasaran).selectinload(Sasaran.indikator))
    )
    return {r.dokumen_id: r for r in rows if by_id[r.dokumen_id] == r.nomor}


def _copy_into(revisi: Revisi, induk: Dokumen, parent_sasaran: Sasaran, parent: Indikator) -> None:
    by_text = {s.uraian: s for s in revisi.sasaran}
    sasaran = by_text.get(parent_sasaran.uraian)
    if sasaran is None:
        sasaran = Sasaran(urutan=len(revisi.sasaran) + 1, tujuan=parent_sasaran.tujuan, uraian=parent_sasaran.uraian)
        revisi.sasaran.append(sasaran)
    sasaran.indikator.append(Indikator(
        revisi=revisi, urutan=len(sasaran.indikator) + 1, uraian=parent.uraian,
        jenis_target=parent.jenis_target, target_nilai=parent.target_nilai, target_kode=parent.target_kode,
        satuan=parent.satuan, polaritas=parent.polaritas, cara_agregasi=parent.cara_agregasi,
        target_periode=parent.target_periode, alasan_target_periode=parent.alasan_target_periode,
        induk_dokumen_id=induk.id, induk_kunci=parent.kunci, induk_target=parent.target,
    ))


def turunkan(session: Session, induk: Dokumen, user: User | None,
             progress: Callable[[Satker], None] | None = None) -> HasilCascade:
    """Cascade ``induk`` (a PK) into the same-kind draft PKs of the offices below.

    ``user`` None is the system (CLI); a user must be the parent document's penyusun.
    Flushes; the caller commits once, so the whole cascade is one transaction.
    """
    if not induk.jenis.diturunkan:
        raise Ditolak(_("Hanya Perjanjian Kinerja yang diturunkan ke satker di bawahnya."))
    membership = None
    if user is not None:
        decision = policy.turunkan(user, induk)
        if not decision:
            raise Ditolak(decision.alasan)
        membership = decision.membership
    sumber = induk.revisi_aktif
    children = _children(session, induk.satker)
    documents = _child_documents(session, induk, children)
    hasil = HasilCascade(anak=len(children))
    for child in children:
        if child.id not in documents:
            documents[child.id] = operations.buat_dokumen(session, child, induk.tahun, induk.jenis, None)
            hasil.dokumen_baru += 1
    revisions = _active_revisions(session, list(documents.values()))
    for child in children:
        dokumen = documents[child.id]
        if dokumen.status is not Status.DRAFT:
            hasil.dilewati.append((child.nama, _("PK berstatus %(status)s", status=dokumen.status.label)))
        else:
            _cascade_one(session, induk, sumber, dokumen, revisions[dokumen.id], user, membership, hasil)
        if progress:
            progress(child)
    session.flush()
    return hasil


def _cascade_one(session, induk, sumber, dokumen, revisi, user, membership, hasil) -> None:
    inherited = {(i.induk_dokumen_id, i.induk_kunci) for s in revisi.sasaran for i in s.indikator}
    added = 0
    for parent_sasaran in sumber.sasaran:
        for parent in parent_sasaran.indikator:
            if (induk.id, parent.kunci) in inherited:
                hasil.sudah_ada += 1
                continue
            _copy_into(revisi, induk, parent_sasaran, parent)
            added += 1
    hasil.indikator_baru += added
    if added:
        sentuh(dokumen)  # bumps the version: an editor open on the old one is told
        catat(session, dokumen, user, membership, aksi="turunkan",
              rincian={"induk": induk.satker.kode, "indikator": added})


# -- the child's side -------------------------------------------------------------------

@dataclass(frozen=True)
class PerubahanInduk:
    indikator: Indikator
    lama: str   # the parent's target when taken over
    baru: str   # the parent's target now


def perubahan_induk(session: Session, revisi: Revisi) -> list[PerubahanInduk]:
    """Inherited indikator whose parent target has changed since it was taken over."""
    linked = [i for s in revisi.sasaran for i in s.indikator if i.induk_kunci]
    if not linked:
        return []
    parents = session.execute(
        select(Indikator.kunci, Indikator.revisi_id, Revisi.dokumen_id, Indikator)
        .join(Revisi, Revisi.id == Indikator.revisi_id).join(Dokumen, Dokumen.id == Revisi.dokumen_id)
        .where(Dokumen.id.in_({i.induk_dokumen_id for i in linked}), Revisi.nomor == Dokumen.nomor_revisi,
               Indikator.kunci.in_({i.induk_kunci for i in linked}))
    ).all()
    now = {(row.dokumen_id, row.kunci): row.Indikator for row in parents}
    changes = []
    for i in linked:
        parent = now.get((i.induk_dokumen_id, i.induk_kunci))
        if parent is not None and parent.target != i.induk_target:
            changes.append(PerubahanInduk(i, i.induk_target or "-", parent.target))
    return changes


def ambil_perubahan_induk(session: Session, dokumen: Dokumen, user: User, versi: int | None = None) -> int:
    """Take every changed parent target into the draft: one action for all of them. A child
    target the parent's new one overtakes rises to it; one already above it stays."""
    # Asked before looking: with no parent change to take, the loop below would never ask
    # the policy and anyone who can read the document would be told it succeeded.
    decision = policy.ubah_semua(user, dokumen)
    if not decision:
        raise Ditolak(decision.alasan)
    changes = perubahan_induk(session, dokumen.revisi_aktif)
    for change in changes:
        i = change.indikator
        own = Target(i.jenis_target, i.target_nilai, i.target_kode, i.satuan)
        target = change.baru if lebih_buruk(i.polaritas, own, baca_target(change.baru)) else i.target
        operations.simpan_indikator(session, dokumen, user, i.sasaran.kunci, i.uraian, target, i.polaritas,
                                    kunci=i.kunci, versi=versi, induk_target=change.baru)
        versi = None  # checked once, before the first change
    return len(changes)
