"""What other parts read about follow-ups: an office's per year, one by its id within its
office, its history, the LKj's table of them. Reads only."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from tenants.satker import Satker
from workflow.audit import AuditEntry
from workflow.bukti.models import Bukti
from workflow.evaluasi.models import Evaluasi, StatusEvaluasi
from workflow.tindaklanjut.models import LaporanTindakLanjut, StatusTindakLanjut, TindakLanjut

AKSI_TINDAK_LANJUT = ("tindak_lanjut_dibuat", "tindak_lanjut_ubah", "tindak_lanjut_laporkan", "tindak_lanjut_selesai",
                      "tindak_lanjut_kembalikan")


def daftar(session: Session, satker_id: int, tahun: int | None = None) -> list[TindakLanjut]:
    """An office's follow-ups (of one evaluation year, or all), the latest year first, by number."""
    query = (select(TindakLanjut).where(TindakLanjut.satker_id == satker_id)
             .options(joinedload(TindakLanjut.temuan), joinedload(TindakLanjut.pemilik))
             .order_by(TindakLanjut.tahun.desc(), TindakLanjut.nomor))
    if tahun is not None:
        query = query.where(TindakLanjut.tahun == tahun)
    return list(session.scalars(query))


def tahun_ada(session: Session, satker_id: int) -> list[int]:
    """The evaluation years that gave the office follow-ups, the latest first."""
    return list(session.scalars(select(TindakLanjut.tahun).where(TindakLanjut.satker_id == satker_id)
                                .distinct().order_by(TindakLanjut.tahun.desc())))


def satu(session: Session, satker_id: int, tl_id: int, *, lock: bool = False) -> TindakLanjut | None:
    """A follow-up of this office (another office's answers as a missing one)."""
    query = select(TindakLanjut).where(TindakLanjut.id == tl_id, TindakLanjut.satker_id == satker_id)
    if lock:
        query = query.with_for_update(of=TindakLanjut)
    return session.scalar(query.options(
        selectinload(TindakLanjut.laporan).joinedload(LaporanTindakLanjut.dilaporkan_oleh)))


def riwayat(session: Session, tl: TindakLanjut) -> list[AuditEntry]:
    """The follow-up's audit entries (on its office, naming it), oldest first."""
    rows = session.scalars(select(AuditEntry).where(AuditEntry.satker_kode == tl.satker.kode,
                                                    AuditEntry.dokumen_id.is_(None),
                                                    AuditEntry.aksi.in_(AKSI_TINDAK_LANJUT)).order_by(AuditEntry.seq))
    return [e for e in rows if e.rincian_data.get("tindak_lanjut") == tl.id]


def evaluasi_final(session: Session, satker_id: int, tahun: int) -> Evaluasi | None:
    return session.scalar(select(Evaluasi).where(Evaluasi.satker_id == satker_id, Evaluasi.tahun == tahun,
                                                 Evaluasi.status == StatusEvaluasi.FINAL))


def tabel_lkj(session: Session, satker: Satker, tahun: int) -> dict | None:
    """The LKj of ``tahun`` lists the follow-ups of the evaluation of the year before (the
    one finalised while the year ran), each with its status on the day the table is made
    (frozen with the LKj's other tables when it is submitted). None: no final evaluation."""
    ev = evaluasi_final(session, satker.id, tahun - 1)
    if ev is None:
        return None
    baris = [{"nomor": tl.nomor, "temuan": tl.temuan.uraian, "rekomendasi": tl.temuan.rekomendasi,
              "pemilik": tl.pemilik.full_name if tl.pemilik else None, "tenggat": tl.tenggat.isoformat(),
              "status": tl.status.value, "keadaan": tl.status.label,
              "terlambat": tl.terlambat(date.today())}
             for tl in daftar(session, satker.id, tahun - 1)]
    return {"tahun_evaluasi": tahun - 1, "predikat": ev.predikat, "kode_verifikasi": ev.kode_verifikasi,
            "baris": baris, "selesai": sum(1 for b in baris if b["status"] == StatusTindakLanjut.SELESAI.value)}


def bukti_tautan(session: Session, tl: TindakLanjut) -> dict[int, Bukti]:
    """The evidence files its reports link to, by id (a withdrawn one still named)."""
    ids = {t["bukti"] for lap in tl.laporan for t in lap.tautan_list if "bukti" in t}
    if not ids:
        return {}
    return {b.id: b for b in session.scalars(select(Bukti).where(Bukti.id.in_(ids)))}
