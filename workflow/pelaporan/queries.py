"""What other parts read about reported periods: whether a period is locked, its status,
its analysis, its due date, its history. Reads only."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, lazyload

from tenants.teks import _
from workflow.audit import AuditEntry
from workflow.dokumen.models import Dokumen
from workflow.dokumen.queries import baca, bentuk_jadwal_kantor
from workflow.jadwal.models import Butir
from workflow.jadwal.queries import Keadaan, hari_ini, jatuh_tempo, keadaan, nilai_berlaku, tanggal_lokal, tenggat
from workflow.pelaporan.models import AnalisisIndikator, LaporanPeriode, StatusLaporan
from workflow.capaian import Lampu
from workflow.realisasi.dashboard import indikator_aktif
from workflow.realisasi.models import Realisasi
from workflow.realisasi.operations import HasilIndikator, Periode, entri_per_kunci, hitung_indikator
from workflow.realisasi.operations import periode as periode_kantor
from workflow.schedule import BentukJadwal

AKSI_LAPORAN = ("laporan_analisis", "laporan_ajukan", "laporan_verifikasi", "laporan_kembalikan", "laporan_koreksi")


# The period page's statements, built once, the values bound per call: composing a select
# costs about as much as running it.
_LAPORAN = select(LaporanPeriode).where(LaporanPeriode.dokumen_id == bindparam("dokumen"),
                                        LaporanPeriode.periode == bindparam("periode"))
_LAPORAN_SAJA = _LAPORAN.options(lazyload(LaporanPeriode.revisi))
_ANALISIS = select(AnalisisIndikator).where(AnalisisIndikator.laporan_id == bindparam("laporan"),
                                            AnalisisIndikator.nomor_revisi == bindparam("nomor"))
_RIWAYAT = (select(AuditEntry).where(AuditEntry.dokumen_id == bindparam("dokumen"), AuditEntry.aksi.in_(AKSI_LAPORAN))
            .order_by(AuditEntry.seq))


def laporan(session: Session, dokumen_id: int, periode: int, revisi: bool = True) -> LaporanPeriode | None:
    """The period's report; with ``revisi=False`` its revisions are not loaded with it
    (a page that shows only the report's own fields: one statement fewer)."""
    return session.scalar(_LAPORAN if revisi else _LAPORAN_SAJA, {"dokumen": dokumen_id, "periode": periode})


def status_periode(session: Session, dokumen_id: int, periode: int) -> StatusLaporan:
    """A PK's period's status (``periode``: the month its realisation is stored at, 3 for
    TW I); ``DRAFT`` ("not reported") when nothing was reported yet."""
    found = session.scalar(select(LaporanPeriode.status).where(
        LaporanPeriode.dokumen_id == dokumen_id, LaporanPeriode.periode == periode))
    return StatusLaporan(found) if found else StatusLaporan.DRAFT


def kunci_periode(session: Session, dokumen_id: int, periode: int) -> bool:
    """Whether the period is locked (verified): its realisation, and what hangs on it, no
    longer change until it is opened for correction."""
    return status_periode(session, dokumen_id, periode) is StatusLaporan.TERVERIFIKASI


def status_banyak(session: Session, dokumen_ids: Iterable[int]) -> dict[tuple[int, int], StatusLaporan]:
    """(dokumen_id, periode) -> status of every reported period of these PKs, in one query
    (the province matrix); a period missing is not reported."""
    ids = list(dokumen_ids)
    if not ids:
        return {}
    rows = session.execute(select(LaporanPeriode.dokumen_id, LaporanPeriode.periode, LaporanPeriode.status)
                           .where(LaporanPeriode.dokumen_id.in_(ids)))
    return {(d, p): StatusLaporan(s) for d, p, s in rows}


def penjaga_realisasi(session: Session, dokumen: Dokumen, bulan: set[int]) -> str | None:
    """Plugged into workflow.realisasi.operations.PENJAGA_PERIODE: a verified period's
    realisation is refused, saying which period and how to reopen it."""
    terkunci = session.scalars(select(LaporanPeriode.periode).where(
        LaporanPeriode.dokumen_id == dokumen.id, LaporanPeriode.periode.in_(bulan),
        LaporanPeriode.status == StatusLaporan.TERVERIFIKASI)).all()
    if not terkunci:
        return None
    nama = ", ".join(p.nama for p in periode_dokumen(session, dokumen) if p.bulan in terkunci) or str(terkunci[0])
    return _("Realisasi %(periode)s sudah diverifikasi dan terkunci; untuk mengubahnya, buka koreksi laporan periode "
             "itu dengan alasannya.", periode=nama)


def bentuk(session: Session, dokumen: Dokumen) -> BentukJadwal:
    return bentuk_jadwal_kantor(session, dokumen.satker, dokumen.tahun)


def periode_dokumen(session: Session, dokumen: Dokumen) -> list[Periode]:
    """The periods this PK is reported in (quarters or months, as its office plans)."""
    return periode_kantor(bentuk(session, dokumen))


def analisis(session: Session, lap: LaporanPeriode | None, nomor: int | None = None) -> dict[str, AnalisisIndikator]:
    """The analysis per indikator kunci of the report's revision ``nomor`` (its current one
    when None)."""
    if lap is None:
        return {}
    nomor = lap.nomor_revisi if nomor is None else nomor
    return {a.indikator_kunci: a for a in session.scalars(_ANALISIS, {"laporan": lap.id, "nomor": nomor})}


def periode_terverifikasi(session: Session, dokumen_ids: Iterable[int]) -> dict[int, list[int]]:
    """PK id -> its verified periods, in order, for the PKs that have any period report
    (one without reports is missing: its realisation stands as entered)."""
    found: dict[int, list[int]] = {}
    for (dokumen_id, periode), status in sorted(status_banyak(session, dokumen_ids).items()):
        verified = found.setdefault(dokumen_id, [])
        if status is StatusLaporan.TERVERIFIKASI:
            verified.append(periode)
    return found


def analisis_terverifikasi(session: Session, dokumen_id: int) -> dict[str, list[tuple[int, AnalisisIndikator]]]:
    """Per indikator kunci, the analysis of each VERIFIED period of the PK, in period order
    (the LKj's Bab III)."""
    rows = session.execute(
        select(LaporanPeriode.periode, AnalisisIndikator)
        .join(AnalisisIndikator, (AnalisisIndikator.laporan_id == LaporanPeriode.id)
              & (AnalisisIndikator.nomor_revisi == LaporanPeriode.nomor_revisi))
        .where(LaporanPeriode.dokumen_id == dokumen_id, LaporanPeriode.status == StatusLaporan.TERVERIFIKASI)
        .order_by(LaporanPeriode.periode)).all()
    found: dict[str, list[tuple[int, AnalisisIndikator]]] = {}
    for periode, a in rows:
        found.setdefault(a.indikator_kunci, []).append((periode, a))
    return found


def tenggat_periode(session: Session, dokumen: Dokumen, periode: int) -> date | None:
    """The period's due date from the calendar (None when none is set)."""
    if bentuk(session, dokumen) is BentukJadwal.TRIWULAN:
        return tenggat(session, dokumen.satker, dokumen.tahun, Butir.REALISASI_TRIWULAN, periode=periode // 3)
    return tenggat(session, dokumen.satker, dokumen.tahun, Butir.REALISASI_BULAN, periode=periode)


@dataclass(frozen=True)
class RingkasanPeriode:
    periode: Periode
    status: StatusLaporan
    tenggat: date | None
    terlambat: bool  # not submitted by the calendar's due date (submitted after it, or still not)

    @property
    def terkunci(self) -> bool:
        return self.status is StatusLaporan.TERVERIFIKASI


def ringkasan_periode(session: Session, dokumen: Dokumen, pada: date | None = None) -> list[RingkasanPeriode]:
    """Every period of the PK with its report's status, due date and lateness, in three
    queries whatever the number of periods (the document page, the realisation grid)."""
    pada = pada or hari_ini()
    triwulan = bentuk(session, dokumen) is BentukJadwal.TRIWULAN
    butir = Butir.REALISASI_TRIWULAN if triwulan else Butir.REALISASI_BULAN
    nilai = nilai_berlaku(session, dokumen.satker, dokumen.tahun, butir)
    laporan = {lap.periode: lap for lap in session.scalars(
        select(LaporanPeriode).where(LaporanPeriode.dokumen_id == dokumen.id))}
    found = []
    for p in periode_kantor(BentukJadwal.TRIWULAN if triwulan else BentukJadwal.BULAN):
        lap = laporan.get(p.bulan)
        tanggal = jatuh_tempo(butir, dokumen.tahun, nilai, periode=p.bulan // 3 if triwulan else p.bulan)
        diajukan = tanggal_lokal(lap.diajukan_pada) if lap is not None else None
        telat = keadaan(tanggal, diajukan, pada) in (Keadaan.TERLAMBAT, Keadaan.BELUM_MENGAJUKAN)
        found.append(RingkasanPeriode(p, lap.status if lap is not None else StatusLaporan.DRAFT, tanggal, telat))
    return found


def riwayat(session: Session, dokumen_id: int, periode: int) -> list[AuditEntry]:
    """The report's history: its audit entries, oldest first."""
    rows = session.scalars(_RIWAYAT, {"dokumen": dokumen_id})
    return [e for e in rows if e.rincian and json.loads(e.rincian).get("periode") == periode]


def hasil_periode(session: Session, dokumen: Dokumen, periode: int) -> list[HasilIndikator]:
    """Every indikator of the PK with its realisation to date at the end of ``periode``
    (later months left out) against the target to date."""
    return _hasil(session, dokumen, _ENTRI_SAMPAI, {"sampai": periode})


def hasil_terverifikasi(session: Session, dokumen: Dokumen, periode: Iterable[int]) -> list[HasilIndikator]:
    """Every indikator of the PK with the realisation of the given (verified) periods only:
    what the LKj's tables report for a PK that reports its periods."""
    return _hasil(session, dokumen, _ENTRI_PERIODE, {"periode": sorted(periode) or [0]})


_ENTRI = select(Realisasi.indikator_kunci, Realisasi.bulan, Realisasi.nilai, Realisasi.kode, Realisasi.bukti).where(
    Realisasi.dokumen_id == bindparam("dokumen"))
_ENTRI_SAMPAI = _ENTRI.where(Realisasi.bulan <= bindparam("sampai"))
_ENTRI_PERIODE = _ENTRI.where(Realisasi.bulan.in_(bindparam("periode", expanding=True)))


def _hasil(session: Session, dokumen: Dokumen, entri_dari, nilai: dict) -> list[HasilIndikator]:
    """Columns, not objects: the page needs the indikator and the figures, not the whole
    revision (programs, rows, signatures) that ``revisi_aktif`` would load. ``entri_dari``:
    the realisations' statement (``_ENTRI_SAMPAI``, ``_ENTRI_PERIODE``), ``nilai`` its values."""
    entri = entri_per_kunci(baca(session, entri_dari, {"dokumen": dokumen.id} | nilai))
    return [hitung_indikator(r, entri.get(r.kunci, {}), r.sasaran) for r in indikator_aktif(session, dokumen)]


def perlu_analisis(hasil: HasilIndikator) -> bool:
    """An analysis is required where capaian to date is below 100% (or cannot be computed:
    the realisation is missing)."""
    return hasil.lampu is not Lampu.HIJAU


def masalah_sebelum_ajukan(session: Session, dokumen: Dokumen, lap: LaporanPeriode) -> list[str]:
    """What blocks submitting the report: each indikator below 100% to date without its
    kendala, upaya and rencana tindak lanjut."""
    ada = analisis(session, lap)
    masalah = []
    for no, h in enumerate(hasil_periode(session, dokumen, lap.periode), start=1):
        a = ada.get(h.kunci)
        if perlu_analisis(h) and (a is None or not a.lengkap):
            masalah.append(_("Indikator %(no)s (%(uraian)s): capaian s.d. periode ini %(capaian)s; isi kendala, upaya "
                             "dan rencana tindak lanjut.", no=no, uraian=h.uraian[:70], capaian=h.capaian.teks))
    return masalah
