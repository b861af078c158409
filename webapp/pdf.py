"""PDF of one revision of a document (PK, RKT, RAK, LKj) in the offices' official layout.

``pdf_dokumen(dokumen, revisi) -> bytes`` is the one builder: the download route below
and ``sakip export ... -o x.pdf`` both call it. It needs an application context (the
templates); inside a request the verify URL is built from the request's host,
elsewhere from ``PUBLIC_BASE_URL`` (config or the ``SAKIP_PUBLIC_URL`` environment).

What is printed follows the seeds (lkj-pk-rkt-kab-balangan-2024.txt, rak-kota-batu-
2024.txt): the PK's agreement text with its signature blocks and the lampiran table;
the RKT's cover and table; the RAK on landscape pages with its schedule in the
revision's shape; the LKj as the report itself (cover, chapters, its computed tables,
signed by the Ketua). Every figure that is a sum (program budgets, RAK costs) is computed
here, never typed. A submitted revision carries its verification code, the SHA-256 of
its content and a QR code of the verify page on every page; a draft says DRAF on every
page instead.

Rendering reads only what the revision already loaded (its collections are
``selectin``): the statement count does not grow with the rows. WeasyPrint fetches
nothing: the only resource is the QR code as a ``data:`` URI, and the fetcher refuses
every other scheme. The layout runs in a renderer process at a lower CPU priority
(``lay_out``, ``SAKIP_PDF_NICE``), so that it does not hold up the page views, and a
finished PDF is kept for the same HTML: both in ``webapp.pdf_pool``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from io import BytesIO

import segno
from flask import (Blueprint, abort, current_app, has_request_context, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from markupsafe import Markup
from num2words import num2words
from sqlalchemy import select
from sqlalchemy.orm import object_session

from tenants.db import db
from tenants.teks import bahasa_asli
from workflow import naskah, schedule
from workflow.banding import cetak as banding
from workflow.dokumen import bab_lkj as lkj, operations
from workflow.dokumen.models import Bentuk, Dokumen, HasilTinjauan, JenisDokumen, Revisi, Sisi
from workflow.dokumen.jenis import Kapasitas
from workflow.lkj import tabel as laporan
from workflow.rupiah import tulis_desimal
from workflow.schedule import BentukJadwal
# The renderer's entry points, as they have always been reached through this module.
from webapp import pdf_pool, pdf_render  # noqa: F401
from webapp.pdf_pool import TerlaluLama, lay_out, renderer, renderer_about  # noqa: F401
from webapp.common import dokumen_or_404
from webapp.gate import gated
from webapp.i18n import desimal, rupiah
from webapp.markup import baris_html, naskah_html
from webapp.printed import nama_lengkap, slug, tanggal, waktu

bp = Blueprint("pdf", __name__)

MIME = "application/pdf"


# -- words, dates and names as the documents print them ------------------------------------

def terbilang(amount: int) -> str:
    """An amount in words: 20999655000 -> 'dua puluh miliar ... lima puluh lima ribu rupiah'."""
    return f"{num2words(int(amount), lang='id')} rupiah"


def nama_berkas(dokumen: Dokumen, revisi: Revisi) -> str:
    """PK-Komisi-KPU-Kabupaten-Balangan-2024-rev0.pdf (accents folded: ``printed.slug``)."""
    jenis, kantor = slug(dokumen.jenis.label, lipat_aksen=True), slug(dokumen.satker.nama, lipat_aksen=True)
    return f"{jenis}-{kantor}-{dokumen.tahun}-rev{revisi.nomor}.pdf"


# -- the verify page ------------------------------------------------------------------------

def url_verifikasi(kode: str) -> str:
    """The absolute address of the verify page for ``kode``, as the QR code carries it."""
    # The printed address must be the public one, not whatever host a proxy forwarded.
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base and (has_request_context() or current_app.config.get("SERVER_NAME")):
        return url_for("documents.verifikasi", kode=kode, _external=True)
    with current_app.test_request_context("/", base_url=(base or "http://localhost").rstrip("/")):
        return url_for("documents.verifikasi", kode=kode, _external=True)


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_data_uri(url: str) -> str:
    return qr_code(url).svg_data_uri(scale=4, border=2)


# -- what the templates print ---------------------------------------------------------------

@dataclass(frozen=True)
class Penanda:
    """One signature block: the capacity printed above, the position, and the signer."""

    kapasitas: Kapasitas
    judul: str | None          # "PIHAK PERTAMA", "Mengetahui,": printed above the position
    jabatan: str               # "Sekretaris Komisi Pemilihan Umum Kota Batu"
    jabatan_baris: list[str]   # the same in the lines a signature block prints: the office on its own line
    keterangan: str | None     # "selaku Kuasa Pengguna Anggaran"
    nama: str | None           # None: not signed yet, a blank line is printed
    waktu: str | None          # when it was signed
    hash_cocok: bool | None    # the signature names the submitted hash
    awalan: str = ""           # "Plh. " or "Plt. ": signed by an acting official, printed as written


_JUDUL_KAPASITAS = {
    Kapasitas.PIHAK_PERTAMA: "PIHAK PERTAMA",
    Kapasitas.PIHAK_KEDUA: "PIHAK KEDUA",
    Kapasitas.MENGETAHUI: "Mengetahui,",
}


def _jabatan_panjang(jabatan: str, nama_satker: str) -> str:
    return jabatan.replace(nama_satker, nama_lengkap(nama_satker))


def _baris_jabatan(jabatan: str) -> list[str]:
    """'Ketua Komisi Pemilihan Umum Kota Batu' -> ['Ketua Komisi Pemilihan Umum', 'Kota Batu'], as the seeds
    set the position over two lines."""
    head, sep, tail = jabatan.partition("Komisi Pemilihan Umum ")
    return [f"{head}{sep}".strip(), tail] if sep and tail else [jabatan]


def _awalan(ttd) -> str:
    """"Plh. " or "Plt. " of a signature given by an acting official, as its position was
    stored when signed (the blocks print it as written, the position in capitals)."""
    if ttd is None or ttd.penunjukan_id is None:
        return ""
    return next((a for a in ("Plh. ", "Plt. ") if ttd.jabatan.startswith(a)), "")


def penanda_tangan(dokumen: Dokumen, revisi: Revisi) -> list[Penanda]:
    """Every expected signatory in signing order, with the signature when there is one."""
    nama_satker = dokumen.satker.nama
    hasil = []
    for no, p in enumerate(dokumen.jenis.penandatangan):
        ttd = revisi.tanda_tangan[no] if no < len(revisi.tanda_tangan) else None
        jabatan = ttd.jabatan if ttd else f"{p.peran.label} {nama_satker}"
        awalan = _awalan(ttd)
        hasil.append(Penanda(
            kapasitas=p.kapasitas, judul=_JUDUL_KAPASITAS.get(p.kapasitas), awalan=awalan,
            jabatan=_jabatan_panjang(jabatan, nama_satker),
            jabatan_baris=_baris_jabatan(_jabatan_panjang(jabatan.removeprefix(awalan), nama_satker)),
            keterangan="selaku Kuasa Pengguna Anggaran" if p.kapasitas is Kapasitas.KPA else None,
            nama=ttd.nama if ttd else None, waktu=waktu(ttd.waktu) if ttd else None,
            hash_cocok=(ttd.hash_isi == revisi.hash_isi) if ttd else None,
        ))
    return hasil


@dataclass(frozen=True)
class BarisLampiran:
    """One row of the PK/RKT table: a tujuan heading, or an indikator under its sasaran."""

    no: int | None
    tujuan: str | None = None          # a heading row spanning the table
    sasaran: str | None = None         # on the sasaran's first row only
    lanjutan: bool = False             # a further indikator of the sasaran above
    indikator: str = ""
    target: str = ""


def baris_lampiran(revisi: Revisi) -> list[BarisLampiran]:
    """Sasaran under a tujuan are grouped under one numbered heading (PK Komisi);
    sasaran without one are numbered themselves (PK Sekretariat)."""
    rows: list[BarisLampiran] = []
    no, tujuan = 0, None
    for s in revisi.sasaran:
        if s.tujuan:
            if s.tujuan != tujuan:
                no += 1
                rows.append(BarisLampiran(no=no, tujuan=s.tujuan))
            nomor = None
        else:
            no += 1
            nomor = no
        tujuan = s.tujuan
        for k, i in enumerate(s.indikator or [None]):
            rows.append(BarisLampiran(
                no=nomor if k == 0 else None, sasaran=s.uraian if k == 0 else None, lanjutan=k > 0,
                indikator=i.uraian if i else "", target=(i.target or "-") if i else ""))
    return rows


@dataclass(frozen=True)
class KolomJadwal:
    bentuk: BentukJadwal
    judul: str                     # the header over the schedule block
    kolom: list[str]               # one label per cell
    bulan: list[str]               # week shape only: the month row above the weeks
    lebar_mm: float                # width of one cell
    huruf_pt: float                # the table's font size: the 48 weeks need a smaller one


_KOLOM_JADWAL = {
    BentukJadwal.BULAN: ("Bulan Pelaksanaan", 5.2, 7.5),
    BentukJadwal.TRIWULAN: ("Triwulan Pelaksanaan", 11.0, 7.5),
    BentukJadwal.MINGGU: ("Bulan dan Minggu Pelaksanaan", 2.6, 6.5),
}
RAK_LEBAR_MM = 273.0  # A4 landscape less the margins
# Shares of what the schedule leaves: no, sasaran, indikator, target, kegiatan, biaya, pelaksana.
RAK_BAGIAN = {"no": 3, "sasaran": 13, "indikator": 14, "target": 6, "kegiatan": 20, "biaya": 10, "pelaksana": 11}
# An amount never wraps: its column is at least as wide as the longest one printed (the
# total, in bold). DejaVu Sans Bold's digits are 0.696 em wide and nothing in "Rp 1.234"
# is wider than 0.77 em; 0.70 em a character, plus the cell's padding and borders (2.5 mm),
# is a bound that holds for any amount.
_EM_PER_KARAKTER = 0.70
_PT_KE_MM = 25.4 / 72
_TEPI_SEL_MM = 2.5


def kolom_jadwal(bentuk: BentukJadwal) -> KolomJadwal:
    judul, lebar, huruf = _KOLOM_JADWAL[bentuk]
    if bentuk is BentukJadwal.MINGGU:
        kolom = [str(m) for _ in range(12) for m in range(1, 5)]
        return KolomJadwal(bentuk, judul, kolom, [str(b) for b in range(1, 13)], lebar, huruf)
    return KolomJadwal(bentuk, judul, bentuk.kolom, [], lebar, huruf)


def lebar_rak(jadwal: KolomJadwal, jumlah_terpanjang: str = "") -> dict[str, float]:
    """Column widths in mm: the schedule's cells, then shares of the rest; the amounts'
    column widened to hold ``jumlah_terpanjang`` (taken from the text columns), so a total
    never runs into the Pelaksana column."""
    sisa = RAK_LEBAR_MM - jadwal.lebar_mm * len(jadwal.kolom)
    perlu = len(jumlah_terpanjang) * _EM_PER_KARAKTER * jadwal.huruf_pt * _PT_KE_MM + _TEPI_SEL_MM
    biaya = max(sisa * RAK_BAGIAN["biaya"] / sum(RAK_BAGIAN.values()), perlu)
    lain = {name: share for name, share in RAK_BAGIAN.items() if name != "biaya"}
    lebar = {name: round((sisa - biaya) * share / sum(lain.values()), 1) for name, share in lain.items()}
    return {**lebar, "biaya": round(biaya, 1)}


@dataclass(frozen=True)
class BarisRak:
    no: int
    sasaran: str
    indikator: str
    target: str
    kegiatan: list[str]
    kode_output: str | None
    sel: list[bool]
    biaya: str
    pelaksana: str


def baris_rak(dokumen: Dokumen, revisi: Revisi, bentuk: BentukJadwal) -> list[BarisRak]:
    label = dict(operations.pilihan_pelaksana(dokumen.jenis))
    return [
        BarisRak(no=no, sasaran=b.sasaran, indikator=b.indikator, target=b.target or "-",
                 kegiatan=[k.uraian for k in b.kegiatan], kode_output=b.kode_output,
                 sel=schedule.sel(b.jadwal or schedule.KOSONG, bentuk),
                 biaya=rupiah(b.biaya) if b.biaya is not None else "-",
                 pelaksana=label.get(b.pelaksana or "", b.pelaksana or "-"))
        for no, b in enumerate(revisi.baris, start=1)
    ]


def judul(dokumen: Dokumen) -> list[str]:
    """The title lines at the head of the document's table, as in the seeds."""
    nama, panjang, tahun = dokumen.satker.nama.upper(), nama_lengkap(dokumen.satker.nama).upper(), dokumen.tahun
    sekretariat = dokumen.jenis.sisi is Sisi.SEKRETARIAT
    match dokumen.jenis.bentuk:
        case Bentuk.PK:
            if sekretariat:
                return [f"PERJANJIAN KINERJA TAHUN {tahun}", f"SEKRETARIAT {nama}"]
            return ["PERJANJIAN KINERJA", f"{nama} TAHUN {tahun}"]
        case Bentuk.RKT:
            return [f"RENCANA KERJA TAHUNAN {tahun}", f"SEKRETARIAT {nama}" if sekretariat else nama]
        case Bentuk.LKJ:
            return ["LAPORAN KINERJA", f"{panjang} TAHUN {tahun}"]
        case _:
            bagian = "SEKRETARIAT" if sekretariat else "KOMISIONER"
            return [f"RENCANA AKSI KINERJA {bagian} {panjang} TAHUN {tahun}"]


def kalimat_pagu(dokumen: Dokumen, revisi: Revisi) -> Markup | None:
    """Bab III's sentence: the DIPA and the pagu, the amount also in words (an amount never
    breaks across lines)."""
    if revisi.pagu is None:
        return None
    dipa = Markup("")
    if revisi.dipa_nomor:
        dipa = Markup(", sebagaimana yang termuat dalam DIPA Nomor {}").format(revisi.dipa_nomor)
        if revisi.dipa_tanggal:
            dipa += Markup(" tanggal {}").format(tanggal(revisi.dipa_tanggal))
    return Markup('Pada Tahun {}{}, {} mendapatkan pagu anggaran APBN sebesar <span class="nw">{}</span> ({}).').format(
        dokumen.tahun, dipa, dokumen.satker.nama, rupiah(revisi.pagu), terbilang(revisi.pagu))


def status_revisi(dokumen: Dokumen, revisi: Revisi, penanda: list[Penanda]) -> str:
    if not revisi.terkunci:
        return "Draf, belum diajukan"
    if revisi.hasil_tinjauan is not None:
        teks = "Disetujui" if revisi.hasil_tinjauan is HasilTinjauan.DISETUJUI else "Dikembalikan untuk perbaikan"
        teks += f" pada {waktu(revisi.ditinjau_pada)}"
    else:
        sudah = sum(1 for p in penanda if p.nama)
        teks = ("Ditandatangani" if sudah == len(penanda)
                else f"Diajukan, {sudah} dari {len(penanda)} tanda tangan")
    if revisi.nomor != dokumen.nomor_revisi:
        teks += f"; sudah digantikan oleh Revisi ke-{dokumen.nomor_revisi}"
    return teks


# -- the Laporan Kinerja ---------------------------------------------------------------------
# Its chapters are what people wrote (workflow.dokumen.bab_lkj); its tables are computed
# (workflow.lkj.tabel.tabel: frozen into the revision at submit, so the PDF of a submitted
# report prints exactly what the Ketua signed).

# Lines such as "A. LATAR BELAKANG" or "D. SISTEMATIKA PENYAJIAN LAPORAN KINERJA": a
# sub-heading of the chapter, printed bold.
_SUBJUDUL = re.compile(r"^(?:[A-H]|[IVX]{1,4})\.\s+[^a-z]{3,120}$")


@dataclass(frozen=True)
class BlokCetak:
    """One paragraph or list of a chapter; a paragraph may be a sub-heading ("A. LATAR BELAKANG")."""

    blok: naskah.Blok
    subjudul: bool = False

    @property
    def html(self) -> Markup:
        """A paragraph's runs (bold, italic, line breaks) as HTML; a list whole, ``<ul>``."""
        if self.blok.jenis == "p":
            return baris_html(self.blok.isi[0])
        return naskah_html([self.blok])


@dataclass(frozen=True)
class BabCetak:
    """One written chapter as printed: "BAB I" over "PENDAHULUAN", then its paragraphs and lists."""

    name: str
    nomor: str | None            # "BAB I"; None for the kata pengantar and the ikhtisar
    judul: str                   # "PENDAHULUAN"
    blok: list[BlokCetak]


def blok_cetak(teks: str | None) -> list[BlokCetak]:
    return [BlokCetak(b, b.jenis == "p" and bool(_SUBJUDUL.match(naskah.polos_sebaris(b.isi[0]))))
            for b in naskah.blok(teks)]


def bab_cetak(revisi: Revisi) -> dict[str, BabCetak]:
    hasil = {}
    for name, title in lkj.BAB:
        nomor, judul_bab = None, title
        if title.startswith("Bab "):
            _bab, angka, judul_bab = title.split(" ", 2)
            nomor = f"BAB {angka}"
        teks = getattr(revisi.lkj, name) if revisi.lkj else ""
        hasil[name] = BabCetak(name, nomor, judul_bab.upper(), blok_cetak(teks))
    return hasil


@dataclass(frozen=True)
class BarisCapaian:
    """One row of Tabel 2.x / 3.x: a tujuan heading, or an indikator under its sasaran."""

    no: int | None
    tujuan: str | None = None
    sasaran: str | None = None
    lanjutan: bool = False
    indikator: str = ""
    target: str = ""
    realisasi: str = ""
    capaian: str = ""


def baris_capaian(tabel: dict) -> list[BarisCapaian]:
    """The rows of one PK table of the report, numbered as ``baris_lampiran`` numbers a PK."""
    rows: list[BarisCapaian] = []
    no, tujuan = 0, None
    for s in tabel["sasaran"]:
        if s.get("tujuan"):
            if s["tujuan"] != tujuan:
                no += 1
                rows.append(BarisCapaian(no=no, tujuan=s["tujuan"]))
            nomor = None
        else:
            no += 1
            nomor = no
        tujuan = s.get("tujuan")
        for k, i in enumerate(s["indikator"] or [None]):
            rows.append(BarisCapaian(
                no=nomor if k == 0 else None, sasaran=s["uraian"] if k == 0 else None, lanjutan=k > 0,
                indikator=i["uraian"] if i else "", target=(i["target"] or "-") if i else "",
                realisasi=(i["realisasi"] or "-") if i else "", capaian=(i["capaian"] or "-") if i else ""))
    return rows


def _judul_perjanjian(tabel: dict, dokumen: Dokumen) -> list[str]:
    """Tabel 2.x's title lines, as the seed prints them."""
    if JenisDokumen(tabel["jenis"]).sisi is Sisi.SEKRETARIAT:
        return [f"PERJANJIAN KINERJA TAHUN {dokumen.tahun}", f"SEKRETARIAT {dokumen.satker.nama.upper()}"]
    return [f"PERJANJIAN KINERJA TAHUN {dokumen.tahun}", nama_lengkap(dokumen.satker.nama).upper()]


def angka(value: int | None) -> str:
    """An amount in a table whose header already says (Rp): 20.041.125.000."""
    return "-" if value is None else tulis_desimal(value, "#,##0")


def kalimat_ringkasan(hitung: dict[str, int]) -> str:
    """The ikhtisar's summary of the indikator, counted from the tables."""
    total = sum(hitung.values())
    return (f"Dari {total} indikator kinerja pada Perjanjian Kinerja, {hitung['tercapai']} tercapai, "
            f"{hitung['tidak_tercapai']} tidak tercapai, dan {hitung['tidak_dapat_dihitung']} belum dapat dihitung.")


def kalimat_anggaran(dokumen: Dokumen, anggaran: dict) -> Markup:
    """Bab III B's sentence, every figure computed from the rows (an amount never breaks)."""
    return Markup('{} pada Tahun {} mendapatkan anggaran sebesar <span class="nw">{}</span> dan terealisasi sebesar '
                  '<span class="nw">{}</span> dengan persentase sebesar <span class="nw">{}</span>.').format(
        dokumen.satker.nama, dokumen.tahun, rupiah(anggaran["anggaran"]), rupiah(anggaran["realisasi"]),
        anggaran["capaian"])


def banding_cetak(data: dict) -> dict | None:
    """The benchmark table as printed (None for an LKj frozen before it existed)."""
    b = data.get("banding")
    if not b:
        return None
    return dict(judul=banding.JUDUL, kelompok=[judul for _key, judul in banding.kelompok(b)],
                kolom=banding.KOLOM_KELOMPOK, baris=banding.baris(b), catatan=banding.catatan(b))


def _tindak_lanjut_cetak(t: dict | None) -> dict | None:
    """Last year's follow-ups as printed: the due date as a date on paper (6 Mei 2025)."""
    if not t:
        return None
    return dict(t, baris=[dict(b, tenggat=tanggal(date.fromisoformat(b["tenggat"]))) for b in t["baris"]])


def konteks_lkj(dokumen: Dokumen, revisi: Revisi) -> dict:
    data = laporan.tabel(object_session(revisi) or db.session, revisi)
    pegawai = lkj.pegawai(revisi.lkj)
    a = data["anggaran"]
    return dict(
        bab=bab_cetak(revisi),
        kantor=_baris_jabatan(nama_lengkap(dokumen.satker.nama)),
        sampul=[baris.upper() for baris in _baris_jabatan(nama_lengkap(dokumen.satker.nama))],
        ringkasan=kalimat_ringkasan(laporan.ringkasan(data)),
        pegawai=pegawai, total_pegawai=sum(n for _label, n, _share in pegawai) if pegawai else 0,
        perjanjian=[dict(nomor=f"Tabel 2.{k}", judul=_judul_perjanjian(t, dokumen), baris=baris_capaian(t))
                    for k, t in enumerate(data["pk"], start=1)],
        capaian=[dict(nomor=t["nomor"], judul=t["judul"], baris=baris_capaian(t),
                      catatan=laporan.catatan_terverifikasi(t)) for t in data["pk"]],
        analisis=laporan.analisis_bab3(data),
        banding=banding_cetak(data),
        program_lkj=[(p["nama"], p["kode"], rupiah(p["anggaran"])) for p in data["program"]],
        pagu_lkj=rupiah(data["pagu"]) if data["pagu"] is not None else None,
        anggaran=dict(baris=[dict(b, anggaran=angka(b["anggaran"]), realisasi=angka(b["realisasi"])) for b in a["baris"]],
                      anggaran=angka(a["anggaran"]), realisasi=angka(a["realisasi"]), capaian=a["capaian"],
                      sumber=JenisDokumen(a["sumber"]).label if a.get("sumber") else None),
        kalimat_anggaran=kalimat_anggaran(dokumen, a),
        tindak_lanjut=_tindak_lanjut_cetak(data.get("tindak_lanjut")),
        ketua=penanda_tangan(dokumen, revisi)[0],
    )


def konteks(dokumen: Dokumen, revisi: Revisi) -> dict:
    """Everything the templates print, computed once; the templates only lay it out."""
    penanda = penanda_tangan(dokumen, revisi)
    bentuk = revisi.bentuk_jadwal or BentukJadwal.BULAN
    ctx = dict(
        dokumen=dokumen, revisi=revisi, jenis=dokumen.jenis, bentuk_dokumen=dokumen.jenis.bentuk.value,
        sekretariat=dokumen.jenis.sisi is Sisi.SEKRETARIAT, judul=judul(dokumen),
        nama_satker=dokumen.satker.nama, nama_panjang=nama_lengkap(dokumen.satker.nama),
        tempat=revisi.tempat, tanggal=tanggal(revisi.tanggal), penanda=penanda,
        # Side by side as the seeds print them: the superior (Pihak Kedua, Mengetahui) left.
        penanda_tampil=list(reversed(penanda)), draf=not revisi.terkunci,
        program=[(p.nama, p.kode, rupiah(p.anggaran)) for p in revisi.program],
        total_program=rupiah(revisi.total_program), jumlah_program=len(revisi.program),
        jumlah_program_kata=num2words(len(revisi.program), lang="id"),
        kalimat_pagu=kalimat_pagu(dokumen, revisi), status=status_revisi(dokumen, revisi, penanda),
        verifikasi=None,
    )
    if dokumen.jenis.bentuk is Bentuk.LKJ:
        ctx.update(konteks_lkj(dokumen, revisi))
    elif dokumen.jenis.bentuk is Bentuk.RAK:
        jadwal = kolom_jadwal(bentuk)
        total_biaya = rupiah(revisi.total_biaya)
        ctx.update(jadwal=jadwal, lebar=lebar_rak(jadwal, total_biaya), baris=baris_rak(dokumen, revisi, bentuk),
                   total_biaya=total_biaya)
    else:
        ctx.update(lampiran=baris_lampiran(revisi))
    if revisi.terkunci:
        url = url_verifikasi(revisi.kode_verifikasi)
        ctx["verifikasi"] = dict(kode=revisi.kode_verifikasi, hash=revisi.hash_isi, url=url, qr=qr_data_uri(url),
                                 diajukan=waktu(revisi.diajukan_pada))
    return ctx


# -- rendering --------------------------------------------------------------------------------

TEMPLATE = {Bentuk.PK: "pdf/pk.html", Bentuk.RKT: "pdf/rkt.html", Bentuk.RAK: "pdf/rak.html",
            Bentuk.LKJ: "pdf/lkj.html"}


def html_dokumen(dokumen: Dokumen, revisi: Revisi) -> str:
    with bahasa_asli():  # the texts workflow/ writes (revision labels, capaian) as printed: Indonesian
        return render_template(TEMPLATE[dokumen.jenis.bentuk], **konteks(dokumen, revisi))


def pdf_dokumen(dokumen: Dokumen, revisi: Revisi) -> bytes:
    """The PDF of ``revisi`` (a revision of ``dokumen``) as bytes. Needs an app context.

    WeasyPrint's layout is nearly all of a download's cost (a PK: ~110 ms), and a signed
    document is downloaded again and again. The finished PDF is kept under the hash of
    the HTML it was made from, so it is reused only for exactly the same input: any change
    (content, signature, status, language) makes another HTML and another PDF."""
    if revisi.dokumen_id != dokumen.id:
        raise ValueError("revisi bukan milik dokumen ini")
    return pdf_pool.tersimpan(html_dokumen(dokumen, revisi), lay_out)  # lay_out as named here (tests replace it)


# -- the download --------------------------------------------------------------------------

def pdf_terlambat():
    """The answer when a PDF's layout ran past ``SAKIP_PDF_TIMEOUT`` (its maker was stopped):
    503, try again shortly. Every PDF download says it so."""
    pesan = _("PDF belum selesai dibuat dalam %(detik)s detik: server sedang sibuk atau dokumennya sangat "
              "panjang. Coba unduh lagi beberapa saat lagi.", detik=desimal(current_app.config["SAKIP_PDF_TIMEOUT"]))
    return render_template("errors/error.html", code=503, pesan=pesan), 503, {"Retry-After": "30"}


@bp.get("/dokumen/<int:dokumen_id>/unduh.pdf")
@gated
def unduh(dokumen_id: int):
    dokumen = dokumen_or_404(dokumen_id)
    nomor = dokumen.nomor_revisi
    if "revisi" in request.args:
        nomor = request.args.get("revisi", type=int)
        if nomor is None:
            abort(404)
    revisi = db.session.scalar(select(Revisi).where(Revisi.dokumen_id == dokumen.id, Revisi.nomor == nomor))
    if revisi is None:
        abort(404)
    try:
        berkas = pdf_dokumen(dokumen, revisi)
    except TerlaluLama:
        batas = current_app.config["SAKIP_PDF_TIMEOUT"]
        current_app.logger.warning("PDF dokumen %s revisi %s tidak selesai dalam %g detik; pembuatnya dihentikan",
                                   dokumen.id, revisi.nomor, batas)
        return pdf_terlambat()
    response = send_file(BytesIO(berkas), mimetype=MIME, as_attachment=True,
                         download_name=nama_berkas(dokumen, revisi), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response

