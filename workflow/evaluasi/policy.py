"""Who may do what to an office's evaluation, in words a user reads (docs/akses.md,
"Evaluasi AKIP"):

- read: whoever sees the office (tenants.scoping: its own people; admins, reviewers and
  inspektorat above); anyone else gets the 404 of a missing office;
- fill the self-assessment and submit it (again after a return): the office's Sekretaris,
  or whoever acts as Sekretaris (Plh/Plt, ``tenants.penunjukan``) within the appointment;
- dispute the provisional result (once): the office's Ketua or Sekretaris, or their Plh/Plt;
- score, return for more evidence, write findings, publish, answer a dispute and
  finalise: an inspektorat membership at an office above (KPU RI's by default; a
  province's inspektorat for its kabupaten/kota). Nobody evaluates their own office.
"""
from __future__ import annotations

from sqlalchemy.orm import object_session

from tenants import penunjukan as acting, scoping
from tenants.people import Peran, User
from tenants.satker import Satker
from tenants.teks import _
from workflow.dokumen.policy import Keputusan, tanggal


def lihat(user: User | None, satker: Satker | None) -> bool:
    return scoping.can(user, scoping.Aksi.LIHAT, satker)


def isi(user: User | None, satker: Satker) -> Keputusan:
    if found := scoping.memberships_at(user, satker, Peran.SEKRETARIS):
        return Keputusan(membership=found[0])
    if (acting_for := _sebagai_pelaksana(user, satker, Peran.SEKRETARIS)) is not None:
        return acting_for
    return Keputusan(alasan=_("Hanya Sekretaris %(satker)s yang dapat mengisi dan mengajukan penilaian mandiri.",
                              satker=satker.nama))


def sanggah(user: User | None, satker: Satker) -> Keputusan:
    if found := scoping.memberships_at(user, satker, Peran.KETUA, Peran.SEKRETARIS):
        return Keputusan(membership=found[0])
    refused = None
    for peran in acting.POSISI:
        if (acting_for := _sebagai_pelaksana(user, satker, peran)) is not None:
            if acting_for:
                return acting_for
            refused = refused if refused is not None else acting_for
    return refused if refused is not None else Keputusan(alasan=_("Hanya Ketua atau Sekretaris %(satker)s yang dapat menyanggah hasil "
                                         "evaluasi.", satker=satker.nama))


def _sebagai_pelaksana(user: User | None, satker: Satker, peran: Peran) -> Keputusan | None:
    """Acting as Plh/Plt of ``peran``, as for signing a document: granted within the
    appointment's period to a member of the office (the audit names both, see
    ``flow.catat``); refused naming the period outside it; None without any appointment."""
    held = scoping.memberships_at(user, satker)
    session = object_session(satker)
    if not held or session is None:
        return None
    appointments = acting.milik(session, user, satker.id, peran)
    if not appointments:
        return None
    today = acting.hari_ini()
    if current := next((p for p in appointments if p.berlaku_pada(today)), None):
        return Keputusan(membership=held[0], penunjukan=current)
    last = appointments[-1]
    return Keputusan(alasan=_("Penunjukan Anda sebagai %(jabatan)s berlaku %(mulai)s s.d. %(sampai)s; hari ini di "
                              "luar masa itu, jadi Anda tidak dapat bertindak sebagai %(sebutan)s dalam evaluasi.",
                              jabatan=last.jabatan, mulai=tanggal(last.mulai), sampai=tanggal(last.sampai),
                              sebutan=last.sebutan))


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
