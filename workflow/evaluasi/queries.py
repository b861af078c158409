"""What other parts read about evaluations: one office's for a year, its rows keyed by
code, its computed result (proposals, scores per sub-component, component and total,
predikat), what blocks a step, the evaluator's list, the history. Reads only."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenants import scoping
from tenants.people import User
from tenants.satker import Satker
from tenants.teks import _
from workflow.audit import AuditEntry
from workflow.evaluasi import skor
from workflow.evaluasi.lke import LkeKomponen, LkeSubkomponen
from workflow.evaluasi.policy import evaluator
from workflow.evaluasi.models import Evaluasi, Jawaban, NilaiSubkomponen, StatusEvaluasi, Temuan
from workflow.evaluasi.skor import Nilai

AKSI_EVALUASI = ("evaluasi_isi", "evaluasi_usulan", "evaluasi_nilai", "evaluasi_temuan", "evaluasi_ajukan", "evaluasi_kembalikan",
                 "evaluasi_terbitkan", "evaluasi_sanggah", "evaluasi_tanggapan", "evaluasi_finalkan")


def evaluasi(session: Session, satker_id: int, tahun: int, *, lock: bool = False) -> Evaluasi | None:
    query = select(Evaluasi).where(Evaluasi.satker_id == satker_id, Evaluasi.tahun == tahun)
    return session.scalar(query.with_for_update(of=Evaluasi) if lock else query)


def jawaban(session: Session, ev: Evaluasi | None) -> dict[str, Jawaban]:
    """criterion code -> its row (only the criteria someone wrote)."""
    if ev is None:
        return {}
    rows = session.scalars(select(Jawaban).where(Jawaban.evaluasi_id == ev.id))
    return {j.kriteria.kode: j for j in rows}


def nilai(session: Session, ev: Evaluasi | None) -> dict[str, NilaiSubkomponen]:
    if ev is None:
        return {}
    rows = session.scalars(select(NilaiSubkomponen).where(NilaiSubkomponen.evaluasi_id == ev.id))
    return {n.subkomponen.kode: n for n in rows}


@dataclass(frozen=True)
class HasilSub:
    sub: LkeSubkomponen
    jumlah: int
    terjawab: int
    terpenuhi: int
    usulan: Nilai
    nilai: Nilai | None
    alasan: str | None
    skor: Decimal | None

    @property
    def persen(self) -> Decimal:
        return skor.persen(self.terpenuhi, self.jumlah)


@dataclass(frozen=True)
class HasilKomponen:
    komponen: LkeKomponen
    sub: list[HasilSub]

    @property
    def skor(self) -> Decimal:
        return skor.jumlah(s.skor for s in self.sub if s.skor is not None)


@dataclass(frozen=True)
class Hasil:
    komponen: list[HasilKomponen]

    @property
    def sub(self) -> list[HasilSub]:
        return [s for k in self.komponen for s in k.sub]

    @property
    def lengkap(self) -> bool:
        """Every sub-component graded."""
        return all(s.nilai is not None for s in self.sub)

    @property
    def total(self) -> Decimal:
        return skor.jumlah(k.skor for k in self.komponen)

    @property
    def predikat(self) -> str | None:
        return skor.predikat(self.total) if self.lengkap else None


def _hasil_sub(sub: LkeSubkomponen, rows: dict[str, Jawaban], grade: NilaiSubkomponen | None) -> HasilSub:
    mine = [rows.get(k.kode) for k in sub.kriteria]
    terjawab = sum(1 for j in mine if j is not None and j.jawaban is not None)
    terpenuhi = sum(1 for j in mine if j is not None and j.terpenuhi)
    given = Nilai(grade.nilai) if grade is not None and grade.nilai else None
    return HasilSub(sub, len(sub.kriteria), terjawab, terpenuhi, skor.usulan(terpenuhi, len(sub.kriteria)), given,
                    grade.alasan if grade is not None else None,
                    skor.skor(given, sub.bobot) if given is not None else None)


def hasil(session: Session, ev: Evaluasi, lke=None) -> Hasil:
    """The worksheet with this evaluation's answers: share fulfilled and proposed grade per
    sub-component, the grade given and its score, the sums."""
    rows, grades = jawaban(session, ev), nilai(session, ev)
    lke = lke or ev.lke
    return Hasil([HasilKomponen(k, [_hasil_sub(s, rows, grades.get(s.kode)) for s in k.subkomponen])
                  for k in lke.komponen])


def masalah_ajukan(session: Session, ev: Evaluasi) -> list[str]:
    """What blocks submitting: a criterion without its answer."""
    rows = jawaban(session, ev)
    kosong = [k.kode for k in ev.lke.kriteria if rows.get(k.kode) is None or rows[k.kode].jawaban is None]
    if not kosong:
        return []
    return [_("%(n)s kriteria belum dijawab (Ya/Tidak): %(kode)s.", n=len(kosong),
              kode=", ".join(kosong[:12]) + (" ..." if len(kosong) > 12 else ""))]


def masalah_nilai(session: Session, ev: Evaluasi) -> list[str]:
    """What blocks publishing or finalising: a criterion without the evaluator's verdict, a
    sub-component without its grade, and (after a dispute) a dispute without its answer."""
    rows = jawaban(session, ev)
    masalah = []
    belum = [k.kode for k in ev.lke.kriteria if rows.get(k.kode) is None or rows[k.kode].setuju is None]
    if belum:
        masalah.append(_("%(n)s kriteria belum dinilai (setuju/tidak setuju): %(kode)s.", n=len(belum),
                         kode=", ".join(belum[:12]) + (" ..." if len(belum) > 12 else "")))
    tanpa = [s.kode for s in ev.lke.subkomponen if s.kode not in {h.sub.kode for h in hasil(session, ev).sub
                                                                   if h.nilai is not None}]
    if tanpa:
        masalah.append(_("Subkomponen belum diberi nilai: %(kode)s.", kode=", ".join(tanpa)))
    if ev.status is StatusEvaluasi.DISANGGAH:
        terbuka = [str(t.nomor) for t in ev.temuan if t.sanggahan and not t.tanggapan]
        if terbuka:
            masalah.append(_("Sanggahan atas temuan %(nomor)s belum ditanggapi.", nomor=", ".join(terbuka)))
    return masalah


@dataclass(frozen=True)
class Baris:
    satker: Satker
    evaluasi: Evaluasi | None

    @property
    def status_label(self) -> str:
        return self.evaluasi.status.label if self.evaluasi else _("Belum dimulai")


def daftar_evaluator(session: Session, user: User | None, tahun: int) -> list[Baris]:
    """The offices below the user's inspektorat memberships, each with its evaluation of
    ``tahun`` (or none yet), in the hierarchy's order: two statements whatever the count."""
    satkers = [s for s in session.scalars(scoping.satkers(user)) if s.parent_id is not None and evaluator(user, s)]
    ids = [s.id for s in satkers]
    found = {e.satker_id: e for e in session.scalars(select(Evaluasi).where(
        Evaluasi.tahun == tahun, Evaluasi.satker_id.in_(ids)))} if ids else {}
    return [Baris(s, found.get(s.id)) for s in satkers]


def riwayat(session: Session, satker: Satker, tahun: int) -> list[AuditEntry]:
    """The evaluation's history: its audit entries (on the office, naming the year), oldest first."""
    rows = session.scalars(select(AuditEntry).where(AuditEntry.satker_kode == satker.kode,
                                                    AuditEntry.dokumen_id.is_(None),
                                                    AuditEntry.aksi.in_(AKSI_EVALUASI)).order_by(AuditEntry.seq))
    return [e for e in rows if e.rincian_data.get("tahun") == tahun]


def temuan_terbuka(items: Iterable[Temuan]) -> list[Temuan]:
    return [t for t in items if t.sanggahan and not t.tanggapan]


def tahun_bawaan(session: Session, satker: Satker | None = None) -> int:
    """The year an evaluation page opens on: the latest evaluated (of ``satker``, or of any
    office) up to last year, else last year (the year just ended is the one evaluated)."""
    tahun = date.today().year - 1
    query = select(func.max(Evaluasi.tahun)).where(Evaluasi.tahun <= tahun)
    found = session.scalar(query.where(Evaluasi.satker_id == satker.id) if satker is not None else query)
    return found or tahun


def dengan_kode(session: Session, kode: str) -> Evaluasi | None:
    """A final evaluation by its verification code (the public verification page)."""
    return session.scalar(select(Evaluasi).where(Evaluasi.kode_verifikasi == kode))
