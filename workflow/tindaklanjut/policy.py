"""Who may do what to a follow-up, in words a user reads (docs/akses.md, "Tindak lanjut"):

- read: whoever sees the office (as its evaluation); anyone else gets the 404 of a missing one;
- report progress: its owner (a member of the office; by default its Sekretaris) or the
  office's Sekretaris, who answers for the office's follow-ups when the owner is away;
- close it, return it with a reason, change its owner or due date: the evaluator of the
  office (an inspektorat membership at an office above, ``workflow.evaluasi.policy``).
"""
from __future__ import annotations

from tenants import scoping
from tenants.people import Peran, User
from tenants.satker import Satker
from tenants.teks import _
from workflow.dokumen.policy import Keputusan
from workflow.evaluasi import policy as evaluasi_policy
from workflow.tindaklanjut.models import TindakLanjut


def lihat(user: User | None, satker: Satker | None) -> bool:
    return evaluasi_policy.lihat(user, satker)


def laporkan(user: User | None, tl: TindakLanjut) -> Keputusan:
    if user is not None and tl.pemilik_id == user.id and (found := scoping.memberships_at(user, tl.satker)):
        return Keputusan(membership=found[0])
    if found := scoping.memberships_at(user, tl.satker, Peran.SEKRETARIS):
        return Keputusan(membership=found[0])
    return Keputusan(alasan=_("Hanya penanggung jawab tindak lanjut ini atau Sekretaris %(satker)s yang dapat "
                              "melaporkan perkembangannya.", satker=tl.satker.nama))


def evaluator(user: User | None, tl: TindakLanjut) -> Keputusan:
    return evaluator_satker(user, tl.satker)


def evaluator_satker(user: User | None, satker: Satker) -> Keputusan:
    return evaluasi_policy.evaluator(user, satker)
