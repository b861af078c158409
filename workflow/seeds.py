"""The seven transcribed 2024 documents (``workflow/data/demo``), loaded for the demo.

Every write goes through ``workflow.dokumen.operations``, as an editor's would: the document is
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

import io
import json
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.people import User
from tenants.satker import Satker
from workflow.bukti import operations as bukti_ops
from workflow.bukti.contoh import pdf_kecil, png_kecil
from workflow.bukti.models import Sasaran
from workflow.dokumen import cascade, checks, operations, queries
from workflow.dokumen.models import Bentuk, Dokumen, JenisDokumen, Revisi, Status
from workflow.dokumen.operations import BarisData, Kepala, ProgramData
from workflow.errors import WorkflowError
from workflow.pelaporan import operations as pelaporan_ops, queries as pelaporan_queries
from workflow.realisasi import operations as realisasi_ops
from workflow.realisasi.models import Realisasi
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
    """One workflow step: an event of ``workflow.dokumen.flow`` pressed by a demo account."""

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
    # Reconstructed from the LKj's budget table: signed, so its money can be reported.
    ("63.11", 2024, JenisDokumen.RAK_SEKRETARIAT): (
        Langkah("submit", "balangan.sekretaris"),
        Langkah("sign", "balangan.sekretaris"),
        Langkah("sign", "balangan.ketua"),
    ),
    ("35.79", 2024, JenisDokumen.RAK_KOMISIONER): (
        Langkah("submit", "batu.ketua"),
        Langkah("sign", "batu.sekretaris"),
        Langkah("sign", "batu.ketua"),
        Langkah("send_back", "reviewer.jatim", ALASAN_PENGEMBALIAN),
    ),
    # The year before (``load_demo_menunggu``): both signed, waiting in reviewer.jatim's inbox.
    ("35.79", 2023, JenisDokumen.RAK_SEKRETARIAT): (
        Langkah("submit", "batu.sekretaris"),
        Langkah("sign", "batu.sekretaris"),
        Langkah("sign", "batu.ketua"),
    ),
    ("35.79", 2023, JenisDokumen.RAK_KOMISIONER): (
        Langkah("submit", "batu.ketua"),
        Langkah("sign", "batu.sekretaris"),
        Langkah("sign", "batu.ketua"),
    ),
}

# Kota Batu's two RAKs of 2023, brought in from its 2024 seeds with the year shifted, so that
# reviewer.jatim finds two signed documents to approve in one go (issue 16, point 6).
MENUNGGU_TINJAUAN = ("35.79-2024-rak_sekretariat.json", "35.79-2024-rak_komisioner.json")
TAHUN_MENUNGGU = 2023


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
    peringatan: list[str] = field(default_factory=list)   # workflow.dokumen.checks.peringatan
    masalah: list[str] = field(default_factory=list)      # workflow.dokumen.checks.masalah_sebelum_ajukan
    catatan: list[str] = field(default_factory=list)      # what could not be loaded or done, and why
    tahun: int | None = None  # printed when it is not the demo's 2024 (load_demo_menunggu)

    @property
    def total_biaya_rupiah(self) -> str | None:
        return None if self.total_biaya is None else checks.rupiah(self.total_biaya)

    def __str__(self) -> str:
        parts = [f"{self.satker_nama} - {self.jenis.label}{f' {self.tahun}' if self.tahun else ''}: "]
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
    """Load every seed that is not in the database yet; flushes, the caller commits.

    With the demo's own seeds, also Jawa Timur's PK cascaded to its kabupaten/kota and
    Kota Batu's first months of realisation (``load_demo_cascade``)."""
    loaded = [_muat(session, json.loads(path.read_text(encoding="utf-8"))) for path in berkas_demo(direktori)]
    if direktori == DIREKTORI:
        loaded += load_demo_cascade(session)
        loaded += load_demo_banding(session)
        loaded += load_demo_menunggu(session, direktori)
        # After the PKs and RAKs: an LKj reports on them.
        loaded += [load_demo_lkj(session, json.loads(path.read_text(encoding="utf-8")))
                   for path in berkas_demo(direktori / "lkj")]
    return loaded


def load_demo_menunggu(session: Session, direktori: Path = DIREKTORI) -> list[RingkasanDokumen]:
    """Kota Batu's RAKs of ``TAHUN_MENUNGGU`` (its 2024 seeds a year earlier, without money
    spent), signed and waiting for reviewer.jatim. Loaded once, as every seed."""
    return [replace(_muat(session, tahun_lain(json.loads((direktori / nama).read_text(encoding="utf-8")),
                                             TAHUN_MENUNGGU)), tahun=TAHUN_MENUNGGU)
            for nama in MENUNGGU_TINJAUAN]


def tahun_lain(seed: dict, tahun: int) -> dict:
    """A seed moved to another year: its DIPA of the November before, no realisation."""
    geser = tahun - int(seed["tahun"])
    dipa = dict(seed.get("dipa") or {})
    if dipa.get("nomor"):
        dipa["nomor"] = dipa["nomor"].replace(f"/{seed['tahun']}", f"/{tahun}")
    if dipa.get("tanggal"):
        lama = date.fromisoformat(dipa["tanggal"])
        dipa["tanggal"] = lama.replace(year=lama.year + geser).isoformat()
    return {k: v for k, v in seed.items() if k != "realisasi_anggaran"} | {"tahun": tahun, "dipa": dipa, "tanggal": None}


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
        _isi_uang(session, dokumen, seed, ringkasan)
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


def _isi_uang(session: Session, dokumen: Dokumen, seed: dict, ringkasan: RingkasanDokumen) -> None:
    """Money spent per RAK row (``realisasi_anggaran``: output code -> month -> rupiah),
    entered by the penyusun once the RAK is signed."""
    per_kode = seed.get("realisasi_anggaran")
    if not per_kode:
        return
    user = _user(session, f"{AKUN_SATKER[dokumen.satker.kode]}.{dokumen.jenis.penyusun.value}", ringkasan)
    isian = [realisasi_ops.IsianAnggaran(b.kunci, int(bulan), str(jumlah))
             for b in dokumen.revisi_aktif.baris for bulan, jumlah in (per_kode.get(b.kode_output) or {}).items()]
    try:
        with session.begin_nested():
            realisasi_ops.simpan_realisasi_anggaran(session, dokumen, user, isian)
    except WorkflowError as exc:
        ringkasan.catatan.append(f"Realisasi anggaran tidak dimuat: {exc.message}")


def _isi_ringkasan(dokumen: Dokumen, ringkasan: RingkasanDokumen) -> None:
    revisi: Revisi = dokumen.revisi_aktif
    ringkasan.status = dokumen.status
    ringkasan.nomor_revisi = revisi.nomor
    if dokumen.jenis.bentuk is Bentuk.RAK and any(b.biaya is not None for b in revisi.baris):
        ringkasan.total_biaya = revisi.total_biaya
    ringkasan.peringatan = checks.peringatan(revisi)
    ringkasan.masalah = checks.masalah_sebelum_ajukan(revisi)


# -- Jawa Timur's PK down to its kabupaten/kota, and Kota Batu's realisation (issue 4) ----------

JATIM, BATU, TAHUN_CASCADE = "35", "35.79", 2024

# Jawa Timur's PK Komisi: one indikator of every kind the capaian rules tell apart.
PK_JATIM = (
    ("Meningkatnya partisipasi masyarakat dalam Pemilu", (
        ("Persentase partisipasi pemilih pada Pemilu 2024", "80%", Polaritas.NAIK),
        ("Jumlah laporan pelaksanaan sosialisasi dan pendidikan pemilih", "12 Laporan", Polaritas.NAIK),
    )),
    ("Meningkatnya kualitas daftar pemilih", (
        ("Persentase pemilih tidak memenuhi syarat dalam DPT", "0,5%", Polaritas.TURUN),
    )),
    ("Meningkatnya akuntabilitas kinerja dan keuangan", (
        ("Nilai akuntabilitas kinerja (SAKIP)", "BB", Polaritas.NAIK),
        ("Opini atas laporan keuangan", "WTP", Polaritas.NAIK),
    )),
)

# Jawa Timur's targets to date per quarter (TW I-IV), carried down to Kota Batu by the cascade:
# reports add up through the year, the levels stand.
TARGET_PERIODE_JATIM = {
    "Persentase partisipasi pemilih pada Pemilu 2024": ("80%", "80%", "80%", "80%"),
    "Jumlah laporan pelaksanaan sosialisasi dan pendidikan pemilih": ("3 Laporan", "6 Laporan", "9 Laporan",
                                                                       "12 Laporan"),
    "Persentase pemilih tidak memenuhi syarat dalam DPT": ("0,5%", "0,5%", "0,5%", "0,5%"),
    "Nilai akuntabilitas kinerja (SAKIP)": ("BB", "BB", "BB", "BB"),
    "Opini atas laporan keuangan": ("WTP", "WTP", "WTP", "WTP"),
}

# Kota Batu's first four reporting periods, per indikator (value, evidence); the opinion
# is not out yet, so that indikator cannot be computed.
REALISASI_BATU = {
    "Persentase partisipasi pemilih pada Pemilu 2024": (None, "78%", None, None),
    "Jumlah laporan pelaksanaan sosialisasi dan pendidikan pemilih": ("1 Laporan", "2 Laporan", "1 Laporan",
                                                                       "1 Laporan"),
    "Persentase pemilih tidak memenuhi syarat dalam DPT": ("0,6%", "0,45%", "0,4%", "0,4%"),
    "Nilai akuntabilitas kinerja (SAKIP)": (None, None, "BB", None),
}
# Kota Batu plans by month (its RAKs), so it reports by month: the three months of TW I
# reported by batu.ketua with their analysis and verified by reviewer.jatim; April (TW II's
# first) submitted and waiting for reviewer.jatim.
DIVERIFIKASI_BATU, DIAJUKAN_BATU = (1, 2, 3), (4,)
ANALISIS_BATU = {
    "Persentase partisipasi pemilih pada Pemilu 2024": (
        "Partisipasi 78% di bawah target 80%: pemilih pindah domisili belum terdata.",
        "Pemutakhiran data pindah memilih bersama PPS dan Dinas Kependudukan.",
        "Sosialisasi pindah memilih di 24 desa/kelurahan sebelum Pemilihan November."),
    "Jumlah laporan pelaksanaan sosialisasi dan pendidikan pemilih": (
        "Laporan Januari tertunda karena tahapan logistik.",
        "Laporan disusun bersamaan dengan laporan Februari.",
        "Jadwal laporan bulanan ditetapkan dalam rapat pleno awal bulan."),
    "Persentase pemilih tidak memenuhi syarat dalam DPT": (
        "Data pemilih meninggal dari desa terlambat diterima.",
        "Coklit terbatas dan koordinasi dengan pemerintah desa.",
        "Permintaan data kematian bulanan ke Dispendukcapil."),
    "Nilai akuntabilitas kinerja (SAKIP)": (
        "Nilai baru diumumkan pada Maret.",
        "Rekomendasi evaluasi SAKIP dipetakan per subbagian.",
        "Tindak lanjut rekomendasi dipantau setiap triwulan."),
    "Opini atas laporan keuangan": (
        "Opini BPK atas laporan keuangan 2023 belum terbit.",
        "Tindak lanjut temuan tahun lalu diselesaikan.",
        "Realisasi dicatat saat opini terbit (Mei)."),
}
BUKTI_BATU = "Laporan bulanan Subbagian Perencanaan, Data dan Informasi"


def load_demo_cascade(session: Session) -> list[RingkasanDokumen]:
    """Jawa Timur's PK Komisi 2024 (written, submitted and signed by ``jatim.ketua``),
    cascaded to its 38 kabupaten/kota; Kota Batu's copy signed by ``batu.ketua``, approved
    by ``reviewer.jatim``, and three periods of realisation entered. Done once: when
    Jawa Timur's PK exists, nothing is touched. Flushes; the caller commits."""
    jenis = JenisDokumen.PK_KOMISI
    satker = {s.kode: s for s in session.scalars(select(Satker).where(Satker.kode.in_([JATIM, BATU])))}
    ringkasan = [RingkasanDokumen(k, satker[k].nama if k in satker else k, jenis) for k in (JATIM, BATU)]
    if len(satker) < 2:
        ringkasan[0].catatan.append("Satker Jawa Timur atau Kota Batu belum ada (jalankan `sakip init`).")
        return ringkasan
    jatim, batu = satker[JATIM], satker[BATU]
    pk = operations.cari_dokumen(session, jatim, TAHUN_CASCADE, jenis)
    if pk is None:
        users = {u: _user(session, u, ringkasan[0]) for u in ("jatim.ketua", "batu.ketua", "reviewer.jatim")}
        if None in users.values():
            return ringkasan
        ketua, ketua_batu, reviewer = users["jatim.ketua"], users["batu.ketua"], users["reviewer.jatim"]
        try:
            with session.begin_nested():
                pk = operations.buat_dokumen(session, jatim, TAHUN_CASCADE, jenis, None)
                operations.ubah_kepala(session, pk, ketua, Kepala(tempat="Surabaya", tanggal=date(2024, 1, 31)),
                                       versi=None)
                for uraian, indikator in PK_JATIM:
                    sasaran = operations.simpan_sasaran(session, pk, ketua, uraian)
                    for nama, target, polaritas in indikator:
                        operations.simpan_indikator(session, pk, ketua, sasaran.kunci, nama, target, polaritas,
                                                    target_periode=TARGET_PERIODE_JATIM.get(nama))
                operations.ajukan(session, pk, ketua)
                operations.tandatangani(session, pk, ketua)
                hasil = cascade.turunkan(session, pk, ketua)
                ringkasan[0].catatan.append(f"Diturunkan: {hasil.ringkasan}")
                pk_batu = operations.cari_dokumen(session, batu, TAHUN_CASCADE, jenis)
                operations.ajukan(session, pk_batu, ketua_batu)
                operations.tandatangani(session, pk_batu, ketua_batu)
                operations.setujui(session, pk_batu, reviewer)
                _isi_realisasi_batu(session, pk_batu, ketua_batu)
                _bukti_batu(session, pk_batu, ketua_batu)
                _laporkan_batu(session, pk_batu, ketua_batu, reviewer)
        except WorkflowError as exc:
            ringkasan[0].catatan.append(f"PK Jawa Timur dan realisasi Kota Batu tidak dimuat: {exc.message}")
            return ringkasan
        ringkasan[0].dibuat = ringkasan[1].dibuat = True
    _isi_ringkasan(pk, ringkasan[0])
    pk_batu = operations.cari_dokumen(session, batu, TAHUN_CASCADE, jenis)
    if pk_batu is not None:
        _isi_ringkasan(pk_batu, ringkasan[1])
    return ringkasan


def _isi_realisasi_batu(session: Session, pk: Dokumen, user: User) -> None:
    periode = realisasi_ops.periode(queries.bentuk_jadwal_kantor(session, pk.satker, pk.tahun))[:4]
    isian = []
    for indikator in (i for s in pk.revisi_aktif.sasaran for i in s.indikator):
        for p, nilai in zip(periode, REALISASI_BATU.get(indikator.uraian, ())):
            if nilai:
                isian.append(realisasi_ops.Isian(indikator.kunci, p.bulan, nilai, BUKTI_BATU))
    realisasi_ops.simpan_realisasi(session, pk, user, isian)


def _bukti_batu(session: Session, pk: Dokumen, user: User) -> None:
    """Two evidence files on the first realisation entered, so a newcomer sees the
    "Bukti (2)" link on the realisation grid and the files with their SHA-256."""
    pertama = session.scalars(select(Realisasi).where(Realisasi.dokumen_id == pk.id)
                              .order_by(Realisasi.bulan, Realisasi.id)).first()
    tempat = bukti_ops.Tempat(Sasaran.INDIKATOR, pertama.indikator_kunci, pertama.bulan)
    for nama, isi in (("berita-acara-rekapitulasi.pdf", pdf_kecil("Berita acara rekapitulasi - KPU Kota Batu")),
                      ("foto-kegiatan.png", png_kecil())):
        bukti_ops.unggah(session, pk, user, tempat, io.BytesIO(isi), nama)
def _laporkan_batu(session: Session, pk: Dokumen, ketua: User, reviewer: User) -> None:
    isian = {i.kunci: pelaporan_ops.Analisis(*ANALISIS_BATU[i.uraian])
             for s in pk.revisi_aktif.sasaran for i in s.indikator if i.uraian in ANALISIS_BATU}
    periode = {p.bulan for p in pelaporan_queries.periode_dokumen(session, pk)}
    for bulan in (b for b in DIVERIFIKASI_BATU + DIAJUKAN_BATU if b in periode):
        pelaporan_ops.simpan_analisis(session, pk, bulan, ketua, isian)
        pelaporan_ops.ajukan(session, pk, bulan, ketua)
        if bulan in DIVERIFIKASI_BATU:
            pelaporan_ops.verifikasi(session, pk, bulan, reviewer)


# -- the LKj's benchmark (issue 18): five more kabupaten/kota of Jawa Timur report TW I ------------

# Their PK Komisi (the cascade's drafts) signed by their Ketua (demo accounts "<short>.ketua",
# webapp/demo.py) and approved, January to March realised, reported and verified by reviewer.jatim: with
# Kota Batu, six offices whose quartiles Kota Batu's LKj 2024 (submitted) prints beside its own
# capaian. Per office: its short name, then per indikator its three months.
PEMBANDING_JATIM = {
    "35.73": ("kotamalang", {"Persentase partisipasi pemilih pada Pemilu 2024": (None, "82%", None),
                             "Jumlah laporan pelaksanaan sosialisasi dan pendidikan pemilih": (
                                 "1 Laporan", "1 Laporan", "1 Laporan"),
                             "Persentase pemilih tidak memenuhi syarat dalam DPT": ("0,6%", "0,5%", "0,5%")}),
    "35.78": ("surabaya", {"Persentase partisipasi pemilih pada Pemilu 2024": (None, "70%", None),
                           "Jumlah laporan pelaksanaan sosialisasi dan pendidikan pemilih": ("1 Laporan", None, "1 Laporan"),
                           "Persentase pemilih tidak memenuhi syarat dalam DPT": ("0,8%", "0,7%", "0,7%")}),
    "35.15": ("sidoarjo", {"Persentase partisipasi pemilih pada Pemilu 2024": (None, "76%", None),
                           "Jumlah laporan pelaksanaan sosialisasi dan pendidikan pemilih": (
                               "1 Laporan", "1 Laporan", "2 Laporan"),
                           "Persentase pemilih tidak memenuhi syarat dalam DPT": ("0,5%", "0,45%", "0,45%")}),
    "35.07": ("kabmalang", {"Persentase partisipasi pemilih pada Pemilu 2024": (None, "84%", None),
                            "Jumlah laporan pelaksanaan sosialisasi dan pendidikan pemilih": (
                                "2 Laporan", "1 Laporan", "1 Laporan"),
                            "Persentase pemilih tidak memenuhi syarat dalam DPT": ("0,6%", "0,6%", "0,55%")}),
    "35.09": ("jember", {"Persentase partisipasi pemilih pada Pemilu 2024": (None, "72%", None),
                         "Jumlah laporan pelaksanaan sosialisasi dan pendidikan pemilih": (None, "1 Laporan", "1 Laporan")}),
}
ANALISIS_PEMBANDING = pelaporan_ops.Analisis(
    "Data dukung dari PPK terlambat diterima.", "Rapat koordinasi mingguan dengan PPK.",
    "Jadwal pengumpulan data dukung ditetapkan di awal bulan.")


def load_demo_banding(session: Session) -> list[RingkasanDokumen]:
    """Five Jawa Timur offices' PK Komisi 2024 signed with TW I verified (``PEMBANDING_JATIM``),
    then Kota Batu's LKj 2024, submitted: its table "Perbandingan capaian dengan satker lain"
    has six offices to compare. Done once per office (a PK no longer a draft is left alone);
    flushes, the caller commits."""
    jenis = JenisDokumen.PK_KOMISI
    ringkasan = []
    reviewer = session.scalar(select(User).where(User.username == "reviewer.jatim"))
    for kode, (short, realisasi) in PEMBANDING_JATIM.items():
        satker = session.scalar(select(Satker).where(Satker.kode == kode))
        pk = operations.cari_dokumen(session, satker, TAHUN_CASCADE, jenis) if satker else None
        if pk is None or reviewer is None:
            continue  # the cascade was not loaded
        r = RingkasanDokumen(kode, satker.nama, jenis)
        ketua = _user(session, f"{short}.ketua", r)
        if ketua is not None and pk.status is Status.DRAFT:
            try:
                with session.begin_nested():
                    _laporkan_pembanding(session, pk, ketua, reviewer, realisasi)
                r.dibuat = True
            except WorkflowError as exc:
                r.catatan.append(f"PK dan realisasi TW I tidak dimuat: {exc.message}")
        _isi_ringkasan(pk, r)
        ringkasan.append(r)
    return ringkasan + [_lkj_batu(session)]


def _laporkan_pembanding(session: Session, pk: Dokumen, ketua: User, reviewer: User, realisasi: dict) -> None:
    operations.ajukan(session, pk, ketua)
    operations.tandatangani(session, pk, ketua)
    operations.setujui(session, pk, reviewer)  # approved: nothing of theirs waits in reviewer.jatim's inbox
    indikator = [i for s in pk.revisi_aktif.sasaran for i in s.indikator]
    realisasi_ops.simpan_realisasi(session, pk, ketua, [
        realisasi_ops.Isian(i.kunci, bulan, nilai, BUKTI_BATU) for i in indikator
        for bulan, nilai in enumerate(realisasi.get(i.uraian, ()), start=1) if nilai])
    analisis = {i.kunci: ANALISIS_PEMBANDING for i in indikator}
    for bulan in DIVERIFIKASI_BATU:
        pelaporan_ops.simpan_analisis(session, pk, bulan, ketua, analisis)
        pelaporan_ops.ajukan(session, pk, bulan, ketua)
        pelaporan_ops.verifikasi(session, pk, bulan, reviewer)


def _lkj_batu(session: Session) -> RingkasanDokumen:
    """Kota Batu's LKj 2024, submitted by its Sekretaris (waiting for the Ketua): its tables,
    frozen at submission, from TW I's verified months. (A draft would lead the Sekretaris's
    to-do list as long overdue, which no office would leave it.)"""
    satker = session.scalar(select(Satker).where(Satker.kode == BATU))
    ringkasan = RingkasanDokumen(BATU, satker.nama if satker else BATU, JenisDokumen.LKJ)
    if satker is None:
        return ringkasan
    dokumen = operations.cari_dokumen(session, satker, TAHUN_CASCADE, JenisDokumen.LKJ)
    sekretaris = _user(session, "batu.sekretaris", ringkasan)
    if dokumen is None and sekretaris is not None:
        dokumen = operations.buat_dokumen(session, satker, TAHUN_CASCADE, JenisDokumen.LKJ, sekretaris)
        operations.ubah_kepala(session, dokumen, sekretaris, Kepala(tempat="Batu", tanggal=date(2025, 1, 13)), None)
        operations.ajukan(session, dokumen, sekretaris)
        ringkasan.dibuat = True
    if dokumen is not None:
        _isi_ringkasan(dokumen, ringkasan)
    return ringkasan


# -- a year-end Laporan Kinerja (issue 4): Kabupaten Balangan 2024 ----------------------------------

def load_demo_lkj(session: Session, seed: dict) -> RingkasanDokumen:
    """The PKs' realisation as the report's Tabel 3.1 / 3.2 give it (December), then the
    LKj itself: its narrative, staff count and the budget figures the paper typed (kept to
    be compared), submitted by the Sekretaris and signed by the Ketua. Done once: an
    existing LKj is left as it is. Flushes; the caller commits."""
    kode, tahun = seed["satker"], int(seed["tahun"])
    satker = session.scalar(select(Satker).where(Satker.kode == kode))
    ringkasan = RingkasanDokumen(kode, satker.nama if satker else kode, JenisDokumen.LKJ)
    if satker is None:
        ringkasan.catatan.append(f"Satker {kode} belum ada (jalankan `sakip init`).")
        return ringkasan
    dokumen = operations.cari_dokumen(session, satker, tahun, JenisDokumen.LKJ)
    if dokumen is None:
        short = AKUN_SATKER[kode]
        users = {p: _user(session, f"{short}.{p}", ringkasan) for p in ("ketua", "sekretaris")}
        if None in users.values():
            return ringkasan
        try:
            with session.begin_nested():
                _isi_realisasi_pk(session, satker, tahun, seed, users)
                dokumen = _isi_lkj(session, satker, tahun, seed, users["sekretaris"])
                operations.ajukan(session, dokumen, users["sekretaris"])
                operations.tandatangani(session, dokumen, users["ketua"])
        except WorkflowError as exc:
            ringkasan.catatan.append(f"LKj tidak dimuat: {exc.message}")
            return ringkasan
        ringkasan.dibuat = True
    _isi_ringkasan(dokumen, ringkasan)
    return ringkasan


def _isi_realisasi_pk(session: Session, satker: Satker, tahun: int, seed: dict, users: dict[str, User]) -> None:
    for jenis_pk, nilai in seed["realisasi"].items():
        jenis = JenisDokumen(jenis_pk)
        pk = operations.cari_dokumen(session, satker, tahun, jenis)
        if pk is None:
            raise WorkflowError(f"{jenis.label} {satker.nama} {tahun} belum ada.")
        indikator = [i for s in pk.revisi_aktif.sasaran for i in s.indikator]
        isian = [realisasi_ops.Isian(i.kunci, 12, v, seed.get("bukti") or "") for i, v in zip(indikator, nilai)]
        realisasi_ops.simpan_realisasi(session, pk, users[jenis.penyusun.value], isian)


def _isi_lkj(session: Session, satker: Satker, tahun: int, seed: dict, penyusun: User) -> Dokumen:
    dokumen = operations.buat_dokumen(session, satker, tahun, JenisDokumen.LKJ, None)
    operations.ubah_kepala(session, dokumen, penyusun, Kepala(tempat=seed.get("tempat"),
                                                              tanggal=_tanggal(seed.get("tanggal"))), versi=None)
    for bab, teks in (seed.get("bab") or {}).items():
        operations.simpan_bab_lkj(session, dokumen, penyusun, bab, teks)
    if seed.get("pegawai"):
        operations.simpan_pegawai_lkj(session, dokumen, penyusun, seed["pegawai"])
    if seed.get("angka_tertulis"):
        operations.simpan_angka_tertulis(session, dokumen, penyusun, seed["angka_tertulis"])
    return dokumen


# -- the year's calendar (issue 16): KPU RI's 2024 dates and Jawa Timur's earlier PK date ----------

JADWAL_NASIONAL_DEMO = {"pk": date(2024, 2, 29), "rkt": date(2024, 1, 31), "rak": date(2024, 2, 29),
                        "realisasi_bulan": 10, "realisasi_triwulan": 15, "lkj": date(2025, 2, 28), "tinjauan": 5}
JADWAL_JATIM_DEMO = {"pk": date(2024, 2, 15), "tinjauan": 3}


def load_demo_jadwal(session: Session) -> None:
    """The 2024 calendar, set through the audited operation as ``admin.ri`` and
    ``reviewer.jatim`` would: Kota Batu's PK (submitted when the demo is loaded) shows late,
    Jawa Timur's other kabupaten/kota missing. Setting a date again changes nothing."""
    from workflow.jadwal import operations as jadwal_ops
    from workflow.jadwal.models import Butir

    for kode, username, nilai in (("RI", "admin.ri", JADWAL_NASIONAL_DEMO), (JATIM, "reviewer.jatim", JADWAL_JATIM_DEMO)):
        satker = session.scalar(select(Satker).where(Satker.kode == kode))
        user = session.scalar(select(User).where(User.username == username))
        if satker is None or user is None:
            continue
        for butir, value in nilai.items():
            jadwal_ops.atur(session, satker, TAHUN_CASCADE, Butir(butir), value, user)


# Kota Batu spends each output's plan at these shares (by the codes' order), Balangan
# spreads what its seed reports for the year over the plan's months: absorption shows.
_PORSI_BATU = (Decimal("0.95"), Decimal("0.8"), Decimal("0.6"), Decimal("1"), Decimal("0.7"))


def load_demo_serapan(session: Session) -> None:
    """2024's money per output code and month for Kota Batu and Balangan, entered through
    the audited operation by their Sekretaris (``workflow.anggaran``). Again: no change."""
    from workflow.anggaran import serapan
    from workflow.anggaran.operations import IsianOutput, simpan_serapan

    for kode in ("35.79", "63.11"):
        satker = session.scalar(select(Satker).where(Satker.kode == kode))
        user = session.scalar(select(User).where(User.username == f"{AKUN_SATKER[kode]}.sekretaris"))
        if satker is None or user is None:
            continue
        d = serapan.serapan_kantor(session, satker, TAHUN_CASCADE, 12)
        isian = []
        for n, o in enumerate(x for x in d.output if x.kode != serapan.TANPA_KODE and x.rencana):
            total = sum(o.bulanan.values()) if kode == "63.11" else o.rencana * _PORSI_BATU[n % len(_PORSI_BATU)]
            isian += [IsianOutput(o.kode, b, v) for b, v in _sebar(int(total), o.rencana_bulan).items()]
        simpan_serapan(session, satker, TAHUN_CASCADE, user, isian)


def _sebar(total: int, rencana_bulan: dict[int, Decimal]) -> dict[int, int]:
    """``total`` over the months in proportion to the plan, whole rupiah, the last month
    taking the remainder."""
    bulan = sorted(b for b, v in rencana_bulan.items() if v)
    rencana = sum(rencana_bulan[b] for b in bulan)
    hasil = {b: int(total * rencana_bulan[b] / rencana) for b in bulan[:-1]}
    if bulan:
        hasil[bulan[-1]] = total - sum(hasil.values())
    return hasil


# The demo's evaluations (workflow.evaluasi): Kota Batu's self-assessment submitted, waiting
# for inspektorat.ri; Balangan's finalised, with a predikat and three recommendations, which
# became follow-ups (workflow.tindaklanjut): one open, one reported, one closed.
EVALUASI_TIDAK = {"35.79": frozenset({"1.b.9", "1.b.11", "2.c.1", "2.c.2", "4.b.5"}),
                  "63.11": frozenset({"1.b.6", "1.b.9", "1.b.11", "1.c.8", "2.c.1", "2.c.2", "2.c.3", "3.b.6",
                                      "3.b.8", "4.a.3", "4.b.5", "4.c.2"})}
EVALUASI_TEMUAN = (
    ("1.b", "Target IKU belum menantang: sebagian target di bawah realisasi tahun sebelumnya.",
     "Tetapkan target IKU 2025 sekurang-kurangnya setara realisasi 2024 dan uraikan alasannya dalam Renja."),
    ("3.b", "LKj belum membandingkan capaian dengan satker lain maupun angka nasional.",
     "Tambahkan perbandingan capaian dengan median provinsi dan nasional pada Bab III LKj berikutnya."),
    ("4.b", "Rekomendasi evaluasi tahun lalu belum dipetakan kepada penanggung jawabnya.",
     "Petakan setiap rekomendasi kepada subbagian penanggung jawab dan pantau setiap triwulan."),
)
# What Balangan's Sekretaris reported on the second and third follow-ups (the first stays open).
TINDAK_LANJUT_DEMO = {
    2: "Bab III LKj 2025 memuat perbandingan capaian dengan median provinsi dan nasional (lihat draf LKj).",
    3: "Rekomendasi dipetakan per subbagian dalam nota dinas Sekretaris; pemantauan triwulan I telah dilakukan.",
}
# More final evaluations, so the recap (/evaluasi/rekap) has years to compare and predikat
# to count: the three offices' 2023 (lower than 2024: whole sub-components unmet) and
# Kubu Raya's 2024. (office, year) -> the sub-components unmet entirely, and single criteria.
EVALUASI_FINAL_LAIN = {
    ("35.79", 2023): (("1.c", "2.c", "3.c"), frozenset({"1.b.9", "1.b.11", "4.b.5"})),
    ("63.11", 2023): (("1.b", "2.c", "3.b", "4.c"), frozenset({"1.c.8", "4.a.3"})),
    ("61.12", 2023): (("1.b", "1.c", "2.b", "2.c", "3.c", "4.b"), frozenset()),
    ("61.12", 2024): (("2.c", "3.c"), frozenset({"1.b.6", "1.b.9", "4.a.3"})),
}


def load_demo_evaluasi(session: Session) -> None:
    """The evaluations, through the operations as the demo accounts would; an office
    whose evaluation of the year exists is left as it is."""
    evaluator = session.scalar(select(User).where(User.username == "inspektorat.ri"))
    for kode in ("35.79", "63.11"):
        if _isi_demo(session, kode, TAHUN_CASCADE, EVALUASI_TIDAK[kode]) is not None and kode == "63.11":
            _finalkan_demo(session, kode, TAHUN_CASCADE, evaluator, EVALUASI_TEMUAN)
            _tindak_lanjut_demo(session, session.scalar(select(Satker).where(Satker.kode == kode)), evaluator)
    for (kode, tahun), (subs, satu) in EVALUASI_FINAL_LAIN.items():
        tidak = satu | {k for k in _kriteria_demo(session) if k.rsplit(".", 1)[0] in subs}
        if _isi_demo(session, kode, tahun, tidak) is not None:
            _finalkan_demo(session, kode, tahun, evaluator, ())


def _kriteria_demo(session: Session) -> list[str]:
    from workflow.evaluasi import lke

    return [k.kode for k in lke.versi_berlaku(session).kriteria]


def _isi_demo(session: Session, kode: str, tahun: int, tidak: frozenset[str] | set[str]):
    """The office's Sekretaris answers every criterion (``tidak``: not fulfilled) and
    submits; None when the evaluation exists already or the demo lacks the accounts."""
    from workflow.evaluasi import operations as ev_ops
    from workflow.evaluasi import queries as ev_queries

    satker = session.scalar(select(Satker).where(Satker.kode == kode))
    sekretaris = session.scalar(select(User).where(User.username == f"{AKUN_SATKER[kode]}.sekretaris"))
    evaluator = session.scalar(select(User).where(User.username == "inspektorat.ri"))
    if satker is None or sekretaris is None or evaluator is None \
            or ev_queries.evaluasi(session, satker.id, tahun) is not None:
        return None
    ev = ev_ops.buka(session, satker, tahun, sekretaris)
    ev_ops.simpan_jawaban(session, satker, tahun, sekretaris, {
        k.kode: ev_ops.IsianKriteria("T" if k.kode in tidak else "Y", _catatan_demo(k.kode in tidak, tahun),
                                     versi=_versi_jawaban(session, ev, k.kode))
        for k in ev.lke.kriteria})
    ev_ops.transisi(session, satker, tahun, "ajukan", sekretaris)
    return ev


def _catatan_demo(tidak: bool, tahun: int = TAHUN_CASCADE) -> str:
    return f"Belum dilaksanakan pada {tahun}." if tidak else "Dokumen tersedia; lihat lampiran pada SAKIP."


def _versi_jawaban(session: Session, ev, kode: str) -> int | None:
    from workflow.evaluasi import queries as ev_queries

    row = ev_queries.jawaban(session, ev).get(kode)
    return row.versi if row is not None else None


def _finalkan_demo(session: Session, kode: str, tahun: int, evaluator: User, temuan) -> None:
    """Every answer agreed with, every sub-component graded as proposed, the findings given."""
    from workflow.evaluasi import operations as ev_ops
    from workflow.evaluasi import queries as ev_queries

    satker = session.scalar(select(Satker).where(Satker.kode == kode))
    ev = ev_queries.evaluasi(session, satker.id, tahun)
    for h in ev_queries.hasil(session, ev).sub:
        rows = ev_queries.jawaban(session, ev)
        kriteria = {k.kode: ev_ops.PenilaianKriteria(True, versi=rows[k.kode].versi) for k in h.sub.kriteria}
        ev_ops.simpan_penilaian(session, satker, tahun, evaluator, h.sub.kode,
                                ev_ops.PenilaianSub(kriteria, h.usulan.value))
    for sub, uraian, rekomendasi in temuan:
        ev_ops.tulis_temuan(session, satker, tahun, evaluator, uraian, rekomendasi, sub)
    ev_ops.transisi(session, satker, tahun, "terbitkan", evaluator)
    ev_ops.transisi(session, satker, tahun, "finalkan", evaluator)


def _tindak_lanjut_demo(session: Session, satker: Satker, evaluator: User) -> None:
    """The follow-ups the finalisation made: the second reported, the third reported and closed."""
    from workflow.tindaklanjut import operations as tl_ops
    from workflow.tindaklanjut import queries as tl_queries

    sekretaris = session.scalar(select(User).where(User.username == f"{AKUN_SATKER[satker.kode]}.sekretaris"))
    for tl in tl_queries.daftar(session, satker.id, TAHUN_CASCADE):
        if tl.nomor in TINDAK_LANJUT_DEMO:
            tl_ops.transisi(session, tl, "laporkan", sekretaris, uraian=TINDAK_LANJUT_DEMO[tl.nomor])
        if tl.nomor == 3:
            tl_ops.transisi(session, tl, "selesaikan", evaluator)
