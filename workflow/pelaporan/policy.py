"""Who may report a period and who verifies it, in words a user can read (the document's
rules, workflow.dokumen.policy, applied to a period's report):

- report (write the analysis, submit, reopen a verified period for correction): the PK's
  penyusun (the Sekretaris for the Sekretariat's PK, the Ketua for the Komisi's), once the
  PK is signed;
- verify or return: a reviewer at the parent office who did not submit it.
"""
from __future__ import annotations

from tenants import scoping
from tenants.people import User
from tenants.teks import _
from workflow.dokumen.models import Bentuk, Dokumen
from workflow.dokumen.policy import STATUS_REALISASI, Keputusan, nama_peran
from workflow.pelaporan.models import LaporanPeriode


def laporkan(user: User | None, dokumen: Dokumen) -> Keputusan:
    if dokumen.jenis.bentuk is not Bentuk.PK:
        return Keputusan(alasan=_("Laporan periode dibuat atas Perjanjian Kinerja."))
    if dokumen.status not in STATUS_REALISASI:
        return Keputusan(alasan=_("Laporan periode baru dapat dibuat setelah %(jenis)s ditandatangani.",
                                  jenis=dokumen.jenis.label))
    if found := scoping.memberships_at(user, dokumen.satker, dokumen.jenis.penyusun):
        return Keputusan(membership=found[0])
    return Keputusan(alasan=_("Hanya %(peran)s yang dapat melaporkan periode ini.",
                              peran=nama_peran(dokumen.jenis.penyusun, dokumen)))


def verifikasi(user: User | None, dokumen: Dokumen, lap: LaporanPeriode | None) -> Keputusan:
    membership = scoping.reviewer_membership(user, dokumen.satker)
    if membership is None:
        return Keputusan(alasan=_("Hanya reviewer di satker induk yang dapat memverifikasi laporan periode ini."))
    if user is not None and lap is not None and lap.diajukan_oleh_id == user.id:
        return Keputusan(alasan=_("Yang mengajukan laporan tidak boleh memverifikasinya sendiri."))
    return Keputusan(membership=membership)
