"""Content for test documents, written through the same operations the editors use."""
from __future__ import annotations

from datetime import date

from workflow.dokumen import operations
from workflow.dokumen.models import Bentuk, Dokumen
from workflow.dokumen.operations import BarisData, Kepala, ProgramData
from workflow.target import Polaritas


def baris_contoh(no: int, pelaksana: str | None = None, biaya: int = 1_000_000) -> BarisData:
    return BarisData(
        sasaran=f"Sasaran {no}", indikator=f"Persentase capaian kegiatan {no}", target="97,5%",
        kegiatan=[f"Rapat koordinasi {no}", f"Monitoring {no}"], kode_output="CQ.6709.QGE.003",
        sel_jadwal=[1, 2, 3], biaya=biaya, pelaksana=pelaksana,
    )


def isi_contoh(session, dokumen: Dokumen, penyusun, baris: int = 2, sasaran: int = 2, pelaksana: str | None = None):
    if dokumen.jenis.bentuk is Bentuk.LKJ:  # chapters come pre-written; the tables are computed
        # A year's report is signed early the next year.
        laporan = Kepala(tempat="Batu", tanggal=date(dokumen.tahun + 1, 1, 13))
        operations.ubah_kepala(session, dokumen, penyusun, laporan, versi=None)
        return
    operations.ubah_kepala(session, dokumen, penyusun, Kepala(tempat="Batu", pagu=20_999_655_000), versi=None)
    operations.simpan_program(session, dokumen, penyusun, [
        ProgramData("076.01.CQ", "Program Penyelenggaraan Pemilu dalam Proses Konsolidasi Demokrasi", 18_384_118_000),
        ProgramData("076.01.WA", "Program Dukungan Manajemen", 1_143_402_000),
    ], versi=None)
    if dokumen.jenis.bentuk is Bentuk.RAK:
        unit = pelaksana or ("kul" if dokumen.jenis.value.endswith("sekretariat") else "keuangan")
        for no in range(1, baris + 1):
            operations.simpan_baris(session, dokumen, penyusun, baris_contoh(no, unit))
        return
    for no in range(1, sasaran + 1):
        s = operations.simpan_sasaran(session, dokumen, penyusun, f"Terwujudnya sasaran {no}")
        operations.simpan_indikator(session, dokumen, penyusun, s.kunci, f"Persentase indikator {no}", "100%")
        operations.simpan_indikator(session, dokumen, penyusun, s.kunci, "Opini BPK", "WTP", Polaritas.NAIK)
