"""The Laporan Hasil Evaluasi (LHE) of a final evaluation (issue 18 point 4): its data, read
once, and its Excel workbook; the PDF is ``webapp.lhe`` with ``templates/pdf/lhe.html``.

``lhe_data(ev)`` reads only what was frozen at finalisation: the hashed result
(``Evaluasi.isi_final``: scores, grades, findings, disputes) and the evaluation's own
final fields (total, predikat, code, hash, who finalised by name, as what, where, when). The
worksheet version the evaluation kept gives the names of the components (a loaded worksheet
never changes: ``workflow.evaluasi.lke``). So the paper is the same on every download, and
the same as the verification page. Texts are Indonesian whatever the reader's language.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timezone
from decimal import Decimal

from workflow.evaluasi import skor
from workflow.evaluasi.models import Evaluasi
from workflow.rupiah import tulis_desimal
from webapp import printed
from webapp.exports import xlsx as X

JUDUL = "Laporan Hasil Evaluasi Akuntabilitas Kinerja Instansi Pemerintah"
DASAR = ("Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 88 Tahun 2021 "
         "tentang Evaluasi Akuntabilitas Kinerja Instansi Pemerintah")


def dua_desimal(nilai: Decimal | str | None) -> str:
    """68,71 (always two decimals, a comma): the LHE's numbers."""
    return "-" if nilai is None else tulis_desimal(Decimal(nilai), "#,##0.00")


def kantor_lengkap(nama: str) -> str:
    """'KPU RI' -> 'Komisi Pemilihan Umum Republik Indonesia', 'KPU Kota Batu' -> '... Kota Batu'."""
    return re.sub(r"\bRI$", "Republik Indonesia", printed.nama_lengkap(nama))


class _Angka:
    """A weight and a score as the paper prints them (two decimals, a comma)."""

    @property
    def bobot_teks(self) -> str:
        return dua_desimal(self.bobot)

    @property
    def skor_teks(self) -> str:
        return dua_desimal(self.skor)


@dataclass(frozen=True)
class SubCetak(_Angka):
    kode: str
    nama: str                  # "Pemenuhan" and, when the worksheet has one, its statement
    bobot: Decimal
    terpenuhi: int
    jumlah: int
    usulan: str
    nilai: str | None
    skor: Decimal | None


@dataclass(frozen=True)
class KomponenCetak(_Angka):
    kode: str
    nama: str
    bobot: Decimal
    skor: Decimal
    sub: list[SubCetak]


@dataclass(frozen=True)
class TemuanCetak:
    nomor: int
    subkomponen: str           # "1.b Kualitas", or "" for a finding on the whole
    uraian: str
    rekomendasi: str
    sanggahan: str | None
    tanggapan: str | None
    sanggahan_diterima: bool | None

    @property
    def keputusan(self) -> str:
        if self.tanggapan is None:
            return ""
        return "sanggahan diterima" if self.sanggahan_diterima else "sanggahan tidak diterima"


@dataclass(frozen=True)
class LheCetak:
    tahun: int
    satker: str                # "KPU Kabupaten Balangan"
    satker_lengkap: str        # "Komisi Pemilihan Umum Kabupaten Balangan"
    lke: str
    kop: list[str]             # "KOMISI PEMILIHAN UMUM REPUBLIK INDONESIA", "INSPEKTORAT UTAMA"
    total: Decimal
    predikat: str
    arti_predikat: str
    rentang_predikat: str
    komponen: list[KomponenCetak]
    temuan: list[TemuanCetak]
    penilai: str               # the evaluator who finalised
    jabatan_baris: list[str]   # "Inspektorat Utama", "Komisi Pemilihan Umum Republik Indonesia"
    tempat: str
    tanggal: str               # "12 Desember 2024"
    waktu: str                 # "12 Desember 2024 10.15 WIB"
    kode: str
    hash: str

    @property
    def judul(self) -> list[str]:
        return ["LAPORAN HASIL EVALUASI", "AKUNTABILITAS KINERJA INSTANSI PEMERINTAH", f"TAHUN {self.tahun}",
                self.satker_lengkap.upper()]

    @property
    def jabatan(self) -> str:
        return " ".join(self.jabatan_baris)

    @property
    def total_teks(self) -> str:
        return dua_desimal(self.total)


def _penanda(ev: Evaluasi) -> tuple[str, list[str], str]:
    """(position, its lines under the signature, place) of the signer, as frozen at
    finalisation; an evaluation finalised before they were kept, whose audit entry was not
    found, prints the role alone."""
    jabatan, kantor = ev.difinalkan_jabatan or "Inspektorat", ev.difinalkan_kantor
    baris = [jabatan, kantor_lengkap(kantor)] if kantor else [jabatan]
    return jabatan, baris, ev.difinalkan_tempat or ""


def _nama_penilai(ev: Evaluasi) -> str:
    """The name as it was at finalisation (the account's now, for one finalised before it was kept)."""
    return ev.difinalkan_nama or (ev.difinalkan_oleh.full_name if ev.difinalkan_oleh else "")


def _kop(ev: Evaluasi, jabatan: str) -> list[str]:
    kantor = ev.difinalkan_kantor
    return [kantor_lengkap(kantor).upper(), jabatan.upper()] if kantor else [jabatan.upper()]


def _komponen(ev: Evaluasi, hasil: dict) -> list[KomponenCetak]:
    lembar = {k.kode: k for k in ev.lke.komponen}
    found = []
    for k in hasil["komponen"]:
        nama_sub = {s.kode: s for s in lembar[k["kode"]].subkomponen} if k["kode"] in lembar else {}
        sub = []
        for s in k["subkomponen"]:
            baris = nama_sub.get(s["kode"])
            nama = f"{baris.jenis}: {baris.pernyataan}" if baris and baris.pernyataan else (baris.jenis if baris else "")
            sub.append(SubCetak(s["kode"], nama, Decimal(s["bobot"]), s["terpenuhi"], s["jumlah"], s["usulan"],
                                s["nilai"], Decimal(s["skor"]) if s["skor"] is not None else None))
        nama = lembar[k["kode"]].nama if k["kode"] in lembar else ""
        found.append(KomponenCetak(k["kode"], nama, Decimal(k["bobot"]), Decimal(k["skor"]), sub))
    return found


def _teks(teks: str | None) -> str | None:
    """Typed text without the control characters no font draws (and XML cannot carry)."""
    return None if teks is None else X._bersih(teks)


def _temuan(ev: Evaluasi, hasil: dict) -> list[TemuanCetak]:
    jenis = {s.kode: s.jenis for s in ev.lke.subkomponen}
    return [TemuanCetak(t["nomor"], f"{t['subkomponen']} {jenis.get(t['subkomponen'], '')}".strip()
                        if t["subkomponen"] else "", _teks(t["uraian"]), _teks(t["rekomendasi"]) or "",
                        _teks(t["sanggahan"]), _teks(t["tanggapan"]), t["sanggahan_diterima"])
            for t in hasil["temuan"]]


def lhe_data(ev: Evaluasi) -> LheCetak:
    """The LHE of ``ev``, which must be final (the routes answer 404 otherwise)."""
    if not ev.final:
        raise ValueError("LHE hanya untuk evaluasi yang sudah final")
    hasil = ev.hasil_final
    jabatan, jabatan_baris, tempat = _penanda(ev)
    arti, rentang = skor.ARTI_PREDIKAT[hasil["predikat"]]
    return LheCetak(
        tahun=ev.tahun, satker=ev.satker.nama, satker_lengkap=kantor_lengkap(ev.satker.nama), lke=ev.lke.nama,
        kop=_kop(ev, jabatan), total=Decimal(hasil["total"]), predikat=hasil["predikat"], arti_predikat=arti,
        rentang_predikat=rentang, komponen=_komponen(ev, hasil), temuan=_temuan(ev, hasil),
        penilai=_nama_penilai(ev), jabatan_baris=jabatan_baris,
        tempat=tempat, tanggal=printed.tanggal(_hari(ev)), waktu=printed.waktu(ev.difinalkan_pada),
        kode=ev.kode_verifikasi, hash=ev.hash_isi)


def _hari(ev: Evaluasi) -> date:
    """The day of finalisation on the office's clock (SQLite hands back naive UTC)."""
    moment = ev.difinalkan_pada
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(printed.zona()).date()


def nama_berkas(data: LheCetak, ext: str) -> str:
    """LHE-AKIP-2024-KPU-Kabupaten-Balangan.pdf"""
    return printed.slug(f"LHE AKIP {data.tahun} {data.satker}", lipat_aksen=ext == "pdf") + f".{ext}"


# -- Excel ----------------------------------------------------------------------------------------

KOLOM_NILAI = (("KODE", 8), ("KOMPONEN / SUBKOMPONEN", 60), ("BOBOT", 10), ("TERPENUHI", 12), ("USULAN", 9),
               ("NILAI", 9), ("SKOR", 10))
KOLOM_TEMUAN = (("NO", 6), ("SUBKOMPONEN", 18), ("TEMUAN", 45), ("REKOMENDASI", 45), ("SANGGAHAN", 32),
                ("TANGGAPAN EVALUATOR", 32))
SHEET_NILAI = "Nilai"
SHEET_TEMUAN = "Temuan dan Rekomendasi"
ANGKA = "0.00"


def lhe_xlsx(data: LheCetak) -> bytes:
    out = io.BytesIO()
    wb = X._workbook(out)
    wb.set_properties({"title": f"{JUDUL} Tahun {data.tahun} {data.satker}", "author": "SAKIP KPU",
                       "company": "Komisi Pemilihan Umum"})
    g = X._Gaya(wb)
    _lembar_nilai(wb.add_worksheet(SHEET_NILAI), g, data)
    _lembar_temuan(wb.add_worksheet(SHEET_TEMUAN), g, data)
    wb.close()
    return out.getvalue()


def _kepala(ws, g, data: LheCetak, kolom, judul: list[str]) -> int:
    """Title, office, year, code and hash; returns the table's header row."""
    last = len(kolom) - 1
    X._gabung(ws, 0, 0, 0, last, "\n".join(judul), g.judul)
    ws.set_row(0, 16 * len(judul) + 4)
    baris = (f"NAMA/UNIT ORGANISASI : {data.satker}", f"TAHUN : {data.tahun}", f"LKE : {data.lke}",
             f"KODE VERIFIKASI : {data.kode}", f"SHA-256 ISI : {data.hash}")
    for row, teks in enumerate(baris, start=1):
        X._teks(ws, row, 0, teks, g.kepala)
    header = len(baris) + 2
    for col, (label, width) in enumerate(kolom):
        ws.set_column(col, col, width)
        ws.write_string(header, col, label, g.header)
    return header


def _lembar_nilai(ws, g, data: LheCetak) -> None:
    angka, angka_tebal = g.target(ANGKA), g.target(ANGKA, True)
    row = first = _kepala(ws, g, data, KOLOM_NILAI, data.judul) + 1
    for k in data.komponen:
        X._teks(ws, row, 0, k.kode, g.tujuan)
        X._teks(ws, row, 1, k.nama, g.tujuan)
        ws.write_number(row, 2, float(k.bobot), angka_tebal)
        for col in (3, 4, 5):
            ws.write_blank(row, col, None, g.tujuan)
        ws.write_number(row, 6, float(k.skor), angka_tebal)
        row += 1
        for s in k.sub:
            X._teks(ws, row, 0, s.kode, g.tengah)
            X._teks(ws, row, 1, s.nama, g.teks)
            ws.write_number(row, 2, float(s.bobot), angka)
            X._teks(ws, row, 3, f"{s.terpenuhi}/{s.jumlah}", g.tengah)
            X._teks(ws, row, 4, s.usulan, g.tengah)
            X._teks(ws, row, 5, s.nilai, g.tengah)
            if s.skor is None:
                ws.write_blank(row, 6, None, angka)
            else:
                ws.write_number(row, 6, float(s.skor), angka)
            ws.set_row(row, X._height(X._lines(s.nama, KOLOM_NILAI[1][1])))
            row += 1
    X._gabung(ws, row, 0, row, 1, "NILAI AKHIR", g.total)
    ws.write_number(row, 2, 100, angka_tebal)
    for col in (3, 4):
        ws.write_blank(row, col, None, g.total)
    X._teks(ws, row, 5, data.predikat, g.target(None, True))
    ws.write_number(row, 6, float(data.total), angka_tebal)
    row += 2
    for teks in (f"Predikat {data.predikat}: {data.arti_predikat} (nilai {data.rentang_predikat}), "
                 f"menurut {DASAR}.",
                 f"Difinalkan oleh {data.penilai}, {data.jabatan}, {data.waktu}.",
                 f"{data.tempat + ', ' if data.tempat else ''}{data.tanggal}"):
        X._teks(ws, row, 0, teks, g.kepala)
        row += 1
    ws.freeze_panes(first, 0)
    X._cetak(ws, header_first=first - 1, header_last=first - 1, last_row=row, last_col=len(KOLOM_NILAI) - 1,
             keterangan=f"LHE AKIP {data.tahun} · {data.satker} · kode verifikasi {data.kode}")


def _lembar_temuan(ws, g, data: LheCetak) -> None:
    row = first = _kepala(ws, g, data, KOLOM_TEMUAN, ["TEMUAN DAN REKOMENDASI", f"LHE AKIP TAHUN {data.tahun}", data.satker_lengkap.upper()]) + 1
    widths = [w for _label, w in KOLOM_TEMUAN]
    for t in data.temuan:
        ws.write_number(row, 0, t.nomor, g.tengah)
        tanggapan = f"{t.tanggapan} ({t.keputusan})" if t.tanggapan else ""
        kolom = (t.subkomponen, t.uraian, t.rekomendasi, t.sanggahan or "", tanggapan)
        for col, teks in enumerate(kolom, start=1):
            X._teks(ws, row, col, teks, g.teks)
        ws.set_row(row, X._height(max(X._lines(teks, widths[c]) for c, teks in enumerate(kolom, start=1))))
        row += 1
    if not data.temuan:
        X._gabung(ws, row, 0, row, len(KOLOM_TEMUAN) - 1, "Tidak ada temuan.", g.teks)
        row += 1
    ws.freeze_panes(first, 0)
    X._cetak(ws, header_first=first - 1, header_last=first - 1, last_row=row, last_col=len(KOLOM_TEMUAN) - 1,
             keterangan=f"LHE AKIP {data.tahun} · {data.satker} · temuan dan rekomendasi")
