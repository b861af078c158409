"""What is checked before a document may be submitted, and what is only pointed out."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import object_session

from tenants.teks import N_, _
from workflow import schedule
from workflow.dokumen import target_periode
from workflow.dokumen.bab_lkj import BAB
from workflow.dokumen.jenis import berbentuk
from workflow.dokumen.models import Bentuk, Dokumen, Revisi
from workflow.rupiah import tulis_rupiah as rupiah


TERAKHIR_TANPA_ALASAN = N_("%(letak)s: target periode terakhir berbeda dari target tahunan; tuliskan alasannya.")


def _indikator_problems(revisi: Revisi) -> list[str]:
    problems = []
    if not revisi.sasaran:
        problems.append(_("Dokumen belum memiliki sasaran."))
    for s_no, sasaran in enumerate(revisi.sasaran, start=1):
        if not sasaran.indikator:
            problems.append(_("Sasaran %(no)s belum memiliki indikator kinerja.", no=s_no))
        for i_no, indikator in enumerate(sasaran.indikator, start=1):
            found = []
            if not indikator.target_lengkap():
                found.append(N_("%(letak)s: target belum diisi."))
            if not indikator.satuan_lengkap():
                found.append(N_("%(letak)s: satuan target belum diisi."))
            if not target_periode.terakhir_sama(indikator) and not indikator.alasan_target_periode:
                found.append(TERAKHIR_TANPA_ALASAN)
            if found:  # the place is named only where there is something to say (every page view asks)
                where = _("Sasaran %(sasaran)s, indikator %(indikator)s", sasaran=s_no, indikator=i_no)
                problems += [_(teks, letak=where) for teks in found]
    return problems


def _rak_problems(rows) -> list[str]:
    problems = []
    if not rows:
        problems.append(_("Rencana aksi belum memiliki baris."))
    for no, baris in enumerate(rows, start=1):
        found = []
        if not baris.indikator.strip():
            found.append(N_("%(letak)s: indikator kinerja belum diisi."))
        if not baris.target_lengkap():
            found.append(N_("%(letak)s: target belum diisi."))
        if not baris.satuan_lengkap():
            found.append(N_("%(letak)s: satuan target belum diisi."))
        if not target_periode.terakhir_sama(baris) and not baris.alasan_target_periode:
            found.append(TERAKHIR_TANPA_ALASAN)
        if not baris.kegiatan:
            found.append(N_("%(letak)s: belum ada kegiatan."))
        if schedule.kosong(baris.jadwal):
            found.append(N_("%(letak)s: jadwal pelaksanaan belum ditandai."))
        if found:
            where = _("Baris %(no)s", no=no)
            problems += [_(teks, letak=where) for teks in found]
    return problems


def _lkj_problems(revisi: Revisi) -> list[str]:

    dokumen = revisi.dokumen
    problems = []
    pk = object_session(revisi).scalar(select(Dokumen.id).where(
        Dokumen.satker_id == dokumen.satker_id, Dokumen.tahun == dokumen.tahun,
        Dokumen.jenis.in_(berbentuk(Bentuk.PK))).limit(1))
    if pk is None:
        problems.append(_("Belum ada Perjanjian Kinerja tahun %(tahun)s: tabel capaian tidak dapat disusun.",
                          tahun=dokumen.tahun))
    for name, judul in BAB:
        if not (getattr(revisi.lkj, name, None) or "").strip():
            problems.append(_("%(bab)s belum diisi.", bab=_(judul)))
    if not revisi.tempat or not revisi.tanggal:
        problems.append(_("Tempat dan tanggal laporan belum diisi."))
    return problems


def masalah_sebelum_ajukan(revisi: Revisi, baris: Sequence | None = None) -> list[str]:
    """Everything that blocks submitting, each with where it is. ``baris``: a RAK's rows
    when the caller has read them already (the document page reads them without the ORM)."""
    if revisi.dokumen.jenis.bentuk is Bentuk.RAK:
        return _rak_problems(revisi.baris if baris is None else baris)
    if revisi.dokumen.jenis.bentuk is Bentuk.LKJ:
        return _lkj_problems(revisi)
    return _indikator_problems(revisi)


def peringatan(revisi: Revisi) -> list[str]:
    """Figures that do not add up: shown, never blocking."""
    selisih = revisi.selisih_pagu
    if not selisih:
        return []
    nilai = {"program": rupiah(revisi.total_program), "pagu": rupiah(revisi.pagu), "selisih": rupiah(abs(selisih))}
    if selisih > 0:
        return [_("Jumlah anggaran program %(program)s kurang dari pagu %(pagu)s: selisih %(selisih)s.", **nilai)]
    return [_("Jumlah anggaran program %(program)s melebihi pagu %(pagu)s: selisih %(selisih)s.", **nilai)]
