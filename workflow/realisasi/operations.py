"""Realisation entry and what it adds up to (issue 4, points 2-4).

Writing: ``isi_realisasi`` (one indikator, one month) and ``simpan_realisasi`` (a grid of
them, all or nothing) for a PK; ``isi_realisasi_anggaran`` / ``simpan_realisasi_anggaran``
for the money spent per RAK row. Like ``workflow.dokumen.operations`` they check (the document
version, ``workflow.dokumen.policy.isi_realisasi``, every value), change, log through
``workflow.audit.catat`` (aksi ``realisasi`` / ``realisasi_anggaran``, one entry per
changed cell), flush, and never commit. A value left empty removes that month's entry:
empty is not zero. Realisations attach by kunci, outside the signed content, so writing
them never touches what was signed.

Reading: ``hitung_indikator`` turns one indikator and its monthly entries into target,
realisation to date, capaian and traffic light with ``workflow.capaian`` (the only place
the formulas live); the dashboards (``workflow.realisasi.dashboard``) call it on rows they load in
batches, the entry page through ``realisasi_dokumen``.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.people import Membership, User
from tenants.teks import N_, _, ngettext
from workflow import schedule
from workflow.audit import catat
from workflow.capaian import Capaian, CaraAgregasi, Gabungan, Lampu, gabung, gabung_kode, hitung, lampu
from workflow.dokumen import policy, target_periode
from workflow.dokumen.content import Indikator, RakBaris
from workflow.dokumen.models import Bentuk, Dokumen
from tenants.db import utcnow
from workflow.dokumen.queries import bentuk_jadwal_kantor
from workflow.dokumen.versi import periksa_versi, sentuh
from workflow.errors import Ditolak, IsiTidakValid
from workflow.realisasi.models import Realisasi, RealisasiAnggaran
from workflow.rupiah import MAX_BIAYA, RupiahNegatif, baca_rupiah
from workflow.schedule import BentukJadwal
from workflow.target import MAX_TARGET, OPINI, PREDIKAT, JenisTarget, Polaritas, TargetError, baca_target, tulis_target

MAX_BUKTI = 2000
MAX_NILAI = MAX_TARGET
KODE_JENIS = (JenisTarget.PREDIKAT, JenisTarget.OPINI)
ROMAWI = schedule.ROMAWI



# -- periods ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Periode:
    bulan: int     # the month the entry is stored at (a quarter's last month)
    nama: str      # "Maret", "Triwulan I" (in the reader's language: "March", "Quarter I")
    singkat: str   # "Mar", "TW1"


def periode(bentuk: BentukJadwal | None) -> list[Periode]:
    """The periods an office reports in: twelve months, or four quarters stored at months
    3, 6, 9 and 12 when it plans by quarter (weekly planners report by month)."""
    if bentuk is BentukJadwal.TRIWULAN:
        return [Periode(3 * q, schedule.nama_triwulan(q), f"TW{q}") for q in range(1, 5)]
    # singkatan_bulan is the name's first three letters: each month translated once.
    return [Periode(b, nama, nama[:3]) for b in range(1, 13) for nama in (schedule.nama_bulan(b),)]


def nama_bulan(bulan: int, bentuk: BentukJadwal | None = None) -> str:
    for p in periode(bentuk):
        if p.bulan == bulan:
            return p.nama
    return schedule.nama_bulan(bulan) if 1 <= bulan <= 12 else _("bulan %(n)s", n=bulan)


# -- reading values as offices write them ----------------------------------------------------

def cara_agregasi(jenis: JenisTarget, cara: str | None) -> CaraAgregasi:
    """How the periods of an indikator add up: as set, else by its kind (counts are
    summed; percentages, grades and opinions are levels: the latest stands)."""
    if cara:
        return CaraAgregasi(cara)
    return CaraAgregasi.JUMLAH if jenis is JenisTarget.ANGKA else CaraAgregasi.TERAKHIR


def _skala(jenis: JenisTarget) -> tuple[str, ...]:
    return PREDIKAT if jenis is JenisTarget.PREDIKAT else OPINI


def baca_nilai(jenis: JenisTarget, satuan: str | None, text: str) -> tuple[Decimal | None, str | None]:
    """A realisation as typed (``97,5``, ``97,5%``, ``2 Laporan``, ``BB``, ``WTP``) ->
    (number, code). Raises IsiTidakValid with the reason, without naming where."""
    text = " ".join((text or "").split())
    if jenis in KODE_JENIS:
        kode = text.upper()
        skala = _skala(jenis)
        if kode not in skala:
            daftar = ", ".join(skala)
            if jenis is JenisTarget.PREDIKAT:
                raise IsiTidakValid(_("'%(teks)s' bukan predikat: tulis salah satu dari %(daftar)s", teks=text,
                                      daftar=daftar))
            raise IsiTidakValid(_("'%(teks)s' bukan opini: tulis salah satu dari %(daftar)s", teks=text, daftar=daftar))
        return None, kode
    if text.startswith(("-", "\u2212")):
        raise IsiTidakValid(_("'%(teks)s': realisasi tidak boleh negatif", teks=text))
    try:
        dibaca = baca_target(text)
    except TargetError:
        # The target reader's own message speaks of a target; this is a realisation.
        raise IsiTidakValid(_("'%(teks)s' tidak terbaca sebagai angka: tulis mis. 85, 97,5%% atau 12 Laporan",
                              teks=text)) from None
    if dibaca.jenis in KODE_JENIS:
        raise IsiTidakValid(_("'%(teks)s' bukan angka: indikator ini diukur dengan angka", teks=text))
    if jenis is JenisTarget.PERSEN and dibaca.jenis is JenisTarget.ANGKA and dibaca.satuan:
        raise IsiTidakValid(_("'%(teks)s': indikator ini berupa persen, tulis mis. 97,5%%", teks=text))
    if jenis is JenisTarget.ANGKA and dibaca.jenis is JenisTarget.PERSEN:
        if satuan:
            raise IsiTidakValid(_("'%(teks)s': indikator ini berupa angka (%(satuan)s), bukan persen", teks=text,
                                  satuan=satuan))
        raise IsiTidakValid(_("'%(teks)s': indikator ini berupa angka, bukan persen", teks=text))
    if (jenis is JenisTarget.ANGKA and dibaca.satuan and satuan
            and dibaca.satuan.casefold() != satuan.casefold()):
        raise IsiTidakValid(_("'%(teks)s': satuannya bukan %(satuan)s", teks=text, satuan=satuan))
    nilai = dibaca.nilai
    if not nilai < MAX_NILAI:
        raise IsiTidakValid(_("'%(teks)s': angkanya terlalu besar", teks=text))
    if nilai.normalize().as_tuple().exponent < -4:
        raise IsiTidakValid(_("'%(teks)s': paling banyak 4 angka di belakang koma", teks=text))
    return nilai, None


def tulis_nilai(jenis: JenisTarget, satuan: str | None, nilai: Decimal | None, kode: str | None) -> str:
    """A realisation written back as the office writes its target: 97,5%, 2 Laporan, BB."""
    if nilai is not None and jenis not in KODE_JENIS:
        nilai = nilai.quantize(Decimal("0.0001")).normalize()
    return _tulis(jenis, nilai, kode, satuan)


@lru_cache(maxsize=4096)
def _tulis(jenis: JenisTarget, nilai: Decimal | None, kode: str | None, satuan: str | None) -> str:
    # A matrix of many offices writes the same few targets over and over.
    return tulis_target(jenis, nilai, kode, satuan)


def _singkat(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _bukti(text: str | None) -> str | None:
    return " ".join((text or "").split()) or None


# -- writing: the grids' cells, all checked before any is saved ------------------------------

@dataclass(frozen=True)
class Isian:
    """One cell as typed: an indikator's realisation in one month, with its evidence."""

    kunci: str
    bulan: int
    nilai: str
    bukti: str = ""


@dataclass(frozen=True)
class IsianAnggaran:
    """One cell as typed: money spent on a RAK row in one month."""

    kunci: str
    bulan: int
    jumlah: str


def _periksa_dokumen(dokumen: Dokumen, bentuk: Bentuk) -> None:
    if dokumen.jenis.bentuk is not bentuk:
        raise Ditolak(_("Realisasi indikator diisi pada Perjanjian Kinerja.") if bentuk is Bentuk.PK
                      else _("Realisasi anggaran diisi per baris Rencana Aksi Kinerja."))


def _izin(user: User | None, dokumen: Dokumen, pelaksana: str | None) -> Membership:
    decision = policy.isi_realisasi(user, dokumen, pelaksana)
    if not decision:
        raise Ditolak(decision.alasan)
    return decision.membership


def _sentuh(session: Session, dokumen: Dokumen) -> None:
    # The document's version moves, so a page opened before this save is told.
    sentuh(dokumen)
    session.flush()


def _dedupe(isian: Iterable, key) -> list:
    return list({key(i): i for i in isian}.values())


class MasalahSel(str):
    """A problem of one cell of a grid: the sentence listed for the whole grid, which also
    names its cell (``sel``: "nilai", "bukti" or "jumlah", the kunci, the month) and says it
    without the cell's place (``pesan``), for the page to put beside that cell."""

    sel: tuple[str, str, int]
    pesan: str


def _di_sel(kolom: str, item, letak: str, teks: str) -> MasalahSel:
    masalah = MasalahSel(teks)
    masalah.sel, masalah.pesan = (kolom, item.kunci, item.bulan), teks.removeprefix(f"{letak}: ")
    return masalah


def _siapkan(session: Session, dokumen: Dokumen, bentuk_dokumen: Bentuk, versi: int | None):
    """What both grids check first: the kind of document, its version, and the months this
    office reports in that year. Returns (shape, valid months)."""
    _periksa_dokumen(dokumen, bentuk_dokumen)
    periksa_versi(session, dokumen, versi)
    bentuk = bentuk_jadwal_kantor(session, dokumen.satker, dokumen.tahun)
    return bentuk, {p.bulan for p in periode(bentuk)}


@dataclass(frozen=True)
class _Sel:
    """One checked cell, ready to save: its row (an indikator, or a RAK row), the month, the
    values to store (None removes the month's entry), and the membership entering it."""

    pemilik: Indikator | RakBaris
    bulan: int
    isi: dict[str, Any] | None
    membership: Membership


@dataclass(frozen=True)
class _Kisi:
    """What tells the two grids apart; checking and saving their cells is shared."""

    bentuk: Bentuk                   # the document they are entered on
    model: type[Realisasi] | type[RealisasiAnggaran]
    kolom_kunci: str                 # the model's column naming the row
    kolom: tuple[str, ...]           # the values a cell stores
    kolom_periode: str               # the cell a month outside the reporting periods is shown at
    tidak_ada: str                   # the row is not in the revision (marked; translated when said)
    pemilik: Callable[[Dokumen], dict[str, Any]]                 # the grid's rows by kunci
    letak: Callable[[Any, int, BentukJadwal], str]               # row, month, shape -> the cell in words
    baca: Callable[[Any, Any, str], dict[str, Any] | MasalahSel | None]  # item, row, place -> values
    catat: Callable[[Session, Dokumen, User | None, _Sel, dict[str, Any] | None], None]  # the audit entry of a change
    tak_tersimpan: Callable[[int], str]                           # the refusal, for n problems


def _periksa_isian(session: Session, dokumen: Dokumen, user: User, isian: Sequence, versi: int | None,
                   kisi: _Kisi) -> tuple[list[_Sel], list[str]]:
    """Every cell checked before anything is written: (the cells to save, the problems)."""
    bentuk, bulan_sah = _siapkan(session, dokumen, kisi.bentuk, versi)
    pemilik = kisi.pemilik(dokumen)
    rencana: list[_Sel] = []
    masalah: list[str] = []
    for item in _dedupe(isian, lambda i: (i.kunci, i.bulan)):
        row = pemilik.get(item.kunci)
        if row is None:
            raise Ditolak(_(kisi.tidak_ada))
        membership = _izin(user, dokumen, row.pelaksana)
        where = kisi.letak(row, item.bulan, bentuk)
        if item.bulan not in bulan_sah:
            masalah.append(_di_sel(kisi.kolom_periode, item, where, _(
                "%(letak)s: bukan periode pelaporan satker ini.", letak=where)))
            continue
        isi = kisi.baca(item, row, where)
        if isinstance(isi, MasalahSel):
            masalah.append(isi)
        else:
            rencana.append(_Sel(row, item.bulan, isi, membership))
    return rencana, masalah


def _simpan_kisi(session: Session, dokumen: Dokumen, user: User, isian: Sequence, versi: int | None,
                 kisi: _Kisi) -> int:
    """A grid, all or nothing: every cell is checked first, nothing is written when any is
    wrong (``IsiTidakValid`` lists each problem), then the cells that change are saved."""
    rencana, masalah = _periksa_isian(session, dokumen, user, isian, versi, kisi)
    if masalah:
        raise IsiTidakValid(kisi.tak_tersimpan(len(masalah)), masalah)
    return _simpan_sel(session, dokumen, user, kisi, rencana)


# What may refuse changing a PK's realisation of some months: called with the document
# and the months about to change, each returns the refusal or None. workflow.pelaporan
# plugs in here (a verified period is locked) from above, which this layer cannot import.
PENJAGA_PERIODE: list[Callable[[Session, Dokumen, set[int]], str | None]] = []


def _periksa_kunci(session: Session, dokumen: Dokumen, bulan: set[int]) -> None:
    for penjaga in PENJAGA_PERIODE:
        if bulan and (alasan := penjaga(session, dokumen, bulan)):
            raise Ditolak(alasan)


def _simpan_sel(session: Session, dokumen: Dokumen, user: User, kisi: _Kisi, rencana: list[_Sel]) -> int:
    """Write the checked cells that change, one audit entry each; unchanged cells are left
    alone. Returns how many changed."""
    model = kisi.model
    existing = {(getattr(r, kisi.kolom_kunci), r.bulan): r
                for r in session.scalars(select(model).where(model.dokumen_id == dokumen.id))}
    berubah = []
    for sel in rencana:
        row = existing.get((sel.pemilik.kunci, sel.bulan))
        sebelum = {key: getattr(row, key) for key in kisi.kolom} if row is not None else None
        if sel.isi != sebelum:
            berubah.append((sel, row, sebelum))
    if kisi.model is Realisasi:
        _periksa_kunci(session, dokumen, {sel.bulan for sel, _row, _sebelum in berubah})
    for sel, row, sebelum in berubah:
        if sel.isi is None:
            session.delete(row)
        else:
            if row is None:
                row = model(dokumen_id=dokumen.id, bulan=sel.bulan, **{kisi.kolom_kunci: sel.pemilik.kunci})
                session.add(row)
            for key, value in sel.isi.items():
                setattr(row, key, value)
            row.diisi_oleh_id = user.id if user else None
            row.diisi_pada = utcnow()
        session.flush()
        kisi.catat(session, dokumen, user, sel, sebelum)
    if berubah:
        _sentuh(session, dokumen)
    return len(berubah)


# -- writing: indikator per month (PK) ----------------------------------------------------------

def _indikator_dokumen(dokumen: Dokumen) -> dict[str, Indikator]:
    return {i.kunci: i for s in dokumen.revisi_aktif.sasaran for i in s.indikator}


def _letak_indikator(ind: Indikator, bulan: int, bentuk: BentukJadwal) -> str:
    return _("Indikator '%(indikator)s', %(periode)s", indikator=_singkat(ind.uraian),
             periode=nama_bulan(bulan, bentuk))


def _baca_indikator(item: Isian, ind: Indikator, where: str) -> dict[str, Any] | MasalahSel | None:
    """A realisation and its evidence as typed -> the values to store (None: empty, the
    month's entry goes), or the problem."""
    bukti = _bukti(item.bukti)
    if bukti and len(bukti) > MAX_BUKTI:
        return _di_sel("bukti", item, where, _("%(letak)s: bukti paling banyak %(maks)s karakter.",
                                               letak=where, maks=MAX_BUKTI))
    if not " ".join((item.nilai or "").split()):
        if bukti:
            return _di_sel("nilai", item, where, _(
                "%(letak)s: bukti diisi tetapi realisasinya kosong; isi realisasinya atau kosongkan buktinya.",
                letak=where))
        return None
    try:
        nilai, kode = baca_nilai(ind.jenis_target, ind.satuan, item.nilai)
    except IsiTidakValid as exc:
        return _di_sel("nilai", item, where, f"{where}: {exc.message}.")
    return {"nilai": nilai, "kode": kode, "bukti": bukti}


def _catat_indikator(session: Session, dokumen: Dokumen, user: User | None, sel: _Sel,
                     sebelum: dict[str, Any] | None) -> None:
    ind = sel.pemilik

    def tertulis(isi: dict[str, Any] | None) -> str | None:
        return tulis_nilai(ind.jenis_target, ind.satuan, isi["nilai"], isi["kode"]) if isi else None

    catat(session, dokumen, user, sel.membership, aksi="realisasi", rincian={
        "indikator": ind.kunci, "uraian": _singkat(ind.uraian, 120), "bulan": sel.bulan,
        "sebelum": tertulis(sebelum), "sesudah": tertulis(sel.isi), "bukti": sel.isi["bukti"] if sel.isi else None})


def _tak_tersimpan_indikator(n: int) -> str:
    return ngettext("Tidak ada yang disimpan: %(n)s isian realisasi perlu diperbaiki.",
                    "Tidak ada yang disimpan: %(n)s isian realisasi perlu diperbaiki.", n, n=n)


_KISI_INDIKATOR = _Kisi(
    Bentuk.PK, Realisasi, "indikator_kunci", ("nilai", "kode", "bukti"), "nilai",
    N_("Indikator tidak ditemukan di revisi yang berlaku; muat ulang halaman."),
    _indikator_dokumen, _letak_indikator, _baca_indikator, _catat_indikator, _tak_tersimpan_indikator)


def simpan_realisasi(session: Session, dokumen: Dokumen, user: User, isian: Sequence[Isian],
                     versi: int | None = None) -> int:
    """Save a grid of realisations of a PK: every cell is checked first and nothing is
    written when any is wrong (IsiTidakValid lists each problem with the indikator and
    month). Unchanged cells are left alone. Returns how many cells changed."""
    return _simpan_kisi(session, dokumen, user, isian, versi, _KISI_INDIKATOR)


def isi_realisasi(session: Session, dokumen: Dokumen, user: User, indikator_kunci: str, bulan: int,
                  nilai_text: str, bukti: str | None = None, versi: int | None = None) -> Realisasi | None:
    """One indikator's realisation in one month (``nilai_text`` as typed; empty removes the
    month's entry). Returns the stored entry, None when there is none now."""
    with _satu_masalah():
        simpan_realisasi(session, dokumen, user, [Isian(indikator_kunci, bulan, nilai_text or "", bukti or "")], versi)
    return session.scalar(select(Realisasi).where(
        Realisasi.dokumen_id == dokumen.id, Realisasi.indikator_kunci == indikator_kunci, Realisasi.bulan == bulan))


@contextmanager
def _satu_masalah():
    """One cell, one problem: say it as the message itself."""
    try:
        yield
    except IsiTidakValid as exc:
        if len(exc.masalah) == 1 and exc.masalah[0] != exc.message:
            raise IsiTidakValid(exc.masalah[0]) from None
        raise


# -- writing: money per RAK row per month --------------------------------------------------------

def _nama_baris(baris: RakBaris) -> str:
    return _("Baris %(no)s (%(indikator)s)", no=baris.urutan, indikator=_singkat(baris.indikator or "-", 50))


def _baris_dokumen(dokumen: Dokumen) -> dict[str, RakBaris]:
    return {b.kunci: b for b in dokumen.revisi_aktif.baris}


def _letak_baris(baris: RakBaris, bulan: int, bentuk: BentukJadwal) -> str:
    return f"{_nama_baris(baris)}, {nama_bulan(bulan, bentuk)}"


def _baca_anggaran(item: IsianAnggaran, _baris: RakBaris, where: str) -> dict[str, Any] | MasalahSel | None:
    """An amount as typed -> the rupiah to store (None: empty, the month's entry goes), or the problem."""
    text = " ".join((item.jumlah or "").split())
    if not text:
        return None
    try:
        jumlah = baca_rupiah(text)
    except RupiahNegatif:
        return _di_sel("jumlah", item, where, _("%(letak)s: '%(teks)s': jumlah rupiah tidak boleh negatif.",
                                                letak=where, teks=text))
    except ValueError:
        return _di_sel("jumlah", item, where, _(
            "%(letak)s: '%(teks)s' bukan jumlah rupiah; tulis tanpa sen, mis. Rp 10.604.086.100.",
            letak=where, teks=text))
    if jumlah >= MAX_BIAYA:
        return _di_sel("jumlah", item, where, _("%(letak)s: jumlah rupiah terlalu besar.", letak=where))
    return {"jumlah": jumlah}


def _catat_anggaran(session: Session, dokumen: Dokumen, user: User | None, sel: _Sel,
                    sebelum: dict[str, Any] | None) -> None:
    catat(session, dokumen, user, sel.membership, aksi="realisasi_anggaran", rincian={
        "baris": sel.pemilik.kunci, "bulan": sel.bulan, "sebelum": sebelum["jumlah"] if sebelum else None,
        "sesudah": sel.isi["jumlah"] if sel.isi else None})


def _tak_tersimpan_anggaran(n: int) -> str:
    return ngettext("Tidak ada yang disimpan: %(n)s isian realisasi anggaran perlu diperbaiki.",
                    "Tidak ada yang disimpan: %(n)s isian realisasi anggaran perlu diperbaiki.", n, n=n)


_KISI_ANGGARAN = _Kisi(
    Bentuk.RAK, RealisasiAnggaran, "baris_kunci", ("jumlah",), "jumlah",
    N_("Baris tidak ditemukan di revisi yang berlaku; muat ulang halaman."),
    _baris_dokumen, _letak_baris, _baca_anggaran, _catat_anggaran, _tak_tersimpan_anggaran)


def simpan_realisasi_anggaran(session: Session, dokumen: Dokumen, user: User, isian: Sequence[IsianAnggaran],
                              versi: int | None = None) -> int:
    """Money spent per RAK row and month, in whole rupiah, all or nothing (see
    ``simpan_realisasi``). ``Rp 0`` is a value (nothing spent); empty removes the entry."""
    return _simpan_kisi(session, dokumen, user, isian, versi, _KISI_ANGGARAN)


def isi_realisasi_anggaran(session: Session, dokumen: Dokumen, user: User, baris_kunci: str, bulan: int,
                           jumlah_text: str, versi: int | None = None) -> RealisasiAnggaran | None:
    with _satu_masalah():
        simpan_realisasi_anggaran(session, dokumen, user, [IsianAnggaran(baris_kunci, bulan, jumlah_text or "")], versi)
    return session.scalar(select(RealisasiAnggaran).where(
        RealisasiAnggaran.dokumen_id == dokumen.id, RealisasiAnggaran.baris_kunci == baris_kunci,
        RealisasiAnggaran.bulan == bulan))


# -- reading: per indikator ------------------------------------------------------------------

class Entri(NamedTuple):
    """One month's entry (a tuple: the national dashboard makes thousands)."""

    nilai: Decimal | None
    kode: str | None
    bukti: str | None = None


@dataclass
class HasilIndikator:
    """One indikator with what it has reached: every figure computed, none typed."""

    kunci: str
    uraian: str
    sasaran: str
    jenis: JenisTarget
    polaritas: Polaritas
    satuan: str | None
    pelaksana: str | None
    target: Decimal | str | None
    target_nilai: Decimal | None
    cara: CaraAgregasi
    bulanan: dict[int, Entri]
    realisasi: Decimal | str | None
    capaian: Capaian
    lampu: Lampu
    induk_kunci: str | None = None
    # The target to date the capaian compares with, when the indikator has period targets
    # (workflow.dokumen.target_periode), and the month it is read at; else None.
    target_sd: Decimal | str | None = None
    bulan_sd: int | None = None

    @property
    def target_sd_teks(self) -> str:
        if self.target_sd is None:
            return ""
        if self.pakai_kode:
            return self.target_sd
        return _tulis(self.jenis, self.target_sd, None, self.satuan)

    @property
    def pakai_kode(self) -> bool:
        return self.jenis in KODE_JENIS

    @property
    def target_teks(self) -> str:
        return _tulis(self.jenis, self.target_nilai, self.target if self.pakai_kode else None, self.satuan)

    @property
    def realisasi_teks(self) -> str:
        if self.realisasi is None:
            return "-"
        if self.pakai_kode:
            return self.realisasi
        return tulis_nilai(self.jenis, self.satuan, self.realisasi, None)

    def teks_bulan(self, bulan: int) -> str:
        entri = self.bulanan.get(bulan)
        if entri is None:
            return ""
        return tulis_nilai(self.jenis, self.satuan, entri.nilai, entri.kode)

    def seri(self, periode_: Sequence[Periode]) -> dict:
        """Chart data: each period's value, the realisation to date after it, the target."""
        nilai, kumulatif = [], []
        bulanan, angka = self.bulanan, not self.pakai_kode
        terakhir = max(bulanan, default=0)
        langkah = 12 // len(periode_)
        urut = sorted(bulanan)  # the months in order, each added to the figure to date once
        sejauh, n = Gabungan(self.cara), 0
        for p in periode_:
            entri = bulanan.get(p.bulan)
            nilai.append(float(entri.nilai) if angka and entri is not None and entri.nilai is not None else None)
            while n < len(urut) and urut[n] <= p.bulan:
                sejauh.tambah(bulanan[urut[n]].nilai)
                n += 1
            # The line stops at the latest period reported: what is not reported yet is not drawn.
            sampai = sejauh.nilai if angka and p.bulan - langkah < terakhir else None
            kumulatif.append(None if sampai is None else float(sampai))
        return {
            "label": [p.singkat for p in periode_], "nilai": nilai, "kumulatif": kumulatif,
            "target": None if self.pakai_kode or self.target is None else float(self.target),
            "satuan": "%" if self.jenis is JenisTarget.PERSEN else (self.satuan or ""),
            "judul": _singkat(self.uraian, 90),
        }


def hitung_indikator(ind, entri: Mapping[int, Entri], sasaran: str = "") -> HasilIndikator:
    """Target, realisation to date, capaian and light of one indikator.

    ``ind`` is an Indikator or any row with its columns (kunci, uraian, jenis_target,
    polaritas, target_nilai, target_kode, satuan, cara_agregasi, pelaksana); ``entri``
    maps month -> entry. Periods add up by ``workflow.capaian.gabung`` (empty months
    are left out, never counted as zero) and capaian comes from ``workflow.capaian.hitung``.
    """
    jenis, cara, polaritas = _jenis_cara(ind.jenis_target, ind.cara_agregasi, ind.polaritas)
    urut = [entri[b] for b in sorted(entri)]
    if jenis in KODE_JENIS:
        target = ind.target_kode
        realisasi = gabung_kode(e.kode for e in urut)
    else:
        target = ind.target_nilai
        realisasi = gabung([e.nilai for e in urut], cara)
    # Realisation to date against the target to date, when there are period targets: a count
    # of 12 a year at 3 in March is on track, not at 25%.
    bulan_sd = max(entri) if entri and getattr(ind, "target_periode", None) else None
    target_sd = target_periode.sampai(ind, bulan_sd) if bulan_sd else None
    capaian = hitung(jenis, polaritas, target if target_sd is None else target_sd, realisasi)
    return HasilIndikator(
        kunci=ind.kunci, uraian=ind.uraian, sasaran=sasaran, jenis=jenis, polaritas=polaritas,
        satuan=ind.satuan, pelaksana=ind.pelaksana, target=target,
        target_nilai=ind.target_nilai,
        cara=cara, bulanan=dict(entri), realisasi=realisasi, capaian=capaian, lampu=lampu(capaian),
        induk_kunci=getattr(ind, "induk_kunci", None), target_sd=target_sd, bulan_sd=bulan_sd,
    )


@lru_cache(maxsize=64)
def _jenis_cara(jenis_target: str, cara: str | None, polaritas: str) -> tuple[JenisTarget, CaraAgregasi, Polaritas]:
    """An indikator's kind, aggregation and polarity from its columns: a handful of
    combinations, read once each rather than once per indikator."""
    jenis = JenisTarget(jenis_target)
    return jenis, cara_agregasi(jenis, cara), Polaritas(polaritas)


def entri_per_kunci(rows: Iterable) -> dict[str, dict[int, Entri]]:
    """Realisasi rows (or rows with indikator_kunci, bulan, nilai, kode[, bukti]) by kunci."""
    result: dict[str, dict[int, Entri]] = {}
    for r in rows:
        result.setdefault(r.indikator_kunci, {})[r.bulan] = Entri(r.nilai, r.kode, getattr(r, "bukti", None))
    return result


def entri_per_pemilik(rows: Iterable) -> dict[object, dict[str, dict[int, Entri]]]:
    """Rows of (owner, indikator_kunci, bulan, nilai, kode) -> owner -> kunci -> month -> entry,
    in one pass (the matrix of many offices)."""
    result: dict[object, dict[str, dict[int, Entri]]] = {}
    for owner, kunci, bulan, nilai, kode in rows:
        result.setdefault(owner, {}).setdefault(kunci, {})[bulan] = Entri(nilai, kode)
    return result


def realisasi_dokumen(session: Session, dokumen: Dokumen) -> list[HasilIndikator]:
    """Every indikator of the PK's current revision with its figures (one query)."""
    entri = entri_per_kunci(session.scalars(select(Realisasi).where(Realisasi.dokumen_id == dokumen.id)))
    return [hitung_indikator(i, entri.get(i.kunci, {}), s.uraian)
            for s in dokumen.revisi_aktif.sasaran for i in s.indikator]


# -- reading: money -----------------------------------------------------------------------------

_KODE_OUTPUT = re.compile(r"^[A-Z]{2}\.(\d{4})\.[A-Z]{3}\.\d{3}$")


def kode_kegiatan(kode_output: str | None) -> str | None:
    """The kegiatan code inside a budget output code: CQ.6709.QGE.003 -> 6709."""
    match = _KODE_OUTPUT.match((kode_output or "").strip().upper())
    return match.group(1) if match else None


def persen_serapan(rencana: int | None, realisasi: int | None) -> Capaian:
    """Money spent against money planned, R / T x 100 (``workflow.capaian.hitung``); nothing
    planned gives "tidak dapat dihitung"."""
    return hitung(JenisTarget.ANGKA, Polaritas.NAIK, None if rencana is None else Decimal(rencana),
                  None if realisasi is None else Decimal(realisasi))


@dataclass
class HasilBaris:
    kunci: str
    urutan: int
    indikator: str
    kegiatan: list[str]
    kode_output: str | None
    pelaksana: str | None
    biaya: int | None
    bulanan: dict[int, int] = field(default_factory=dict)

    @property
    def realisasi(self) -> int | None:
        return sum(self.bulanan.values()) if self.bulanan else None

    @property
    def serapan(self) -> Capaian:
        return persen_serapan(self.biaya, self.realisasi or 0)


def anggaran_dokumen(session: Session, rak: Dokumen) -> list[HasilBaris]:
    """Every row of the RAK's current revision with the money spent per month (one query)."""
    spent: dict[str, dict[int, int]] = {}
    for r in session.scalars(select(RealisasiAnggaran).where(RealisasiAnggaran.dokumen_id == rak.id)):
        spent.setdefault(r.baris_kunci, {})[r.bulan] = r.jumlah
    return [HasilBaris(b.kunci, b.urutan, b.indikator, [k.uraian for k in b.kegiatan], b.kode_output, b.pelaksana,
                       b.biaya, spent.get(b.kunci, {})) for b in rak.revisi_aktif.baris]
