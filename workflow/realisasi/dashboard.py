"""What the dashboards show, loaded in a fixed number of queries.

Every function here issues the same number of SQL statements whatever the number of
offices, indikator, rows or months (a test counts them on a small and a larger data
set): each kind of row is loaded in one query that joins from the office and year, never
one query per office or per indikator. The figures are then computed in Python by
``workflow.realisasi.operations.hitung_indikator``, i.e. by ``workflow.capaian`` (the formulas
live there and only there). The matrix is the one exception to loading every month: it
lets SQL add each cell's months up (sum, count, latest) and applies the same rules to
those (``_realisasi_sd``); tests/test_dashboards.py checks that its cells say what the
offices' own dashboards say.

- ``dasbor_kantor``: one office's PK indikator (target, realisation to date, capaian,
  light, monthly series), its RAK money per kegiatan code and its programs against the
  pagu;
- ``matriks``: a province's kabupaten/kota (KPU RI's provinces) x the indikator of its
  own PK Komisi that they inherited by cascade, with capaian per cell and each child's
  PK status;
- ``realisasi_pk`` / ``anggaran_rak``: one PK's indikator, one RAK's rows, with their
  figures, for the realisation entry page.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from sqlalchemy import BigInteger, String, and_, bindparam, cast, func, or_, select
from sqlalchemy.orm import Session, aliased, lazyload

from tenants import scoping
from tenants.people import User
from tenants.satker import Satker
from workflow.capaian import Capaian, CaraAgregasi, Keadaan, Lampu, hitung, lampu
from workflow.dokumen import target_periode
from workflow.dokumen.content import Indikator, Kegiatan, ProgramAnggaran, RakBaris, Sasaran
from workflow.dokumen.jenis import Bentuk, berbentuk
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi, Status
from workflow.dokumen.queries import BENTUK_JADWAL_KOLOM, baca, bentuk_jadwal_kantor
from workflow.realisasi.models import Realisasi, RealisasiAnggaran
from workflow.realisasi.operations import (KODE_JENIS, Entri, HasilBaris, HasilIndikator, Periode, cara_agregasi,
                                    entri_per_pemilik, hitung_indikator, kode_kegiatan, periode, persen_serapan)
from workflow.schedule import BentukJadwal
from workflow.target import JenisTarget, Polaritas

PK = berbentuk(Bentuk.PK)
RAK = berbentuk(Bentuk.RAK)
TANPA_KODE = "tanpa kode"

_INDIKATOR_KOLOM = (Indikator.kunci, Indikator.uraian, Indikator.jenis_target, Indikator.polaritas,
                    Indikator.target_nilai, Indikator.target_kode, Indikator.satuan, Indikator.cara_agregasi,
                    Indikator.pelaksana, Indikator.induk_dokumen_id, Indikator.induk_kunci, Indikator.target_periode)


def _aktif():
    """Join condition: a document's current revision."""
    return and_(Revisi.dokumen_id == Dokumen.id, Revisi.nomor == Dokumen.nomor_revisi)


# The statements of the office pages, built once: composing a select costs about as much
# as running it (each ``column == value`` is coerced anew); the values are bound per call.
_SENDIRI = Dokumen.satker_id == bindparam("kantor")
_PK = Dokumen.jenis.in_(PK)
_TAHUN_KANTOR = (
    select(Dokumen.tahun, _SENDIRI.label("sendiri"), _PK.label("pk")).join(Satker, Satker.id == Dokumen.satker_id)
    .where(or_(Satker.id == bindparam("kantor"), Satker.parent_id == bindparam("kantor")), or_(_SENDIRI, _PK))
    .distinct())


def tahun_kantor(session: Session, satker: Satker) -> tuple[list[int], int]:
    """The years this office holds documents in, and the default year: the latest with a
    PK of this office or of an office directly below it (this year when there is none).
    One statement."""
    rows = baca(session, _TAHUN_KANTOR, {"kantor": satker.id})
    tersedia = sorted({r.tahun for r in rows if r.sendiri})
    return tersedia, max((r.tahun for r in rows if r.pk), default=None) or date.today().year


# -- one office ----------------------------------------------------------------------------------

@dataclass
class DokumenRingkas:
    id: int
    jenis: JenisDokumen
    status: Status
    nomor_revisi: int
    pagu: int | None
    program: list[tuple[str, str, int]] = field(default_factory=list)  # (kode, nama, anggaran)
    total_biaya: int | None = None  # RAK: the rows' perkiraan biaya
    # The document itself, for the page's permission checks (not loaded a second time).
    objek: Dokumen | None = field(default=None, repr=False, compare=False)

    @property
    def total_program(self) -> int:
        return sum(p[2] for p in self.program)

    @property
    def selisih_pagu(self) -> int | None:
        """Pagu minus the programs (as workflow.dokumen.models.Revisi.selisih_pagu)."""
        if self.pagu is None or not self.program:
            return None
        return self.pagu - self.total_program


@dataclass
class KelompokKegiatan:
    kode: str                      # "6709", or TANPA_KODE
    kode_output: list[str]
    rencana: int                   # perkiraan biaya of the rows
    realisasi: int                 # money spent
    baris: int

    @property
    def serapan(self) -> Capaian:
        return persen_serapan(self.rencana, self.realisasi)


@dataclass
class AnggaranRak:
    dokumen: DokumenRingkas
    kegiatan: list[KelompokKegiatan]
    bulanan: dict[int, int]        # month -> money spent (all rows)

    @property
    def rencana(self) -> int:
        return sum(k.rencana for k in self.kegiatan)

    @property
    def realisasi(self) -> int:
        return sum(k.realisasi for k in self.kegiatan)

    @property
    def serapan(self) -> Capaian:
        return persen_serapan(self.rencana, self.realisasi)

    def seri(self, periode_: list[Periode]) -> dict:
        """Chart data: money spent per period, spent to date, and the rows' planned total."""
        step = 12 // len(periode_)
        nilai = [sum(v for b, v in self.bulanan.items() if p.bulan - step < b <= p.bulan) for p in periode_]
        terakhir = max(self.bulanan, default=0)
        # The line stops at the latest period with money reported.
        kumulatif = [sum(nilai[: n + 1]) if p.bulan - step < terakhir else None for n, p in enumerate(periode_)]
        return {"label": [p.singkat for p in periode_], "nilai": nilai, "kumulatif": kumulatif,
                "target": self.rencana, "satuan": "Rp", "judul": f"Realisasi anggaran {self.dokumen.jenis.label}"}


@dataclass
class BagianPk:
    dokumen: DokumenRingkas | None
    jenis: JenisDokumen
    indikator: list[HasilIndikator]

    def hitung_lampu(self) -> dict[Lampu, int]:
        counts = {lampu: 0 for lampu in Lampu}
        for i in self.indikator:
            counts[i.lampu] += 1
        return counts


@dataclass
class DasborKantor:
    satker: Satker
    tahun: int
    bentuk: BentukJadwal
    periode: list[Periode]
    pk: list[BagianPk]
    anggaran: list[AnggaranRak]
    dokumen: list[DokumenRingkas]   # every document of the year (programs vs pagu)
    # The RAK rows and the money spent per (document, row) and month, as loaded: the
    # absorption (workflow.anggaran.serapan) reads them instead of loading them again.
    rak_baris: list = field(default_factory=list, repr=False)
    belanja_baris: dict[tuple[int, str], dict[int, int]] = field(default_factory=dict, repr=False)

    @property
    def berpagu(self) -> list[DokumenRingkas]:
        """The documents that state a pagu or programs."""
        return [d for d in self.dokumen if d.pagu is not None or d.program]


_DI_SINI = and_(Dokumen.satker_id == bindparam("kantor"), Dokumen.tahun == bindparam("tahun"))
# 1. the documents of the year with their current header and its programs (a row per
#    program); the documents as objects, for the page's permission checks; on each row the
#    office's reporting shape of the year (bentuk_jadwal_kantor's, one statement fewer)
_KANTOR_DOKUMEN = (
    select(Dokumen, Revisi.pagu, ProgramAnggaran.id, ProgramAnggaran.kode, ProgramAnggaran.nama,
           ProgramAnggaran.anggaran, BENTUK_JADWAL_KOLOM.label("bentuk"))
    .join(Revisi, _aktif()).outerjoin(ProgramAnggaran, ProgramAnggaran.revisi_id == Revisi.id)
    .where(_DI_SINI).order_by(Dokumen.id, ProgramAnggaran.urutan)
    # Their office is the one asked about, already in the session: not joined in again.
    .options(lazyload(Dokumen.satker)))
# 2. the PKs' indikator, in document order
_KANTOR_INDIKATOR = (
    select(Dokumen.id.label("dokumen_id"), Sasaran.uraian.label("sasaran"), *_INDIKATOR_KOLOM)
    .join(Revisi, _aktif()).join(Indikator, Indikator.revisi_id == Revisi.id)
    .join(Sasaran, Sasaran.id == Indikator.sasaran_id)
    .where(_DI_SINI, Dokumen.jenis.in_(PK)).order_by(Dokumen.id, Sasaran.urutan, Indikator.urutan))
# 3. the PKs' realisations
_KANTOR_REALISASI = (
    select(Realisasi.dokumen_id, Realisasi.indikator_kunci, Realisasi.bulan, Realisasi.nilai, Realisasi.kode)
    .join(Dokumen, Dokumen.id == Realisasi.dokumen_id).where(_DI_SINI, Dokumen.jenis.in_(PK)))
# 4. the RAK rows' codes, costs and months (with what workflow.anggaran.serapan reads of them)
_KANTOR_BARIS = (
    select(Dokumen.satker_id, Dokumen.id.label("dokumen_id"), Dokumen.jenis, RakBaris.kunci, RakBaris.kode_output,
           RakBaris.biaya, RakBaris.jadwal)
    .join(Revisi, _aktif()).join(RakBaris, RakBaris.revisi_id == Revisi.id)
    .where(_DI_SINI, Dokumen.jenis.in_(RAK)).order_by(Dokumen.id, RakBaris.urutan))
# 5. money spent, per row and month (summed in SQL)
_KANTOR_ANGGARAN = (
    select(RealisasiAnggaran.dokumen_id, RealisasiAnggaran.baris_kunci, RealisasiAnggaran.bulan,
           func.sum(RealisasiAnggaran.jumlah).label("jumlah"))
    .join(Dokumen, Dokumen.id == RealisasiAnggaran.dokumen_id).where(_DI_SINI, Dokumen.jenis.in_(RAK))
    .group_by(RealisasiAnggaran.dokumen_id, RealisasiAnggaran.baris_kunci, RealisasiAnggaran.bulan))


def dasbor_kantor(session: Session, satker: Satker, tahun: int) -> DasborKantor:
    """One office's dashboard in five queries, whatever it holds (the statements above; a
    sixth for the office's reporting shape when it has no document that year)."""
    di_sini = {"kantor": satker.id, "tahun": tahun}
    rows = session.execute(_KANTOR_DOKUMEN, di_sini | {"satker": satker.id}).all()
    dokumen = _dokumen_ringkas(rows)
    indikator = baca(session, _KANTOR_INDIKATOR, di_sini)
    entri: dict[int, dict[str, dict[int, Entri]]] = entri_per_pemilik(baca(session, _KANTOR_REALISASI, di_sini))
    baris = baca(session, _KANTOR_BARIS, di_sini)
    spent, bulanan, per_baris = _belanja(baca(session, _KANTOR_ANGGARAN, di_sini))
    # the office's reporting shape, read with the documents (as bentuk_jadwal_kantor reads it)
    bentuk = (rows[0].bentuk or BentukJadwal.BULAN) if rows else bentuk_jadwal_kantor(session, satker, tahun)

    pk = [_bagian_pk(jenis, _dokumen_jenis(dokumen, jenis), indikator, entri) for jenis in PK]
    rak = (_dokumen_jenis(dokumen, jenis) for jenis in RAK)
    anggaran = [_anggaran_rak(doc, baris, spent, bulanan) for doc in rak if doc is not None]
    urutan = list(JenisDokumen)
    return DasborKantor(satker, tahun, bentuk, periode(bentuk), pk, anggaran,
                        sorted(dokumen.values(), key=lambda d: urutan.index(d.jenis)), baris, per_baris)


def _dokumen_ringkas(rows) -> dict[int, DokumenRingkas]:
    """The documents by id, each with its programs (the rows come one per program)."""
    dokumen: dict[int, DokumenRingkas] = {}
    for d, pagu, program_id, kode, nama, anggaran, _bentuk in rows:
        ringkas = dokumen.get(d.id)
        if ringkas is None:
            ringkas = dokumen[d.id] = DokumenRingkas(d.id, d.jenis, d.status, d.nomor_revisi, pagu, objek=d)
        if program_id is not None:
            ringkas.program.append((kode, nama, anggaran))
    return dokumen


def _dokumen_jenis(dokumen: dict[int, DokumenRingkas], jenis: JenisDokumen) -> DokumenRingkas | None:
    return next((d for d in dokumen.values() if d.jenis is jenis), None)


def _belanja(rows) -> tuple[dict[tuple[int, str], int], dict[int, dict[int, int]], dict[tuple[int, str], dict[int, int]]]:
    """Money spent per (document, row), per document and month, and per (document, row)
    and month."""
    spent: dict[tuple[int, str], int] = {}
    bulanan: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    per_baris: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for row in rows:
        key, jumlah = (row.dokumen_id, row.baris_kunci), int(row.jumlah)
        spent[key] = spent.get(key, 0) + jumlah
        bulanan[row.dokumen_id][row.bulan] += jumlah
        per_baris[key][row.bulan] = jumlah
    return spent, bulanan, per_baris


def _bagian_pk(jenis: JenisDokumen, doc: DokumenRingkas | None, indikator: list,
               entri: dict[int, dict[str, dict[int, Entri]]]) -> BagianPk:
    hasil = [hitung_indikator(r, entri.get(r.dokumen_id, {}).get(r.kunci, {}), r.sasaran)
             for r in indikator if doc is not None and r.dokumen_id == doc.id]
    return BagianPk(doc, jenis, hasil)


def _anggaran_rak(doc: DokumenRingkas, baris: list, spent: dict[tuple[int, str], int],
                  bulanan: dict[int, dict[int, int]]) -> AnggaranRak:
    """A RAK's rows grouped by kegiatan code (rows without one last); sets its total cost."""
    groups: dict[str, KelompokKegiatan] = {}
    doc.total_biaya = 0
    for r in baris:
        if r.dokumen_id != doc.id:
            continue
        kode = kode_kegiatan(r.kode_output) or TANPA_KODE
        group = groups.setdefault(kode, KelompokKegiatan(kode, [], 0, 0, 0))
        if r.kode_output and r.kode_output not in group.kode_output:
            group.kode_output.append(r.kode_output)
        group.rencana += r.biaya or 0
        group.realisasi += spent.get((doc.id, r.kunci), 0)
        group.baris += 1
        doc.total_biaya += r.biaya or 0
    ordered = sorted(groups.values(), key=lambda g: (g.kode == TANPA_KODE, g.kode))
    return AnggaranRak(doc, ordered, dict(bulanan.get(doc.id, {})))


# -- one document's grid (the realisation entry page) ---------------------------------------------

_REVISI_INI = and_(Revisi.dokumen_id == bindparam("dokumen"), Revisi.nomor == bindparam("nomor"))
_PK_INDIKATOR = (
    select(Sasaran.uraian.label("sasaran"), *_INDIKATOR_KOLOM)
    .select_from(Revisi).join(Sasaran, Sasaran.revisi_id == Revisi.id)
    .join(Indikator, Indikator.sasaran_id == Sasaran.id)
    .where(_REVISI_INI).order_by(Sasaran.urutan, Sasaran.id, Indikator.urutan, Indikator.id))
_PK_REALISASI = (
    select(Realisasi.indikator_kunci, Realisasi.bulan, Realisasi.nilai, Realisasi.kode, Realisasi.bukti)
    .where(Realisasi.dokumen_id == bindparam("dokumen")))
_RAK_BARIS = (
    select(RakBaris.id, RakBaris.kunci, RakBaris.urutan, RakBaris.indikator, RakBaris.kode_output,
           RakBaris.pelaksana, RakBaris.biaya, Kegiatan.uraian.label("kegiatan"))
    .select_from(Revisi).join(RakBaris, RakBaris.revisi_id == Revisi.id)
    .outerjoin(Kegiatan, Kegiatan.baris_id == RakBaris.id)
    .where(_REVISI_INI).order_by(RakBaris.urutan, RakBaris.id, Kegiatan.urutan, Kegiatan.id))
_RAK_ANGGARAN = (
    select(RealisasiAnggaran.baris_kunci, RealisasiAnggaran.bulan, RealisasiAnggaran.jumlah)
    .where(RealisasiAnggaran.dokumen_id == bindparam("dokumen")))


def indikator_aktif(session: Session, pk: Dokumen) -> list:
    """The current revision's indikator (rows of their columns and ``sasaran``, its
    uraian), in sasaran order: what ``hitung_indikator`` needs, in one statement."""
    return baca(session, _PK_INDIKATOR, {"dokumen": pk.id, "nomor": pk.nomor_revisi})


def realisasi_pk(session: Session, pk: Dokumen) -> list[HasilIndikator]:
    """``realisasi_ops.realisasi_dokumen`` in two column queries: the current revision's
    indikator in sasaran order, and the PK's realisations. Loading the revision as objects
    (``Dokumen.revisi_aktif``) also loaded its programs, rows, LKj part and signatures,
    and each realisation as an object."""
    ini = {"dokumen": pk.id, "nomor": pk.nomor_revisi}
    rows = indikator_aktif(session, pk)
    entri: dict[str, dict[int, Entri]] = {}  # as entri_per_kunci, the columns unpacked
    for kunci, bulan, nilai, kode, bukti in baca(session, _PK_REALISASI, ini):
        entri.setdefault(kunci, {})[bulan] = Entri(nilai, kode, bukti)
    return [hitung_indikator(r, entri.get(r.kunci, {}), r.sasaran) for r in rows]


def anggaran_rak(session: Session, rak: Dokumen) -> list[HasilBaris]:
    """``realisasi_ops.anggaran_dokumen`` in two column queries: the current revision's
    rows with their kegiatan (one row per kegiatan), and the money spent."""
    ini = {"dokumen": rak.id, "nomor": rak.nomor_revisi}
    spent: dict[str, dict[int, int]] = {}
    for r in baca(session, _RAK_ANGGARAN, ini):
        spent.setdefault(r.baris_kunci, {})[r.bulan] = r.jumlah
    result: dict[int, HasilBaris] = {}
    for r in baca(session, _RAK_BARIS, ini):
        baris = result.get(r.id)
        if baris is None:
            baris = result[r.id] = HasilBaris(r.kunci, r.urutan, r.indikator, [], r.kode_output, r.pelaksana,
                                              r.biaya, spent.get(r.kunci, {}))
        if r.kegiatan is not None:
            baris.kegiatan.append(r.kegiatan)
    return list(result.values())


# -- a province's (KPU RI's) children side by side --------------------------------------------------

@dataclass(frozen=True)
class Kolom:
    kunci: str
    uraian: str
    sasaran: str
    target_teks: str


@dataclass
class BarisMatriks:
    satker: Satker
    status: Status | None            # the child's PK Komisi; None when it has none
    dokumen_id: int | None
    sel: dict[str, HasilIndikator]   # parent indikator kunci -> the child's inherited one

    # Sorting and the report column both ask for it: computed once.
    @cached_property
    def capaian_rata(self) -> Decimal | None:
        """The office's capaian in one number (to put the offices needing attention first):
        the mean of its cells that can be computed, each counted between 0 and 100%, so
        that neither one far beyond its target nor one far below (a "lower is better"
        indikator missed tenfold reads -900%) hides or swamps the others; None when no
        cell can be computed."""
        nilai = [min(max(n, _NOL), _SERATUS) for h in self.sel.values() if (n := _nilai_urut(h)) is not None]
        return sum(nilai) / len(nilai) if nilai else None


URUT_SATKER, URUT_STATUS = "satker", "status"
_NOL, _SERATUS = Decimal(0), Decimal(100)
_STATUS_URUT = {None: 0, Status.DRAFT: 1, Status.SUBMITTED: 2, Status.SIGNED: 3, Status.REVIEWED: 4}


def _nilai_urut(hasil: HasilIndikator | None) -> Decimal | None:
    """How a cell sorts: a percentage by itself, 'tercapai' as 100, 'tidak tercapai' as 0;
    a cell that cannot be computed has no place (always last)."""
    if hasil is None or hasil.capaian.keadaan is Keadaan.TIDAK_DAPAT_DIHITUNG:
        return None
    if hasil.capaian.persen is not None:
        return hasil.capaian.persen
    return Decimal(100) if hasil.capaian.keadaan is Keadaan.TERCAPAI else Decimal(0)


@dataclass
class Matriks:
    satker: Satker
    tahun: int
    induk_id: int | None             # the office's own PK Komisi
    induk_status: Status | None
    kolom: list[Kolom]
    baris: list[BarisMatriks]

    def urutkan(self, urut: str | None, turun: bool = False) -> str:
        """Sort the rows in place by a column (an indikator's kunci), the status or the
        office; returns the key actually used."""
        if urut == URUT_STATUS:
            self.baris.sort(key=lambda b: (_STATUS_URUT[b.status], b.satker.kode), reverse=turun)
            return urut
        if urut in {k.kunci for k in self.kolom}:
            ada = [b for b in self.baris if _nilai_urut(b.sel.get(urut)) is not None]
            tiada = [b for b in self.baris if _nilai_urut(b.sel.get(urut)) is None]
            ada.sort(key=lambda b: (_nilai_urut(b.sel[urut]), b.satker.kode), reverse=turun)
            self.baris[:] = ada + sorted(tiada, key=lambda b: b.satker.kode)
            return urut
        self.baris.sort(key=lambda b: b.satker.kode, reverse=turun)
        return URUT_SATKER

    def ringkasan_kolom(self) -> dict[str, dict[Lampu, int]]:
        result = {k.kunci: {lampu: 0 for lampu in Lampu} for k in self.kolom}
        for b in self.baris:
            for k in self.kolom:
                hasil = b.sel.get(k.kunci)
                result[k.kunci][hasil.lampu if hasil else Lampu.ABU] += 1
        return result


# The cells' realisations aggregated in SQL (one GROUP BY, no subquery), exactly on both
# backends: numbers are read as whole ten-thousandths (the column keeps 4 decimals), as
# SQLite keeps NUMERIC as floating point and a floating-point sum of 12 values near the
# 10^11 limit would lose decimals; the latest month's number or code is max() over
# "month + 10" written before the value: 11..22, always two digits, so the text sorts as
# the months do, and the value follows.
_PERSEPULUHRIBU = cast(func.round(Realisasi.nilai * 10000), BigInteger)
_JUMLAH = func.sum(_PERSEPULUHRIBU)
_NILAI_TERAKHIR = func.max(cast(Realisasi.bulan + 10, String) + cast(_PERSEPULUHRIBU, String))
_KODE_TERAKHIR = func.max(cast(Realisasi.bulan + 10, String) + func.nullif(Realisasi.kode, ""))
_INDUK = aliased(Dokumen, name="induk")  # built once: composing an alias per call costs


def _realisasi_sd(jenis: JenisTarget, cara: CaraAgregasi, jumlah: int | None, banyak: int,
                  terakhir: str | None, kode: str | None) -> Decimal | str | None:
    """Realisation to date from what SQL aggregated (``_JUMLAH`` and friends), by the
    rules of ``workflow.capaian.gabung`` / ``gabung_kode``, empty months left out: grades
    and opinions the latest code; numbers the sum, the latest or the average of the
    months with a value."""
    if jenis in KODE_JENIS:
        return kode[2:] if kode else None
    if not banyak:
        return None
    if cara is CaraAgregasi.TERAKHIR:
        return Decimal(int(terakhir[2:])).scaleb(-4)
    total = Decimal(jumlah).scaleb(-4)
    return total if cara is CaraAgregasi.JUMLAH else total / banyak


# The matrix's statements, built once (as the office pages'): only the filter of the
# offices the user may see is composed per call.
_MATRIKS_JENIS = JenisDokumen.PK_KOMISI
_DI_ATAS = and_(Dokumen.satker_id == bindparam("kantor"), Dokumen.tahun == bindparam("tahun"),
                Dokumen.jenis == _MATRIKS_JENIS)
_DOKUMEN_ANAK = and_(Dokumen.satker_id == Satker.id, Dokumen.tahun == bindparam("tahun"),
                     Dokumen.jenis == _MATRIKS_JENIS)
_ANAK = Satker.parent_id == bindparam("kantor")
# 1. the office's own PK Komisi
_MATRIKS_SENDIRI = select(Dokumen.id, Dokumen.status).where(_DI_ATAS)
# 2. its indikator: the columns
_MATRIKS_KOLOM = (
    select(Sasaran.uraian.label("sasaran"), *_INDIKATOR_KOLOM)
    .select_from(Dokumen).join(Revisi, _aktif()).join(Indikator, Indikator.revisi_id == Revisi.id)
    .join(Sasaran, Sasaran.id == Indikator.sasaran_id)
    .where(_DI_ATAS).order_by(Sasaran.urutan, Indikator.urutan))
# 3. the children, with their PK when they have one
_MATRIKS_ANAK = (
    select(Satker, Dokumen.id, Dokumen.status).outerjoin(Dokumen, _DOKUMEN_ANAK).where(_ANAK)
    .order_by(Satker.kode))
# 4. their inherited indikator (of the children's current revisions, with their parent's
#    document), each with its realisations aggregated (one row per cell)
_MATRIKS_SEL = (
    select(Dokumen.satker_id, Indikator.kunci, Indikator.uraian, Indikator.jenis_target, Indikator.polaritas,
           Indikator.target_nilai, Indikator.target_kode, Indikator.satuan, Indikator.cara_agregasi,
           Indikator.pelaksana, Indikator.induk_kunci, Indikator.target_periode,
           func.max(Realisasi.bulan).label("bulan_akhir"), _JUMLAH.label("jumlah"), func.count(Realisasi.nilai).label("banyak"),
           _NILAI_TERAKHIR.label("terakhir"), _KODE_TERAKHIR.label("kode"))
    .select_from(Satker).join(Dokumen, _DOKUMEN_ANAK).join(Revisi, _aktif())
    .join(Indikator, Indikator.revisi_id == Revisi.id)
    .join(_INDUK, and_(Indikator.revisi_id == Revisi.id, Indikator.induk_dokumen_id == _INDUK.id,
                       _INDUK.satker_id == bindparam("kantor"), _INDUK.tahun == bindparam("tahun"),
                       _INDUK.jenis == _MATRIKS_JENIS))
    .outerjoin(Realisasi, and_(Realisasi.dokumen_id == Dokumen.id, Realisasi.indikator_kunci == Indikator.kunci,
                               Realisasi.bulan <= bindparam("sampai")))
    .where(_ANAK).group_by(Dokumen.id, Indikator.id))


def matriks(session: Session, satker: Satker, tahun: int, user: User | None, sampai: int = 12) -> Matriks:
    """The offices directly below ``satker`` that ``user`` may see x the indikator of
    ``satker``'s PK Komisi they inherited (matched by their cascade link; a child's own
    extra indikator are not columns). Four queries, whatever the numbers.

    The cells rest on one statement: each child's inherited indikator with its
    realisations already aggregated in SQL (GROUP BY the cell), one row per cell instead
    of one per month; Python then applies ``workflow.capaian`` to each cell. The monthly entries
    are not loaded, so a cell's ``bulanan`` is empty (the matrix shows the realisation to
    date; the office's own dashboard has the months). ``sampai``: the last month counted
    (a period chosen on the province matrix)."""
    di_sini = {"kantor": satker.id, "tahun": tahun}
    boleh = scoping.satker_filter(user)
    own = session.execute(_MATRIKS_SENDIRI, di_sini).first()
    kolom = [Kolom(r.kunci, r.uraian, r.sasaran, hitung_indikator(r, {}).target_teks)
             for r in session.execute(_MATRIKS_KOLOM, di_sini)]
    children = session.execute(_MATRIKS_ANAK.where(boleh), di_sini).all()
    rows = session.execute(_MATRIKS_SEL.where(boleh), di_sini | {"sampai": sampai}).all()

    cells: dict[int, dict[str, HasilIndikator]] = defaultdict(dict)
    # An indikator's kind, polarity and aggregation, read once per combination (a few per
    # page) rather than once per cell.
    jenis_cara: dict[tuple, tuple[JenisTarget, Polaritas, CaraAgregasi, bool]] = {}
    for r in rows:
        sel = cells[r.satker_id]
        if r.induk_kunci in sel:
            continue
        key = (r.jenis_target, r.polaritas, r.cara_agregasi)
        found = jenis_cara.get(key)
        if found is None:
            jt = JenisTarget(r.jenis_target)
            found = jenis_cara[key] = (jt, Polaritas(r.polaritas), cara_agregasi(jt, r.cara_agregasi), jt in KODE_JENIS)
        jenis_target, polaritas, cara, kode_jenis = found
        target = r.target_kode if kode_jenis else r.target_nilai
        realisasi = _realisasi_sd(jenis_target, cara, r.jumlah, r.banyak or 0, r.terakhir, r.kode)
        # To date against the period's target when there are period targets (as hitung_indikator).
        target_sd = target_periode.sampai(r, r.bulan_akhir) if r.target_periode and r.bulan_akhir else None
        capaian_ = hitung(jenis_target, polaritas, target if target_sd is None else target_sd, realisasi)
        sel[r.induk_kunci] = HasilIndikator(
            kunci=r.kunci, uraian=r.uraian, sasaran="", jenis=jenis_target, polaritas=polaritas, satuan=r.satuan,
            pelaksana=r.pelaksana, target=target, target_nilai=r.target_nilai, cara=cara, bulanan={},
            realisasi=realisasi, capaian=capaian_, lampu=lampu(capaian_), induk_kunci=r.induk_kunci,
            target_sd=target_sd, bulan_sd=r.bulan_akhir if target_sd is not None else None)
    baris = [BarisMatriks(c, status, dokumen_id, cells.get(c.id, {})) for c, dokumen_id, status in children]
    return Matriks(satker, tahun, own.id if own else None, own.status if own else None, kolom, baris)
