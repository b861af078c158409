"""Issue 15, "Make room", for the import, the realisation grids, the dashboards and the
exports: long functions read as steps, and what was written twice is written once, with
every output as it was (the other tests check those outputs)."""
from __future__ import annotations

import ast
import dataclasses
import io
import pickle
from pathlib import Path
from types import SimpleNamespace

import openpyxl

from tests.test_import import apply, dry_run, ekspor
from workflow import sheet_layout as L

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 50
# Every module of the three layers (a new long function anywhere reads as steps, too).
MODULES = sorted(str(p.relative_to(ROOT)) for layer in ("tenants", "workflow", "webapp")
                 for p in (ROOT / layer).rglob("*.py"))


def _functions(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def test_no_function_of_the_three_layers_is_longer_than_50_lines():
    long = [f"{name}:{f.lineno} {f.name} ({f.end_lineno - f.lineno + 1} lines)" for name in MODULES
            if (ROOT / name).exists() for f in _functions(ROOT / name) if f.end_lineno - f.lineno + 1 > MAX_LINES]
    assert not long, "functions over 50 lines: " + "; ".join(long)


def test_an_office_s_full_name_and_a_file_name_are_made_in_one_place():
    defined = [f"{path.relative_to(ROOT)}: {f.name}" for folder in ("webapp", "workflow")
               for path in sorted((ROOT / folder).rglob("*.py")) for f in _functions(path)
               if f.name.strip("_") in ("slug", "nama_lengkap")]
    assert defined == ["webapp/printed.py: nama_lengkap", "webapp/printed.py: slug"]


def test_each_download_keeps_its_file_name_the_pdf_folding_accents_and_the_excel_file_not():
    from webapp import pdf
    from webapp.exports import xlsx
    from workflow.dokumen.models import JenisDokumen

    dokumen = SimpleNamespace(jenis=JenisDokumen.RAK_SEKRETARIAT, tahun=2024,
                              satker=SimpleNamespace(nama="KPU Kabupaten Pidié Jaya"))
    revisi = SimpleNamespace(nomor=2)
    assert pdf.nama_berkas(dokumen, revisi) == "RAK-Sekretariat-KPU-Kabupaten-Pidie-Jaya-2024-rev2.pdf"
    assert xlsx.nama_berkas(dokumen, revisi) == "RAK-Sekretariat-KPU-Kabupaten-Pidi-Jaya-2024-rev2.xlsx"
    assert xlsx.nama_berkas_rekap(dokumen.satker, 2024) == "Rekap-PK-KPU-Kabupaten-Pidi-Jaya-2024.xlsx"
    assert pdf.nama_lengkap("KPU Kabupaten Balangan") == "Komisi Pemilihan Umum Kabupaten Balangan"


def _reordered(data: bytes) -> bytes:
    """The exported RAK offline: row 3 first, row 1 with another cost, a new row typed
    below them (row 1's cells, other texts, no kunci), row 2 gone."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    labels = [str(c.value).strip() for c in ws[L.HEADER_ROW]]
    baris = {no: [c.value for c in ws[L.RAK_DATA_ROW + no - 1]] for no in (1, 2, 3)}
    baris[1][labels.index("Perkiraan Biaya")] = 1_500_000
    baru = [*baris[1][:-1], None]
    for label, teks in (("Sasaran Program", "Sasaran baru"), ("Indikator Kinerja", "Persentase indikator baru"),
                        ("Kegiatan Yang Akan Dilaksanakan", "- Rapat baru")):
        baru[labels.index(label)] = teks
    for r, values in enumerate([baris[3], baris[1], baru], start=L.RAK_DATA_ROW):  # the total row stays
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_dry_run_lists_what_applying_does_as_plain_data_and_applying_does_exactly_that(db, make_dokumen, people):
    from workflow.dokumen.diff import Bagian
    from workflow.imports.pratinjau import Baru, Hapus, SimpanBaris, TambahBarisMassal, Urutkan

    rak, sekretaris = make_dokumen("rak_sekretariat", baris=3), people("35.79").sekretaris
    k1, k2, k3 = (b.kunci for b in rak.revisi_aktif.baris)
    data = _reordered(ekspor(rak))
    plan = dry_run(db, rak, data, sekretaris)
    assert plan.bisa_diterapkan, plan.teks()

    # Removed first, then changed, added, and the file's order last.
    hapus, ubah, tambah, urut = plan.langkah
    assert hapus == Hapus(Bagian.BARIS, k2)
    assert isinstance(ubah, SimpanBaris) and ubah.kunci == k1 and ubah.data.biaya == 1_500_000
    assert isinstance(tambah, TambahBarisMassal)
    assert [(baru, d.indikator) for baru, d in tambah.baris] == [
        (Baru(Bagian.BARIS, (2,)), "Persentase indikator baru")]
    assert urut == Urutkan(Bagian.BARIS, (k3, k1, Baru(Bagian.BARIS, (2,))))
    assert all(dataclasses.is_dataclass(s) and s.__dataclass_params__.frozen for s in plan.langkah)

    # Plain data: made again from the same file it is equal, and a copy applies as the plan.
    assert dry_run(db, rak, data, sekretaris).langkah == plan.langkah
    apply(db, rak, sekretaris, pickle.loads(pickle.dumps(plan)))
    db.session.expire_all()
    baris = rak.revisi_aktif.baris
    assert [(b.indikator, b.biaya) for b in baris] == [
        ("Persentase capaian kegiatan 3", 1_000_000), ("Persentase capaian kegiatan 1", 1_500_000),
        ("Persentase indikator baru", 1_500_000)]
    assert [b.kunci for b in baris][:2] == [k3, k1]


def test_a_finished_pdf_comes_from_the_cache_beside_the_renderer(app, db, make_dokumen, monkeypatch):
    """The renderer process and the cache of finished PDFs are webapp/pdf_pool.py, next to
    webapp/pdf_render.py; webapp.pdf asks them (the load bench empties the cache there)."""
    from webapp import pdf, pdf_pool

    dokumen = make_dokumen("pk_komisi")
    asked = []
    monkeypatch.setattr(pdf_pool, "cache_get", lambda key: asked.append(key) or b"%PDF-dari-cache")
    monkeypatch.setattr(pdf, "lay_out", lambda html: b"%PDF-baru")
    with app.test_request_context("/"):
        revisi = dokumen.revisi_aktif
        assert pdf.pdf_dokumen(dokumen, revisi) == b"%PDF-dari-cache"
        assert asked == [pdf_pool.cache_key(pdf.html_dokumen(dokumen, revisi))]
    assert pdf.renderer is pdf_pool.renderer and pdf.TerlaluLama is pdf_pool.TerlaluLama
