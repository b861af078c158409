"""The dry run (what a file would change in the current draft) and applying it.

Matching a file's rows to the draft's:

1. A row that carries a ``kunci`` (files exported by this software; the hidden column)
   is that row of the draft. An exported row whose kunci the draft no longer has (it was
   deleted meanwhile) is added as a new row, with a note. A row with an empty kunci in an
   exported file is new.
2. A file without kunci (an office's own layout, pasted text): a row is the first draft
   row not yet matched whose indikator reads the same (case and spacing ignored); a PK's
   sasaran by their text, and their indikator within them likewise.
3. What is left is paired by place: the n-th row of the file with the n-th row of the
   draft when neither found its match (so an indikator retyped in place is a change).
4. Draft rows no file row matched are removed; file rows matched to nothing are added.

The file is the whole table: its order is the new order (rows out of their relative
order are reported as moved, as workflow.dokumen.diff does). A column the file does not have
(Kubu Raya's RAK has no cost) leaves those cells as they are; the polarity of a target is
never in a file and is kept. A schedule is compared in the file's shape (a month marked
in the file matches a month the draft marks in any week); when the file's shape differs
from the draft's, the draft takes the file's, shown as a header change.

The plan holds what applying does as a list of steps, plain data (``Langkah``): the header
and programs, rows removed, changed, added, then the file's order. Applying runs them in
that order through workflow.dokumen.operations in the caller's transaction (the caller commits; on
any refusal it rolls back and nothing is saved). The plan remembers
the document version it was made on: applying onto another version is a ``Konflik``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from tenants.people import User
from tenants.teks import N_, _, ngettext
from workflow import schedule
from workflow.dokumen import operations, policy
from workflow.rupiah import tulis_rupiah as rupiah
from workflow.dokumen.diff import (KOSONG, Isian, longest_increasing, LABEL_BARIS, LABEL_INDIKATOR, LABEL_KEPALA, LABEL_PROGRAM, LABEL_SASARAN, Bagian,
                           JenisPerubahan, Sel, keterangan, keterangan_bulan, keterangan_uang)
from workflow.dokumen.models import Bentuk, Dokumen, JenisDokumen, Revisi, Status
from workflow.dokumen.operations import BarisData, Kepala, ProgramData
from workflow.errors import IsiTidakValid, Konflik
from workflow.imports.sel import norm
from workflow.imports.tabel import BarisRak, KolomTerbuka, Masalah, SasaranBerkas, TabelImpor
from workflow.schedule import BentukJadwal
from workflow.sheet_layout import FORMAT, JENIS_REKAP
from workflow.target import Polaritas, baca_target

MAX_GESER = 5000  # one-place moves applying a new order may take


@dataclass(frozen=True)
class Perubahan:
    """One row the import adds, changes, removes or moves."""

    jenis: JenisPerubahan
    bagian: Bagian
    judul: str                       # the indikator (RAK, PK indikator), the sasaran, or "kode nama"
    baris_berkas: int | None         # the row in the file (None when removed)
    urutan_lama: int | None          # place in the draft (indikator: within its sasaran)
    urutan_baru: int | None          # place after the import
    sel: tuple[Sel, ...] = ()        # changed cells (DIUBAH)
    dipindah: bool = False
    catatan: str | None = None
    isi: tuple[Isian, ...] = ()      # a new row whole, as it will stand (RAK: DITAMBAH)

    @property
    def baris_dokumen(self) -> str:
        """The row of the document, named as problems name it ("Baris 3", "Indikator 2")."""
        return f"{self.bagian.label} {self.urutan_baru or self.urutan_lama}"

    @property
    def keterangan(self) -> str:
        text = keterangan(self.jenis, self.urutan_lama, self.urutan_baru, self.sel, self.dipindah)
        return f"{text} ({self.catatan})" if self.catatan else text

    def __str__(self) -> str:
        where = f"{self.bagian.label} {self.urutan_baru or self.urutan_lama}"
        if self.baris_berkas is not None:
            where = _("%(letak)s (berkas baris %(baris)s)", letak=where, baris=self.baris_berkas)
        return f"{where}, {self.judul}: {self.keterangan}"


# -- the steps of applying ---------------------------------------------------------------------------
# Plain data: the planners list them, ``_jalankan`` runs them in the plan's order.

@dataclass(frozen=True)
class Baru:
    """A row the import adds, named before it has a kunci: its part and its place in the
    file (an indikator's: its sasaran's, then its own). The step adding it records its kunci."""

    bagian: Bagian
    letak: tuple[int, ...]


Kunci = str | Baru  # a draft row's kunci, or a row an earlier step adds


@dataclass(frozen=True)
class UbahBentukJadwal:
    """The draft takes the file's schedule shape (checked against the plan's version)."""

    bentuk: BentukJadwal


@dataclass(frozen=True)
class GantiProgram:
    """The programs become the file's table."""

    program: tuple[ProgramData, ...]


@dataclass(frozen=True)
class Hapus:
    """A RAK row, a sasaran (with its indikator) or an indikator the file no longer has."""

    bagian: Bagian                 # BARIS, SASARAN or INDIKATOR
    kunci: str
    sasaran: str | None = None     # an indikator's sasaran


@dataclass(frozen=True)
class SimpanBaris:
    """A RAK row added or changed."""

    kunci: Kunci                   # a draft row's: changed; Baru: added
    data: BarisData


@dataclass(frozen=True)
class TambahBarisMassal:
    """Rows added together: one check each, one audit entry."""

    baris: tuple[tuple[Baru, BarisData], ...]


@dataclass(frozen=True)
class SimpanSasaran:
    """A sasaran added or changed (its text and tujuan)."""

    kunci: Kunci
    uraian: str
    tujuan: str | None


@dataclass(frozen=True)
class SimpanIndikator:
    """An indikator added or changed, under a sasaran of the draft or one added before it."""

    kunci: Kunci
    sasaran: Kunci
    uraian: str
    target: str
    polaritas: Polaritas = Polaritas.NAIK


@dataclass(frozen=True)
class Urutkan:
    """Bring RAK rows, sasaran, or the indikator of one sasaran into the file's order."""

    bagian: Bagian
    urutan: tuple[Kunci, ...]
    sasaran: Kunci | None = None


Langkah = (UbahBentukJadwal | GantiProgram | Hapus | SimpanBaris | TambahBarisMassal | SimpanSasaran | SimpanIndikator
           | Urutkan)


def _tahap(step: Langkah) -> int:
    """A step's turn: the header and programs, then what is removed (it anchors nothing),
    changed, added, and the order last, sasaran before the indikator within them."""
    if isinstance(step, UbahBentukJadwal):
        return 0
    if isinstance(step, GantiProgram):
        return 1
    if isinstance(step, Hapus):
        return 2
    if isinstance(step, (SimpanBaris, SimpanSasaran, SimpanIndikator)):
        return 3 if isinstance(step.kunci, str) else 4
    if isinstance(step, TambahBarisMassal):
        return 4
    return 5 if step.bagian is Bagian.SASARAN else 6


@dataclass
class Rencana:
    """The dry run: every change and every problem. ``bisa_diterapkan`` when there is
    something to apply, no problem, no refusal, and a stale file was taken knowingly."""

    jenis: JenisDokumen
    judul_dokumen: str
    dokumen_id: int | None
    versi: int | None                        # the document version this plan was made on
    nomor_revisi: int | None
    sumber: str                              # "ekspor", "kantor", "tempel"
    kepala: list[Sel] = field(default_factory=list)
    perubahan: list[Perubahan] = field(default_factory=list)
    masalah: list[Masalah] = field(default_factory=list)
    catatan: list[str] = field(default_factory=list)     # what the reader inferred or left unread (not blocking)
    penolakan: str | None = None             # not this document, not a document at all: never applied
    basi: str | None = None                  # exported from an older revision/version
    ke_draf: bool = False                    # the user chose to apply a stale file onto the current draft
    langkah: list[Langkah] = field(default_factory=list, repr=False)  # what applying does, in order
    terbuka: list[KolomTerbuka] = field(default_factory=list)  # columns without heading the user may assign

    @property
    def kosong(self) -> bool:
        return not self.kepala and not self.perubahan

    @property
    def terhalang(self) -> str | None:
        """Why this plan cannot be applied (None when it can, or when there is nothing to apply)."""
        if self.penolakan:
            return self.penolakan
        if self.basi and not self.ke_draf:
            return self.basi + " " + _("Centang 'terapkan ke draf sekarang' bila isinya memang ingin diterapkan.")
        if self.masalah:
            return ngettext("Ada %(n)s masalah di berkas; perbaiki lalu unggah lagi. Tidak ada yang disimpan.",
                            "Ada %(n)s masalah di berkas; perbaiki lalu unggah lagi. Tidak ada yang disimpan.",
                            len(self.masalah), n=len(self.masalah))
        return None

    @property
    def bisa_diterapkan(self) -> bool:
        return self.terhalang is None and not self.kosong

    def hitung(self, jenis: JenisPerubahan) -> int:
        return sum(1 for p in self.perubahan if p.jenis is jenis)

    @property
    def ringkasan(self) -> str:
        if self.kosong:
            return _("Tidak ada perubahan.")
        counts = [f"{j.label.lower()} {self.hitung(j)}" for j in JenisPerubahan if self.hitung(j)]
        cells = sum(len(p.sel) for p in self.perubahan)
        text = ", ".join(counts)
        if cells:
            text += " (" + ngettext("%(n)s sel diubah", "%(n)s sel diubah", cells, n=cells) + ")"
        return text[:1].upper() + text[1:] + "."

    @property
    def label_sumber(self) -> str:
        return _(_SUMBER[self.sumber])

    def teks(self) -> list[str]:
        """The dry run as plain lines (the CLI prints these; the web page shows the same)."""
        lines = [_("Impor ke %(dokumen)s dari %(sumber)s", dokumen=self.judul_dokumen, sumber=self.label_sumber)]
        if self.penolakan:
            lines.append(_("DITOLAK: %(alasan)s", alasan=self.penolakan))
        if self.basi:
            lines.append(_("Diterapkan ke draf sekarang: %(basi)s", basi=self.basi) if self.ke_draf
                         else _("BASI: %(basi)s", basi=self.basi))
        lines.append(self.ringkasan)
        lines += [_("Catatan: %(catatan)s", catatan=c) for c in self.catatan]
        lines += [_("Kepala: %(sel)s", sel=s) for s in self.kepala]
        for p in self.perubahan:
            lines.append(str(p))
            lines += [f"  {s}" for s in p.sel]
            lines += [f"  {i.label}: {i.teks}" for i in p.isi]
        if self.masalah:
            lines.append(_("Masalah (%(n)s):", n=len(self.masalah)))
            lines += [f"  {m}" for m in self.masalah]
        return lines


_SUMBER = {"ekspor": N_("berkas ekspor SAKIP"), "kantor": N_("tabel Excel kantor"), "tempel": N_("teks yang ditempel")}


# -- helpers ------------------------------------------------------------------------------------

def _spasi(text: str | None) -> str:
    return " ".join((text or "").split())


def _tampil(value: Any) -> str:
    if value is None or value == "" or value == []:
        return KOSONG
    if isinstance(value, (list, tuple)):
        return "; ".join(value)
    return str(value)


def _rp(value: int | None) -> str:
    return KOSONG if value is None else rupiah(value)


def _target_key(text: str) -> tuple | None:
    if not text:
        return None
    t = baca_target(text)
    return t.jenis, None if t.nilai is None else t.nilai.normalize(), t.kode, t.satuan


def _row_target_key(row) -> tuple | None:
    if not row.target_lengkap():
        return None
    return row.jenis_target, None if row.target_nilai is None else row.target_nilai.normalize(), row.target_kode, row.satuan


def _target_teks(text: str) -> str:
    return baca_target(text).tulis() if text else KOSONG


def _sel(kolom: str, label: str, lama: Any, baru: Any, tampil: Callable[[Any], str] = _tampil) -> Sel:
    extra: dict[str, Any] = {}
    if kolom in ("biaya", "anggaran") and lama is not None and baru is not None:
        selisih = baru - lama
        extra = {"selisih": selisih, "keterangan": keterangan_uang(selisih)}
    return Sel(kolom, _(label), tampil(lama), tampil(baru), lama, baru, **extra)


def _sel_baris(key: str, before: Any, value: Any, before_shown: str, shown: str) -> Sel:
    extra: dict[str, Any] = {}
    if key == "biaya" and before is not None and value is not None:
        selisih = value - before
        extra = {"selisih": selisih, "keterangan": keterangan_uang(selisih)}
    elif key == "jadwal":
        lama, baru = set(schedule.bulan(before or schedule.KOSONG)), set(schedule.bulan(value))
        added, removed = tuple(sorted(baru - lama)), tuple(sorted(lama - baru))
        extra = {"bulan_ditambah": added, "bulan_dihapus": removed, "keterangan": keterangan_bulan(added, removed)}
    return Sel(key, _(LABEL_BARIS[key]), before_shown, shown, before, value, **extra)


def _pasangkan(file_rows: Sequence, draft_rows: Sequence, kunci_of: Callable, text_of: Callable,
               draft_text: Callable, by_kunci: bool) -> tuple[list[Any], list[str | None]]:
    """For each file row, the draft row it matches (or None), and a note per file row."""
    match: list[Any] = [None] * len(file_rows)
    notes: list[str | None] = [None] * len(file_rows)
    used: set[int] = set()
    if by_kunci:
        index = {r.kunci: r for r in draft_rows}
        for i, fr in enumerate(file_rows):
            k = kunci_of(fr)
            if not k:
                continue
            found = index.get(k)
            if found is None:
                notes[i] = _("kuncinya tidak ada lagi di draf: ditambahkan sebagai baris baru")
            elif id(found) in used:
                notes[i] = _("kunci ganda di berkas: ditambahkan sebagai baris baru")
            else:
                match[i] = found
                used.add(id(found))
        return match, notes
    texts: dict[str, list[Any]] = {}
    for r in draft_rows:
        texts.setdefault(norm(draft_text(r)), []).append(r)
    for i, fr in enumerate(file_rows):
        for candidate in texts.get(norm(text_of(fr)), ()):
            if id(candidate) not in used:
                match[i] = candidate
                used.add(id(candidate))
                break
    for i, fr in enumerate(file_rows):
        if match[i] is None and i < len(draft_rows) and id(draft_rows[i]) not in used:
            match[i] = draft_rows[i]
            used.add(id(draft_rows[i]))
    return match, notes


def _moved(matched_draft_positions: list[int | None]) -> set[int]:
    """File indices of matched rows outside the longest run that kept the draft's order."""
    idx = [i for i, p in enumerate(matched_draft_positions) if p is not None]
    keep = longest_increasing([matched_draft_positions[i] for i in idx])
    return {i for n, i in enumerate(idx) if n not in keep}


def _perlu_urut(match: list, moved: set[int]) -> bool:
    """Whether applying must reorder: a matched row moved, or an added row (appended at
    the end) stands before a matched one."""
    baru = [i for i, m in enumerate(match) if m is None]
    ada = [i for i, m in enumerate(match) if m is not None]
    return bool(moved) or bool(baru and ada and baru[0] < ada[-1])


def _urutkan(session: Session, dokumen: Dokumen, user: User, order: list[str], now: list[str],
             sasaran_kunci: str | None = None) -> None:
    """Bring rows from the ``now`` order into ``order`` with one-place moves (operations.geser)."""
    for i, k in enumerate(order):
        j = now.index(k)
        while j > i:
            operations.geser(session, dokumen, user, k, -1, sasaran_kunci=sasaran_kunci)
            now[j - 1], now[j] = now[j], now[j - 1]
            j -= 1


def _inversions(positions: list[int]) -> int:
    """How many one-place moves sort ``positions`` (pairs out of order), O(n log n)."""
    ranks = {v: i for i, v in enumerate(sorted(set(positions)))}
    tree = [0] * (len(ranks) + 1)
    count = 0
    for seen, value in enumerate(positions):
        r = ranks[value] + 1
        i, below = r, 0
        while i > 0:
            below += tree[i]
            i -= i & -i
        count += seen - below
        i = r
        while i < len(tree):
            tree[i] += 1
            i += i & -i
    return count


# -- the document check -----------------------------------------------------------------------

def _periksa_meta(plan: Rencana, tabel: TabelImpor, dokumen: Dokumen | None, satker_kode: str, tahun: int) -> None:
    meta = tabel.meta
    if not meta:
        return
    fmt = meta.get("format", "")
    if fmt and fmt != FORMAT:
        plan.penolakan = _("Format berkas '%(format)s' tidak dikenal (diharapkan %(diharapkan)s).", format=fmt,
                           diharapkan=FORMAT)
        return
    if meta.get("jenis") == JENIS_REKAP:
        plan.penolakan = _("Berkas ini rekap, bukan dokumen: rekap tidak dapat diimpor.")
        return
    theirs = (meta.get("satker", ""), meta.get("tahun", ""), meta.get("jenis", ""))
    ours = (satker_kode, str(tahun), tabel.jenis.value)
    if theirs != ours:
        try:
            label = JenisDokumen(theirs[2]).label
        except ValueError:
            label = theirs[2] or _("dokumen lain")
        plan.penolakan = _("Berkas ini diekspor dari %(jenis)s satker %(satker)s tahun %(tahun)s, bukan dari "
                           "%(dokumen)s: tidak dapat diimpor ke dokumen ini.", jenis=label, satker=theirs[0],
                           tahun=theirs[1], dokumen=plan.judul_dokumen)
        return
    if dokumen is None:
        return
    try:
        nomor = int(meta.get("revisi", ""))
    except ValueError:
        return
    if nomor != dokumen.nomor_revisi:
        plan.basi = _("Berkas ini diekspor dari Revisi ke-%(nomor)s; dokumen sekarang Revisi ke-%(sekarang)s.",
                      nomor=nomor, sekarang=dokumen.nomor_revisi)
        return
    try:
        versi = int(meta.get("versi", ""))
    except ValueError:
        return
    if versi < dokumen.versi:
        plan.basi = _("Berkas ini diekspor dari Revisi ke-%(nomor)s versi %(versi)s; draf sudah diubah sesudahnya "
                      "(versi %(sekarang)s). Mengimpornya akan menimpa perubahan itu.", nomor=nomor, versi=versi,
                      sekarang=dokumen.versi)


def rencana(session: Session, dokumen: Dokumen | None, tabel: TabelImpor, user: User | None = None, *,
            ke_draf: bool = False, satker=None, tahun: int | None = None) -> Rencana:
    """The dry run of ``tabel`` against the current draft of ``dokumen`` (None: a document
    not created yet, for which ``satker`` and ``tahun`` say which it will be). Reads only."""
    satker = dokumen.satker if dokumen is not None else satker
    tahun = dokumen.tahun if dokumen is not None else tahun
    judul = f"{tabel.jenis.label} {satker.nama} {tahun}"
    if dokumen is not None:
        judul = _("%(dokumen)s, Revisi ke-%(nomor)s (%(status)s)", dokumen=judul, nomor=dokumen.nomor_revisi,
                  status=dokumen.status.label.lower())
    else:
        judul = _("%(dokumen)s (dokumen baru)", dokumen=judul)
    plan = Rencana(jenis=tabel.jenis, judul_dokumen=judul, dokumen_id=dokumen.id if dokumen else None,
                   versi=dokumen.versi if dokumen else None, nomor_revisi=dokumen.nomor_revisi if dokumen else None,
                   sumber=tabel.sumber, masalah=list(tabel.masalah), catatan=list(tabel.catatan), ke_draf=ke_draf,
                   terbuka=list(tabel.terbuka))
    _periksa_meta(plan, tabel, dokumen, satker.kode, tahun)
    if dokumen is not None and dokumen.status is not Status.DRAFT:
        plan.penolakan = plan.penolakan or policy.masih_draf(dokumen).alasan
    if dokumen is not None and user is not None and not plan.penolakan:
        decision = policy.tambah_baris(user, dokumen)
        if not decision:
            plan.penolakan = decision.alasan
    revisi = dokumen.revisi_aktif if dokumen is not None else None
    boleh_semua = dokumen is None or user is None or bool(policy.ubah_semua(user, dokumen))
    if tabel.jenis.bentuk is Bentuk.RAK:
        _rencana_rak(plan, tabel, dokumen, revisi, user, boleh_semua)
    else:
        _rencana_pk(plan, tabel, revisi)
    plan.langkah.sort(key=_tahap)  # stable: in the order found within each turn
    _baris_dokumen(plan, tabel)
    return plan


def _baris_dokumen(plan: Rencana, tabel: TabelImpor) -> None:
    """Each problem of a row also names the document's row it lands in (the file's line
    and the document's row, as the changes name them)."""
    where: dict[int, str] = {}
    for i, b in enumerate(tabel.baris, start=1):
        where[b.nomor] = f"{Bagian.BARIS.label} {i}"
    for n, s in enumerate(tabel.sasaran, start=1):
        where.setdefault(s.nomor, f"{Bagian.SASARAN.label} {n}")
        for k, ind in enumerate(s.indikator, start=1):
            where[ind.nomor] = f"{Bagian.INDIKATOR.label} {n}.{k}"
    plan.masalah = [dataclasses.replace(m, baris_dokumen=where[m.baris]) if m.baris in where and not m.baris_dokumen
                    else m for m in plan.masalah]


# -- RAK -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Rak:
    """What planning a RAK's rows needs: the plan it fills, the file's columns, the
    schedule's shape, the units' labels, and who imports (``boleh_semua``: every row and
    the order; else only the rows of ``own_units``)."""

    plan: Rencana
    kolom: frozenset[str]
    bentuk: BentukJadwal
    kode_ada: bool
    labels: dict[str, str]
    dokumen: Dokumen | None
    user: User | None
    boleh_semua: bool
    own_units: set[str]
    letak: dict[str, tuple[str, str]] = field(default_factory=dict)

    def jadwal_sel(self, jadwal: str) -> list[int]:
        return [i + 1 for i, on in enumerate(schedule.sel(jadwal, self.bentuk)) if on]

    def tampil_jadwal(self, jadwal: str) -> str:
        return schedule.uraian(jadwal, self.bentuk)

    def tampil_pelaksana(self, value: str | None) -> str:
        return self.labels.get(value, value) if value else KOSONG

    def sel_berkas(self, fr: BarisRak) -> dict[str, tuple[Any, str]]:
        """The file row's cells the import writes: {kolom: (value, shown)}."""
        kolom = self.kolom
        out: dict[str, tuple[Any, str]] = {"indikator": (fr.indikator, _tampil(fr.indikator))}
        if "sasaran" in kolom:
            out["sasaran"] = (fr.sasaran, _tampil(fr.sasaran))
        if "target" in kolom:
            out["target"] = (fr.target, _target_teks(fr.target) if fr.target else KOSONG)
        if "kegiatan" in kolom:
            out["kegiatan"] = (fr.kegiatan, _tampil(fr.kegiatan))
        if self.kode_ada:
            out["kode_output"] = (fr.kode_output, _tampil(fr.kode_output))
        if "jadwal" in kolom and fr.jadwal is not None:
            out["jadwal"] = (fr.jadwal, self.tampil_jadwal(fr.jadwal))
        if "biaya" in kolom:
            out["biaya"] = (fr.biaya, _rp(fr.biaya))
        if "pelaksana" in kolom:
            out["pelaksana"] = (fr.pelaksana, self.tampil_pelaksana(fr.pelaksana))
        return out

    def sel_draf(self, b) -> dict[str, tuple[Any, str]]:
        """The draft row's cells: {kolom: (value, shown)}."""
        kegiatan = [k.uraian for k in b.kegiatan]
        return {
            "sasaran": (b.sasaran, _tampil(b.sasaran)),
            "indikator": (b.indikator, _tampil(b.indikator)),
            "target": (b.target, b.target or KOSONG),
            "kegiatan": (kegiatan, _tampil(kegiatan)),
            "kode_output": (b.kode_output, _tampil(b.kode_output)),
            "jadwal": (b.jadwal, self.tampil_jadwal(b.jadwal or schedule.KOSONG)),
            "biaya": (b.biaya, _rp(b.biaya)),
            "pelaksana": (b.pelaksana, self.tampil_pelaksana(b.pelaksana)),
        }

    def data(self, fr: BarisRak, b=None) -> BarisData:
        """The row to save: the file's cells, the draft row's (``b``) where the file has no column."""
        kolom = self.kolom
        return BarisData(
            sasaran=fr.sasaran if "sasaran" in kolom else (b.sasaran if b else ""),
            indikator=fr.indikator,
            target=fr.target if "target" in kolom else (b.target if b else ""),
            polaritas=b.polaritas if b else Polaritas.NAIK,
            kegiatan=list(fr.kegiatan) if "kegiatan" in kolom else ([k.uraian for k in b.kegiatan] if b else []),
            kode_output=fr.kode_output if self.kode_ada else (b.kode_output if b else None),
            sel_jadwal=self.jadwal_sel(fr.jadwal) if "jadwal" in kolom and fr.jadwal is not None else (
                self.jadwal_sel(b.jadwal) if b else []),
            biaya=fr.biaya if "biaya" in kolom else (b.biaya if b else None),
            pelaksana=fr.pelaksana if "pelaksana" in kolom else (b.pelaksana if b else None),
        )

    def boleh_ubah(self, pelaksana: str | None, nomor: int | None, what: str) -> bool:
        """May the importer change or remove a row of ``pelaksana``; a refusal is a problem."""
        if self.boleh_semua or self.dokumen is None or self.user is None:
            return True
        decision = policy.ubah_baris(self.user, self.dokumen, pelaksana)
        if not decision:
            self.plan.masalah.append(Masalah(f"{what}: {decision.alasan}", nomor))
            return False
        return True

    def cek_kegiatan(self, data: BarisData, fr: BarisRak) -> None:
        """A row the import would leave without kegiatan is named now, not only when the
        document is submitted (workflow.dokumen.checks)."""
        if data.kegiatan:
            return
        if "kegiatan" in self.kolom:
            huruf, nama = self.letak.get("kegiatan", (None, None))
            pesan = _("kegiatan kosong; setiap baris rencana aksi wajib memiliki kegiatan")
        else:
            huruf, nama = None, None
            pesan = _("baris baru tanpa kegiatan: tabel ini tidak memiliki kolom Kegiatan; sertakan kolomnya")
        self.plan.masalah.append(Masalah(pesan, fr.nomor, huruf, nama))

    def cek_pelaksana(self, pelaksana: str | None, nomor: int) -> None:
        if not self.boleh_semua and pelaksana not in self.own_units:
            self.plan.masalah.append(Masalah(_("Anda hanya dapat mengisi baris dengan pelaksana unit Anda sendiri."),
                                             nomor))


def _rencana_rak(plan: Rencana, tabel: TabelImpor, dokumen: Dokumen | None, revisi: Revisi | None,
                 user: User | None, boleh_semua: bool) -> None:
    draft = list(revisi.baris) if revisi is not None else []
    rows = tabel.baris
    labels = dict(operations.pilihan_pelaksana(tabel.jenis))
    own_units = policy.unit_pelaksana(user, dokumen) if dokumen is not None and user is not None else set()
    bentuk = _bentuk_jadwal(plan, tabel, revisi, boleh_semua)
    kode_ada = "kode_output" in tabel.kolom or any(r.kode_output for r in rows)
    rak = _Rak(plan, tabel.kolom, bentuk, kode_ada, labels, dokumen, user, boleh_semua, own_units, tabel.letak)

    match, notes = _pasangkan(rows, draft, lambda r: r.kunci, lambda r: r.indikator, lambda b: b.indikator,
                              by_kunci=tabel.ekspor)
    position = {id(b): i for i, b in enumerate(draft)}
    positions = [position[id(m)] if m is not None else None for m in match]
    moved = _moved(positions)
    urut = _perlu_urut(match, moved)
    _rak_dihapus(rak, draft, {id(m) for m in match if m is not None})
    massal: list[tuple[Baru, BarisData]] = []
    for i, fr in enumerate(rows):
        if match[i] is None:
            # Only the penyusun may reorder: anyone else's new rows go at the end.
            _rak_ditambah(rak, fr, i, notes[i], urut and not boleh_semua, massal)
        else:
            _rak_diubah(rak, fr, match[i], i, position[id(match[i])], i in moved)
    if massal:
        plan.langkah.append(TambahBarisMassal(tuple(massal)))
    if urut and boleh_semua:
        _rak_urutan(plan, match, positions, len(draft))


def _bentuk_jadwal(plan: Rencana, tabel: TabelImpor, revisi: Revisi | None, boleh_semua: bool) -> BentukJadwal:
    """The schedule's shape: the file's, finer (weeks) when a month cell names weeks. A
    shape other than the draft's is a header change."""
    bentuk_draf = BentukJadwal(revisi.bentuk_jadwal or BentukJadwal.BULAN) if revisi is not None else BentukJadwal.BULAN
    if "jadwal" not in tabel.kolom or tabel.bentuk is None:
        return bentuk_draf
    bentuk = tabel.bentuk
    if bentuk is BentukJadwal.BULAN and any(
            r.jadwal and schedule.dari_sel(bentuk, [i + 1 for i, on in enumerate(schedule.sel(r.jadwal, bentuk)) if on])
            != r.jadwal for r in tabel.baris):
        bentuk = BentukJadwal.MINGGU
    if bentuk is not bentuk_draf:
        plan.kepala.append(Sel("bentuk_jadwal", _(LABEL_KEPALA["bentuk_jadwal"]), bentuk_draf.label, bentuk.label,
                               bentuk_draf, bentuk))
        plan.langkah.append(UbahBentukJadwal(bentuk))
        if not boleh_semua:
            plan.masalah.append(Masalah(_("bentuk jadwal berkas (%(berkas)s) berbeda dengan draf (%(draf)s); "
                                          "hanya penyusun yang dapat mengubahnya", berkas=bentuk.label,
                                          draf=bentuk_draf.label)))
    return bentuk


def _rak_dihapus(rak: _Rak, draft: list, matched: set[int]) -> None:
    """The draft rows no file row matched."""
    for i, b in enumerate(draft):
        if id(b) in matched:
            continue
        rak.plan.perubahan.append(Perubahan(JenisPerubahan.DIHAPUS, Bagian.BARIS,
                                            b.indikator or _("Baris %(no)s", no=i + 1), None, i + 1, None))
        if rak.boleh_ubah(b.pelaksana, None, _("Baris %(no)s draf (%(indikator)s) tidak dapat dihapus", no=i + 1,
                                               indikator=b.indikator[:40])):
            rak.plan.langkah.append(Hapus(Bagian.BARIS, b.kunci))


def _rak_ditambah(rak: _Rak, fr: BarisRak, i: int, catatan: str | None, di_akhir: bool,
                  massal: list[tuple[Baru, BarisData]]) -> None:
    if di_akhir:
        catatan = (catatan + "; " if catatan else "") + _("ditambahkan di akhir tabel")
    isi = tuple(Isian(key, _(LABEL_BARIS[key]), shown, value) for key, (value, shown) in rak.sel_berkas(fr).items()
                if key != "indikator")
    rak.plan.perubahan.append(Perubahan(JenisPerubahan.DITAMBAH, Bagian.BARIS,
                                        fr.indikator or _("Baris %(no)s", no=fr.nomor), fr.nomor, None, i + 1,
                                        catatan=catatan, isi=isi))
    data = rak.data(fr)
    rak.cek_pelaksana(data.pelaksana, fr.nomor)
    rak.cek_kegiatan(data, fr)
    if rak.boleh_semua:
        massal.append((Baru(Bagian.BARIS, (i,)), data))  # added together: one check each, one audit entry
    else:
        rak.plan.langkah.append(SimpanBaris(Baru(Bagian.BARIS, (i,)), data))


def _rak_diubah(rak: _Rak, fr: BarisRak, b, i: int, lama: int, pindah: bool) -> None:
    changed = _sel_berubah(rak, fr, b)
    if changed or pindah:
        jenis = JenisPerubahan.DIUBAH if changed else JenisPerubahan.DIPINDAH
        rak.plan.perubahan.append(Perubahan(jenis, Bagian.BARIS, fr.indikator or b.indikator, fr.nomor, lama + 1,
                                            i + 1, tuple(changed), pindah))
    if changed:
        data = rak.data(fr, b)
        if rak.boleh_ubah(b.pelaksana, fr.nomor, _("Baris ini tidak dapat diubah")):
            rak.cek_pelaksana(data.pelaksana, fr.nomor)
        if b.kegiatan:  # a row the draft already lacks kegiatan for is not the import's doing
            rak.cek_kegiatan(data, fr)
        rak.plan.langkah.append(SimpanBaris(b.kunci, data))
    if pindah and not rak.boleh_semua:
        rak.plan.masalah.append(Masalah(_("urutan baris berubah; hanya penyusun dokumen yang dapat mengubah urutan"),
                                        fr.nomor))


def _sel_berubah(rak: _Rak, fr: BarisRak, b) -> list[Sel]:
    """The cells of file row ``fr`` that differ from draft row ``b``."""
    old = rak.sel_draf(b)
    changed = []
    for key, (value, shown) in rak.sel_berkas(fr).items():
        if key in fr.salah:
            continue  # unreadable: listed as a problem, not as a change
        before, before_shown = old[key]
        if not _sama(key, value, before, b, rak.bentuk):
            changed.append(_sel_baris(key, before, value, before_shown, shown))
    return changed


def _sama(key: str, value: Any, before: Any, b, bentuk: BentukJadwal) -> bool:
    if key == "target":
        return (_target_key(value) == _row_target_key(b)) if value else not b.target_lengkap()
    if key == "jadwal":
        return schedule.sel(value, bentuk) == schedule.sel(before or schedule.KOSONG, bentuk)
    if key in ("sasaran", "indikator"):
        return _spasi(value) == _spasi(before)
    return value == before


def _rak_urutan(plan: Rencana, match: list, positions: list[int | None], n_draft: int) -> None:
    """The new order: the file's (new rows not at the end need moves too)."""
    if _inversions([p if p is not None else n_draft + i for i, p in enumerate(positions)]) > MAX_GESER:
        plan.masalah.append(Masalah(_("urutan baris berubah terlalu banyak untuk diterapkan (lebih dari %(maks)s "
                                      "langkah geser); impor ke draf kosong atau ubah urutan sedikit demi sedikit",
                                      maks=MAX_GESER)))
    urutan = tuple(b.kunci if b is not None else Baru(Bagian.BARIS, (i,)) for i, b in enumerate(match))
    plan.langkah.append(Urutkan(Bagian.BARIS, urutan))


# -- PK and RKT ---------------------------------------------------------------------------------------

def _rencana_pk(plan: Rencana, tabel: TabelImpor, revisi: Revisi | None) -> None:
    draft = list(revisi.sasaran) if revisi is not None else []
    files = tabel.sasaran
    match, notes = _pasangkan(files, draft, lambda s: s.kunci, lambda s: s.uraian, lambda s: s.uraian, tabel.ekspor)
    position = {id(s): i for i, s in enumerate(draft)}
    moved = _moved([position[id(m)] if m is not None else None for m in match])
    _sasaran_dihapus(plan, draft, {id(m) for m in match if m is not None})
    # An indikator moved to another sasaran (same kunci) is removed there and added here.
    all_indikator = {i.kunci for s in draft for i in s.indikator}
    for n, fs in enumerate(files):
        s = match[n]
        if s is None:
            sasaran: Kunci = _sasaran_ditambah(plan, tabel, fs, n, notes[n])
        else:
            sasaran = s.kunci
            _sasaran_diubah(plan, tabel, fs, s, n, position[id(s)], n in moved)
        _rencana_indikator(plan, tabel, fs, s, sasaran, n, all_indikator)
    if _perlu_urut(match, moved):
        plan.langkah.append(Urutkan(Bagian.SASARAN, tuple(s.kunci if s is not None else Baru(Bagian.SASARAN, (n,))
                                                          for n, s in enumerate(match))))
    if tabel.program is not None and revisi is not None:
        _rencana_program(plan, tabel, revisi)


def _sasaran_dihapus(plan: Rencana, draft: list, matched: set[int]) -> None:
    for i, s in enumerate(draft):
        if id(s) not in matched:
            plan.perubahan.append(Perubahan(JenisPerubahan.DIHAPUS, Bagian.SASARAN, s.uraian, None, i + 1, None))
            for n, ind in enumerate(s.indikator, start=1):
                plan.perubahan.append(Perubahan(JenisPerubahan.DIHAPUS, Bagian.INDIKATOR, ind.uraian, None, n, None))
            plan.langkah.append(Hapus(Bagian.SASARAN, s.kunci))


def _sasaran_ditambah(plan: Rencana, tabel: TabelImpor, fs: SasaranBerkas, n: int, catatan: str | None) -> Baru:
    if not fs.uraian:
        plan.masalah.append(Masalah(_("sasaran baru tanpa teks sasaran"), fs.nomor))
    plan.perubahan.append(Perubahan(JenisPerubahan.DITAMBAH, Bagian.SASARAN, fs.uraian, fs.nomor, None, n + 1,
                                    catatan=catatan))
    baru = Baru(Bagian.SASARAN, (n,))
    plan.langkah.append(SimpanSasaran(baru, fs.uraian, fs.tujuan if "tujuan" in tabel.kolom else None))
    return baru


def _sasaran_diubah(plan: Rencana, tabel: TabelImpor, fs: SasaranBerkas, s, n: int, lama: int, pindah: bool) -> None:
    kolom = tabel.kolom
    changed = []
    if _spasi(fs.uraian) != _spasi(s.uraian):
        changed.append(_sel("uraian", LABEL_SASARAN["uraian"], s.uraian, fs.uraian))
    if "tujuan" in kolom and _spasi(fs.tujuan) != _spasi(s.tujuan):
        changed.append(_sel("tujuan", LABEL_SASARAN["tujuan"], s.tujuan, fs.tujuan))
    if changed or pindah:
        plan.perubahan.append(Perubahan(JenisPerubahan.DIUBAH if changed else JenisPerubahan.DIPINDAH,
                                        Bagian.SASARAN, fs.uraian, fs.nomor, lama + 1, n + 1, tuple(changed), pindah))
    if changed:
        plan.langkah.append(SimpanSasaran(s.kunci, fs.uraian, fs.tujuan if "tujuan" in kolom else s.tujuan))


def _rencana_indikator(plan: Rencana, tabel: TabelImpor, fs: SasaranBerkas, s, sasaran: Kunci, n: int,
                       all_indikator: set[str]) -> None:
    """The indikator of file sasaran ``fs`` (the ``n``-th) against those of draft sasaran
    ``s`` (None: a new one), saved under ``sasaran``."""
    draft = list(s.indikator) if s is not None else []
    match, notes = _pasangkan(fs.indikator, draft, lambda i: i.kunci, lambda i: i.uraian, lambda i: i.uraian,
                              tabel.ekspor)
    if tabel.ekspor:
        for k, fi in enumerate(fs.indikator):
            if match[k] is None and fi.kunci and fi.kunci in all_indikator:
                notes[k] = _("dipindah dari sasaran lain (ditambahkan di sini, dihapus di sana)")
    position = {id(x): i for i, x in enumerate(draft)}
    moved = _moved([position[id(m)] if m is not None else None for m in match])
    _indikator_dihapus(plan, s, draft, {id(m) for m in match if m is not None})
    for k, fi in enumerate(fs.indikator):
        ind = match[k]
        if ind is None:
            _indikator_ditambah(plan, fi, Baru(Bagian.INDIKATOR, (n, k)), sasaran, k, notes[k])
        else:
            _indikator_diubah(plan, tabel.kolom, fi, ind, sasaran, k, position[id(ind)], k in moved)
    if _perlu_urut(match, moved):
        urutan = tuple(ind.kunci if ind is not None else Baru(Bagian.INDIKATOR, (n, k)) for k, ind in enumerate(match))
        plan.langkah.append(Urutkan(Bagian.INDIKATOR, urutan, sasaran))


def _indikator_dihapus(plan: Rencana, s, draft: list, matched: set[int]) -> None:
    for i, ind in enumerate(draft):
        if id(ind) not in matched:
            plan.perubahan.append(Perubahan(JenisPerubahan.DIHAPUS, Bagian.INDIKATOR, ind.uraian, None, i + 1, None,
                                            catatan=_("sasaran %(uraian)s", uraian=s.uraian[:60])))
            plan.langkah.append(Hapus(Bagian.INDIKATOR, ind.kunci, s.kunci))


def _indikator_ditambah(plan: Rencana, fi, baru: Baru, sasaran: Kunci, k: int, catatan: str | None) -> None:
    if not fi.target:
        plan.masalah.append(Masalah(_("target kosong; setiap indikator wajib memiliki target"), fi.nomor))
    plan.perubahan.append(Perubahan(JenisPerubahan.DITAMBAH, Bagian.INDIKATOR, fi.uraian, fi.nomor, None, k + 1,
                                    catatan=catatan))
    plan.langkah.append(SimpanIndikator(baru, sasaran, fi.uraian, fi.target))


def _indikator_diubah(plan: Rencana, kolom: frozenset[str], fi, ind, sasaran: Kunci, k: int, lama: int,
                      pindah: bool) -> None:
    changed = []
    if _spasi(fi.uraian) != _spasi(ind.uraian):
        changed.append(_sel("uraian", LABEL_INDIKATOR["uraian"], ind.uraian, fi.uraian))
    if "target" in kolom and "target" not in fi.salah:
        same = (_target_key(fi.target) == _row_target_key(ind)) if fi.target else not ind.target_lengkap()
        if not same:
            changed.append(Sel("target", _(LABEL_INDIKATOR["target"]), ind.target or KOSONG,
                               _target_teks(fi.target) if fi.target else KOSONG, ind.target, fi.target))
    if changed or pindah:
        plan.perubahan.append(Perubahan(JenisPerubahan.DIUBAH if changed else JenisPerubahan.DIPINDAH,
                                        Bagian.INDIKATOR, fi.uraian, fi.nomor, lama + 1, k + 1, tuple(changed), pindah))
    if changed:
        target = fi.target if "target" in kolom else ind.target
        if not target:
            plan.masalah.append(Masalah(_("target kosong; setiap indikator wajib memiliki target"), fi.nomor))
        plan.langkah.append(SimpanIndikator(ind.kunci, sasaran, fi.uraian, target, ind.polaritas))


def _rencana_program(plan: Rencana, tabel: TabelImpor, revisi: Revisi) -> None:
    draft = {p.kode: p for p in revisi.program}
    seen = set()
    for n, fp in enumerate(tabel.program, start=1):
        p = draft.get(fp.kode)
        seen.add(fp.kode)
        judul = f"{fp.kode} {fp.nama}"
        if p is None:
            plan.perubahan.append(Perubahan(JenisPerubahan.DITAMBAH, Bagian.PROGRAM, judul, fp.nomor, None, n))
            continue
        changed = []
        if _spasi(fp.nama) != _spasi(p.nama):
            changed.append(_sel("nama", LABEL_PROGRAM["nama"], p.nama, fp.nama))
        if fp.anggaran != p.anggaran:
            changed.append(_sel("anggaran", LABEL_PROGRAM["anggaran"], p.anggaran, fp.anggaran, _rp))
        if changed:
            plan.perubahan.append(Perubahan(JenisPerubahan.DIUBAH, Bagian.PROGRAM, judul, fp.nomor, p.urutan, n,
                                            tuple(changed)))
    for p in revisi.program:
        if p.kode not in seen:
            plan.perubahan.append(Perubahan(JenisPerubahan.DIHAPUS, Bagian.PROGRAM, f"{p.kode} {p.nama}", None,
                                            p.urutan, None))
    if [(p.kode, _spasi(p.nama), p.anggaran) for p in tabel.program] != \
            [(p.kode, _spasi(p.nama), p.anggaran) for p in revisi.program]:
        plan.langkah.append(GantiProgram(tuple(ProgramData(p.kode, p.nama, p.anggaran) for p in tabel.program)))


# -- applying -----------------------------------------------------------------------------------------

def terapkan(session: Session, dokumen: Dokumen, user: User, plan: Rencana) -> int:
    """Apply a plan made on this document's current version; flushes, the caller commits
    (or rolls back on any refusal: all or nothing). Returns the number of changes."""
    if plan.terhalang:
        raise IsiTidakValid(plan.terhalang)
    if plan.kosong:
        return 0
    if plan.dokumen_id is not None and (plan.dokumen_id != dokumen.id or plan.versi != dokumen.versi):
        raise Konflik(_("Dokumen ini telah diubah sejak pratinjau impor dibuat; tidak ada yang disimpan. "
                        "Unggah berkasnya lagi untuk melihat perubahan terhadap isi terbaru."))
    _jalankan(session, dokumen, user, plan.langkah, plan.versi)
    session.flush()
    return len(plan.perubahan) + len(plan.kepala)


def _jalankan(session: Session, dokumen: Dokumen, user: User, langkah: Sequence[Langkah], versi: int | None) -> None:
    """Run the steps in order through workflow.dokumen.operations; ``versi``: the version the plan
    was made on, which the header change checks."""
    revisi = dokumen.revisi_aktif  # the header as it was before the steps
    kunci_baru: dict[Baru, str] = {}

    def kunci(k: Kunci | None) -> str | None:
        return kunci_baru[k] if isinstance(k, Baru) else k

    for step in langkah:
        if isinstance(step, UbahBentukJadwal):
            kepala = Kepala(**{f.name: getattr(revisi, f.name) for f in dataclasses.fields(Kepala)})
            operations.ubah_kepala(session, dokumen, user, dataclasses.replace(kepala, bentuk_jadwal=step.bentuk),
                                   versi=versi)
        elif isinstance(step, GantiProgram):
            operations.simpan_program(session, dokumen, user, list(step.program), versi=None)
        elif isinstance(step, Hapus):
            _hapus(session, dokumen, user, step)
        elif isinstance(step, TambahBarisMassal):
            operations.isi_baris_massal(session, dokumen, [data for _baru, data in step.baris], user)
            added = dokumen.revisi_aktif.baris[-len(step.baris):]
            kunci_baru.update({baru: b.kunci for (baru, _data), b in zip(step.baris, added)})
        elif isinstance(step, Urutkan):
            sasaran = kunci(step.sasaran)
            _urutkan(session, dokumen, user, [kunci(k) for k in step.urutan], _urutan_sekarang(dokumen, step, sasaran),
                     sasaran)
        else:
            disimpan = _simpan(session, dokumen, user, step, kunci)
            if isinstance(step.kunci, Baru):
                kunci_baru[step.kunci] = disimpan


def _hapus(session: Session, dokumen: Dokumen, user: User, step: Hapus) -> None:
    if step.bagian is Bagian.BARIS:
        operations.hapus_baris(session, dokumen, user, step.kunci)
    elif step.bagian is Bagian.SASARAN:
        operations.hapus_sasaran(session, dokumen, user, step.kunci)
    else:
        operations.hapus_indikator(session, dokumen, user, step.sasaran, step.kunci)


def _simpan(session: Session, dokumen: Dokumen, user: User, step: SimpanBaris | SimpanSasaran | SimpanIndikator,
            kunci: Callable[[Kunci | None], str | None]) -> str:
    """Add (``step.kunci`` a Baru) or change one row, sasaran or indikator; returns its kunci."""
    lama = step.kunci if isinstance(step.kunci, str) else None
    if isinstance(step, SimpanBaris):
        return operations.simpan_baris(session, dokumen, user, step.data, kunci=lama).kunci
    if isinstance(step, SimpanSasaran):
        return operations.simpan_sasaran(session, dokumen, user, step.uraian, step.tujuan, kunci=lama).kunci
    return operations.simpan_indikator(session, dokumen, user, kunci(step.sasaran), step.uraian, step.target,
                                       step.polaritas, kunci=lama).kunci


def _urutan_sekarang(dokumen: Dokumen, step: Urutkan, sasaran: str | None) -> list[str]:
    if step.bagian is Bagian.BARIS:
        return [b.kunci for b in dokumen.revisi_aktif.baris]
    if step.bagian is Bagian.SASARAN:
        return [s.kunci for s in dokumen.revisi_aktif.sasaran]
    return [i.kunci for i in next(s for s in dokumen.revisi_aktif.sasaran if s.kunci == sasaran).indikator]


def terapkan_baru(session: Session, satker, tahun: int, jenis: JenisDokumen, user: User, plan: Rencana) -> Dokumen:
    """Create the document, then apply a plan made for it (``rencana(..., dokumen=None)``)."""
    if plan.terhalang:
        raise IsiTidakValid(plan.terhalang)
    dokumen = operations.buat_dokumen(session, satker, tahun, jenis, user)
    plan = dataclasses.replace(plan, dokumen_id=dokumen.id, versi=dokumen.versi)
    terapkan(session, dokumen, user, plan)
    return dokumen


__all__ = ["Perubahan", "Rencana", "rencana", "terapkan", "terapkan_baru"]
