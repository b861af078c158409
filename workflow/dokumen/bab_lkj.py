"""The Laporan Kinerja (LKj): the year-end report, compiled from what was planned and realised.

Its chapters follow the offices' own reports (seed: Kabupaten Balangan 2024): kata
pengantar, ikhtisar eksekutif, Bab I pendahuluan (with the staff by status), Bab II
perencanaan kinerja (the PK tables), Bab III akuntabilitas kinerja (Tabel 3.1 / 3.2:
target, realisasi, capaian per indikator; realisasi anggaran per kegiatan code), Bab IV
penutup. People write the narrative (this module); the tables are never typed: they are
computed by ``workflow.lkj.tabel`` and frozen into the revision when it is submitted.

Figures a paper report typed (``IsiLkj.angka_tertulis``) are kept only to be compared:
``selisih_tertulis`` lists where they disagree with what the rows give.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tenants.satker import Satker
from tenants.teks import N_, _
from workflow import naskah
from workflow.dokumen.content import IsiLkj
from workflow.errors import IsiTidakValid
from workflow.rupiah import tulis_rupiah as rupiah

# The chapters people write, in the report's order: (field, title). The titles are the
# printed ones (Indonesian); a page translates them where it shows them (tenants.teks).
BAB = (
    ("kata_pengantar", N_("Kata Pengantar")),
    ("ikhtisar", N_("Ikhtisar Eksekutif")),
    ("pendahuluan", N_("Bab I Pendahuluan")),
    ("perencanaan", N_("Bab II Perencanaan Kinerja")),
    ("akuntabilitas", N_("Bab III Akuntabilitas Kinerja")),
    ("penutup", N_("Bab IV Penutup")),
)
JUDUL_BAB = dict(BAB)
PEGAWAI = (("pegawai_pns", "PNS"), ("pegawai_pppk", "PPPK"), ("pegawai_ppnpn", "PPNPN"))
MAX_TEKS = 50_000
# HTML as a browser's editor sends it (the markup of a pasted chapter, before it is cleaned).
MAX_HTML = 4 * MAX_TEKS
MAX_PEGAWAI = 100_000

# Kegiatan codes of the KPU budget (program CQ and WA) as the LKj tables name them.
NAMA_KEGIATAN = {
    "6639": "Teknis Penyelenggaraan Pemilu/Pemilihan",
    "6709": "Perencanaan Program dan Anggaran, serta Penyusunan Peraturan Pelaksanaan Penyelenggaraan Pemilu",
    "6867": "Pembentukan Badan Adhoc",
    "6870": "Masa Kampanye Pemilu",
    "6871": "Pengelolaan, Pengadaan, Laporan dan Dokumentasi Logistik",
    "6872": "Pemungutan dan Penghitungan Suara",
    "6981": "Pengucapan Sumpah/Janji Presiden dan Wakil Presiden serta Anggota DPR, DPD, DPRD Provinsi, "
            "dan DPRD Kabupaten/Kota",
    "6982": "Penetapan Hasil Pemilu",
    "3355": "Pengelolaan Keuangan dan Barang Milik Negara",
    "3360": "Operasional Perkantoran dan Dukungan Sarana Prasarana",
}


def teks_awal(satker: Satker, tahun: int) -> dict[str, str]:
    """A new LKj's narrative: the standard wording of the offices' reports, with the office
    and year filled in, for the penyusun to rewrite."""
    nama = satker.nama
    return {
        "kata_pengantar": (
            f"Laporan Kinerja {nama} Tahun {tahun} disusun sebagai wujud pelaksanaan amanat Peraturan Presiden "
            "Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi Pemerintah, dan merupakan bentuk "
            f"pertanggungjawaban atas pencapaian sasaran yang ditetapkan dalam Perjanjian Kinerja Tahun {tahun}."),
        "ikhtisar": (
            f"Laporan Kinerja ini menggambarkan pencapaian sasaran {nama} Tahun {tahun}: target, realisasi dan "
            "capaian setiap indikator kinerja, serta realisasi anggaran per kegiatan."),
        "pendahuluan": (
            f"Laporan Kinerja (LKj) merupakan bentuk akuntabilitas pelaksanaan tugas dan fungsi {nama} atas "
            "penggunaan anggaran, dan bahan perbaikan berkelanjutan untuk meningkatkan kinerja."),
        "perencanaan": (
            f"Perjanjian Kinerja {nama} Tahun {tahun} memuat sasaran strategis, indikator kinerja dan target "
            "yang disajikan pada tabel berikut."),
        "akuntabilitas": (
            "Pengukuran kinerja dilakukan dengan membandingkan target dengan realisasi setiap indikator kinerja."),
        "penutup": (
            f"Demikian Laporan Kinerja {nama} Tahun {tahun}, semoga menjadi bahan evaluasi untuk meningkatkan "
            "kinerja pada tahun berikutnya."),
    }


def isi_baru(satker: Satker, tahun: int) -> IsiLkj:
    return IsiLkj(**teks_awal(satker, tahun))


_KONTROL = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None}


def bersihkan_teks(teks: str | None, nama: str, html: bool = False) -> str:
    """Narrative as stored. Plain text as typed, paragraphs kept: line ends made uniform,
    control characters dropped, blank lines at either end removed; text that would read as
    markup (it opens with ``<p>``) is stored as markup showing it as typed. ``html``: the
    editor's HTML (a chapter pasted from Word), kept as the small markup of ``workflow.naskah``."""
    terlalu_panjang = IsiTidakValid(_("%(nama)s terlalu panjang (paling banyak %(maks)s karakter).", nama=_(nama),
                                      maks=MAX_TEKS))
    if html:
        if len(teks or "") > MAX_HTML:
            raise terlalu_panjang
        text = naskah.bersihkan_html((teks or "").translate(_KONTROL))
    else:
        text = (teks or "").replace("\r\n", "\n").replace("\r", "\n").translate(_KONTROL).strip()
        if naskah.berformat(text):
            text = naskah.dari_polos(text)
    if len(text) > MAX_TEKS:
        raise terlalu_panjang
    return text


def angka_tertulis_json(angka: dict | None) -> str | None:
    """Validate the typed budget figures (see ``selisih_tertulis``) and store them as JSON."""
    if not angka:
        return None
    anggaran = angka.get("anggaran")
    if not isinstance(anggaran, dict):
        raise IsiTidakValid(_("Angka tertulis harus memuat bagian 'anggaran'."))
    for kode, row in (anggaran.get("kegiatan") or {}).items():
        if not (isinstance(kode, str) and kode.isdigit() and len(kode) == 4 and isinstance(row, dict)):
            raise IsiTidakValid(_("Kode kegiatan '%(kode)s' pada angka tertulis tidak sesuai (4 angka).", kode=kode))
    return json.dumps(angka, ensure_ascii=False, sort_keys=True)


def pegawai(isi: IsiLkj | None) -> list[tuple[str, int, str]] | None:
    """Staff by status with each share of the total, as Bab I prints it; None if not given."""
    if isi is None:
        return None
    jumlah = [(label, getattr(isi, name)) for name, label in PEGAWAI]
    if all(n is None for _, n in jumlah):
        return None
    total = sum(n or 0 for _, n in jumlah)
    return [(label, n or 0, _persen_teks(Decimal(n or 0) * 100 / total) if total else "-") for label, n in jumlah]


def _persen_teks(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}".replace(".", ",") + "%"


# -- figures a paper report typed ------------------------------------------------------------------

@dataclass(frozen=True)
class Selisih:
    """One typed figure that disagrees with the rows."""

    letak: str        # where: "Realisasi anggaran, kegiatan 6870, capaian"
    tertulis: str     # as typed
    dihitung: str     # as computed


def _angka(value) -> Decimal | None:
    try:
        return Decimal(str(value).strip().replace(".", "").replace(",", ".")) if isinstance(value, str) \
            else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _beda_persen(tertulis, dihitung: str | None) -> bool:
    typed = _angka(tertulis)
    if typed is None or dihitung is None:
        return typed is not None or dihitung is not None
    return typed.quantize(Decimal("0.01")) != Decimal(dihitung).quantize(Decimal("0.01"))


def selisih_tertulis(data: dict, angka_tertulis: str | None) -> list[Selisih]:
    """Where the typed budget figures (``{"anggaran": {"anggaran", "realisasi", "persen",
    "kegiatan": {kode: {"anggaran", "realisasi", "persen"}}}}``) disagree with the rows."""
    if not angka_tertulis:
        return []
    typed = json.loads(angka_tertulis).get("anggaran") or {}
    computed = data["anggaran"]
    found: list[Selisih] = []
    per_kode = {b["kode"]: b for b in computed["baris"]}
    for kode, row in (typed.get("kegiatan") or {}).items():
        mine = per_kode.get(kode)
        where = _("Realisasi anggaran, kegiatan %(kode)s", kode=kode)
        if mine is None:
            found.append(Selisih(where, _("tercantum"), _("tidak ada baris RAK dengan kode ini")))
            continue
        found += _bandingkan(where, row, mine)
    found += _bandingkan(_("Realisasi anggaran, jumlah"), typed, computed)
    return found


_ANGKA = {"anggaran": N_("anggaran"), "realisasi": N_("realisasi")}


def _bandingkan(where: str, typed: dict, computed: dict) -> list[Selisih]:
    found = []
    for field in ("anggaran", "realisasi"):
        if field in typed and int(typed[field]) != computed[field]:
            angka = _(_ANGKA[field])
            found.append(Selisih(f"{where}, {angka}", rupiah(int(typed[field])), rupiah(computed[field])))
    if "persen" in typed and _beda_persen(typed["persen"], computed["persen"]):
        capaian = _("capaian")
        found.append(Selisih(f"{where}, {capaian}", f"{typed['persen']}%", computed["capaian"]))
    return found
