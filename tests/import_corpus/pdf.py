"""The PDF corpus: each seeded RAK and PK printed to PDF the way an office prints it
(its own .xlsx layout through LibreOffice headless), and the PDF's text copied out the
ways people copy it (issue 19, item 4).

The source of truth is the transcription of the seeds (workflow/data/demo/*.json, made
from ../shared/seeds/*.txt). For each document and each variant of its table (as laid
out; without the amount and pelaksana headings, as a copy that starts below the header
loses them), the text is extracted three ways:

- ``layout``: ``pdftotext -layout`` (columns kept by spaces, wrapped cells on lines of their own);
- ``raw``: ``pdftotext -raw`` (the content stream's order: one cell's words after another);
- ``viewer``: ``pdftotext`` without options (a viewer's selection: text blocks, often one cell per line).

The texts are committed under tests/import_corpus/pdf/ (the suite stays fast and needs
neither LibreOffice nor poppler); ``python -m tests.import_corpus.pdf`` makes them again.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import xlsxwriter

from workflow.dokumen.models import Bentuk, JenisDokumen

DEMO = Path(__file__).resolve().parents[2] / "workflow" / "data" / "demo"
DIREKTORI = Path(__file__).resolve().parent / "pdf"
CARA = ("layout", "raw", "viewer")
_PDFTOTEXT = {"layout": ["-layout"], "raw": ["-raw"], "viewer": []}

# name -> the seed transcription it prints
DOKUMEN = {
    "batu-rak-komisioner": "35.79-2024-rak_komisioner.json",
    "batu-rak-sekretariat": "35.79-2024-rak_sekretariat.json",
    "kubu-raya-rak-sekretariat": "61.12-2024-rak_sekretariat.json",
    "balangan-rak-sekretariat": "63.11-2024-rak_sekretariat.json",
    "balangan-pk-sekretariat": "63.11-2024-pk_sekretariat.json",
    "balangan-pk-komisi": "63.11-2024-pk_komisi.json",
}
# variant -> headings left blank (a copy that started below them)
VARIAN = {"utuh": frozenset(), "tanpa-judul": frozenset({"biaya", "pelaksana"})}


def seed(nama: str) -> dict:
    return json.loads((DEMO / DOKUMEN[nama]).read_text(encoding="utf-8"))


def jenis(nama: str) -> JenisDokumen:
    return JenisDokumen(seed(nama)["jenis"])


def teks(nama: str, varian: str, cara: str) -> str:
    return (DIREKTORI / f"{nama}.{varian}.{cara}.txt").read_text(encoding="utf-8")


def kasus() -> list[tuple[str, str, str]]:
    """(document, variant, extraction) for every committed text."""
    return [(n, v, c) for n in DOKUMEN for v in VARIAN for c in CARA
            if (DIREKTORI / f"{n}.{v}.{c}.txt").exists()]


# -- the office's xlsx ----------------------------------------------------------------------------

def _kegiatan(row: dict) -> str:
    items = [f"- {k}" for k in row["kegiatan"]]
    if row.get("kode_output"):
        items.append(row["kode_output"])
    return "\n".join(items)


def _rupiah(amount: int | None) -> str:
    return "" if amount is None else "Rp. " + f"{amount:,}".replace(",", ".")


def _tinggi(cells: dict[int, str], widths, font: int) -> float:
    """A row tall enough for its wrapped cells (LibreOffice does not grow rows an .xlsx
    writer left at the default height, and would print them cut)."""
    per_line = {c: max(1, int(widths[c] * 11 / font * 1.0)) for c in cells}
    lines = max(sum(-(-len(p) // per_line[c]) or 1 for p in text.split("\n")) for c, text in cells.items())
    return (lines + 1) * (font + 3)


def rak_xlsx(data: dict, kosong: frozenset[str] = frozenset()) -> bytes:
    """A RAK as an office lays it out for printing: months 1..12 under "Bulan Pelaksanaan",
    marked v / -, the kegiatan as a "- " list with the output code below, wrapped cells."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("RAK")
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(4, 5)
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_size": 8})
    head = wb.add_format({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1,
                          "font_size": 8})
    center = wb.add_format({"align": "center", "valign": "top", "border": 1, "font_size": 8})
    ws.write(0, 0, f"RENCANA AKSI KINERJA {data['jenis'].upper().replace('_', ' ')} {data['tahun']}")
    ws.write(2, 0, f"TAHUN ANGGARAN : {data['tahun']}")
    widths = (4, 22, 26, 8, 34, *([2.6] * 12), 15, 15)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    h = 4
    for col, label in enumerate(("No", "Sasaran Program", "Indikator Kinerja", "Target",
                                 "Kegiatan Yang Akan Dilaksanakan")):
        ws.merge_range(h, col, h + 1, col, label, head)
    ws.merge_range(h, 5, h, 16, "Bulan Pelaksanaan", head)
    for m in range(1, 13):
        ws.write_number(h + 1, 4 + m, m, head)
    ws.merge_range(h, 17, h + 1, 17, "" if "biaya" in kosong else "Perkiraan Biaya", head)
    ws.merge_range(h, 18, h + 1, 18, "" if "pelaksana" in kosong else "Pelaksanaan", head)
    for r, row in enumerate(data["baris"], start=h + 2):
        ws.write_string(r, 0, f"{r - h - 1}.", center)
        ws.write_string(r, 1, row["sasaran"], wrap)
        ws.write_string(r, 2, row["indikator"], wrap)
        ws.write_string(r, 3, row["target"], center)
        ws.write_string(r, 4, _kegiatan(row), wrap)
        for m in range(1, 13):
            ws.write_string(r, 4 + m, "v" if m in row["bulan"] else "-", center)
        ws.write_string(r, 17, _rupiah(row.get("biaya")), wrap)
        ws.write_string(r, 18, row.get("pelaksana_tertulis") or "", wrap)
        cells = {1: row["sasaran"], 2: row["indikator"], 4: _kegiatan(row), 18: row.get("pelaksana_tertulis") or ""}
        ws.set_row(r, _tinggi(cells, widths, 8))
    wb.close()
    return out.getvalue()


def pk_xlsx(data: dict, kosong: frozenset[str] = frozenset()) -> bytes:
    """A PK/RKT as printed: No, Sasaran Strategis, Indikator Kinerja, Target."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("PK")
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_size": 9})
    head = wb.add_format({"bold": True, "align": "center", "border": 1, "font_size": 9})
    for col, width in enumerate((5, 40, 45, 12)):
        ws.set_column(col, col, width)
    ws.write(0, 0, f"PERJANJIAN KINERJA TAHUN {data['tahun']}")
    for col, label in enumerate(("No", "Sasaran Strategis", "Indikator Kinerja", "Target")):
        ws.write(2, col, label, head)
    r = 3
    for n, s in enumerate(data["sasaran"], start=1):
        for k, ind in enumerate(s["indikator"]):
            ws.write_string(r, 0, f"{n}." if k == 0 else "", wrap)
            ws.write_string(r, 1, s["uraian"] if k == 0 else "", wrap)
            ws.write_string(r, 2, ind["uraian"], wrap)
            ws.write_string(r, 3, ind["target"], wrap)
            ws.set_row(r, _tinggi({1: s["uraian"] if k == 0 else "", 2: ind["uraian"]}, (5, 40, 45, 12), 9))
            r += 1
    wb.close()
    return out.getvalue()


# -- printing and copying ---------------------------------------------------------------------------

def pdf(xlsx: bytes, work: Path) -> Path:
    source = work / "tabel.xlsx"
    source.write_bytes(xlsx)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                    "--outdir", str(work), str(source)], check=True, capture_output=True, timeout=180)
    return work / "tabel.pdf"


def salin(path: Path, cara: str) -> str:
    done = subprocess.run(["pdftotext", *_PDFTOTEXT[cara], "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, timeout=60)
    return done.stdout.decode("utf-8").replace("\f", "\n")


def tulis(direktori: Path = DIREKTORI) -> list[Path]:
    direktori.mkdir(parents=True, exist_ok=True)
    written = []
    for nama in DOKUMEN:
        data = seed(nama)
        rak = JenisDokumen(data["jenis"]).bentuk is Bentuk.RAK
        for varian, kosong in VARIAN.items():
            if not rak and kosong:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                printed = pdf(rak_xlsx(data, kosong) if rak else pk_xlsx(data, kosong), Path(tmp))
                for cara in CARA:
                    path = direktori / f"{nama}.{varian}.{cara}.txt"
                    path.write_text(salin(printed, cara), encoding="utf-8")
                    written.append(path)
    return written


if __name__ == "__main__":
    for p in tulis(Path(sys.argv[1]) if len(sys.argv) > 1 else DIREKTORI):
        print(p)
