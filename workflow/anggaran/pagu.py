"""A RAK's costs against its pagu (issue 4, point 4): the rows' perkiraan biaya grouped per
budget output code (``CQ.6709.QGE.003``), per kegiatan code (``6709``) and per program
(``CQ``, ``WA``), each held against what the documents state.

What is stated comes from the RAK itself (its pagu and program budgets); a RAK that states
no pagu is held against the same year's PK of its side (PK Komisi for the RAK Komisioner,
PK Sekretariat for the RAK Sekretariat), which ``pagu_pk`` reads in one query. Everything
else is computed here from the rows of a loaded revision, without a query: totals and
percentages come from the rows, and where a stated figure differs, the difference
(``selisih`` = stated minus rows) is shown and, for the pagu, pointed out in words.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from tenants.teks import _
from workflow.dokumen.content import ProgramAnggaran
from workflow.dokumen.models import Bentuk, Dokumen, JenisDokumen, Revisi
from workflow.realisasi.dashboard import TANPA_KODE
from workflow.realisasi.operations import kode_kegiatan
from workflow.rupiah import tulis_rupiah as rupiah


@dataclass(frozen=True)
class Pagu:
    """What a document states: the pagu and the program budgets, (kode, nama, anggaran)."""

    jumlah: int | None
    program: tuple[tuple[str, str, int], ...] = ()
    dokumen_id: int | None = None       # where it was read when not from the RAK itself
    jenis: JenisDokumen | None = None


@dataclass
class Kelompok:
    """The rows sharing one code (or none: TANPA_KODE)."""

    kode: str
    baris: int = 0
    biaya: int = 0                      # the rows' perkiraan biaya (an empty one counts as nothing)
    tanpa_biaya: int = 0                # rows without a perkiraan biaya
    program: str | None = None          # the program letter of a kegiatan or output code
    kode_output: list[str] = field(default_factory=list)  # per kegiatan: its output codes
    nama: str | None = None             # per program: its name as stated
    anggaran: int | None = None         # per program: its stated budget
    porsi: Decimal | None = None        # the rows' share of the pagu, in %

    @property
    def selisih(self) -> int | None:
        """Stated budget minus the rows' costs; None when nothing is stated."""
        return None if self.anggaran is None else self.anggaran - self.biaya

    @property
    def persen_anggaran(self) -> Decimal | None:
        """The rows' costs as a share of the stated budget, in %."""
        return _persen(self.biaya, self.anggaran)


@dataclass
class RingkasanAnggaran:
    per_output: list[Kelompok]
    per_kegiatan: list[Kelompok]
    per_program: list[Kelompok]
    total: int                          # every row's perkiraan biaya
    baris: int
    tanpa_biaya: int
    pagu: Pagu

    @property
    def total_program(self) -> int | None:
        return sum(p[2] for p in self.pagu.program) if self.pagu.program else None

    @property
    def selisih_pagu(self) -> int | None:
        """Pagu minus the rows' costs."""
        return None if self.pagu.jumlah is None else self.pagu.jumlah - self.total

    @property
    def selisih_program(self) -> int | None:
        """Pagu minus the program budgets, both as stated."""
        if self.pagu.jumlah is None or self.total_program is None:
            return None
        return self.pagu.jumlah - self.total_program

    @property
    def porsi(self) -> Decimal | None:
        return _persen(self.total, self.pagu.jumlah)

    @property
    def peringatan(self) -> list[str]:
        """Where the rows and the stated figures disagree, in words (never blocking)."""
        notes = []
        dari = f" ({self.pagu.jenis.label})" if self.pagu.jenis else ""
        if self.selisih_pagu:
            nilai = {"total": rupiah(self.total), "dari": dari, "pagu": rupiah(self.pagu.jumlah),
                     "selisih": rupiah(abs(self.selisih_pagu))}
            if self.selisih_pagu > 0:
                notes.append(_("Jumlah perkiraan biaya baris %(total)s kurang dari pagu%(dari)s %(pagu)s: "
                               "selisih %(selisih)s.", **nilai))
            else:
                notes.append(_("Jumlah perkiraan biaya baris %(total)s melebihi pagu%(dari)s %(pagu)s: "
                               "selisih %(selisih)s.", **nilai))
        for p in self.per_program:
            if p.selisih is not None and p.selisih < 0:
                notes.append(_("Perkiraan biaya baris program %(kode)s %(biaya)s melebihi anggaran program%(dari)s "
                               "%(anggaran)s: selisih %(selisih)s.", kode=p.kode, biaya=rupiah(p.biaya), dari=dari,
                               anggaran=rupiah(p.anggaran), selisih=rupiah(-p.selisih)))
        return notes


def _persen(bagian: int, dari: int | None) -> Decimal | None:
    if not dari:
        return None
    return (Decimal(bagian) * 100 / Decimal(dari)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def huruf_program(kode: str) -> str:
    """The program letters of a stated program code: 076.01.CQ -> CQ."""
    return kode.strip().rsplit(".", 1)[-1].upper()


def pagu_revisi(revisi: Revisi) -> Pagu:
    return Pagu(revisi.pagu, tuple((p.kode, p.nama, p.anggaran) for p in revisi.program))


def ringkasan(baris: Iterable, pagu: Pagu) -> RingkasanAnggaran:
    """Group rows (anything with ``kode_output`` and ``biaya``) per output code, kegiatan
    code and program, and hold them against ``pagu``. No query."""
    per_output: dict[str, Kelompok] = {}
    per_kegiatan: dict[str, Kelompok] = {}
    per_program: dict[str, Kelompok] = {}
    for kode, nama, anggaran in pagu.program:
        group = per_program.setdefault(huruf_program(kode), Kelompok(huruf_program(kode), nama=nama, anggaran=0))
        group.anggaran += anggaran
    total = n = tanpa_biaya = 0
    for row in baris:
        kegiatan = kode_kegiatan(row.kode_output)
        output = row.kode_output.strip().upper() if kegiatan else TANPA_KODE
        program = output[:2] if kegiatan else TANPA_KODE
        for groups, kode in ((per_output, output), (per_kegiatan, kegiatan or TANPA_KODE), (per_program, program)):
            group = groups.setdefault(kode, Kelompok(kode))
            _tambah(group, row.biaya)
            if kegiatan:
                group.program = group.program or program
        if kegiatan and output not in per_kegiatan[kegiatan].kode_output:
            per_kegiatan[kegiatan].kode_output.append(output)
        total += row.biaya or 0
        n += 1
        tanpa_biaya += row.biaya is None
    for group in (*per_output.values(), *per_kegiatan.values(), *per_program.values()):
        group.porsi = _persen(group.biaya, pagu.jumlah)
        group.kode_output.sort()
    stated = [huruf_program(k) for k, _, _ in pagu.program]
    return RingkasanAnggaran(
        per_output=_urut(per_output.values(), lambda g: (g.kode,)),
        per_kegiatan=_urut(per_kegiatan.values(), lambda g: (g.program or "", g.kode)),
        # Programs as the document states them, then the codes it does not state.
        per_program=_urut(per_program.values(), lambda g: (g.kode not in stated,
                                                            stated.index(g.kode) if g.kode in stated else 0, g.kode)),
        total=total, baris=n, tanpa_biaya=tanpa_biaya, pagu=pagu,
    )


def _tambah(group: Kelompok, biaya: int | None) -> None:
    group.baris += 1
    group.biaya += biaya or 0
    group.tanpa_biaya += biaya is None


def _urut(groups: Iterable[Kelompok], key) -> list[Kelompok]:
    # The rows without a code come last, whatever the order of the others.
    return sorted(groups, key=lambda g: (g.kode == TANPA_KODE, *key(g)))


def pagu_pk(session: Session, rak: Dokumen) -> Pagu | None:
    """The pagu and program budgets of the same year's PK of the RAK's side (its current
    revision), in one query; None when there is no such PK."""
    jenis = rak.jenis.merinci
    if jenis is None:
        return None
    rows = session.execute(
        select(Dokumen.id, Revisi.pagu, ProgramAnggaran.kode, ProgramAnggaran.nama, ProgramAnggaran.anggaran)
        .join(Revisi, and_(Revisi.dokumen_id == Dokumen.id, Revisi.nomor == Dokumen.nomor_revisi))
        .outerjoin(ProgramAnggaran, ProgramAnggaran.revisi_id == Revisi.id)
        .where(Dokumen.satker_id == rak.satker_id, Dokumen.tahun == rak.tahun, Dokumen.jenis == jenis)
        .order_by(ProgramAnggaran.urutan)).all()
    if not rows:
        return None
    program = tuple((r.kode, r.nama, r.anggaran) for r in rows if r.kode is not None)
    return Pagu(rows[0].pagu, program, rows[0].id, jenis)


def ringkasan_dokumen(session: Session, dokumen: Dokumen, revisi: Revisi,
                      baris: Iterable | None = None) -> RingkasanAnggaran | None:
    """The summary of a RAK revision as its page shows it; None for other documents. One
    query at most: the PK's pagu (and its programs, unless the RAK states its own), only
    when the RAK states no pagu. ``baris``: the revision's rows when the caller has them."""
    if dokumen.jenis.bentuk is not Bentuk.RAK:
        return None
    pagu = pagu_revisi(revisi)
    if pagu.jumlah is None and (pk := pagu_pk(session, dokumen)) is not None:
        # The RAK's own program budgets, when it states them, still stand beside the PK's pagu.
        pagu = Pagu(pk.jumlah, pagu.program or pk.program, pk.dokumen_id, pk.jenis)
    return ringkasan(revisi.baris if baris is None else baris, pagu)
