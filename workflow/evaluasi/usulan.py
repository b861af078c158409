"""The pre-fill (issue 18, point 3): for the criteria the system's own records can answer, a
proposed answer (Y/T) and the facts behind it, each naming the verification code of the
signed document it rests on. Kept on the criterion's row (``Jawaban.usulan``,
``Jawaban.usulan_fakta``) beside the office's answer and the evaluator's verdict: the
evaluator decides, the proposal stays as it was computed.

Computed when the evaluation is opened (``operations.buka``) and again when it is submitted
(``operations.transisi``: the office's records have moved on since); never once it is final.

Which rule answers which criterion of the LKE (PermenPAN-RB 88/2021; docs/evaluasi.md):

====  ======================================================================  ==========
LKE   the criterion                                                           rule
====  ======================================================================  ==========
1.b.2 Dokumen Perencanaan Kinerja dipublikasikan tepat waktu                   pk_tepat_waktu: every PK signed by its due date (the calendar's, else one month after the DIPA date)
1.b.8 Perencanaan selaras di setiap level (Cascading)                          cascade_selaras: every indikator of the parent's PK present in the office's, none below the parent's target
1.c.4 Rencana aksi dipantau secara berkala                                     rak_dipantau: every RAK signed, every period due reported
2.b.4 Pengukuran kinerja dilakukan secara berkala                              realisasi_tepat_waktu: every period due submitted on time, verified, with evidence
3.b.7 LKj menginfokan keberhasilan/kegagalan beserta upaya dan hambatannya    analisis_kekurangan: every indikator below 100% in a reported period analysed (kendala, upaya, rencana)
3.a.6 Dokumen Laporan Kinerja disampaikan tepat waktu                          lkj_tepat_waktu: the LKj first submitted by its due date
1.c.5 Perbaikan dokumen perencanaan dari hasil analisis                        revisi_beralasan: every revision of the year's documents opened with an official reason
====  ======================================================================  ==========

A rule that cannot tell (no due date set, nothing due yet, no parent document) gives its
facts without a proposal. A rule whose criterion is not in the evaluation's worksheet is
skipped: a later worksheet maps its own codes here.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenants.satker import Satker
from tenants.teks import _
from workflow.bukti.models import Bukti, Sasaran
from workflow.dokumen.jenis import Bentuk
from workflow.dokumen.models import ALASAN_RESMI, AlasanRevisi, Dokumen, Revisi, Status
from workflow.evaluasi.models import Evaluasi, Jawaban, StatusEvaluasi
from workflow.jadwal.models import Butir
from workflow.jadwal.queries import hari_ini, tanggal_lokal, tenggat
from workflow.pelaporan import queries as lap_queries
from workflow.pelaporan.models import LaporanPeriode, StatusLaporan
from workflow.target import Target, TargetError, baca_target, lebih_buruk

_DITANDATANGANI = (Status.SIGNED, Status.REVIEWED)


@dataclass(frozen=True)
class Fakta:
    teks: str
    kode: str | None = None  # the verification code of the document the fact rests on
    ok: bool = True


@dataclass(frozen=True)
class Usulan:
    jawaban: str | None  # "Y", "T", or None: the records cannot tell
    fakta: list[Fakta] = field(default_factory=list)

    @property
    def json(self) -> str:
        return json.dumps([asdict(f) for f in self.fakta], ensure_ascii=False, sort_keys=True)


def _putusan(hasil: list[bool | None]) -> str | None:
    """T when any check failed, Y when all passed, None when none could be made."""
    if any(h is False for h in hasil):
        return "T"
    return "Y" if hasil and all(h is True for h in hasil) else None


def _dokumen(session: Session, satker: Satker, tahun: int, bentuk: Bentuk) -> list[Dokumen]:
    docs = session.scalars(select(Dokumen).where(Dokumen.satker_id == satker.id, Dokumen.tahun == tahun)
                           .order_by(Dokumen.id)).all()
    return [d for d in docs if d.jenis.bentuk is bentuk]


def _kode(session: Session, dokumen: Dokumen) -> str | None:
    """The verification code of the document's latest submitted revision."""
    return session.scalar(select(Revisi.kode_verifikasi).where(
        Revisi.dokumen_id == dokumen.id, Revisi.kode_verifikasi.is_not(None)).order_by(Revisi.nomor.desc()).limit(1))


def _tgl(hari: date | None) -> str:
    return hari.strftime("%d-%m-%Y") if hari else "-"


def _ditandatangani(dokumen: Dokumen) -> date | None:
    """The day the first revision carrying every signature its kind needs was fully signed."""
    perlu = len(dokumen.jenis.penandatangan)
    for revisi in sorted(dokumen.revisi, key=lambda r: r.nomor):
        if len(revisi.tanda_tangan) >= perlu:
            return tanggal_lokal(max(t.waktu for t in revisi.tanda_tangan))
    return None


def pk_tepat_waktu(session: Session, satker: Satker, tahun: int) -> Usulan:
    pks = _dokumen(session, satker, tahun, Bentuk.PK)
    if not pks:
        return Usulan("T", [Fakta(_("Belum ada Perjanjian Kinerja %(tahun)s.", tahun=tahun), ok=False)])
    found, hasil = [], []
    for pk in pks:
        revisi0 = pk.revisi_ke(0)
        batas = tenggat(session, satker, tahun, Butir.PK, sejak=revisi0.dipa_tanggal if revisi0 else None)
        ttd = _ditandatangani(pk)
        ok = None if batas is None else (ttd is not None and ttd <= batas)
        hasil.append(ok)
        teks = (_("%(jenis)s ditandatangani %(ttd)s; tenggat %(batas)s (DIPA %(dipa)s).", jenis=pk.jenis.label,
                  ttd=_tgl(ttd) if ttd else _("belum lengkap"), batas=_tgl(batas),
                  dipa=_tgl(revisi0.dipa_tanggal if revisi0 else None)))
        found.append(Fakta(teks, _kode(session, pk), ok is not False))
    return Usulan(_putusan(hasil), found)


def _induk(session: Session, pk: Dokumen) -> Dokumen | None:
    if pk.satker.parent_id is None:
        return None
    return session.scalar(select(Dokumen).where(Dokumen.satker_id == pk.satker.parent_id, Dokumen.tahun == pk.tahun,
                                                Dokumen.jenis == pk.jenis))


def _di_bawah(anak, induk) -> bool:
    try:
        mine = Target(anak.jenis_target, anak.target_nilai, anak.target_kode, anak.satuan)
        return lebih_buruk(anak.polaritas, mine, baca_target(induk.target))
    except (TargetError, TypeError, ValueError):
        return True


def cascade_selaras(session: Session, satker: Satker, tahun: int) -> Usulan:
    found, hasil = [], []
    for pk in _dokumen(session, satker, tahun, Bentuk.PK):
        induk = _induk(session, pk) if pk.jenis.diturunkan else None
        if induk is None:
            continue
        parent = [i for s in induk.revisi_aktif.sasaran for i in s.indikator]
        mine = {i.induk_kunci: i for s in pk.revisi_aktif.sasaran for i in s.indikator
                if i.induk_dokumen_id == induk.id and i.induk_kunci}
        hilang = [i for i in parent if i.kunci not in mine]
        bawah = [i for i in parent if i.kunci in mine and _di_bawah(mine[i.kunci], i)]
        ok = not hilang and not bawah
        hasil.append(ok)
        found.append(Fakta(_("%(jenis)s: %(ada)s dari %(n)s indikator %(induk)s ada; %(bawah)s di bawah target induk.",
                             jenis=pk.jenis.label, ada=len(parent) - len(hilang), n=len(parent),
                             induk=induk.satker.nama, bawah=len(bawah)), _kode(session, pk), ok))
        found += [Fakta(_("Tidak diturunkan: %(uraian)s", uraian=i.uraian[:90]), _kode(session, induk), False)
                  for i in hilang[:5]]
    return Usulan(_putusan(hasil), found)


def _periode_jatuh_tempo(session: Session, pk: Dokumen) -> list[tuple[int, str, date | None]]:
    """(period, name, due date) of the PK's periods whose due date has passed (every period
    once the year's last is due; a period without a date counts once the year is over)."""
    hari = hari_ini()
    found = []
    for p in lap_queries.periode_dokumen(session, pk):
        batas = lap_queries.tenggat_periode(session, pk, p.bulan)
        if (batas is not None and batas < hari) or (batas is None and pk.tahun < hari.year):
            found.append((p.bulan, p.nama, batas))
    return found


def rak_dipantau(session: Session, satker: Satker, tahun: int) -> Usulan:
    raks = _dokumen(session, satker, tahun, Bentuk.RAK)
    if not raks:
        return Usulan("T", [Fakta(_("Belum ada Rencana Aksi Kinerja %(tahun)s.", tahun=tahun), ok=False)])
    found = [Fakta(_("%(jenis)s: %(status)s.", jenis=r.jenis.label, status=r.status.label), _kode(session, r),
                   r.status in _DITANDATANGANI) for r in raks]
    hasil: list[bool | None] = [r.status in _DITANDATANGANI for r in raks]
    for pk in _dokumen(session, satker, tahun, Bentuk.PK):
        due = _periode_jatuh_tempo(session, pk)
        status = lap_queries.status_banyak(session, [pk.id])
        belum = [nama for bulan, nama, _b in due if status.get((pk.id, bulan), StatusLaporan.DRAFT) is StatusLaporan.DRAFT]
        hasil.append(not belum if due else None)
        found.append(Fakta(_("Pemantauan %(jenis)s: %(n)s dari %(m)s periode jatuh tempo dilaporkan%(belum)s.",
                             jenis=pk.jenis.label, n=len(due) - len(belum), m=len(due),
                             belum=(" (" + _("belum: %(p)s", p=", ".join(belum)) + ")") if belum else ""),
                           _kode(session, pk), not belum))
    return Usulan(_putusan(hasil), found)


def _berbukti(session: Session, pk: Dokumen, bulan: int) -> bool:
    return session.scalar(select(func.count(Bukti.id)).where(
        Bukti.dokumen_id == pk.id, Bukti.periode == bulan, Bukti.sasaran == Sasaran.INDIKATOR.value,
        Bukti.ditarik_pada.is_(None))) > 0


def _periode_baik(session: Session, pk: Dokumen, bulan: int, batas: date | None) -> str | None:
    """Why a period falls short (None: submitted on time, verified, with evidence)."""
    lap = lap_queries.laporan(session, pk.id, bulan)
    if lap is None or lap.diajukan_pada is None:
        return _("belum dilaporkan")
    if batas is not None and tanggal_lokal(lap.diajukan_pada) > batas:
        return _("terlambat")
    if lap.status is not StatusLaporan.TERVERIFIKASI:
        return _("belum diverifikasi")
    return None if _berbukti(session, pk, bulan) else _("tanpa bukti dukung")


def realisasi_tepat_waktu(session: Session, satker: Satker, tahun: int) -> Usulan:
    found, hasil = [], []
    for pk in _dokumen(session, satker, tahun, Bentuk.PK):
        due = _periode_jatuh_tempo(session, pk)
        if not due:
            continue
        kurang = [(nama, why) for bulan, nama, batas in due if (why := _periode_baik(session, pk, bulan, batas))]
        hasil.append(not kurang)
        found.append(Fakta(_("%(jenis)s: %(n)s dari %(m)s periode dilaporkan tepat waktu, terverifikasi dan berbukti.",
                             jenis=pk.jenis.label, n=len(due) - len(kurang), m=len(due)), _kode(session, pk), not kurang))
        found += [Fakta(f"{nama}: {why}", None, False) for nama, why in kurang[:6]]
    return Usulan(_putusan(hasil), found)


def analisis_kekurangan(session: Session, satker: Satker, tahun: int) -> Usulan:
    found, hasil = [], []
    for pk in _dokumen(session, satker, tahun, Bentuk.PK):
        laporan = session.scalars(select(LaporanPeriode).where(
            LaporanPeriode.dokumen_id == pk.id,
            LaporanPeriode.status.in_((StatusLaporan.DIAJUKAN, StatusLaporan.TERVERIFIKASI)))).all()
        perlu = ada = 0
        for lap in laporan:
            analisis = lap_queries.analisis(session, lap)
            for h in lap_queries.hasil_periode(session, pk, lap.periode):
                if lap_queries.perlu_analisis(h):
                    perlu += 1
                    ada += bool((a := analisis.get(h.kunci)) and a.lengkap)
        if not laporan:
            continue
        hasil.append(ada == perlu)
        found.append(Fakta(_("%(jenis)s: %(ada)s dari %(perlu)s capaian di bawah 100%% dalam %(n)s laporan periode "
                             "dianalisis (kendala, upaya, rencana tindak lanjut).", jenis=pk.jenis.label, ada=ada,
                             perlu=perlu, n=len(laporan)), _kode(session, pk), ada == perlu))
    return Usulan(_putusan(hasil), found)


def lkj_tepat_waktu(session: Session, satker: Satker, tahun: int) -> Usulan:
    lkjs = _dokumen(session, satker, tahun, Bentuk.LKJ)
    if not lkjs:
        return Usulan("T", [Fakta(_("Belum ada LKj %(tahun)s.", tahun=tahun), ok=False)])
    batas = tenggat(session, satker, tahun, Butir.LKJ)
    found, hasil = [], []
    for lkj in lkjs:
        diajukan = tanggal_lokal(session.scalar(select(func.min(Revisi.diajukan_pada)).where(
            Revisi.dokumen_id == lkj.id)))
        # Not submitted is late (the evaluation comes after the year); no due date: cannot tell.
        ok = False if diajukan is None else (None if batas is None else diajukan <= batas)
        hasil.append(ok)
        found.append(Fakta(_("%(jenis)s diajukan %(diajukan)s; tenggat %(batas)s.", jenis=lkj.jenis.label,
                             diajukan=_tgl(diajukan) if diajukan else _("belum"), batas=_tgl(batas)),
                           _kode(session, lkj), ok is not False))
    return Usulan(_putusan(hasil), found)


def revisi_beralasan(session: Session, satker: Satker, tahun: int) -> Usulan:
    resmi = {*ALASAN_RESMI, AlasanRevisi.PENGEMBALIAN}
    rows = session.execute(select(Dokumen, Revisi).join(Revisi, Revisi.dokumen_id == Dokumen.id).where(
        Dokumen.satker_id == satker.id, Dokumen.tahun == tahun, Revisi.nomor > 0).order_by(Dokumen.id, Revisi.nomor)).all()
    if not rows:
        return Usulan(None, [Fakta(_("Tidak ada revisi dokumen %(tahun)s.", tahun=tahun))])
    found, hasil = [], []
    for dokumen, revisi in rows:
        ok = revisi.alasan_jenis in resmi and (revisi.alasan_jenis is not AlasanRevisi.LAINNYA or bool(revisi.alasan))
        hasil.append(ok)
        found.append(Fakta(_("%(jenis)s %(revisi)s: %(alasan)s.", jenis=dokumen.jenis.label, revisi=revisi.label,
                             alasan=revisi.alasan_jenis.label), revisi.kode_verifikasi or _kode(session, dokumen), ok))
    return Usulan(_putusan(hasil), found)


# criterion code -> the rule that answers it (the table in the docstring above).
ATURAN: dict[str, Callable[[Session, Satker, int], Usulan]] = {
    "1.b.2": pk_tepat_waktu,
    "1.b.8": cascade_selaras,
    "1.c.4": rak_dipantau,
    "2.b.4": realisasi_tepat_waktu,
    "3.b.7": analisis_kekurangan,
    "3.a.6": lkj_tepat_waktu,
    "1.c.5": revisi_beralasan,
}


def hitung(session: Session, ev: Evaluasi) -> dict[str, Usulan]:
    """The proposal of every rule whose criterion is in the evaluation's worksheet."""
    kode = {k.kode for k in ev.lke.kriteria}
    return {k: aturan(session, ev.satker, ev.tahun) for k, aturan in ATURAN.items() if k in kode}


def perbarui(session: Session, ev: Evaluasi) -> list[str]:
    """Write the proposals on the criteria's rows (a row is created when the office has not
    answered yet); returns the codes whose proposal changed. Never on a final evaluation."""
    if ev.status is StatusEvaluasi.FINAL:
        return []
    rows = {j.kriteria.kode: j for j in session.scalars(select(Jawaban).where(Jawaban.evaluasi_id == ev.id))}
    kriteria = {k.kode: k for k in ev.lke.kriteria}
    berubah = []
    for kode, u in hitung(session, ev).items():
        row = rows.get(kode)
        if row is not None and (row.usulan, row.usulan_fakta) == (u.jawaban, u.json):
            continue
        if row is None:
            row = Jawaban(evaluasi=ev, kriteria=kriteria[kode])
            session.add(row)
        row.usulan, row.usulan_fakta = u.jawaban, u.json
        berubah.append(kode)
    if berubah:
        session.flush()
    return berubah
