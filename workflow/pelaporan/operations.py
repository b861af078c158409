"""The only writers of period reports: open one, write its analysis, move it through its
states (``workflow.pelaporan.flow``). Each checks (policy, state, version, every value),
changes, logs with ``workflow.audit.catat``, flushes, and never commits.

``SESUDAH_TRANSISI``: callables run after each transition, with (session, the PK, the
report, the event, the user, what the step was given): where notifications plug in.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from tenants.people import User
from tenants.teks import _
from workflow.audit import catat
from workflow.dokumen.models import Dokumen
from workflow.errors import Ditolak, IsiTidakValid, Konflik
from workflow.pelaporan import policy, queries
from workflow.pelaporan.flow import EVENT_KONFIRMASI, EVENT_LABELS, AlurLaporan
from workflow.pelaporan.models import AnalisisIndikator, LaporanPeriode, RevisiLaporan, StatusLaporan

MAX_ANALISIS = 4000
KOLOM_ANALISIS = ("kendala", "upaya", "rencana")
SESUDAH_TRANSISI: list[Callable[[Session, Dokumen, LaporanPeriode, str, User, dict], None]] = []


def _periksa_periode(session: Session, dokumen: Dokumen, periode: int) -> None:
    if periode not in {p.bulan for p in queries.periode_dokumen(session, dokumen)}:
        raise Ditolak(_("Periode %(n)s bukan periode pelaporan satker ini.", n=periode))


def _periksa_versi(lap: LaporanPeriode, versi: int | None) -> None:
    if versi is not None and versi != lap.versi:
        raise Konflik(_("Laporan periode ini baru saja diubah orang lain; muat ulang halaman lalu ulangi."))


def buka(session: Session, dokumen: Dokumen, periode: int, user: User | None) -> LaporanPeriode:
    """The report of a PK's period, created as a draft the first time it is written."""
    _periksa_periode(session, dokumen, periode)
    lap = queries.laporan(session, dokumen.id, periode)
    if lap is None:
        if not (decision := policy.laporkan(user, dokumen)):
            raise Ditolak(decision.alasan)
        lap = LaporanPeriode(dokumen_id=dokumen.id, periode=periode, status=StatusLaporan.DRAFT)
        lap.revisi.append(RevisiLaporan(nomor=0, dibuat_oleh_id=user.id if user else None))
        session.add(lap)
        session.flush()
    return lap


@dataclass(frozen=True)
class Analisis:
    kendala: str = ""
    upaya: str = ""
    rencana: str = ""


def _bersih(text: str | None, nama: str) -> str | None:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_ANALISIS:
        raise IsiTidakValid(_("%(nama)s paling banyak %(maks)s karakter.", nama=nama, maks=MAX_ANALISIS))
    return text or None


def simpan_analisis(session: Session, dokumen: Dokumen, periode: int, user: User, isian: Mapping[str, Analisis],
                    versi: int | None = None) -> LaporanPeriode:
    """Write the analysis per indikator kunci (kendala, upaya, rencana tindak lanjut) of the
    period's draft (or returned) report; unchanged ones are left alone."""
    lap = buka(session, dokumen, periode, user)
    _periksa_versi(lap, versi)
    if not (decision := policy.laporkan(user, dokumen)):
        raise Ditolak(decision.alasan)
    if not lap.bisa_diisi:
        raise Ditolak(_("Laporan periode berstatus %(status)s: analisisnya tidak dapat diubah.", status=lap.status.label))
    kunci_sah = {i.kunci for s in dokumen.revisi_aktif.sasaran for i in s.indikator}
    ada = queries.analisis(session, lap)
    berubah = []
    for kunci, a in isian.items():
        if kunci not in kunci_sah:
            raise Ditolak(_("Indikator tidak ditemukan di revisi yang berlaku; muat ulang halaman."))
        nilai = {"kendala": _bersih(a.kendala, _("Kendala")), "upaya": _bersih(a.upaya, _("Upaya")),
                 "rencana": _bersih(a.rencana, _("Rencana tindak lanjut"))}
        row = ada.get(kunci)
        if row is None and not any(nilai.values()):
            continue
        if row is not None and all(getattr(row, k) == v for k, v in nilai.items()):
            continue
        if row is None:
            row = AnalisisIndikator(laporan_id=lap.id, nomor_revisi=lap.nomor_revisi, indikator_kunci=kunci)
            session.add(row)
        for k, v in nilai.items():
            setattr(row, k, v)
        berubah.append(kunci)
    if berubah:
        lap.nomor_revisi  # noqa: B018 - loaded, so it can be flagged
        flag_modified(lap, "nomor_revisi")  # the report's version moves: a page opened before is told
        session.flush()
        catat(session, dokumen, user, decision.membership, aksi="laporan_analisis",
              rincian={"periode": periode, "revisi_laporan": lap.nomor_revisi, "indikator": berubah})
    return lap


def transisi(session: Session, dokumen: Dokumen, periode: int, event: str, user: User, *, versi: int | None = None,
             **kwargs) -> LaporanPeriode:
    """The only caller of the report's state machine."""
    if event not in EVENT_LABELS:
        raise Ditolak(_("Aksi tidak dikenal."))
    lap = buka(session, dokumen, periode, user) if event == "ajukan" else queries.laporan(session, dokumen.id, periode)
    if lap is None:
        raise Ditolak(_("Periode ini belum dilaporkan."))
    _periksa_versi(lap, versi)
    alur = AlurLaporan(lap, dokumen, session)
    if event not in {e.id for e in alur.allowed_events}:
        raise Ditolak(_("Laporan periode berstatus %(status)s: aksi '%(aksi)s' tidak tersedia.",
                        status=lap.status.label, aksi=_(EVENT_LABELS[event])))
    alur.send(event, user=user, **kwargs)
    session.flush()
    for sesudah in SESUDAH_TRANSISI:
        sesudah(session, dokumen, lap, event, user, kwargs)
    return lap


def ajukan(session, dokumen, periode, user, **kw):
    return transisi(session, dokumen, periode, "ajukan", user, **kw)


def verifikasi(session, dokumen, periode, user, **kw):
    return transisi(session, dokumen, periode, "verifikasi", user, **kw)


def kembalikan(session, dokumen, periode, user, alasan: str, **kw):
    return transisi(session, dokumen, periode, "kembalikan", user, alasan=alasan, **kw)


def koreksi(session, dokumen, periode, user, alasan: str, **kw):
    return transisi(session, dokumen, periode, "koreksi", user, alasan=alasan, **kw)


@dataclass(frozen=True)
class Tombol:
    event: str
    label: str
    konfirmasi: str | None
    beralasan: bool  # asks for a reason


_BERALASAN = {"kembalikan", "koreksi"}
_ALUR = {s.value: [t.event for t in s.transitions] for s in AlurLaporan.states}


def tombol(dokumen: Dokumen, lap: LaporanPeriode | None, user: User | None) -> list[Tombol]:
    """The buttons ``user`` may press on this period's report now."""
    status = lap.status if lap is not None else StatusLaporan.DRAFT
    boleh_lapor = bool(policy.laporkan(user, dokumen))
    boleh_verifikasi = bool(policy.verifikasi(user, dokumen, lap))
    found = []
    for event in dict.fromkeys(_ALUR[status]):
        if (event in ("ajukan", "koreksi") and boleh_lapor) or (event in ("verifikasi", "kembalikan") and boleh_verifikasi):
            konfirmasi = _(EVENT_KONFIRMASI[event]) if event in EVENT_KONFIRMASI else None
            found.append(Tombol(event, _(EVENT_LABELS[event]), konfirmasi, event in _BERALASAN))
    return found
