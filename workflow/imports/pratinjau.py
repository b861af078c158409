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
order are reported as moved, as workflow.diff does). A column the file does not have
(Kubu Raya's RAK has no cost) leaves those cells as they are; the polarity of a target is
never in a file and is kept. A schedule is compared in the file's shape (a month marked
in the file matches a month the draft marks in any week); when the file's shape differs
from the draft's, the draft takes the file's, shown as a header change.

Applying runs the plan through workflow.operations in the caller's transaction (the
caller commits; on any refusal it rolls back and nothing is saved). The plan remembers
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
from workflow import operations, policy, schedule
from workflow.checks import rupiah
from workflow.diff import (KOSONG, longest_increasing, LABEL_BARIS, LABEL_INDIKATOR, LABEL_KEPALA, LABEL_PROGRAM, LABEL_SASARAN, Bagian,
                           JenisPerubahan, Sel, keterangan, keterangan_bulan, keterangan_uang)
from workflow.document import Bentuk, Dokumen, JenisDokumen, Revisi, Status
from workflow.errors import IsiTidakValid, Konflik
from workflow.imports.sel import norm
from workflow.imports.tabel import BarisRak, Masalah, SasaranBerkas, TabelImpor
from workflow.operations import BarisData, Kepala, ProgramData
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

    @property
    def keterangan(self) -> str:
        text = keterangan(self.jenis, self.urutan_lama, self.urutan_baru, self.sel, self.dipindah)
        return f"{text} ({self.catatan})" if self.catatan else text

    def __str__(self) -> str:
        where = f"{self.bagian.label} {self.urutan_baru or self.urutan_lama}"
        if self.baris_berkas is not None:
            where = _("%(letak)s (berkas baris %(baris)s)", letak=where, baris=self.baris_berkas)
        return f"{where}, {self.judul}: {self.keterangan}"


@dataclass
class _Langkah:
    """What applying does, in order (filled by the planners, run by ``terapkan``)."""

    bentuk_jadwal: BentukJadwal | None = None
    program: list[ProgramData] | None = None
    hapus: list[Callable] = field(default_factory=list)
    ubah: list[Callable] = field(default_factory=list)
    tambah: list[Callable] = field(default_factory=list)
    urutkan: list[Callable] = field(default_factory=list)


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
    penolakan: str | None = None             # not this document, not a document at all: never applied
    basi: str | None = None                  # exported from an older revision/version
    ke_draf: bool = False                    # the user chose to apply a stale file onto the current draft
    langkah: _Langkah = field(default_factory=_Langkah, repr=False)

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
        lines += [_("Kepala: %(sel)s", sel=s) for s in self.kepala]
        for p in self.perubahan:
            lines.append(str(p))
            lines += [f"  {s}" for s in p.sel]
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


def _urutkan(session: Session, dokumen: Dokumen, user: User, wanted: Callable[[], list[str]],
             current: Callable[[], list[str]], sasaran_kunci: str | None = None) -> None:
    """Bring rows into ``wanted`` order with one-place moves (operations.geser)."""
    order, now = wanted(), current()
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
                   sumber=tabel.sumber, masalah=list(tabel.masalah), ke_draf=ke_draf)
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
    return plan


# -- RAK -------------------------------------------------------------------------------------------

def _rencana_rak(plan: Rencana, tabel: TabelImpor, dokumen: Dokumen | None, revisi: Revisi | None,
                 user: User | None, boleh_semua: bool) -> None:
    draft = list(revisi.baris) if revisi is not None else []
    kolom = tabel.kolom
    rows = tabel.baris
    labels = dict(operations.pilihan_pelaksana(tabel.jenis))
    own_units = policy.unit_pelaksana(user, dokumen) if dokumen is not None and user is not None else set()

    # The schedule's shape: the file's, finer (weeks) when a month cell names weeks.
    bentuk_draf = BentukJadwal(revisi.bentuk_jadwal or BentukJadwal.BULAN) if revisi is not None else BentukJadwal.BULAN
    bentuk = bentuk_draf
    if "jadwal" in kolom and tabel.bentuk is not None:
        bentuk = tabel.bentuk
        if bentuk is BentukJadwal.BULAN and any(
                r.jadwal and schedule.dari_sel(bentuk, [i + 1 for i, on in enumerate(schedule.sel(r.jadwal, bentuk)) if on])
                != r.jadwal for r in rows):
            bentuk = BentukJadwal.MINGGU
        if bentuk is not bentuk_draf:
            plan.kepala.append(Sel("bentuk_jadwal", _(LABEL_KEPALA["bentuk_jadwal"]), bentuk_draf.label, bentuk.label,
                                   bentuk_draf, bentuk))
            plan.langkah.bentuk_jadwal = bentuk
            if not boleh_semua:
                plan.masalah.append(Masalah(_("bentuk jadwal berkas (%(berkas)s) berbeda dengan draf (%(draf)s); "
                                              "hanya penyusun yang dapat mengubahnya", berkas=bentuk.label,
                                              draf=bentuk_draf.label)))
    kode_ada = "kode_output" in kolom or any(r.kode_output for r in rows)

    def jadwal_sel(jadwal: str) -> list[int]:
        return [i + 1 for i, on in enumerate(schedule.sel(jadwal, bentuk)) if on]

    def tampil_jadwal(jadwal: str) -> str:
        return schedule.uraian(jadwal, bentuk)

    def tampil_pelaksana(value: str | None) -> str:
        return labels.get(value, value) if value else KOSONG

    def cells_of(fr: BarisRak) -> dict[str, tuple[Any, str]]:
        """The file row's cells the import writes: {kolom: (value, shown)}."""
        out: dict[str, tuple[Any, str]] = {"indikator": (fr.indikator, _tampil(fr.indikator))}
        if "sasaran" in kolom:
            out["sasaran"] = (fr.sasaran, _tampil(fr.sasaran))
        if "target" in kolom:
            out["target"] = (fr.target, _target_teks(fr.target) if fr.target else KOSONG)
        if "kegiatan" in kolom:
            out["kegiatan"] = (fr.kegiatan, _tampil(fr.kegiatan))
        if kode_ada:
            out["kode_output"] = (fr.kode_output, _tampil(fr.kode_output))
        if "jadwal" in kolom and fr.jadwal is not None:
            out["jadwal"] = (fr.jadwal, tampil_jadwal(fr.jadwal))
        if "biaya" in kolom:
            out["biaya"] = (fr.biaya, _rp(fr.biaya))
        if "pelaksana" in kolom:
            out["pelaksana"] = (fr.pelaksana, tampil_pelaksana(fr.pelaksana))
        return out

    def data_of(fr: BarisRak, b=None) -> BarisData:
        return BarisData(
            sasaran=fr.sasaran if "sasaran" in kolom else (b.sasaran if b else ""),
            indikator=fr.indikator,
            target=fr.target if "target" in kolom else (b.target if b else ""),
            polaritas=b.polaritas if b else Polaritas.NAIK,
            kegiatan=list(fr.kegiatan) if "kegiatan" in kolom else ([k.uraian for k in b.kegiatan] if b else []),
            kode_output=fr.kode_output if kode_ada else (b.kode_output if b else None),
            sel_jadwal=jadwal_sel(fr.jadwal) if "jadwal" in kolom and fr.jadwal is not None else (
                jadwal_sel(b.jadwal) if b else []),
            biaya=fr.biaya if "biaya" in kolom else (b.biaya if b else None),
            pelaksana=fr.pelaksana if "pelaksana" in kolom else (b.pelaksana if b else None),
        )

    match, notes = _pasangkan(rows, draft, lambda r: r.kunci, lambda r: r.indikator, lambda b: b.indikator,
                              by_kunci=tabel.ekspor)
    position = {id(b): i for i, b in enumerate(draft)}
    positions = [position[id(m)] if m is not None else None for m in match]
    moved = _moved(positions)
    matched_ids = {id(m) for m in match if m is not None}

    def may_edit(pelaksana: str | None, nomor: int | None, what: str) -> bool:
        if boleh_semua or dokumen is None or user is None:
            return True
        decision = policy.ubah_baris(user, dokumen, pelaksana)
        if not decision:
            plan.masalah.append(Masalah(f"{what}: {decision.alasan}", nomor))
            return False
        return True

    def may_set(pelaksana: str | None, nomor: int) -> None:
        if not boleh_semua and pelaksana not in own_units:
            plan.masalah.append(Masalah(_("Anda hanya dapat mengisi baris dengan pelaksana unit Anda sendiri."), nomor))

    # Removed first (they anchor nothing in the new order).
    for i, b in enumerate(draft):
        if id(b) in matched_ids:
            continue
        plan.perubahan.append(Perubahan(JenisPerubahan.DIHAPUS, Bagian.BARIS, b.indikator or _("Baris %(no)s", no=i + 1),
                                        None, i + 1, None))
        if may_edit(b.pelaksana, None, _("Baris %(no)s draf (%(indikator)s) tidak dapat dihapus", no=i + 1,
                                         indikator=b.indikator[:40])):
            plan.langkah.hapus.append(lambda s, d, u, k=b.kunci: operations.hapus_baris(s, d, u, k))

    new_refs: dict[int, str] = {}
    bulk: list[tuple[int, BarisData]] = []
    for i, fr in enumerate(rows):
        b = match[i]
        if b is None:
            plan.perubahan.append(Perubahan(JenisPerubahan.DITAMBAH, Bagian.BARIS, fr.indikator or _("Baris %(no)s", no=fr.nomor),
                                            fr.nomor, None, i + 1, catatan=notes[i]))
            data = data_of(fr)
            may_set(data.pelaksana, fr.nomor)
            if boleh_semua:
                bulk.append((i, data))  # added together below: one check each, one audit entry
            else:
                def add(s, d, u, data=data, i=i):
                    new_refs[i] = operations.simpan_baris(s, d, u, data).kunci
                plan.langkah.tambah.append(add)
            continue
        changed = []
        old = {
            "sasaran": (b.sasaran, _tampil(b.sasaran)),
            "indikator": (b.indikator, _tampil(b.indikator)),
            "target": (b.target, b.target or KOSONG),
            "kegiatan": ([k.uraian for k in b.kegiatan], _tampil([k.uraian for k in b.kegiatan])),
            "kode_output": (b.kode_output, _tampil(b.kode_output)),
            "jadwal": (b.jadwal, tampil_jadwal(b.jadwal or schedule.KOSONG)),
            "biaya": (b.biaya, _rp(b.biaya)),
            "pelaksana": (b.pelaksana, tampil_pelaksana(b.pelaksana)),
        }
        for key, (value, shown) in cells_of(fr).items():
            if key in fr.salah:
                continue  # unreadable: listed as a problem, not as a change
            before, before_shown = old[key]
            if key == "target":
                same = (_target_key(value) == _row_target_key(b)) if value else not b.target_lengkap()
            elif key == "jadwal":
                same = schedule.sel(value, bentuk) == schedule.sel(before or schedule.KOSONG, bentuk)
            elif key in ("sasaran", "indikator"):
                same = _spasi(value) == _spasi(before)
            else:
                same = value == before
            if not same:
                changed.append(_sel_baris(key, before, value, before_shown, shown))
        pindah = i in moved
        if changed or pindah:
            jenis = JenisPerubahan.DIUBAH if changed else JenisPerubahan.DIPINDAH
            plan.perubahan.append(Perubahan(jenis, Bagian.BARIS, fr.indikator or b.indikator, fr.nomor,
                                            position[id(b)] + 1, i + 1, tuple(changed), pindah))
        if changed:
            data = data_of(fr, b)
            if may_edit(b.pelaksana, fr.nomor, _("Baris ini tidak dapat diubah")):
                may_set(data.pelaksana, fr.nomor)
            plan.langkah.ubah.append(lambda s, d, u, data=data, k=b.kunci: operations.simpan_baris(s, d, u, data, kunci=k))
        if pindah and not boleh_semua:
            plan.masalah.append(Masalah(_("urutan baris berubah; hanya penyusun dokumen yang dapat mengubah urutan"),
                                        fr.nomor))

    if bulk:
        def add_all(s, d, u):
            operations.isi_baris_massal(s, d, [data for _, data in bulk], u)
            added = d.revisi_aktif.baris[-len(bulk):]
            new_refs.update({i: b.kunci for (i, _), b in zip(bulk, added)})
        plan.langkah.tambah.append(add_all)

    # The new order: the file's. New rows not at the end need moves too.
    needs_order = bool(moved) or any(match[i] is None for i in range(len(rows)) if
                                     any(match[j] is not None for j in range(i + 1, len(rows))))
    if needs_order and boleh_semua:
        if _inversions([p if p is not None else len(draft) + i for i, p in enumerate(positions)]) > MAX_GESER:
            plan.masalah.append(Masalah(_("urutan baris berubah terlalu banyak untuk diterapkan (lebih dari %(maks)s "
                                          "langkah geser); impor ke draf kosong atau ubah urutan sedikit demi sedikit",
                                          maks=MAX_GESER)))

        def order(s, d, u):
            wanted = [match[i].kunci if match[i] is not None else new_refs[i] for i in range(len(rows))]
            _urutkan(s, d, u, lambda: wanted, lambda: [b.kunci for b in d.revisi_aktif.baris])
        plan.langkah.urutkan.append(order)
    elif needs_order:
        for p in plan.perubahan:
            if p.jenis is JenisPerubahan.DITAMBAH and p.urutan_baru is not None:
                object.__setattr__(p, "catatan", (p.catatan + "; " if p.catatan else "") + _("ditambahkan di akhir tabel"))


# -- PK and RKT ---------------------------------------------------------------------------------------

def _rencana_pk(plan: Rencana, tabel: TabelImpor, revisi: Revisi | None) -> None:
    draft = list(revisi.sasaran) if revisi is not None else []
    kolom = tabel.kolom
    files = tabel.sasaran
    by_kunci = tabel.ekspor
    match, notes = _pasangkan(files, draft, lambda s: s.kunci, lambda s: s.uraian, lambda s: s.uraian, by_kunci)
    position = {id(s): i for i, s in enumerate(draft)}
    positions = [position[id(m)] if m is not None else None for m in match]
    moved = _moved(positions)
    matched = {id(m) for m in match if m is not None}
    # An indikator moved to another sasaran (same kunci) is removed there and added here.
    all_indikator = {i.kunci for s in draft for i in s.indikator}
    wanted_sasaran: list[Callable[[], str]] = []
    sasaran_refs: dict[int, str] = {}

    def refs_of(n: int) -> Callable[[], str]:
        return lambda: sasaran_refs[n]

    for i, s in enumerate(draft):
        if id(s) not in matched:
            plan.perubahan.append(Perubahan(JenisPerubahan.DIHAPUS, Bagian.SASARAN, s.uraian, None, i + 1, None))
            for n, ind in enumerate(s.indikator, start=1):
                plan.perubahan.append(Perubahan(JenisPerubahan.DIHAPUS, Bagian.INDIKATOR, ind.uraian, None, n, None))
            plan.langkah.hapus.append(lambda ss, d, u, k=s.kunci: operations.hapus_sasaran(ss, d, u, k))

    for n, fs in enumerate(files):
        s = match[n]
        if s is None:
            if not fs.uraian:
                plan.masalah.append(Masalah(_("sasaran baru tanpa teks sasaran"), fs.nomor))
            plan.perubahan.append(Perubahan(JenisPerubahan.DITAMBAH, Bagian.SASARAN, fs.uraian, fs.nomor, None, n + 1,
                                            catatan=notes[n]))
            tujuan = fs.tujuan if "tujuan" in kolom else None

            def add_sasaran(ss, d, u, fs=fs, n=n, tujuan=tujuan):
                sasaran_refs[n] = operations.simpan_sasaran(ss, d, u, fs.uraian, tujuan).kunci
            plan.langkah.tambah.append(add_sasaran)
        else:
            sasaran_refs[n] = s.kunci
            changed = []
            if _spasi(fs.uraian) != _spasi(s.uraian):
                changed.append(_sel("uraian", LABEL_SASARAN["uraian"], s.uraian, fs.uraian))
            if "tujuan" in kolom and _spasi(fs.tujuan) != _spasi(s.tujuan):
                changed.append(_sel("tujuan", LABEL_SASARAN["tujuan"], s.tujuan, fs.tujuan))
            pindah = n in moved
            if changed or pindah:
                plan.perubahan.append(Perubahan(JenisPerubahan.DIUBAH if changed else JenisPerubahan.DIPINDAH,
                                                Bagian.SASARAN, fs.uraian, fs.nomor, position[id(s)] + 1, n + 1,
                                                tuple(changed), pindah))
            if changed:
                tujuan = fs.tujuan if "tujuan" in kolom else s.tujuan
                plan.langkah.ubah.append(lambda ss, d, u, fs=fs, k=s.kunci, tujuan=tujuan:
                                         operations.simpan_sasaran(ss, d, u, fs.uraian, tujuan, kunci=k))
        wanted_sasaran.append(refs_of(n))
        _rencana_indikator(plan, tabel, fs, s, refs_of(n), all_indikator)

    needs_order = bool(moved) or any(match[i] is None for i in range(len(files))
                                     if any(match[j] is not None for j in range(i + 1, len(files))))
    if needs_order:
        def order(ss, d, u):
            wanted = [ref() for ref in wanted_sasaran]
            _urutkan(ss, d, u, lambda: wanted, lambda: [x.kunci for x in d.revisi_aktif.sasaran])
        plan.langkah.urutkan.insert(0, order)

    if tabel.program is not None and revisi is not None:
        _rencana_program(plan, tabel, revisi)


def _rencana_indikator(plan: Rencana, tabel: TabelImpor, fs: SasaranBerkas, s, sasaran_ref: Callable[[], str],
                       all_indikator: set[str]) -> None:
    draft = list(s.indikator) if s is not None else []
    kolom = tabel.kolom
    match, notes = _pasangkan(fs.indikator, draft, lambda i: i.kunci, lambda i: i.uraian, lambda i: i.uraian,
                              tabel.ekspor)
    if tabel.ekspor:
        for k, fi in enumerate(fs.indikator):
            if match[k] is None and fi.kunci and fi.kunci in all_indikator:
                notes[k] = _("dipindah dari sasaran lain (ditambahkan di sini, dihapus di sana)")
    position = {id(x): i for i, x in enumerate(draft)}
    positions = [position[id(m)] if m is not None else None for m in match]
    moved = _moved(positions)
    matched = {id(m) for m in match if m is not None}
    refs: dict[int, str] = {}

    for i, ind in enumerate(draft):
        if id(ind) not in matched:
            plan.perubahan.append(Perubahan(JenisPerubahan.DIHAPUS, Bagian.INDIKATOR, ind.uraian, None, i + 1, None,
                                            catatan=_("sasaran %(uraian)s", uraian=s.uraian[:60])))
            plan.langkah.hapus.append(lambda ss, d, u, sk=s.kunci, k=ind.kunci: operations.hapus_indikator(ss, d, u, sk, k))

    for k, fi in enumerate(fs.indikator):
        ind = match[k]
        if ind is None:
            if not fi.target:
                plan.masalah.append(Masalah(_("target kosong; setiap indikator wajib memiliki target"), fi.nomor))
            plan.perubahan.append(Perubahan(JenisPerubahan.DITAMBAH, Bagian.INDIKATOR, fi.uraian, fi.nomor, None, k + 1,
                                            catatan=notes[k]))

            def add(ss, d, u, fi=fi, k=k):
                refs[k] = operations.simpan_indikator(ss, d, u, sasaran_ref(), fi.uraian, fi.target).kunci
            plan.langkah.tambah.append(add)
            continue
        refs[k] = ind.kunci
        changed = []
        if _spasi(fi.uraian) != _spasi(ind.uraian):
            changed.append(_sel("uraian", LABEL_INDIKATOR["uraian"], ind.uraian, fi.uraian))
        if "target" in kolom and "target" not in fi.salah:
            same = (_target_key(fi.target) == _row_target_key(ind)) if fi.target else not ind.target_lengkap()
            if not same:
                changed.append(Sel("target", _(LABEL_INDIKATOR["target"]), ind.target or KOSONG,
                                   _target_teks(fi.target) if fi.target else KOSONG, ind.target, fi.target))
        pindah = k in moved
        if changed or pindah:
            plan.perubahan.append(Perubahan(JenisPerubahan.DIUBAH if changed else JenisPerubahan.DIPINDAH,
                                            Bagian.INDIKATOR, fi.uraian, fi.nomor, position[id(ind)] + 1, k + 1,
                                            tuple(changed), pindah))
        if changed:
            target = fi.target if "target" in kolom else ind.target
            if not target:
                plan.masalah.append(Masalah(_("target kosong; setiap indikator wajib memiliki target"), fi.nomor))
            plan.langkah.ubah.append(lambda ss, d, u, fi=fi, k=ind.kunci, target=target, pol=ind.polaritas:
                                     operations.simpan_indikator(ss, d, u, sasaran_ref(), fi.uraian, target, pol, kunci=k))

    needs_order = bool(moved) or any(match[i] is None for i in range(len(fs.indikator))
                                     if any(match[j] is not None for j in range(i + 1, len(fs.indikator))))
    if needs_order:
        def order(ss, d, u):
            sk = sasaran_ref()
            wanted = [refs[i] for i in range(len(fs.indikator))]
            sasaran = next(x for x in d.revisi_aktif.sasaran if x.kunci == sk)
            _urutkan(ss, d, u, lambda: wanted, lambda: [x.kunci for x in sasaran.indikator], sasaran_kunci=sk)
        plan.langkah.urutkan.append(order)


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
        plan.langkah.program = [ProgramData(p.kode, p.nama, p.anggaran) for p in tabel.program]


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
    steps = plan.langkah
    revisi = dokumen.revisi_aktif
    if steps.bentuk_jadwal is not None:
        kepala = Kepala(**{f.name: getattr(revisi, f.name) for f in dataclasses.fields(Kepala)})
        operations.ubah_kepala(session, dokumen, user, dataclasses.replace(kepala, bentuk_jadwal=steps.bentuk_jadwal),
                               versi=plan.versi)
    if steps.program is not None:
        operations.simpan_program(session, dokumen, user, steps.program, versi=None)
    for step in (*steps.hapus, *steps.ubah, *steps.tambah, *steps.urutkan):
        step(session, dokumen, user)
    session.flush()
    return len(plan.perubahan) + len(plan.kepala)


def terapkan_baru(session: Session, satker, tahun: int, jenis: JenisDokumen, user: User, plan: Rencana) -> Dokumen:
    """Create the document, then apply a plan made for it (``rencana(..., dokumen=None)``)."""
    if plan.terhalang:
        raise IsiTidakValid(plan.terhalang)
    dokumen = operations.buat_dokumen(session, satker, tahun, jenis, user)
    plan = dataclasses.replace(plan, dokumen_id=dokumen.id, versi=dokumen.versi)
    terapkan(session, dokumen, user, plan)
    return dokumen


__all__ = ["Perubahan", "Rencana", "rencana", "terapkan", "terapkan_baru"]
