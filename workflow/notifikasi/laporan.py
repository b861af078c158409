"""Who is told about a period's report (issue 17), and what: never everyone with a role.

Submitted: the reviewers of the parent office who may verify it (not the one who submitted
it). Returned: the one who submitted it, with the reason. Verified: the one who submitted it.
A correction opened by the office itself tells no one.

``sesudah_transisi`` is registered in ``workflow.pelaporan.operations.SESUDAH_TRANSISI``
(``workflow/notifikasi/__init__.py``): the period report knows no notification.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from tenants.people import Peran, User
from tenants.teks import _, dalam_bahasa
from workflow.dokumen.models import Dokumen
from workflow.notifikasi.models import JenisNotifikasi
from workflow.notifikasi.operations import beri_tahu
from workflow.notifikasi.penerima import pemegang_peran, pengaju
from workflow.pelaporan import policy, queries
from workflow.pelaporan.models import LaporanPeriode

# The kinds of the document's notifications say the same thing about a report: it waits
# for review, it came back, it was accepted.
_JENIS = {"ajukan": JenisNotifikasi.TINJAUAN, "kembalikan": JenisNotifikasi.DIKEMBALIKAN,
          "verifikasi": JenisNotifikasi.DISETUJUI}


def pemverifikasi(session: Session, dokumen: Dokumen, lap: LaporanPeriode) -> list[User]:
    return [u for u in pemegang_peran(session, dokumen.satker.parent_id, Peran.REVIEWER)
            if policy.verifikasi(u, dokumen, lap)]


def sesudah_transisi(session: Session, dokumen: Dokumen, lap: LaporanPeriode, event: str, user: User,
                     info: dict) -> None:
    """Tell whoever must act now that ``event`` was made on the report ``lap`` by ``user``."""
    if event not in _JENIS:
        return
    penerima = pemverifikasi(session, dokumen, lap) if event == "ajukan" else pengaju(session, lap.diajukan_oleh_id)
    per_bahasa: dict[str, list[User]] = {}
    for orang in penerima:
        per_bahasa.setdefault(orang.bahasa or "id", []).append(orang)
    for bahasa, orang in per_bahasa.items():
        with dalam_bahasa(bahasa):
            judul, isi = teks_laporan(session, event, dokumen, lap, user, info.get("alasan"))
        beri_tahu(session, orang, jenis=_JENIS[event], judul=judul, isi=isi,
                  tautan=f"/dokumen/{dokumen.id}/periode/{lap.periode}", satker=dokumen.satker, dokumen=dokumen)


def teks_laporan(session: Session, event: str, dokumen: Dokumen, lap: LaporanPeriode, oleh: User,
                 alasan: str | None = None) -> tuple[str, str]:
    """The title and the text of a notification about a period's report, in the current language."""
    nama = next((p.nama for p in queries.periode_dokumen(session, dokumen) if p.bulan == lap.periode), str(lap.periode))
    nilai = {"periode": nama, "satker": dokumen.satker.nama, "tahun": dokumen.tahun, "nama": oleh.full_name}
    if event == "ajukan":
        return (_("Laporan %(periode)s %(tahun)s %(satker)s menunggu verifikasi Anda", **nilai),
                _("%(nama)s telah mengajukan laporan realisasi %(periode)s beserta analisisnya. Periksa lalu "
                  "verifikasi atau kembalikan dengan alasan.", **nilai))
    if event == "kembalikan":
        return (_("Laporan %(periode)s %(tahun)s %(satker)s dikembalikan", **nilai),
                _("%(nama)s mengembalikan laporan realisasi %(periode)s untuk diperbaiki. Alasan: %(alasan)s",
                  alasan=(alasan or "").strip() or "-", **nilai))
    return (_("Laporan %(periode)s %(tahun)s %(satker)s diverifikasi", **nilai),
            _("%(nama)s telah memverifikasi laporan realisasi %(periode)s; realisasi periode itu kini terkunci.",
              **nilai))
