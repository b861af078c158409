"""What an uploaded file is, decided from its content, and whether it may be kept.

The type comes from the first bytes (``filetype``: it tells a .docx from a .xlsx by the
parts named at the start of the zip, where other sniffers answer "some OOXML"); the name's
extension must agree with it. Then the file must be whole and only that: a PDF pypdf opens,
ending in ``%%EOF``; an image Pillow verifies, ending where its format ends; an OOXML zip
with its content types naming the main part. Refused on the way: a program (MZ, ELF,
Mach-O, ``#!``; a zip member named .exe, .js, .bat, .sh ...; macros), a second signature
(a zip directory at the end of a PDF or an image, a PDF header inside the first KB of
another type, HTML or script inside an image, script actions in a PDF), anything larger
than the limit (counted while reading: reading stops there). Every refusal names the file.
"""
from __future__ import annotations

import hashlib
import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import filetype
from defusedxml import ElementTree
from PIL import Image
from pypdf import PdfReader

from tenants.teks import _
from workflow.bukti.penyimpanan import POTONGAN
from workflow.errors import IsiTidakValid

BATAS_BAWAAN = 20 * 1024 * 1024


@dataclass(frozen=True)
class Jenis:
    kode: str
    mime: str
    ekstensi: tuple[str, ...]
    label: str


JENIS = {j.kode: j for j in [
    Jenis("pdf", "application/pdf", ("pdf",), "PDF"),
    Jenis("png", "image/png", ("png",), "PNG"),
    Jenis("jpeg", "image/jpeg", ("jpg", "jpeg"), "JPEG"),
    Jenis("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), "XLSX"),
    Jenis("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), "DOCX"),
]}
EKSTENSI = {e: j for j in JENIS.values() for e in j.ekstensi}
# filetype's answer -> ours ("zip": an OOXML file whose first bytes did not say which).
_DARI_FILETYPE = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "xlsx": "xlsx", "docx": "docx", "zip": "zip"}

_PROGRAM = (b"MZ", b"\x7fELF", b"#!", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
            b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
_ANGGOTA_PROGRAM = re.compile(r"\.(exe|dll|com|scr|msi|bat|cmd|ps1|vbs|vbe|js|jse|wsf|hta|sh|jar|app|apk|elf|bin)$",
                              re.IGNORECASE)
_MARKUP = (b"<script", b"<html", b"<?php", b"<iframe", b"<svg", b"javascript:", b"<!doctype")
_AKSI_PDF = (b"/javascript", b"/launch")
_EOCD = b"PK\x05\x06"
_EKOR = 65536 + 22  # a zip's directory end lies within this many bytes of the end
_UTAMA = {
    "docx": ("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
}
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class Hasil:
    nama: str
    jenis: Jenis
    ukuran: int
    sha256: str


def nama_aman(nama: str | None) -> str:
    """The file's own name, without a client's folders or control characters."""
    nama = re.split(r"[\\/]", nama or "")[-1]
    nama = "".join(c for c in nama if c.isprintable()).strip()
    return nama[-200:]


def _tolak(nama: str, pesan: str) -> IsiTidakValid:
    return IsiTidakValid(_("%(nama)s: %(pesan)s", nama=nama, pesan=pesan))


def periksa(berkas: BinaryIO, nama: str, batas: int = BATAS_BAWAAN) -> Hasil:
    """Check a seekable upload (left at its start); the file's type, size and SHA-256, or
    IsiTidakValid with the reason."""
    nama = nama_aman(nama)
    if not nama:
        raise IsiTidakValid(_("Pilih berkas yang akan diunggah."))
    ekstensi = posixpath.splitext(nama)[1].lower().lstrip(".")
    if ekstensi not in EKSTENSI:
        raise _tolak(nama, _("berkas .%(ext)s tidak diterima; unggah PDF, PNG, JPEG, XLSX atau DOCX.", ext=ekstensi or "?"))
    berkas.seek(0)
    kepala = berkas.read(8192)
    kode = _jenis_isi(nama, kepala)
    berkas.seek(0)
    ukuran, sha256, ekor = _baca_semua(berkas, nama, kode, batas)
    berkas.seek(0)
    kode = _periksa_bentuk(berkas, nama, kode, kepala, ekor, batas)
    berkas.seek(0)
    jenis = JENIS[kode]
    if ekstensi not in jenis.ekstensi:
        raise _tolak(nama, _("isinya %(jenis)s, tetapi namanya berakhiran .%(ext)s; nama dan isi berkas harus sesuai.",
                     jenis=jenis.label, ext=ekstensi))
    return Hasil(nama, jenis, ukuran, sha256)


def _jenis_isi(nama: str, kepala: bytes) -> str:
    if not kepala:
        raise _tolak(nama, _("berkas kosong."))
    if kepala.startswith(_PROGRAM):
        raise _tolak(nama, _("berkas ini program (executable), bukan dokumen; berkas ditolak."))
    tebakan = filetype.guess(kepala)
    kode = _DARI_FILETYPE.get(tebakan.extension) if tebakan else None
    if kode is None:
        raise _tolak(nama, _("isinya bukan PDF, PNG, JPEG, XLSX atau DOCX (dikenali dari isinya: %(jenis)s).",
                     jenis=tebakan.mime if tebakan else _("tidak dikenal")))
    if kode != "pdf" and b"%PDF-" in kepala[:1024]:
        raise _tolak(nama, _("berkas ini sekaligus PDF (berkas ganda/poliglot); berkas ditolak."))
    return kode


def _baca_semua(berkas: BinaryIO, nama: str, kode: str, batas: int) -> tuple[int, str, bytes]:
    """One pass in chunks: the size (reading stops past the limit), the SHA-256, markup or
    script where the type has none, and the file's last bytes for the checks of its end."""
    hash_ = hashlib.sha256()
    ukuran, sisa, ekor = 0, b"", b""
    cari = _MARKUP if kode in ("png", "jpeg") else _AKSI_PDF if kode == "pdf" else ()
    panjang = max((len(c) for c in cari), default=1)
    while potongan := berkas.read(POTONGAN):
        ukuran += len(potongan)
        if ukuran > batas:
            raise _tolak(nama, _("berkas lebih besar dari %(mb)s MB; perkecil atau pecah berkasnya.",
                         mb=batas // (1024 * 1024)))
        hash_.update(potongan)
        jendela = (sisa + potongan).lower()
        for c in cari:
            if c in jendela:
                raise _tolak(nama, _("berisi kode HTML atau skrip (%(tanda)s); berkas ditolak.",
                             tanda=c.decode("ascii", "replace").lstrip("/<")))
        sisa = jendela[-(panjang - 1):] if panjang > 1 else b""
        ekor = (ekor + potongan)[-_EKOR:]
    return ukuran, hash_.hexdigest(), ekor


def _periksa_bentuk(berkas: BinaryIO, nama: str, kode: str, kepala: bytes, ekor: bytes, batas: int) -> str:
    if kode in ("zip", "xlsx", "docx"):
        return _periksa_ooxml(berkas, nama, kode, kepala, batas)
    if _EOCD in ekor:
        raise _tolak(nama, _("berkas ini sekaligus arsip ZIP (berkas ganda/poliglot); berkas ditolak."))
    if kode == "pdf":
        _periksa_pdf(berkas, nama, kepala, ekor)
    else:
        _periksa_gambar(berkas, nama, kode, ekor)
    return kode


def _periksa_pdf(berkas: BinaryIO, nama: str, kepala: bytes, ekor: bytes) -> None:
    if not kepala.startswith(b"%PDF-"):
        raise _tolak(nama, _("ada data lain sebelum awal PDF (berkas ganda/poliglot); berkas ditolak."))
    if any(c in kepala[:1024].lower() for c in _MARKUP):
        raise _tolak(nama, _("berkas ini sekaligus HTML (berkas ganda/poliglot); berkas ditolak."))
    if b"%%EOF" not in ekor[-1024:]:
        raise _tolak(nama, _("PDF terpotong atau rusak (akhir berkas tidak ditemukan)."))
    try:
        reader = PdfReader(berkas, strict=False)
        if reader.is_encrypted:
            raise _tolak(nama, _("PDF dikunci dengan kata sandi; unggah PDF yang dapat dibuka tanpa kata sandi."))
        halaman = len(reader.pages)
    except IsiTidakValid:
        raise
    except Exception:  # noqa: BLE001 - whatever pypdf stumbles on, the PDF cannot be opened
        raise _tolak(nama, _("PDF rusak dan tidak dapat dibuka.")) from None
    if halaman < 1:
        raise _tolak(nama, _("PDF tidak berisi halaman."))


def _periksa_gambar(berkas: BinaryIO, nama: str, kode: str, ekor: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(berkas) as gambar:
                format_ = gambar.format
                gambar.verify()
    except Exception:  # noqa: BLE001 - Pillow's many ways of saying "not a whole image"
        raise _tolak(nama, _("gambar rusak, terpotong atau terlalu besar ukuran pikselnya.")) from None
    if format_ != {"png": "PNG", "jpeg": "JPEG"}[kode]:
        raise _tolak(nama, _("gambar rusak atau bukan %(jenis)s.", jenis=JENIS[kode].label))
    akhir = b"IEND\xaeB`\x82" if kode == "png" else b"\xff\xd9"
    if not ekor.rstrip(b"\x00\r\n" if kode == "jpeg" else b"").endswith(akhir):
        raise _tolak(nama, _("ada data lain setelah akhir gambar (berkas ganda/poliglot) atau gambar terpotong."))


def _periksa_ooxml(berkas: BinaryIO, nama: str, kode: str, kepala: bytes, batas: int) -> str:
    if not kepala.startswith(b"PK\x03\x04"):
        raise _tolak(nama, _("ada data lain sebelum awal arsip (berkas ganda/poliglot); berkas ditolak."))
    try:
        with zipfile.ZipFile(berkas) as arsip:
            anggota = arsip.infolist()
            _periksa_anggota(nama, anggota, batas)
            with arsip.open("[Content_Types].xml") as ct:
                jenis_isi = _jenis_ooxml(ct.read(1024 * 1024 + 1))
    except IsiTidakValid:
        raise
    except Exception:  # noqa: BLE001 - a zip or XML that cannot be read is not an OOXML file
        raise _tolak(nama, _("bukan berkas Office (XLSX/DOCX) yang utuh: arsipnya rusak atau tanpa daftar jenis isi.")) from None
    if jenis_isi is None or (kode != "zip" and kode != jenis_isi):
        raise _tolak(nama, _("isinya bukan dokumen Word (DOCX) atau buku kerja Excel (XLSX) yang utuh."))
    return jenis_isi


def _periksa_anggota(nama: str, anggota: list[zipfile.ZipInfo], batas: int) -> None:
    for info in anggota:
        if _ANGGOTA_PROGRAM.search(info.filename.rstrip("/")) or info.filename.lower().endswith("vbaproject.bin"):
            raise _tolak(nama, _("berisi program atau makro (%(bagian)s); berkas ditolak.", bagian=info.filename[-60:]))
    # An archive that unpacks to far more than its limit is a zip bomb, not a spreadsheet.
    if sum(info.file_size for info in anggota) > 20 * batas:
        raise _tolak(nama, _("isi arsipnya terlalu besar setelah dibuka; berkas ditolak."))


def _jenis_ooxml(xml: bytes) -> str | None:
    """docx or xlsx, from the content type the package declares for its main part."""
    if len(xml) > 1024 * 1024:
        return None
    akar = ElementTree.fromstring(xml)
    tipe = {o.get("PartName"): o.get("ContentType") for o in akar.iter(f"{_CT}Override")}
    for kode, (bagian, ct) in _UTAMA.items():
        if tipe.get(bagian) == ct:
            return kode
    return None
