"""What happened to a document and what it waits for, in words a user reads at a glance.

A draft opened by a reviewer's return says so, with the reason, in its office's list and at
the top of its page (its status alone, "Draf", hides that it came back). Whoever looks at a
document they cannot move on yet reads whose turn it is ("Menunggu tanda tangan Sekretaris
KPU Kota Batu."), instead of a page without buttons.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from tenants import penunjukan as acting, scoping
from tenants.people import User
from tenants.teks import _
from workflow.dokumen import policy
from workflow.dokumen.models import Dokumen, HasilTinjauan, Revisi, Status


@dataclass(frozen=True)
class Pengembalian:
    """A reviewer's return of the revision before a document's current draft."""

    alasan: str
    oleh: str | None        # the reviewer's name (None: the account is gone)
    pada: datetime | None
    revisi: int             # the number of the revision that was returned


def pengembalian(session: Session, dokumen: Iterable[Dokumen]) -> dict[int, Pengembalian]:
    """The drafts among ``dokumen`` that a reviewer returned, by document id: the return
    is recorded on the revision before the draft. One statement for a whole list."""
    drafts = {d.id: d for d in dokumen if d.status is Status.DRAFT and d.nomor_revisi > 0}
    if not drafts:
        return {}
    rows = session.execute(
        select(Revisi.dokumen_id, Revisi.nomor, Revisi.catatan_tinjauan, Revisi.ditinjau_pada, User.full_name)
        .outerjoin(User, User.id == Revisi.ditinjau_oleh_id)
        .where(Revisi.dokumen_id.in_(drafts), Revisi.hasil_tinjauan == HasilTinjauan.DIKEMBALIKAN)
    ).all()
    return {r.dokumen_id: Pengembalian(r.catatan_tinjauan or "", r.full_name, r.ditinjau_pada, r.nomor)
            for r in rows if r.nomor == drafts[r.dokumen_id].nomor_revisi - 1}


def menunggu(user: User | None, dokumen: Dokumen, revisi_aktif: Revisi) -> str | None:
    """Whose turn it is, for a user who cannot take it; None when the user may act now or
    nothing is awaited (an approved document)."""
    if dokumen.status is Status.DRAFT:
        if policy.ajukan(user, dokumen):
            return None
        return _("Menunggu diajukan oleh %(peran)s.", peran=policy.nama_peran(dokumen.jenis.penyusun, dokumen))
    if dokumen.status is Status.SUBMITTED:
        berikut = policy.penandatangan_berikut(dokumen, revisi_aktif)
        if berikut is None or policy.tandatangani(user, dokumen, revisi_aktif):
            return None
        teks = _("Menunggu tanda tangan %(peran)s.", peran=policy.nama_peran(berikut.peran, dokumen))
        if giliran := _giliran_anda(user, dokumen, revisi_aktif):
            teks += " " + _("Anda menandatangani sesudahnya sebagai %(kapasitas)s.", kapasitas=giliran)
        return teks
    if dokumen.status is Status.SIGNED:
        if policy.tinjau(user, dokumen, revisi_aktif) or dokumen.satker.parent is None:
            return None
        return _("Menunggu tinjauan reviewer %(satker)s.", satker=dokumen.satker.parent.nama)
    return None


def pelaksana_berikut(dokumen: Dokumen, revisi_aktif: Revisi) -> str | None:
    """Who may give the next signature as Plh/Plt today, for the document page."""
    if dokumen.status is not Status.SUBMITTED:
        return None
    berikut = policy.penandatangan_berikut(dokumen, revisi_aktif)
    if berikut is None or berikut.peran not in acting.POSISI:
        return None
    found = acting.berlaku(object_session(dokumen), dokumen.satker_id, berikut.peran, acting.hari_ini())
    if found is None:
        return None
    return _("Dapat ditandatangani oleh %(sebutan)s: %(nama)s s.d. %(sampai)s.", sebutan=found.sebutan,
             nama=found.user.full_name, sampai=policy.tanggal(found.sampai))


def _giliran_anda(user: User | None, dokumen: Dokumen, revisi_aktif: Revisi) -> str | None:
    """The capacity in which ``user`` signs later in the order, if any."""
    urutan = dokumen.jenis.penandatangan
    for p in urutan[len(revisi_aktif.tanda_tangan) + 1:]:
        if scoping.memberships_at(user, dokumen.satker, p.peran):
            return p.kapasitas.label
    return None
