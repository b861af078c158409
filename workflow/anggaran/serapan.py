"""Absorption (penyerapan anggaran): money spent to date per output code and per office,
against the RAK rows' plan and against the quarter's target. Reads only; a fixed number
of statements whatever the number of offices, rows or months.

- The plan: the rows of the office's RAK Sekretariat of the year (its current revision;
  the office's DIPA is run by the Sekretariat), or, without one, its RAK Komisioner's.
  (The demo's RAK Komisioner repeats the Sekretariat's rows; adding both would count the
  money twice.) A row's cost is spread evenly over its planned months
  (``workflow.schedule.bulan``); a row with no planned month over the twelve. Planned to
  date = the spread cost of the months up to the reference month.
- Spent: per output code, the office's figures per output (``RealisasiOutput``, what
  SAKTI gives) where it entered any for that code and year; else the money entered per
  RAK row (``RealisasiAnggaran``) of the rows with that code in the planning RAK.
- Absorption = spent to date / the rows' total cost × 100, held against the target of
  the quarter the reference month falls in (``TargetSerapan``, SMART DJA's 15/40/60/90 by
  default): capaian = absorption / target × 100, and ``workflow.capaian.lampu`` gives the
  light (green ≥ 100, yellow 80–100, red < 80), as for indikator.
- The reference month: 12 for a past year, this month for this year, none for a later
  year, unless the reader picks one.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache

from sqlalchemy import BigInteger, and_, bindparam, case, cast, func, select
from sqlalchemy.orm import Session

from tenants import scoping
from tenants.satker import Satker
from workflow import schedule
from workflow.anggaran.models import RealisasiOutput, TargetSerapan
from workflow.anggaran.operations import TARGET_BAWAAN, normalkan_kode
from workflow.capaian import TIDAK_DAPAT_DIHITUNG, Capaian, Keadaan, Lampu, lampu
from workflow.dokumen.content import RakBaris
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi
from workflow.dokumen.queries import baca
from workflow.realisasi.models import RealisasiAnggaran
from workflow.realisasi.operations import persen_serapan

TANPA_KODE = "tanpa kode"
_RAK = (JenisDokumen.RAK_SEKRETARIAT, JenisDokumen.RAK_KOMISIONER)  # the first the office has plans


def persen_teks(persen: Decimal | None) -> str:
    """``97,5%``; ``-`` for nothing."""
    if persen is None:
        return "-"
    return f"{persen.quantize(Decimal('0.01')).normalize():f}".replace(".", ",") + "%"


def bulan_acuan(tahun: int, hari_ini: date | None = None) -> int:
    hari_ini = hari_ini or date.today()
    return 12 if tahun < hari_ini.year else (hari_ini.month if tahun == hari_ini.year else 0)


def triwulan(bulan: int) -> int:
    return max(1, (bulan + 2) // 3)


@dataclass
class SerapanOutput:
    # The figures are read only once the office's totals are complete (``_kantor``), and
    # the table asks each several times (the light, the percentages): computed once.
    kode: str
    rencana: int = 0                       # the rows' total cost
    rencana_bulan: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    bulanan: dict[int, int] = field(default_factory=dict)  # money spent per month
    per_output: bool = False               # spent figures from RealisasiOutput (else from RAK rows)
    acuan: int = 12
    target: Decimal | None = None

    @cached_property
    def rencana_sd(self) -> int:
        total = sum((v for b, v in self.rencana_bulan.items() if b <= self.acuan), Decimal(0))
        return int(total.quantize(Decimal(1), ROUND_HALF_UP))

    @cached_property
    def realisasi_sd(self) -> int:
        return sum(v for b, v in self.bulanan.items() if b <= self.acuan)

    @cached_property
    def serapan(self) -> Capaian:
        """Spent to date against the year's planned cost."""
        return persen_serapan(self.rencana or None, self.realisasi_sd)

    @cached_property
    def terhadap_rencana(self) -> Capaian:
        """Spent to date against planned to date."""
        return persen_serapan(self.rencana_sd or None, self.realisasi_sd)

    @cached_property
    def terhadap_target(self) -> Capaian:
        """Absorption against the quarter's target (its light's capaian)."""
        if self.serapan.persen is None or not self.target:
            return TIDAK_DAPAT_DIHITUNG
        return Capaian(Keadaan.DIHITUNG, self.serapan.persen / self.target * 100)

    @property
    def lampu(self) -> Lampu:
        return lampu(self.terhadap_target)


@dataclass
class SerapanKantor(SerapanOutput):
    satker: Satker | None = None
    tahun: int = 0
    rak: JenisDokumen | None = None        # the RAK that holds the plan
    output: list[SerapanOutput] = field(default_factory=list)

    @property
    def triwulan(self) -> int:
        return triwulan(self.acuan)


# Built once (as the statements below): composing a select costs about as much as running it.
_TARGET = select(TargetSerapan.triwulan, TargetSerapan.persen).where(TargetSerapan.tahun == bindparam("tahun"))


def target_serapan(session: Session, tahun: int) -> dict[int, Decimal]:
    """The year's cumulative target per quarter (KPU RI's, or SMART DJA's by default)."""
    rows = baca(session, _TARGET, {"tahun": tahun})
    return TARGET_BAWAAN | {r.triwulan: Decimal(r.persen) for r in rows}


def _aktif():
    return and_(Revisi.dokumen_id == Dokumen.id, Revisi.nomor == Dokumen.nomor_revisi)


_KANTOR = Dokumen.satker_id.in_(bindparam("kantor", expanding=True))
# 1. the RAKs' rows of the year (current revisions)
_BARIS = (
    select(Dokumen.satker_id, Dokumen.id.label("dokumen_id"), Dokumen.jenis, RakBaris.kunci, RakBaris.kode_output,
           RakBaris.biaya, RakBaris.jadwal)
    .join(Revisi, _aktif()).join(RakBaris, RakBaris.revisi_id == Revisi.id)
    .where(_KANTOR, Dokumen.tahun == bindparam("tahun"), Dokumen.jenis.in_(_RAK)))
# 2. the money entered per RAK row and month
_PER_BARIS = (
    select(RealisasiAnggaran.dokumen_id, RealisasiAnggaran.baris_kunci, RealisasiAnggaran.bulan,
           RealisasiAnggaran.jumlah)
    .join(Dokumen, Dokumen.id == RealisasiAnggaran.dokumen_id)
    .where(_KANTOR, Dokumen.tahun == bindparam("tahun"), Dokumen.jenis.in_(_RAK)))
# 3. the money entered per output code and month
_PER_OUTPUT = (
    select(RealisasiOutput.satker_id, RealisasiOutput.kode_output, RealisasiOutput.bulan, RealisasiOutput.jumlah)
    .where(RealisasiOutput.satker_id.in_(bindparam("kantor", expanding=True)),
           RealisasiOutput.tahun == bindparam("tahun")))

# 3'. the same summed to the reference month, per office and output code: a list of
#     offices (``serapan_bawahan``) shows no months, and a province has thousands of rows.
_PER_OUTPUT_SD = (
    select(RealisasiOutput.satker_id, RealisasiOutput.kode_output,
           cast(func.sum(case((RealisasiOutput.bulan <= bindparam("acuan"), RealisasiOutput.jumlah), else_=0)),
                BigInteger).label("jumlah"))
    .where(RealisasiOutput.satker_id.in_(bindparam("kantor", expanding=True)),
           RealisasiOutput.tahun == bindparam("tahun"))
    .group_by(RealisasiOutput.satker_id, RealisasiOutput.kode_output))


def serapan_kantor(session: Session, satker: Satker, tahun: int, acuan: int | None = None,
                   rak: tuple[list, dict[tuple[int, str], dict[int, int]]] | None = None) -> SerapanKantor:
    """One office's absorption, per output code and in total, in four statements; two when
    the caller has loaded the year's RAK rows and their money (``rak``: the rows of
    ``_BARIS``'s columns, and (document id, row kunci) -> month -> amount), as the office
    dashboard has (``DasborKantor.rak_baris``, ``belanja_baris``)."""
    return hitung_serapan(session, [satker], tahun, acuan, rak)[satker.id]


def hitung_serapan(session: Session, kantor: list[Satker], tahun: int, acuan: int | None = None,
                   rak: tuple[list, dict[tuple[int, str], dict[int, int]]] | None = None,
                   per_bulan: bool = True) -> dict[int, SerapanKantor]:
    """The absorption of each office in ``kantor`` (already filtered for the reader), in
    four statements whatever their number (two with ``rak``, see ``serapan_kantor``).
    Without ``per_bulan`` the figures per output are read already summed to the
    reference month, kept under month 0 of ``bulanan``: the totals are the same, the
    months are not there."""
    acuan = bulan_acuan(tahun) if acuan is None else acuan
    target = target_serapan(session, tahun).get(triwulan(acuan)) if acuan else None
    ids = {"kantor": [s.id for s in kantor], "tahun": tahun}
    if rak is not None:
        baris, per_baris = [r for r in rak[0] if r.jenis in _RAK], rak[1]
    else:
        baris = baca(session, _BARIS, ids) if kantor else []
        per_baris = defaultdict(dict)
        for r in (baca(session, _PER_BARIS, ids) if kantor else ()):
            per_baris[(r.dokumen_id, r.baris_kunci)][r.bulan] = r.jumlah
    per_output: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    if per_bulan:
        for r in (baca(session, _PER_OUTPUT, ids) if kantor else ()):
            per_output[r.satker_id][r.kode_output][r.bulan] = r.jumlah
    else:
        for r in (baca(session, _PER_OUTPUT_SD, ids | {"acuan": acuan}) if kantor else ()):
            per_output[r.satker_id][r.kode_output][0] = r.jumlah
    rencana = _rak_rencana(baris)
    return {s.id: _kantor(s, tahun, acuan, target, rencana.get(s.id, (None, [])), per_baris, per_output[s.id])
            for s in kantor}


def _rak_rencana(baris) -> dict[int, tuple[tuple[int, JenisDokumen], list]]:
    """Each office's planning RAK (RAK Sekretariat first) and its rows."""
    per_dokumen: dict[tuple, list] = defaultdict(list)
    for r in baris:
        per_dokumen[(r.satker_id, r.dokumen_id, r.jenis)].append(r)
    # The kind read once per document, not once per row (a province reads thousands).
    per_jenis = [((satker_id, dokumen_id, JenisDokumen(jenis)), rows)
                 for (satker_id, dokumen_id, jenis), rows in per_dokumen.items()]
    hasil: dict[int, tuple[tuple[int, JenisDokumen], list]] = {}
    for (satker_id, dokumen_id, jenis), rows in sorted(per_jenis, key=lambda kv: _RAK.index(kv[0][2])):
        hasil.setdefault(satker_id, ((dokumen_id, jenis), rows))
    return hasil


@lru_cache(maxsize=4096)
def _kode_output(teks: object) -> str:
    # A province's offices share a few dozen output codes over thousands of RAK rows.
    return normalkan_kode(teks) or TANPA_KODE


_SETAHUN = tuple(range(1, 13))


def _kantor(satker: Satker, tahun: int, acuan: int, target: Decimal | None, rencana, per_baris,
            per_output: dict[str, dict[int, int]]) -> SerapanKantor:
    rak, rows = rencana
    dokumen_id = rak[0] if rak else None
    output: dict[str, SerapanOutput] = {}
    sebaran: dict[str | None, tuple[int, ...]] = {}  # schedule -> its months, once per schedule
    for r in rows:
        kode = _kode_output(r.kode_output)
        o = output.setdefault(kode, SerapanOutput(kode, acuan=acuan, target=target))
        biaya = r.biaya or 0
        o.rencana += biaya
        bulan = sebaran.get(r.jadwal)
        if bulan is None:
            bulan = sebaran[r.jadwal] = tuple(schedule.bulan(r.jadwal or schedule.KOSONG)) or _SETAHUN
        bagian = Decimal(biaya) / len(bulan)  # the same share every month: divided once
        rencana_bulan = o.rencana_bulan
        for b in bulan:
            rencana_bulan[b] += bagian
        if kode not in per_output:
            uang = per_baris.get((dokumen_id, r.kunci))
            if uang:
                bulanan = o.bulanan
                for b, v in uang.items():
                    bulanan[b] = bulanan.get(b, 0) + v
    for kode, bulanan in per_output.items():
        o = output.setdefault(kode, SerapanOutput(kode, acuan=acuan, target=target))
        o.bulanan, o.per_output = dict(bulanan), True
    total = SerapanKantor("", acuan=acuan, target=target, satker=satker, tahun=tahun, rak=rak[1] if rak else None,
                          output=sorted(output.values(), key=lambda o: (o.kode == TANPA_KODE, o.kode)))
    for o in total.output:
        total.rencana += o.rencana
        for b, v in o.rencana_bulan.items():
            total.rencana_bulan[b] += v
        for b, v in o.bulanan.items():
            total.bulanan[b] = total.bulanan.get(b, 0) + v
    return total


def urut_terendah(daftar: list[SerapanKantor]) -> list[SerapanKantor]:
    """Lowest absorption against target first; offices with nothing to compute last."""
    return sorted(daftar, key=lambda k: (k.terhadap_target.persen is None, k.terhadap_target.persen or 0,
                                         k.satker.kode if k.satker else ""))


def serapan_bawahan(session: Session, satker: Satker, tahun: int, user, acuan: int | None = None
                    ) -> list[SerapanKantor]:
    """The offices directly below ``satker`` that ``user`` may see, lowest absorption
    against target first; five statements whatever their number. Their figures to date
    only: ``bulanan`` holds no months (see ``hitung_serapan``)."""
    anak = list(session.scalars(select(Satker).where(Satker.parent_id == satker.id, scoping.satker_filter(user))
                                .order_by(Satker.kode)))
    return urut_terendah(list(hitung_serapan(session, anak, tahun, acuan, per_bulan=False).values()))
