"""The realisation report of one period on paper (issue 17 point 6): "Laporan Realisasi
Kinerja Triwulan I Tahun 2024" of a PK, in Excel here and as a PDF (``webapp.pdf_laporan``).

``laporan_data(session, dokumen, periode)`` reads everything the paper prints into plain
data once: per sasaran its indikator with the annual target, the target and realisation to
date, capaian, the analysis (kendala, upaya, rencana tindak lanjut) and the period's
evidence files (name, size, SHA-256); the report's status (who submitted and verified it,
when, its revision and the reasons of its corrections); the office's money spent to date.
Every figure is computed by workflow/, as the page shows it; texts are Indonesian whatever
the reader's language (the caller holds ``tenants.teks.bahasa_asli``).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from workflow import schedule
from workflow.anggaran import serapan
from workflow.bukti import queries as bukti_queries
from workflow.bukti.models import Sasaran
from workflow.dokumen.models import Dokumen, Sisi
from workflow.pelaporan import queries
from workflow.pelaporan.models import StatusLaporan
from workflow.rupiah import tulis_desimal, tulis_rupiah
from webapp import printed
from webapp.exports import xlsx as X

MB = 1024 * 1024


@dataclass(frozen=True)
class BuktiCetak:
    nama: str
    ukuran: int
    sha256: str

    @property
    def ukuran_teks(self) -> str:
        """840 B, 12 KB, 1,4 MB (as the evidence list shows it)."""
        if self.ukuran < 1024:
            return f"{self.ukuran} B"
        if self.ukuran < MB:
            return f"{tulis_desimal(round(self.ukuran / 1024))} KB"
        return f"{tulis_desimal(round(self.ukuran / MB, 1))} MB"


@dataclass(frozen=True)
class IndikatorCetak:
    no: str                    # "1.2": the sasaran's number, then the indikator's
    uraian: str
    target_tahunan: str
    target_sd: str
    realisasi_sd: str
    capaian: str               # "97,5%", "tercapai", "tidak dapat dihitung"
    persen: str | None         # the capaian as a number's text, when it is one
    kendala: str = ""
    upaya: str = ""
    rencana: str = ""
    bukti: list[BuktiCetak] = field(default_factory=list)


@dataclass(frozen=True)
class SasaranCetak:
    no: int
    uraian: str
    indikator: list[IndikatorCetak]


@dataclass
class LaporanCetak:
    judul: list[str]                      # the heading lines
    satker: str
    jenis: str                            # "PK Komisi"
    tahun: int
    nama_periode: str                     # "Triwulan I", "Maret"
    sasaran: list[SasaranCetak]
    status: str                           # "Diverifikasi"
    terverifikasi: bool
    nomor_revisi: int
    diajukan_oleh: str = ""
    diajukan_pada: str = ""
    diverifikasi_oleh: str = ""
    diverifikasi_pada: str = ""
    catatan: str = ""                     # the reviewer's reason of a return
    koreksi: list[tuple[int, str, str]] = field(default_factory=list)  # (nomor, alasan, waktu)
    anggaran: dict[str, str] | None = None
    pk_kode: str | None = None            # the measured PK's verification code and hash
    pk_hash: str | None = None
    pk_revisi: str = ""

    @property
    def judul_laporan(self) -> str:
        return f"Laporan Realisasi Kinerja {self.nama_periode} {self.tahun}"


def judul(dokumen: Dokumen, nama_periode: str) -> list[str]:
    """LAPORAN REALISASI KINERJA TRIWULAN I TAHUN 2024 / (SEKRETARIAT) KOMISI PEMILIHAN UMUM KOTA BATU."""
    kantor = printed.nama_lengkap(dokumen.satker.nama).upper()
    bagian = f"SEKRETARIAT {kantor}" if dokumen.jenis.sisi is Sisi.SEKRETARIAT else kantor
    awalan = "" if nama_periode.upper().startswith("TRIWULAN") else "BULAN "
    return [f"LAPORAN REALISASI KINERJA {awalan}{nama_periode.upper()} TAHUN {dokumen.tahun}", bagian,
            f"PENGUKURAN TERHADAP {dokumen.jenis.judul.upper()}"]


def _nama(user) -> str:
    return user.full_name if user is not None else ""


def _bukti_per_indikator(session: Session, dokumen: Dokumen, periode: int) -> dict[str, list[BuktiCetak]]:
    found: dict[str, list[BuktiCetak]] = {}
    for b in bukti_queries.daftar_dokumen(session, dokumen.id):
        if b.sasaran == Sasaran.INDIKATOR.value and b.periode == periode:
            found.setdefault(b.kunci, []).append(BuktiCetak(b.nama, b.ukuran, b.sha256))
    return found


def _sasaran(session: Session, dokumen: Dokumen, periode: int, analisis: dict) -> list[SasaranCetak]:
    hasil = {h.kunci: h for h in queries.hasil_periode(session, dokumen, periode)}
    bukti = _bukti_per_indikator(session, dokumen, periode)
    rows = []
    for no, s in enumerate(dokumen.revisi_aktif.sasaran, start=1):
        indikator = []
        for k, i in enumerate(s.indikator, start=1):
            h, a = hasil[i.kunci], analisis.get(i.kunci)
            persen = h.capaian.persen
            indikator.append(IndikatorCetak(
                no=f"{no}.{k}", uraian=i.uraian, target_tahunan=h.target_teks or "-",
                target_sd=h.target_sd_teks or h.target_teks or "-", realisasi_sd=h.realisasi_teks or "-",
                capaian=h.capaian.teks, persen=None if persen is None else str(persen),
                kendala=(a.kendala or "") if a else "", upaya=(a.upaya or "") if a else "",
                rencana=(a.rencana or "") if a else "", bukti=bukti.get(i.kunci, [])))
        rows.append(SasaranCetak(no, s.uraian, indikator))
    return rows


def _anggaran(session: Session, dokumen: Dokumen, periode: int) -> dict[str, str] | None:
    """The office's money to the period's end: planned for the year, spent, absorbed."""
    data = serapan.serapan_kantor(session, dokumen.satker, dokumen.tahun, periode)
    if not data.rencana and not data.realisasi_sd:
        return None
    return {"rencana": tulis_rupiah(data.rencana), "realisasi": tulis_rupiah(data.realisasi_sd),
            "serapan": data.serapan.teks, "target": serapan.persen_teks(data.target),
            "triwulan": schedule.nama_triwulan(data.triwulan)}


def laporan_data(session: Session, dokumen: Dokumen, periode: int) -> LaporanCetak:
    """What the paper of ``dokumen``'s ``periode`` prints (``periode``: a period of the office)."""
    nama_periode = next(p.nama for p in queries.periode_dokumen(session, dokumen) if p.bulan == periode)
    lap = queries.laporan(session, dokumen.id, periode)
    status = lap.status if lap else StatusLaporan.DRAFT
    revisi = dokumen.revisi_aktif
    data = LaporanCetak(
        judul=judul(dokumen, nama_periode), satker=dokumen.satker.nama, jenis=dokumen.jenis.label,
        tahun=dokumen.tahun, nama_periode=nama_periode,
        sasaran=_sasaran(session, dokumen, periode, queries.analisis(session, lap)), status=status.label,
        terverifikasi=status is StatusLaporan.TERVERIFIKASI, nomor_revisi=lap.nomor_revisi if lap else 0,
        anggaran=_anggaran(session, dokumen, periode), pk_kode=revisi.kode_verifikasi, pk_hash=revisi.hash_isi,
        pk_revisi=revisi.label)
    if lap is not None:
        if status is not StatusLaporan.DRAFT:
            data.diajukan_oleh, data.diajukan_pada = _nama(lap.diajukan_oleh), printed.waktu(lap.diajukan_pada)
        if status is StatusLaporan.TERVERIFIKASI:
            data.diverifikasi_oleh = _nama(lap.diverifikasi_oleh)
            data.diverifikasi_pada = printed.waktu(lap.diverifikasi_pada)
        if status is StatusLaporan.DIKEMBALIKAN:
            data.catatan = lap.catatan or ""
        data.koreksi = [(r.nomor, r.alasan or "", printed.waktu(r.dibuat_pada)) for r in lap.revisi if r.nomor]
    return data


def nama_berkas(data: LaporanCetak, ext: str) -> str:
    """Laporan-Realisasi-Kinerja-Triwulan-I-2024-PK-Komisi-KPU-Kota-Batu-rev0.xlsx"""
    teks = f"{data.judul_laporan} {data.jenis} {data.satker} rev{data.nomor_revisi}"
    return printed.slug(teks, lipat_aksen=ext == "pdf") + f".{ext}"


# -- Excel ----------------------------------------------------------------------------------------

KOLOM = (("NO", 6), ("INDIKATOR KINERJA", 34), ("TARGET TAHUNAN", 13), ("TARGET S.D. PERIODE", 13),
         ("REALISASI S.D. PERIODE", 13), ("CAPAIAN (%)", 11), ("KENDALA", 28), ("UPAYA", 28),
         ("RENCANA TINDAK LANJUT", 28))
BUKTI_KOLOM = ("NO", "INDIKATOR KINERJA", "NAMA BERKAS", "UKURAN", "SHA-256")
SHEET = "Laporan"
SHEET_BUKTI = "Bukti Dukung"


def tulis_xlsx(out, data: LaporanCetak) -> None:
    wb = X._workbook(out)
    g = X._Gaya(wb)
    _lembar_laporan(wb.add_worksheet(SHEET), g, data)
    _lembar_bukti(wb.add_worksheet(SHEET_BUKTI), g, data)
    wb.close()


def laporan_xlsx(data: LaporanCetak) -> bytes:
    out = io.BytesIO()
    tulis_xlsx(out, data)
    return out.getvalue()


def _kepala(ws, g, data: LaporanCetak, kolom) -> int:
    """Title lines, office, year and period; returns the header row."""
    last = len(kolom) - 1
    X._gabung(ws, 0, 0, 0, last, "\n".join(data.judul), g.judul)
    ws.set_row(0, 48)
    ws.write_string(1, 0, f"NAMA/UNIT ORGANISASI : {X._bersih(data.satker)}", g.kepala)
    ws.write_string(2, 0, f"TAHUN ANGGARAN : {data.tahun}", g.kepala)
    ws.write_string(3, 0, f"PERIODE : {data.nama_periode}", g.kepala)
    ws.write_string(4, 0, f"STATUS LAPORAN : {data.status} (revisi laporan ke-{data.nomor_revisi})", g.kepala)
    for col, (label, width) in enumerate(kolom):
        ws.set_column(col, col, width)
        ws.write_string(6, col, label, g.header)
    ws.set_row(6, 30)
    return 6


def _lembar_laporan(ws, g, data: LaporanCetak) -> None:
    widths = [w for _label, w in KOLOM]
    row = first = _kepala(ws, g, data, KOLOM) + 1
    for s in data.sasaran:
        ws.write_number(row, 0, s.no, g.tujuan)
        X._gabung(ws, row, 1, row, len(KOLOM) - 1, s.uraian, g.tujuan)
        row += 1
        for i in s.indikator:
            row = _baris_indikator(ws, g, row, i, widths)
    if not data.sasaran:
        X._gabung(ws, row, 0, row, len(KOLOM) - 1, "Perjanjian Kinerja ini belum berisi sasaran.", g.teks)
        row += 1
    row = _status(ws, g, row + 1, data)
    ws.freeze_panes(first, 0)
    X._cetak(ws, header_first=first - 1, header_last=first - 1, last_row=row, last_col=len(KOLOM) - 1,
             keterangan=f"{data.judul_laporan} · {data.satker} · {data.status}")


def _baris_indikator(ws, g, row: int, i: IndikatorCetak, widths: list[float]) -> int:
    X._teks(ws, row, 0, i.no, g.tengah)
    X._teks(ws, row, 1, i.uraian, g.teks)
    X._nilai_tertulis(ws, g, row, 2, i.target_tahunan)
    X._nilai_tertulis(ws, g, row, 3, i.target_sd)
    X._nilai_tertulis(ws, g, row, 4, i.realisasi_sd)
    X._capaian(ws, g, row, 5, i.persen, i.capaian)
    for col, teks in ((6, i.kendala), (7, i.upaya), (8, i.rencana)):
        X._teks(ws, row, col, teks, g.teks)
    lines = max(X._lines(t, widths[c]) for c, t in ((1, i.uraian), (6, i.kendala), (7, i.upaya), (8, i.rencana)))
    ws.set_row(row, X._height(lines))
    return row + 1


def _status(ws, g, row: int, data: LaporanCetak) -> int:
    """The report's status and, when there is one, the office's money to date."""
    baris = [f"Diajukan oleh: {data.diajukan_oleh or '-'}" + (f", {data.diajukan_pada}" if data.diajukan_pada else ""),
             f"Diverifikasi oleh: {data.diverifikasi_oleh or '-'}"
             + (f", {data.diverifikasi_pada}" if data.diverifikasi_pada else "")]
    if data.catatan:
        baris.append(f"Dikembalikan: {data.catatan}")
    baris += [f"Koreksi revisi ke-{n} ({w}): {alasan}" for n, alasan, w in data.koreksi]
    if data.anggaran:
        a = data.anggaran
        baris.append(f"Realisasi anggaran s.d. periode: {a['realisasi']} dari {a['rencana']} ({a['serapan']}; "
                     f"target {a['triwulan']}: {a['target']})")
    if data.pk_kode:
        baris.append(f"Perjanjian Kinerja yang diukur: {data.pk_revisi}, kode verifikasi {data.pk_kode}, "
                     f"SHA-256 {data.pk_hash}")
    for teks in baris:
        X._teks(ws, row, 0, teks, g.kepala)
        row += 1
    return row


def _lembar_bukti(ws, g, data: LaporanCetak) -> None:
    for col, width in enumerate((6, 40, 36, 10, 70)):
        ws.set_column(col, col, width)
    X._gabung(ws, 0, 0, 0, 4, "\n".join(["DAFTAR BUKTI DUKUNG", *data.judul[:2]]), g.judul)
    ws.set_row(0, 48)
    for col, label in enumerate(BUKTI_KOLOM):
        ws.write_string(2, col, label, g.header)
    row = 3
    for s in data.sasaran:
        for i in s.indikator:
            for b in i.bukti:
                X._teks(ws, row, 0, i.no, g.tengah)
                X._teks(ws, row, 1, i.uraian, g.teks)
                X._teks(ws, row, 2, b.nama, g.teks)
                X._teks(ws, row, 3, b.ukuran_teks, g.tengah)
                X._teks(ws, row, 4, b.sha256, g.teks)
                row += 1
    if row == 3:
        X._gabung(ws, row, 0, row, 4, "Belum ada bukti dukung untuk periode ini.", g.teks)
    ws.freeze_panes(3, 0)
    X._cetak(ws, header_first=2, header_last=2, last_row=max(row, 3), last_col=4,
             keterangan=f"{data.judul_laporan} · {data.satker} · bukti dukung")
