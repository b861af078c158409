"""What is checked before a document may be submitted, and what is only pointed out."""
from __future__ import annotations

from workflow import schedule
from sqlalchemy import select
from sqlalchemy.orm import object_session

from workflow.document import Bentuk, Dokumen, JenisDokumen, Revisi
from workflow.rupiah import tulis_rupiah as rupiah


def _indikator_problems(revisi: Revisi) -> list[str]:
    problems = []
    if not revisi.sasaran:
        problems.append("Dokumen belum memiliki sasaran.")
    for s_no, sasaran in enumerate(revisi.sasaran, start=1):
        if not sasaran.indikator:
            problems.append(f"Sasaran {s_no} belum memiliki indikator kinerja.")
        for i_no, indikator in enumerate(sasaran.indikator, start=1):
            where = f"Sasaran {s_no}, indikator {i_no}"
            if not indikator.target_lengkap():
                problems.append(f"{where}: target belum diisi.")
            if not indikator.satuan_lengkap():
                problems.append(f"{where}: satuan target belum diisi.")
    return problems


def _rak_problems(revisi: Revisi) -> list[str]:
    problems = []
    if not revisi.baris:
        problems.append("Rencana aksi belum memiliki baris.")
    for no, baris in enumerate(revisi.baris, start=1):
        where = f"Baris {no}"
        if not baris.indikator.strip():
            problems.append(f"{where}: indikator kinerja belum diisi.")
        if not baris.target_lengkap():
            problems.append(f"{where}: target belum diisi.")
        if not baris.satuan_lengkap():
            problems.append(f"{where}: satuan target belum diisi.")
        if not baris.kegiatan:
            problems.append(f"{where}: belum ada kegiatan.")
        if schedule.kosong(baris.jadwal):
            problems.append(f"{where}: jadwal pelaksanaan belum ditandai.")
    return problems


def _lkj_problems(revisi: Revisi) -> list[str]:
    from workflow.lkj import BAB  # the LKj's chapters; workflow.lkj reads this module's rupiah()

    dokumen = revisi.dokumen
    problems = []
    pk = object_session(revisi).scalar(select(Dokumen.id).where(
        Dokumen.satker_id == dokumen.satker_id, Dokumen.tahun == dokumen.tahun,
        Dokumen.jenis.in_((JenisDokumen.PK_KOMISI, JenisDokumen.PK_SEKRETARIAT))).limit(1))
    if pk is None:
        problems.append(f"Belum ada Perjanjian Kinerja tahun {dokumen.tahun}: tabel capaian tidak dapat disusun.")
    for name, judul in BAB:
        if not (getattr(revisi.lkj, name, None) or "").strip():
            problems.append(f"{judul} belum diisi.")
    if not revisi.tempat or not revisi.tanggal:
        problems.append("Tempat dan tanggal laporan belum diisi.")
    return problems


def masalah_sebelum_ajukan(revisi: Revisi) -> list[str]:
    """Everything that blocks submitting, each with where it is."""
    if revisi.dokumen.jenis.bentuk is Bentuk.RAK:
        return _rak_problems(revisi)
    if revisi.dokumen.jenis.bentuk is Bentuk.LKJ:
        return _lkj_problems(revisi)
    return _indikator_problems(revisi)


def peringatan(revisi: Revisi) -> list[str]:
    """Figures that do not add up: shown, never blocking."""
    selisih = revisi.selisih_pagu
    if not selisih:
        return []
    arah = "kurang dari" if selisih > 0 else "melebihi"
    return [
        f"Jumlah anggaran program {rupiah(revisi.total_program)} {arah} pagu {rupiah(revisi.pagu)}: "
        f"selisih {rupiah(abs(selisih))}."
    ]
