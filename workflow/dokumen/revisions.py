"""Opening a revision: a fresh first one, or a copy of the previous one to work on."""
from __future__ import annotations

from workflow.dokumen.content import LKJ_DITULIS, Indikator, IsiLkj, Kegiatan, ProgramAnggaran, RakBaris, Sasaran
from workflow.dokumen.models import HEADER_FIELDS, AlasanRevisi, Dokumen, Revisi

_TARGET_FIELDS = ("jenis_target", "target_nilai", "target_kode", "satuan", "polaritas", "target_periode",
                  "alasan_target_periode")
_INDIKATOR_FIELDS = ("urutan", "kunci", "uraian", "induk_dokumen_id", "induk_kunci", "induk_target", "cara_agregasi",
                     "pelaksana", *_TARGET_FIELDS)
_BARIS_FIELDS = ("urutan", "kunci", "sasaran", "indikator", "kode_output", "jadwal", "biaya", "pelaksana", *_TARGET_FIELDS)


def _copy(source, fields, **extra):
    return {name: getattr(source, name) for name in fields} | extra


def salin_isi(source: Revisi, target: Revisi) -> None:
    """Copy header and rows, keeping each row's ``kunci`` so the two can be compared."""
    for name in HEADER_FIELDS:
        setattr(target, name, getattr(source, name))
    target.program = [ProgramAnggaran(**_copy(p, ("urutan", "kode", "nama", "anggaran"))) for p in source.program]
    target.sasaran = []
    for s in source.sasaran:
        sasaran = Sasaran(**_copy(s, ("urutan", "kunci", "tujuan", "uraian")))
        sasaran.indikator = [Indikator(**_copy(i, _INDIKATOR_FIELDS), revisi=target)
                             for i in s.indikator]
        target.sasaran.append(sasaran)
    target.baris = []
    for b in source.baris:
        baris = RakBaris(**_copy(b, _BARIS_FIELDS))
        baris.kegiatan = [Kegiatan(urutan=k.urutan, uraian=k.uraian, revisi=target) for k in b.kegiatan]
        target.baris.append(baris)
    if source.lkj is not None:  # the tables (IsiLkj.tabel) are not copied: a draft computes them afresh
        target.lkj = IsiLkj(**_copy(source.lkj, LKJ_DITULIS))


def buka_revisi(dokumen: Dokumen, alasan_jenis: AlasanRevisi, alasan: str | None, user_id: int | None,
                dari: Revisi | None) -> Revisi:
    nomor = 0 if dari is None else max(r.nomor for r in dokumen.revisi) + 1
    revisi = Revisi(nomor=nomor, alasan_jenis=alasan_jenis, alasan=alasan, dibuat_oleh_id=user_id)
    if dari is not None:
        salin_isi(dari, revisi)
    dokumen.revisi.append(revisi)
    dokumen.nomor_revisi = nomor
    return revisi
