"""The only writers of evaluations: open one, write the office's answers, the evaluator's
verdicts, grades and findings, the dispute and its answers, and move it through its states
(``workflow.evaluasi.flow``). Each checks (policy, state, version, every value), changes,
logs with ``flow.catat``, flushes, and never commits.

Versions: every criterion, grade and finding is a row with its own version; a form sends
the version it showed per row. A row changed since (by someone else) and changed again here
is a conflict (``Konflik``, 409) naming it, and nothing of the request is kept; a row sent
unchanged is left alone whatever its version, so two evaluators scoring different
sub-components (or criteria) at once both keep their work.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.db import utcnow
from tenants.people import User
from tenants.satker import Satker
from tenants.teks import _
from workflow.bukti.models import Bukti
from workflow.dokumen.models import Dokumen, Revisi
from workflow.dokumen.policy import Keputusan
from workflow.errors import Ditolak, IsiTidakValid, Konflik
from workflow.evaluasi import flow, lke, policy, queries, skor, usulan
from workflow.evaluasi.flow import EVENT_KONFIRMASI, EVENT_LABELS, AlurEvaluasi
from workflow.evaluasi.models import Evaluasi, Jawaban, NilaiSubkomponen, StatusEvaluasi, Temuan
from workflow.evaluasi.skor import Nilai

MAKS_TEKS = 4000
MAKS_TAUTAN = 20
_KODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
SESUDAH_TRANSISI: list[Callable[[Session, Evaluasi, str, User, dict], None]] = []


def _bersih(text: str | None, nama: str) -> str | None:
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAKS_TEKS:
        raise IsiTidakValid(_("%(nama)s paling banyak %(maks)s karakter.", nama=nama, maks=MAKS_TEKS))
    return text or None


def _periksa_versi(row, versi: int | None, apa: str) -> None:
    """A row changed since the form showed it (or created since the form showed none)."""
    if row is not None and versi != row.versi:
        raise Konflik(_("%(apa)s baru saja diubah orang lain; isian Anda belum disimpan. Muat ulang halaman, "
                        "periksa perubahannya, lalu simpan lagi.", apa=apa))


def _periksa_versi_evaluasi(ev: Evaluasi, versi: int | None) -> None:
    if versi is not None and versi != ev.versi:
        raise Konflik(_("Evaluasi ini baru saja diubah orang lain (statusnya kini %(status)s); muat ulang halaman "
                        "lalu ulangi.", status=ev.status.label))


def buka(session: Session, satker: Satker, tahun: int, user: User | None) -> Evaluasi:
    """The office's evaluation of ``tahun``, started (by its Sekretaris) the first time it is written."""
    ev = queries.evaluasi(session, satker.id, tahun, lock=True)
    if ev is not None:
        return ev
    if not 2000 <= tahun <= 2100:
        raise Ditolak(_("Tahun evaluasi tidak wajar."))
    if not (decision := policy.isi(user, satker)):
        raise Ditolak(decision.alasan)
    ev = Evaluasi(satker_id=satker.id, tahun=tahun, lke=lke.versi_berlaku(session), status=StatusEvaluasi.DRAF)
    ev.satker = satker
    session.add(ev)
    session.flush()
    _usulan(session, ev, user, decision)
    return ev


def _usulan(session: Session, ev: Evaluasi, user: User | None, decision: Keputusan | None) -> None:
    """The system's proposals from the office's records (``workflow.evaluasi.usulan``), logged when they change."""
    if berubah := usulan.perbarui(session, ev):
        flow.catat(session, ev, user, decision, aksi="evaluasi_usulan", rincian={"kriteria": berubah})


# -- the office's answers -----------------------------------------------------------------------

@dataclass(frozen=True)
class IsianKriteria:
    jawaban: str | None = None   # "Y", "T" or None (not answered yet)
    catatan: str = ""
    bukti: tuple[int, ...] = ()  # evidence files (workflow.bukti) of the office's documents
    kode: tuple[str, ...] = ()   # verification codes of the office's signed documents
    versi: int | None = None     # the row's version the form showed (None: no row yet)


MAKS_ID = 2**31 - 1  # an id past the column's range is nobody's (and PostgreSQL would refuse the query)


def periksa_tautan(session: Session, satker: Satker, bukti: Iterable[int], kode: Iterable[str]) -> list[dict]:
    """Evidence links as stored ([{"bukti": id} | {"kode": "K7QM-4XPA"}]), each checked to be
    the office's own: a file of one of its documents, not withdrawn, or the verification code
    of one of its signed documents. An evaluation's answers and a follow-up's reports link so."""
    bukti, kode = list(bukti), list(kode)
    if len(bukti) + len(kode) > MAKS_TAUTAN:
        raise IsiTidakValid(_("Paling banyak %(n)s tautan bukti.", n=MAKS_TAUTAN))
    found = []
    for bukti_id in dict.fromkeys(bukti):
        ok = 1 <= bukti_id <= MAKS_ID and session.scalar(
            select(Bukti.id).join(Dokumen, Dokumen.id == Bukti.dokumen_id)
            .where(Bukti.id == bukti_id, Dokumen.satker_id == satker.id, Bukti.ditarik_pada.is_(None)))
        if not ok:
            raise IsiTidakValid(_("Bukti dukung yang dipilih tidak ditemukan di satker ini."))
        found.append({"bukti": bukti_id})
    for k in dict.fromkeys(k.strip().upper() for k in kode if k.strip()):
        ok = _KODE.match(k) and session.scalar(select(Revisi.id).join(Dokumen, Dokumen.id == Revisi.dokumen_id)
                                               .where(Revisi.kode_verifikasi == k, Dokumen.satker_id == satker.id))
        if not ok:
            raise IsiTidakValid(_("Kode verifikasi %(v)s bukan dokumen bertanda tangan satker ini.", v=k[:12]))
        found.append({"kode": k})
    return found


def _tautan(session: Session, satker: Satker, kode_kriteria: str, isian: IsianKriteria) -> list[dict]:
    try:
        return periksa_tautan(session, satker, isian.bukti, isian.kode)
    except IsiTidakValid as exc:  # the criterion named: a page saves many at once
        raise IsiTidakValid(_("Kriteria %(kode)s: %(pesan)s", kode=kode_kriteria, pesan=exc.message)) from exc


def _boleh_isi(ev: Evaluasi, user: User):
    if not (decision := policy.isi(user, ev.satker)):
        raise Ditolak(decision.alasan)
    if ev.status not in (StatusEvaluasi.DRAF, StatusEvaluasi.DIKEMBALIKAN):
        raise Ditolak(_("Evaluasi berstatus %(status)s: penilaian mandiri tidak dapat diubah.", status=ev.status.label))
    return decision


def simpan_jawaban(session: Session, satker: Satker, tahun: int, user: User,
                   isian: Mapping[str, IsianKriteria]) -> Evaluasi:
    """Write the office's answer, note and links per criterion (code -> IsianKriteria); in a
    returned evaluation only the criteria returned for more evidence."""
    ev = buka(session, satker, tahun, user)
    decision = _boleh_isi(ev, user)
    rows = queries.jawaban(session, ev)
    kriteria = {k.kode: k for k in ev.lke.kriteria}
    berubah = []
    for kode, isi in isian.items():
        if kode not in kriteria:
            raise Ditolak(_("Kriteria %(kode)s tidak ada di LKE evaluasi ini; muat ulang halaman.", kode=kode[:12]))
        if isi.jawaban not in (None, "Y", "T"):
            raise IsiTidakValid(_("Kriteria %(kode)s: jawaban harus Ya atau Tidak.", kode=kode))
        row = rows.get(kode)
        nilai = {"jawaban": isi.jawaban, "catatan": _bersih(isi.catatan, _("Catatan")),
                 "tautan": _json(_tautan(session, satker, kode, isi))}
        if row is None and not any(nilai.values()):
            continue
        if row is not None and all(getattr(row, k) == v for k, v in nilai.items()):
            continue
        # A row only the pre-fill wrote (in this very request, maybe) was never on the office's form.
        ditulis = row if row is not None and row.diisi_pada else None
        _periksa_versi(ditulis, isi.versi, _("Jawaban kriteria %(kode)s", kode=kode))
        if ev.status is StatusEvaluasi.DIKEMBALIKAN and (row is None or not row.perlu_bukti):
            raise Ditolak(_("Kriteria %(kode)s tidak dikembalikan evaluator: jawabannya tidak dapat diubah.", kode=kode))
        if row is None:
            row = Jawaban(evaluasi=ev, kriteria=kriteria[kode])
            session.add(row)
        for k, v in nilai.items():
            setattr(row, k, v)
        row.diisi_oleh_id, row.diisi_pada = user.id, utcnow()
        berubah.append(kode)
    if berubah:
        session.flush()
        flow.catat(session, ev, user, decision, aksi="evaluasi_isi", rincian={"kriteria": berubah})
    return ev


def _json(tautan: list[dict]) -> str | None:
    return json.dumps(tautan, sort_keys=True) if tautan else None


# -- the evaluator's verdicts and grades ----------------------------------------------------------

@dataclass(frozen=True)
class PenilaianKriteria:
    setuju: bool | None = None
    komentar: str = ""
    perlu_bukti: bool = False
    alasan_kembali: str = ""
    versi: int | None = None


@dataclass(frozen=True)
class PenilaianSub:
    kriteria: Mapping[str, PenilaianKriteria] = field(default_factory=dict)
    nilai: str | None = None  # AA..E, or None: not graded yet
    alasan: str = ""
    versi: int | None = None  # the grade row's version the form showed


def _evaluator(session: Session, ev: Evaluasi, user: User, *states: StatusEvaluasi):
    if not (decision := policy.evaluator(user, ev.satker)):
        raise Ditolak(decision.alasan)
    if ev.status not in states:
        raise Ditolak(_("Evaluasi berstatus %(status)s: penilaian evaluator tidak dapat diubah.",
                        status=ev.status.label))
    return decision


def _ada(session: Session, satker: Satker, tahun: int) -> Evaluasi:
    ev = queries.evaluasi(session, satker.id, tahun, lock=True)
    if ev is None:
        raise Ditolak(_("%(satker)s belum mengisi penilaian mandiri %(tahun)s.", satker=satker.nama, tahun=tahun))
    return ev


def _verdict(row: Jawaban, p: PenilaianKriteria, status: StatusEvaluasi) -> dict | None:
    nilai = {"setuju": p.setuju, "komentar": _bersih(p.komentar, _("Komentar")), "perlu_bukti": bool(p.perlu_bukti),
             "alasan_kembali": _bersih(p.alasan_kembali, _("Alasan pengembalian"))}
    if all(getattr(row, k) == v for k, v in nilai.items()):
        return None
    kode = row.kriteria.kode
    if p.setuju is False and not nilai["komentar"]:
        raise IsiTidakValid(_("Kriteria %(kode)s: tulis komentar bila tidak setuju.", kode=kode))
    if nilai["perlu_bukti"] and (status is not StatusEvaluasi.DIAJUKAN or not nilai["alasan_kembali"]):
        raise IsiTidakValid(_("Kriteria %(kode)s: pengembalian untuk bukti tambahan hanya sebelum hasil diterbitkan, "
                              "dengan alasannya.", kode=kode))
    return nilai


def simpan_penilaian(session: Session, satker: Satker, tahun: int, user: User, sub_kode: str,
                     isian: PenilaianSub) -> Evaluasi:
    """Write the evaluator's verdict per criterion of one sub-component, and its grade."""
    ev = _ada(session, satker, tahun)
    decision = _evaluator(session, ev, user, StatusEvaluasi.DIAJUKAN, StatusEvaluasi.DISANGGAH)
    sub = ev.lke.sub(sub_kode)
    if sub is None:
        raise Ditolak(_("Subkomponen %(kode)s tidak ada di LKE evaluasi ini.", kode=sub_kode[:8]))
    rows = queries.jawaban(session, ev)
    berubah = []
    for kode, p in isian.kriteria.items():
        row = rows.get(kode)
        if row is None or row.kriteria.subkomponen_id != sub.id or row.jawaban is None:
            raise Ditolak(_("Kriteria %(kode)s belum dijawab satker atau bukan bagian subkomponen ini.", kode=kode[:12]))
        if (nilai := _verdict(row, p, ev.status)) is None:
            continue
        _periksa_versi(row, p.versi, _("Penilaian kriteria %(kode)s", kode=kode))
        for k, v in nilai.items():
            setattr(row, k, v)
        row.dinilai_oleh_id, row.dinilai_pada = user.id, utcnow()
        berubah.append(kode)
    session.flush()
    if _nilai_sub(session, ev, sub, isian, user):
        berubah.append(sub.kode)
    if berubah:
        session.flush()
        flow.catat(session, ev, user, decision, aksi="evaluasi_nilai",
                   rincian={"subkomponen": sub.kode, "diubah": berubah, "nilai": isian.nilai})
    return ev


def _nilai_sub(session: Session, ev: Evaluasi, sub, isian: PenilaianSub, user: User) -> bool:
    row = queries.nilai(session, ev).get(sub.kode)
    try:
        nilai = Nilai(isian.nilai) if isian.nilai else None
    except ValueError:
        raise IsiTidakValid(_("Nilai subkomponen harus salah satu dari AA, A, BB, B, CC, C, D, E.")) from None
    alasan = _bersih(isian.alasan, _("Alasan nilai"))
    if row is None and nilai is None and alasan is None:
        return False
    if row is not None and row.nilai == (nilai.value if nilai else None) and row.alasan == alasan:
        return False
    _periksa_versi(row, isian.versi, _("Nilai subkomponen %(kode)s", kode=sub.kode))
    if nilai is not None:
        h = next(h for h in queries.hasil(session, ev).sub if h.sub.kode == sub.kode)
        if not skor.boleh_dipilih(nilai, h.terpenuhi, h.jumlah):
            raise IsiTidakValid(_("Subkomponen %(kode)s: nilai %(nilai)s hanya bila semua kriteria terpenuhi (100%%).",
                                  kode=sub.kode, nilai=nilai.value))
        if (nilai.hanya_pilihan_evaluator or nilai is not h.usulan) and not alasan:
            raise IsiTidakValid(_("Subkomponen %(kode)s: nilai %(nilai)s berbeda dari usulan %(usulan)s; tulis "
                                  "alasannya.", kode=sub.kode, nilai=nilai.value, usulan=h.usulan.value))
    if row is None:
        row = NilaiSubkomponen(evaluasi=ev, subkomponen=sub)
        session.add(row)
    row.nilai, row.alasan = (nilai.value if nilai else None), alasan
    row.dinilai_oleh_id, row.dinilai_pada = user.id, utcnow()
    return True


def tulis_temuan(session: Session, satker: Satker, tahun: int, user: User, uraian: str, rekomendasi: str,
                 sub_kode: str | None = None) -> Temuan:
    """Add a finding with its recommendation (before the result is published)."""
    ev = _ada(session, satker, tahun)
    decision = _evaluator(session, ev, user, StatusEvaluasi.DIAJUKAN)
    sub = ev.lke.sub(sub_kode) if sub_kode else None
    if sub_kode and sub is None:
        raise Ditolak(_("Subkomponen %(kode)s tidak ada di LKE evaluasi ini.", kode=sub_kode[:8]))
    teks = _bersih(uraian, _("Temuan"))
    if not teks:
        raise IsiTidakValid(_("Uraian temuan wajib diisi."))
    nomor = max((t.nomor for t in ev.temuan), default=0) + 1
    temuan = Temuan(nomor=nomor, subkomponen=sub, uraian=teks, rekomendasi=_bersih(rekomendasi, _("Rekomendasi")),
                    dibuat_oleh_id=user.id)
    ev.temuan.append(temuan)
    session.flush()
    flow.catat(session, ev, user, decision, aksi="evaluasi_temuan", rincian={"temuan": nomor})
    return temuan


# -- the dispute and its answer ----------------------------------------------------------------------

def sanggah(session: Session, satker: Satker, tahun: int, user: User, alasan: Mapping[int, str],
            versi: int | None = None) -> Evaluasi:
    """The office's one dispute: a reason per finding disputed (number -> reason), then the step."""
    ev = _ada(session, satker, tahun)
    _periksa_versi_evaluasi(ev, versi)
    if not (decision := policy.sanggah(user, satker)):
        raise Ditolak(decision.alasan)
    if ev.status is StatusEvaluasi.DITERBITKAN and ev.disanggah_pada is None:
        nomor = {t.nomor: t for t in ev.temuan}
        for n, teks in alasan.items():
            if n not in nomor:
                raise Ditolak(_("Temuan nomor %(n)s tidak ada; muat ulang halaman.", n=n))
            nomor[n].sanggahan = _bersih(teks, _("Alasan sanggahan"))
        session.flush()
    return transisi(session, satker, tahun, "sanggah", user, ev=ev)


def tanggapi(session: Session, satker: Satker, tahun: int, user: User, tanggapan: Mapping[int, tuple[str, bool]],
             versi: int | None = None) -> Evaluasi:
    """The evaluator's answer to each disputed finding: (answer, whether the dispute is accepted)."""
    ev = _ada(session, satker, tahun)
    _periksa_versi_evaluasi(ev, versi)
    decision = _evaluator(session, ev, user, StatusEvaluasi.DISANGGAH)
    nomor = {t.nomor: t for t in ev.temuan}
    berubah = []
    for n, (teks, diterima) in tanggapan.items():
        t = nomor.get(n)
        if t is None or not t.sanggahan:
            raise Ditolak(_("Temuan nomor %(n)s tidak disanggah.", n=n))
        teks = _bersih(teks, _("Tanggapan"))
        if teks is None:
            continue
        if (t.tanggapan, t.sanggahan_diterima) != (teks, diterima):
            t.tanggapan, t.sanggahan_diterima = teks, diterima
            berubah.append(n)
    if berubah:
        session.flush()
        flow.catat(session, ev, user, decision, aksi="evaluasi_tanggapan", rincian={"temuan": berubah})
    return ev


# -- the steps -------------------------------------------------------------------------------------

def transisi(session: Session, satker: Satker, tahun: int, event: str, user: User, *, versi: int | None = None,
             ev: Evaluasi | None = None, **kwargs) -> Evaluasi:
    """The only caller of the evaluation's state machine."""
    if event not in EVENT_LABELS:
        raise Ditolak(_("Aksi tidak dikenal."))
    ev = ev or (buka(session, satker, tahun, user) if event == "ajukan" else _ada(session, satker, tahun))
    _periksa_versi_evaluasi(ev, versi)
    alur = AlurEvaluasi(ev, session)
    if event not in {e.id for e in alur.allowed_events}:
        if event == "sanggah" and ev.disanggah_pada is not None:
            raise Ditolak(_("Sanggahan hanya dapat diajukan sekali; sanggahan sudah diajukan."))
        raise Ditolak(_("Evaluasi berstatus %(status)s: aksi '%(aksi)s' tidak tersedia.",
                        status=ev.status.label, aksi=_(EVENT_LABELS[event])))
    alur.send(event, user=user, **kwargs)
    session.flush()
    if event == "ajukan":
        _usulan(session, ev, user, alur.granted)
    for sesudah in SESUDAH_TRANSISI:
        sesudah(session, ev, event, user, kwargs)
    return ev


@dataclass(frozen=True)
class Tombol:
    event: str
    label: str
    konfirmasi: str | None
    beralasan: bool


_ALUR = {s.value: [t.event for t in s.transitions] for s in AlurEvaluasi.states}
_PELAKU = {"ajukan": policy.isi, "sanggah": policy.sanggah, "kembalikan": policy.evaluator,
           "terbitkan": policy.evaluator, "finalkan": policy.evaluator}


def tombol(satker: Satker, ev: Evaluasi | None, user: User | None) -> list[Tombol]:
    """The buttons ``user`` may press on this evaluation now (the dispute has its own form)."""
    status = ev.status if ev is not None else StatusEvaluasi.DRAF
    found = []
    for event in dict.fromkeys(_ALUR[status]):
        if event == "sanggah" or not _PELAKU[event](user, satker):
            continue
        konfirmasi = _(EVENT_KONFIRMASI[event]) if event in EVENT_KONFIRMASI else None
        found.append(Tombol(event, _(EVENT_LABELS[event]), konfirmasi, event == "kembalikan"))
    return found
