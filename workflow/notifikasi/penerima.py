"""Who must act next on a document, and what they are told: never everyone with a role.

After a submit or a signature that leaves one to go: the next signatory (the people of the
office who hold the next signatory's role and may sign now). After the last signature: the
reviewers of the parent office who may review it (not one who submitted or signed it).
After a return or an approval: the person who submitted the revision.

``sesudah_transisi`` is registered in ``workflow.dokumen.operations.SESUDAH_TRANSISI``
(``workflow/notifikasi/__init__.py``): the document knows no notification.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants import penunjukan
from tenants.people import Membership, Peran, User
from tenants.teks import _, dalam_bahasa
from workflow.dokumen import policy
from workflow.dokumen.models import Dokumen, Revisi, Status
from workflow.notifikasi.models import JenisNotifikasi
from workflow.notifikasi.operations import beri_tahu


def pemegang_peran(session: Session, satker_id: int | None, peran: Peran) -> list[User]:
    """The active people holding ``peran`` at office ``satker_id`` today, the acting official
    (Plh/Plt) in force among them: the one place that says who fills a position."""
    if satker_id is None:
        return []
    people = list(session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.satker_id == satker_id, Membership.peran == peran, User.active.is_(True))
        .distinct().order_by(User.id)))
    acting = penunjukan.berlaku(session, satker_id, peran, penunjukan.hari_ini()) if peran in penunjukan.POSISI else None
    if acting is not None and acting.user.active and acting.user not in people:
        people.append(acting.user)
    return people


def penandatangan_berikut(session: Session, dokumen: Dokumen, revisi: Revisi) -> list[User]:
    berikut = policy.penandatangan_berikut(dokumen, revisi)
    if berikut is None:
        return []
    return [u for u in pemegang_peran(session, dokumen.satker_id, berikut.peran)
            if policy.tandatangani(u, dokumen, revisi)]


def peninjau(session: Session, dokumen: Dokumen, revisi: Revisi) -> list[User]:
    return [u for u in pemegang_peran(session, dokumen.satker.parent_id, Peran.REVIEWER)
            if policy.tinjau(u, dokumen, revisi)]


def pengaju(session: Session, diajukan_oleh_id: int | None) -> list[User]:
    """Whoever submitted (a revision, a period report): the one told of its return or approval."""
    user = session.get(User, diajukan_oleh_id) if diajukan_oleh_id else None
    return [user] if user is not None else []


def sesudah_transisi(session: Session, dokumen: Dokumen, event: str, user: User, info: dict) -> None:
    """Tell whoever must act now that ``event`` was made on ``dokumen`` by ``user``."""
    revisi: Revisi = info.get("revisi") or dokumen.revisi_aktif
    if event in ("submit", "sign") and dokumen.status is Status.SUBMITTED:
        _kabari(session, dokumen, penandatangan_berikut(session, dokumen, revisi), JenisNotifikasi.TANDA_TANGAN,
                user, revisi)
    elif event == "sign" and dokumen.status is Status.SIGNED:
        _kabari(session, dokumen, peninjau(session, dokumen, revisi), JenisNotifikasi.TINJAUAN, user, revisi)
    elif event == "send_back":
        _kabari(session, dokumen, pengaju(session, revisi.diajukan_oleh_id), JenisNotifikasi.DIKEMBALIKAN, user, revisi,
                alasan=info.get("alasan"))
    elif event == "approve":
        _kabari(session, dokumen, pengaju(session, revisi.diajukan_oleh_id), JenisNotifikasi.DISETUJUI, user, revisi)


def _kabari(session: Session, dokumen: Dokumen, penerima: Iterable[User], jenis: JenisNotifikasi, oleh: User,
            revisi: Revisi, alasan: str | None = None) -> None:
    """One notification each, written in the recipient's own language. The one who acted is
    told too when the next step is theirs (a Sekretaris signs first what they submitted)."""
    per_bahasa: dict[str, list[User]] = {}
    for user in penerima:
        per_bahasa.setdefault(user.bahasa or "id", []).append(user)
    for bahasa, orang in per_bahasa.items():
        with dalam_bahasa(bahasa):
            judul, isi = teks_notifikasi(jenis, dokumen, oleh, revisi, alasan)
        beri_tahu(session, orang, jenis=jenis, judul=judul, isi=isi, tautan=f"/dokumen/{dokumen.id}",
                  satker=dokumen.satker, dokumen=dokumen)


def teks_notifikasi(jenis: JenisNotifikasi, dokumen: Dokumen, oleh: User, revisi: Revisi,
                    alasan: str | None = None) -> tuple[str, str]:
    """The title and the text of a notification about ``dokumen``, in the current language."""
    nilai = {"jenis": dokumen.jenis.label, "satker": dokumen.satker.nama, "tahun": dokumen.tahun,
             "nama": oleh.full_name}
    if jenis is JenisNotifikasi.TANDA_TANGAN:
        berikut = policy.penandatangan_berikut(dokumen, revisi)
        kapasitas = berikut.kapasitas.label if berikut else "-"
        if revisi.tanda_tangan:
            isi = _("%(nama)s telah menandatangani dokumen ini. Giliran Anda menandatangani sebagai %(kapasitas)s.",
                    kapasitas=kapasitas, **nilai)
        else:
            isi = _("%(nama)s telah mengajukan dokumen ini. Giliran Anda menandatangani sebagai %(kapasitas)s.",
                    kapasitas=kapasitas, **nilai)
        return _("%(jenis)s %(satker)s %(tahun)s menunggu tanda tangan Anda", **nilai), isi
    if jenis is JenisNotifikasi.TINJAUAN:
        return (_("%(jenis)s %(satker)s %(tahun)s menunggu tinjauan Anda", **nilai),
                _("Dokumen ini telah ditandatangani lengkap (terakhir oleh %(nama)s) dan menunggu tinjauan "
                  "reviewer satker induk.", **nilai))
    if jenis is JenisNotifikasi.DIKEMBALIKAN:
        return (_("%(jenis)s %(satker)s %(tahun)s dikembalikan", **nilai),
                _("%(nama)s mengembalikan dokumen ini untuk diperbaiki. Alasan: %(alasan)s",
                  alasan=(alasan or "").strip() or "-", **nilai))
    return (_("%(jenis)s %(satker)s %(tahun)s disetujui", **nilai),
            _("%(nama)s telah menyetujui dokumen ini.", **nilai))
