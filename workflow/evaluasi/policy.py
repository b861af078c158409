"""Who may do what to an office's evaluation, in words a user reads (docs/akses.md,
"Evaluasi AKIP"):

- read: whoever sees the office (tenants.scoping: its own people; admins, reviewers and
  inspektorat above); anyone else gets the 404 of a missing office;
- fill the self-assessment and submit it (again after a return): the office's Sekretaris;
- dispute the provisional result (once): the office's Ketua or Sekretaris;
- score, return for more evidence, write findings, publish, answer a dispute and
  finalise: an inspektorat membership at an office above (KPU RI's by default; a
  province's inspektorat for its kabupaten/kota). Nobody evaluates their own office.
"""
from __future__ import annotations

from tenants import scoping
from tenants.people import Peran, User
from tenants.satker import Satker
from tenants.teks import _
from workflow.dokumen.policy import Keputusan


def lihat(user: User | None, satker: Satker | None) -> bool:
    return scoping.can(user, scoping.Aksi.LIHAT, satker)


def isi(user: User | None, satker: Satker) -> Keputusan:
    if found := scoping.memberships_at(user, satker, Peran.SEKRETARIS):
        return Keputusan(membership=found[0])
    return Keputusan(alasan=_("Hanya Sekretaris %(satker)s yang dapat mengisi dan mengajukan penilaian mandiri.",
                              satker=satker.nama))


def sanggah(user: User | None, satker: Satker) -> Keputusan:
    if found := scoping.memberships_at(user, satker, Peran.KETUA, Peran.SEKRETARIS):
        return Keputusan(membership=found[0])
    return Keputusan(alasan=_("Hanya Ketua atau Sekretaris %(satker)s yang dapat menyanggah hasil evaluasi.",
                              satker=satker.nama))


def evaluator(user: User | None, satker: Satker) -> Keputusan:
    """An inspektorat membership at an office strictly above ``satker``: the nearest one."""
    above = [m for m in scoping.memberships_of(user, {Peran.INSPEKTORAT})
             if m.satker_id != satker.id and satker.path.startswith(m.satker.path)]
    if above:
        return Keputusan(membership=max(above, key=lambda m: len(m.satker.path)))
    return Keputusan(alasan=_("Hanya Inspektorat di satker atas (Inspektorat Utama KPU RI) yang dapat menilai "
                              "evaluasi %(satker)s.", satker=satker.nama))


def ada_evaluator(satker: Satker) -> bool:
    """KPU RI has no office above it: its own evaluation is the ministry's, outside."""
    return satker.parent_id is not None
