"""The seven transcribed 2024 documents (``workflow/data/demo``), loaded for the demo.

Every write goes through ``workflow.operations``, as an editor's would: the document is
created by the system, its content written by the office's penyusun (demo account
``<office>.sekretaris``, or ``<office>.ketua`` for the Komisi's documents), then a few
documents are moved along the workflow by the demo accounts so that each state can be
seen. A document that already exists for its office, year and kind is left exactly as
it is, so loading twice changes nothing.

Nothing here fails the whole load for one document: a target that cannot be read, a
step the workflow refuses or content that does not pass the pre-submit checks is
reported in the document's summary, and the document stays where it got to.

The transcriptions' notes (``catatan``, ``sumber``) are not loaded: they name the
original signatories. Signatures carry the demo accounts' names.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.people import User
from tenants.satker import Satker
from workflow import checks, operations
from workflow.document import Bentuk, Dokumen, JenisDokumen, Revisi, Status
from workflow.errors import WorkflowError
from workflow.operations import BarisData, Kepala, ProgramData
from workflow.schedule import BentukJadwal
from workflow.target import Polaritas, TargetError, baca_target

DIREKTORI = Path(__file__).parent / "data" / "demo"

# The demo accounts' office prefixes (webapp.demo.KABKOTA): ``batu.sekretaris`` ...
AKUN_SATKER = {"35.79": "batu", "63.11": "balangan", "61.12": "kuburaya"}

# The PKs of Balangan print the programs without their codes.
KODE_PROGRAM = {
    "program penyelenggaraan pemilu": "076.01.CQ",
    "program dukungan manajemen": "076.01.WA",
}

ALASAN_PENGEMBALIAN = "Jadwal baris 4 tidak sesuai tahapan pembentukan badan ad hoc; mohon diperiksa kembali."


@dataclass(frozen=True)
class Langkah:
    """One workflow step: an event of ``workflow.flow`` pressed by a demo account."""

    event: str
    username: str
    alasan: str | None = None


# Where each document is taken after loading; a document not listed stays a draft.
RENCANA: dict[tuple[str, int, JenisDokumen], tuple[Langkah, ...]] = {
    ("63.11", 2024, JenisDokumen.PK_KOMISI): (
        Langkah("submit", "balangan.ketua"),
        Langkah("sign", "balangan.ketua"),
        Langkah("approve", "reviewer.kalsel"),
    ),
    ("63.11", 2024, JenisDokumen.PK_SEKRETARIAT): (
        Langkah("submit", "balangan.sekretaris"),
        Langkah("sign", "balangan.sekretaris"),
        Langkah("sign", "balangan.ketua"),
    ),
    ("63.11", 2024, JenisDokumen.RKT_KOMISI): (
        Langkah("submit", "balangan.ketua"),
    ),
    ("35.79", 2024, JenisDokumen.RAK_KOMISIONER): (
        Langkah("submit", "batu.ketua"),
        Langkah("sign", "batu.sekretaris"),
        Langkah("sign", "batu.ketua"),
        Langkah("send_back", "reviewer.jatim", ALASAN_PENGEMBALIAN),
    ),
}


@dataclass
class RingkasanDokumen:
    """What the load did to one document, and what it looks like now."""

    satker_kode: str
    satker_nama: str
    jenis: JenisDokumen
    dibuat: bool = False
    status: Status | None = None         # None when the document could not be loaded
    nomor_revisi: int | None = None
    total_biaya: int | None = None       # RAK rows' biaya; None when no row states one (or not a RAK)
    peringatan: list[str] = field(default_factory=list)   # workflow.checks.peringatan
    masalah: list[str] = field(default_factory=list)      # workflow.checks.masalah_sebelum_ajukan
    catatan: list[str] = field(default_factory=list)      # what could not be loaded or done, and why

    @property
    def total_biaya_rupiah(self) -> str | None:
        return None if self.total_biaya is None else checks.rupiah(self.total_biaya)

    def __str__(self) -> str:
        parts = [f"{self.satker_nama} - {self.jenis.label}: "]
        if self.status is None:
            parts.append("tidak dimuat")
        else:
            parts.append(f"{self.status.label}, Revisi ke-{self.nomor_revisi}")
            if self.total_biaya is not None:
                parts.append(f", total biaya {self.total_biaya_rupiah}")
            elif self.jenis.bentuk is Bentuk.RAK:
                parts.append(", biaya belum diisi")
        parts.append(" (baru)" if self.dibuat else " (sudah ada)")
        if self.peringatan:
            parts.append(f"; peringatan: {' '.join(self.peringatan)}")
        return "".join(parts)


def berkas_demo(direktori: Path = DIREKTORI) -> list[Path]:
    return sorted(direktori.glob("*.json"))


def load_demo_documents(session: Session, direktori: Path = DIREKTORI) -> list[RingkasanDokumen]:
    """Load every seed that is not in the database yet; flushes, the caller commits."""
    return [_muat(session, json.loads(path.read_text(encoding="utf-8"))) for path in berkas_demo(direktori)]


# -- one document -------------------------------------------------------------------------

def _muat(session: Session, seed: dict) -> RingkasanDokumen:
    kode, tahun, jenis = seed["satker"], int(seed["tahun"]), JenisDokumen(seed["jenis"])
    satker = session.scalar(select(Satker).where(Satker.kode == kode))
    ringkasan = RingkasanDokumen(kode, satker.nama if satker else kode, jenis)
    if satker is None:
        ringkasan.catatan.append(f"Satker {kode} belum ada (jalankan `sakip init`).")
        return ringkasan
    dokumen = operations.cari_dokumen(session, satker, tahun, jenis)
    if dokumen is None:
        dokumen = _buat(session, satker, tahun, jenis, seed, ringkasan)
        if dokumen is None:
            return ringkasan
        ringkasan.dibuat = True
        _jalankan(session, dokumen, RENCANA.get((kode, tahun, jenis), ()), ringkasan)
    _isi_ringkasan(dokumen, ringkasan)
    return ringkasan


def _user(session: Session, username: str, ringkasan: RingkasanDokumen) -> User | None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        ringkasan.catatan.append(f"Akun demo {username} belum ada (jalankan `sakip demo`).")
    return user


def _buat(session: Session, satker: Satker, tahun: int, jenis: JenisDokumen, seed: dict,
          ringkasan: RingkasanDokumen) -> Dokumen | None:
    short = AKUN_SATKER.get(satker.kode)
    if short is None:
        ringkasan.catatan.append(f"Tidak ada akun demo untuk {satker.nama}.")
        return None
    penyusun = _user(session, f"{short}.{jenis.penyusun.value}", ringkasan)
    if penyusun is None:
        return None
    try:
        # One savepoint per document: content that the operations refuse leaves no half document.
        with session.begin_nested():
            dokumen = operations.buat_dokumen(session, satker, tahun, jenis, None)
            _isi(session, dokumen, penyusun, seed, ringkasan)
    except WorkflowError as exc:
        ringkasan.catatan.append(f"Dokumen tidak dimuat: {exc.message}")
        return None
    return dokumen


def _tanggal(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _kode_program(program: dict, no: int, ringkasan: RingkasanDokumen) -> str | None:
    if program.get("kode"):
        return program["kode"]
    nama = " ".join(program["nama"].lower().split())
    for awal, kode in KODE_PROGRAM.items():
        if nama.startswith(awal):
            return kode
    ringkasan.catatan.append(f"Program {no} ({program['nama']}) tanpa kode yang dikenal: tidak dimuat.")
    return None


def _target(text: str, where: str, ringkasan: RingkasanDokumen) -> str | None:
    """The target text when the operations can read it; otherwise None, reported."""
    try:
        baca_target(text)
    except TargetError as exc:
        ringkasan.catatan.append(f"{where}: target '{text}' tidak terbaca ({exc}).")
        return None
    return text


def _isi(session: Session, dokumen: Dokumen, penyusun: User, seed: dict, ringkasan: RingkasanDokumen) -> None:
    dipa = seed.get("dipa") or {}
    kepala = Kepala(
        tempat=seed.get("tempat"), tanggal=_tanggal(seed.get("tanggal")), dipa_nomor=dipa.get("nomor"),
        dipa_tanggal=_tanggal(dipa.get("tanggal")), pagu=dipa.get("pagu"),
        # The seeds list months: rows are written on a monthly grid, then shown as the seed says.
        bentuk_jadwal=BentukJadwal.BULAN if dokumen.jenis.bentuk is Bentuk.RAK else None,
    )
    operations.ubah_kepala(session, dokumen, penyusun, kepala, versi=None)

    program = []
    for no, p in enumerate(seed.get("program") or [], start=1):
        if kode := _kode_program(p, no, ringkasan):
            program.append(ProgramData(kode, p["nama"], int(p["anggaran"])))
    if program:
        operations.simpan_program(session, dokumen, penyusun, program, versi=None)

    for s_no, s in enumerate(seed.get("sasaran") or [], start=1):
        sasaran = operations.simpan_sasaran(session, dokumen, penyusun, s["uraian"], s.get("tujuan"))
        for i_no, i in enumerate(s.get("indikator") or [], start=1):
            target = _target(i["target"], f"Sasaran {s_no}, indikator {i_no}", ringkasan)
            if target is None:
                ringkasan.catatan.append(f"Sasaran {s_no}, indikator {i_no} tidak dimuat.")
                continue
            operations.simpan_indikator(session, dokumen, penyusun, sasaran.kunci, i["uraian"], target,
                                        Polaritas(i.get("polaritas") or Polaritas.NAIK))

    for no, b in enumerate(seed.get("baris") or [], start=1):
        # A row whose target cannot be read is kept without one: the checks then point at it.
        target = _target(b.get("target") or "", f"Baris {no}", ringkasan) if b.get("target") else ""
        operations.simpan_baris(session, dokumen, penyusun, BarisData(
            sasaran=b.get("sasaran") or "", indikator=b.get("indikator") or "", target=target or "",
            kegiatan=list(b.get("kegiatan") or []), kode_output=b.get("kode_output"),
            sel_jadwal=list(b.get("bulan") or []), biaya=b.get("biaya"), pelaksana=b.get("pelaksana"),
        ))

    bentuk = seed.get("bentuk_jadwal")
    if dokumen.jenis.bentuk is Bentuk.RAK and bentuk and BentukJadwal(bentuk) is not BentukJadwal.BULAN:
        operations.ubah_kepala(session, dokumen, penyusun, replace(kepala, bentuk_jadwal=BentukJadwal(bentuk)),
                               versi=None)


def _jalankan(session: Session, dokumen: Dokumen, langkah: tuple[Langkah, ...], ringkasan: RingkasanDokumen) -> None:
    if not langkah:
        return
    if masalah := checks.masalah_sebelum_ajukan(dokumen.revisi_aktif):
        ringkasan.catatan.append(f"Dibiarkan berstatus draf: belum lengkap untuk diajukan ({len(masalah)} masalah).")
        return
    for step in langkah:
        user = _user(session, step.username, ringkasan)
        if user is None:
            return
        try:
            with session.begin_nested():
                kwargs = {"alasan": step.alasan} if step.alasan else {}
                operations.transisi(session, dokumen, step.event, user, **kwargs)
        except WorkflowError as exc:
            ringkasan.catatan.append(f"Langkah '{step.event}' oleh {step.username} ditolak: {exc.message}")
            return


def _isi_ringkasan(dokumen: Dokumen, ringkasan: RingkasanDokumen) -> None:
    revisi: Revisi = dokumen.revisi_aktif
    ringkasan.status = dokumen.status
    ringkasan.nomor_revisi = revisi.nomor
    if dokumen.jenis.bentuk is Bentuk.RAK and any(b.biaya is not None for b in revisi.baris):
        ringkasan.total_biaya = revisi.total_biaya
    ringkasan.peringatan = checks.peringatan(revisi)
    ringkasan.masalah = checks.masalah_sebelum_ajukan(revisi)
