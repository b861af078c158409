""".ods and .csv wherever .xlsx is accepted (issue 19, item 3).

The seeds' RAK exported by the app as .xlsx, converted by LibreOffice (headless) to .ods
and to CSV the way an Indonesian office saves it (semicolons, amounts and percentages as
shown), read the same: same rows, amounts, schedule and pelaksana, the same dry run,
through the library, the upload page and ``sakip import``. Hostile and broken .ods files
(repeat bombs, DTDs, macros, encryption, truncation), an .xls, and CSV files in the wrong
encoding are refused with an Indonesian message saying what to do instead.
"""
from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
import sqlalchemy as sa

from tenants.hierarchy import load_hierarchy
from tenants.satker import Satker
from tests.conftest import csrf_token_from, system_tool
from tests.import_corpus import corpus
from tests.test_import import _apply, _cli, _upload, ubah_sel
from webapp import demo
from webapp.exports.xlsx import dokumen_xlsx
from workflow import imports, schedule
from workflow.dokumen.models import Dokumen, JenisDokumen
from workflow.imports import berkas
from workflow.schedule import BentukJadwal

RAK = JenisDokumen.RAK_SEKRETARIAT
# What LibreOffice's CSV filter is told: ';' (59), '"' (34), UTF-8 (76) or Windows-1252 (1),
# from line 1, Indonesian (1057), cells saved as shown (the last "true"): as an office saves it.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):59,34,{charset},1,,1057,false,true,true"


def convert(data: bytes, name: str, target: str, tmp_path) -> bytes:
    """``data`` (an .xlsx) converted by LibreOffice in an Indonesian profile."""
    soffice = system_tool("soffice", "libreoffice", package="libreoffice-calc")
    source = tmp_path / name
    source.write_bytes(data)
    outdir = tmp_path / target.split(":")[0]
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(outdir), str(source)],
        check=False, capture_output=True, text=True, timeout=120, env={"LANG": "id_ID.UTF-8", "HOME": str(tmp_path),
                                                           "PATH": "/usr/bin:/bin"})
    converted = outdir / (source.stem + "." + target.split(":")[0])
    assert converted.exists(), (result.stdout, result.stderr)
    return converted.read_bytes()


def sheet_rows(plan_lines: list[str]) -> list[str]:
    """The dry run with the file's row numbers left out: a CSV numbers its rows as the
    file's lines, and a cell of several lines makes them differ from a sheet's rows."""
    return [re.sub(r"\(berkas baris \d+\)|^Baris \d+: ", "", line) for line in plan_lines]


def line_of(data: bytes, first_cell: str) -> int:
    """The line of a CSV file that starts with ``first_cell;``."""
    lines = data.decode("utf-8").split("\n")
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(first_cell + ";"))


def rows_of(tabel: imports.TabelImpor) -> list[tuple]:
    return [(b.kunci, b.indikator, b.target, b.kegiatan, b.kode_output, b.jadwal, b.biaya, b.pelaksana)
            for b in tabel.baris]


# -- the seeds' RAK, three ways ----------------------------------------------------------------------

@pytest.fixture
def seeded(db):
    """The demo's offices, accounts and seed documents; Kota Batu's RAK Sekretariat 2024 (a draft)."""
    load_hierarchy(db.session)
    demo.load_demo(db.session)
    db.session.commit()
    return db.session.scalars(sa.select(Dokumen).join(Satker).where(
        Satker.kode == "35.79", Dokumen.tahun == 2024, Dokumen.jenis == RAK)).one()


def _users(db, *names):
    from tenants.people import User
    return [db.session.scalar(sa.select(User).where(User.username == n)) for n in names]


def test_the_seed_rak_as_ods_and_csv_reads_and_plans_as_the_xlsx(db, seeded, tmp_path, client, login):
    source = seeded.revisi_aktif
    assert len(source.baris) == 15
    # Offline, the planner changes an amount, a pelaksana and a month, then saves it three ways.
    xlsx = ubah_sel(dokumen_xlsx(seeded), {(2, "Perkiraan Biaya"): 123_456_789, (3, "Pelaksana"): "Subbag KUL",
                                           (4, "Perkiraan Biaya"): "Rp 7.500.000"})
    ods = convert(xlsx, "rak.xlsx", "ods", tmp_path)
    csv = convert(xlsx, "rak.xlsx", CSV_FILTER.format(charset=76), tmp_path)
    assert ods.startswith(b"PK") and b";Rp 123.456.789;" in csv

    tables = {name: imports.baca_berkas(data, f"rak.{name}", RAK) for name, data in
              (("xlsx", xlsx), ("ods", ods), ("csv", csv))}
    assert tables["ods"].meta == tables["xlsx"].meta and tables["ods"].meta["dokumen_id"] == str(seeded.id), \
        "the hidden metadata sheet survives LibreOffice: the document and version checks apply to the .ods too"
    for name, tabel in tables.items():
        assert not tabel.masalah, (name, [str(m) for m in tabel.masalah])
        assert len(tabel.baris) == 15, name
        assert rows_of(tabel) == rows_of(tables["xlsx"]), name
    second = tables["ods"].baris[1]
    assert (second.biaya, tables["csv"].baris[2].pelaksana) == (123_456_789, "kul")
    assert second.target == source.baris[1].target and second.target.endswith("%")

    sekretaris, = _users(db, "batu.sekretaris")
    plans = {name: imports.rencana(db.session, seeded, tabel, sekretaris) for name, tabel in tables.items()}
    listed = plans["xlsx"].teks()
    assert "Diubah 3 (3 sel diubah)." in listed
    assert plans["ods"].teks() == listed
    assert sheet_rows(plans["csv"].teks()) == sheet_rows(listed)
    assert [b.nomor for b in tables["ods"].baris] == [b.nomor for b in tables["xlsx"].baris]
    assert [b.nomor for b in tables["csv"].baris] == [line_of(csv, str(no)) for no in range(1, 16)]

    # Through the page: the .ods uploaded, the same dry run shown, applied.
    login(sekretaris, password=demo.DEMO_PASSWORD)
    page = _upload(client, seeded, ods, name="rak-batu.ods")
    assert page.status_code == 200 and "Diubah 3 (3 sel diubah)." in page.text, page.text
    assert "Rp 123.456.789" in page.text
    assert _apply(client, seeded, page).status_code == 302
    db.session.expire_all()
    baris = seeded.revisi_aktif.baris
    assert (baris[1].biaya, baris[2].pelaksana, baris[3].biaya) == (123_456_789, "kul", 7_500_000)
    # The CSV holds the same content: nothing left to change.
    assert imports.rencana(db.session, seeded, imports.baca_berkas(csv, "rak.csv", RAK), sekretaris).kosong


def test_sakip_import_takes_the_csv_into_a_new_document_row_for_row(db, app, seeded, tmp_path):
    csv = convert(dokumen_xlsx(seeded), "rak.xlsx", CSV_FILTER.format(charset=1), tmp_path)  # Windows-1252
    path = tmp_path / "rak-2025.csv"
    path.write_bytes(csv)
    args = ("import", "rak_sekretariat", str(path), "--satker", "35.79", "--year", "2025")
    dry = _cli(app, *args, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Ditambah 15." in dry.output and "Uji coba: tidak ada yang disimpan." in dry.output
    done = _cli(app, *args)
    assert done.exit_code == 0, done.output
    baru = db.session.scalars(sa.select(Dokumen).join(Satker).where(
        Satker.kode == "35.79", Dokumen.tahun == 2025, Dokumen.jenis == RAK)).one()

    def rows(revisi):
        return [(b.indikator, b.target, [k.uraian for k in b.kegiatan], b.kode_output, schedule.bulan(b.jadwal),
                 b.biaya, b.pelaksana) for b in revisi.baris]

    assert rows(baru.revisi_aktif) == rows(seeded.revisi_aktif)
    ods = tmp_path / "rak.ods"
    ods.write_bytes(convert(dokumen_xlsx(seeded), "rak.xlsx", "ods", tmp_path))
    again = _cli(app, "import", "rak_sekretariat", str(ods), "--satker", "35.79", "--year", "2024", "--dry-run")
    assert again.exit_code == 0 and "Tidak ada perubahan." in again.output, again.output


# -- an office's own table ------------------------------------------------------------------------------

def test_kota_batu_s_office_table_as_ods_and_csv(db, make_dokumen, people, tmp_path):
    rak = make_dokumen("rak_sekretariat", baris=0)
    sekretaris = people("35.79").sekretaris
    xlsx = corpus.batu_xlsx()
    expected = imports.rencana(db.session, rak, imports.baca_berkas(xlsx, "batu.xlsx", RAK), sekretaris).teks()
    assert "Ditambah 3." in expected
    for target in ("ods", CSV_FILTER.format(charset=76)):
        data = convert(xlsx, "batu.xlsx", target, tmp_path)
        plan = imports.rencana(db.session, rak, imports.baca_berkas(data, "batu", RAK), sekretaris)
        assert (plan.teks() if target == "ods" else sheet_rows(plan.teks())) == (
            expected if target == "ods" else sheet_rows(expected)), target


def _office_csv(encoding: str, sep: str = ";") -> bytes:
    lines = [
        "RENCANA AKSI KINERJA SEKRETARIAT KPU KOTA BATU TAHUN 2024",
        sep.join(["No", "Indikator Kinerja", "Target", "Kegiatan", "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul",
                  "Agu", "Sep", "Okt", "Nov", "Des", "Perkiraan Biaya", "Pelaksana"]),
        sep.join(["1", "Persentase pegawai yang mengisi SKP – tepat waktu", "97,5%",
                  '"- Sosialisasi SKP (café)\n- Menghimpun SKP"', "v", "v", "v", "", "", "", "", "", "", "", "", "", "Rp 1.500.000",
                  "Subbag Hukum dan SDM"]),
        sep.join(["2", "Jumlah laporan keuangan", "12 Laporan", "Rapat", "v", "", "", "", "", "", "", "", "", "", "",
                  "v", "20.999.655.000", "Subbagian Keuangan, Umum dan Logistik"]),
    ]
    return "\r\n".join(lines).encode(encoding)


@pytest.mark.parametrize(("encoding", "sep"), [("cp1252", ";"), ("utf-8", ","), ("utf-8-sig", ";"), ("utf-8", "\t"),
                                                ("utf-16", "\t")])
def test_an_office_csv_in_any_usual_encoding_and_separator(encoding, sep):
    data = _office_csv(encoding, sep)
    if sep == ",":
        data = data.replace(b"97,5%", b'"97,5%"')
    tabel = imports.baca_berkas(data, "rak.csv", RAK)
    assert not tabel.masalah, [str(m) for m in tabel.masalah]
    first, second = tabel.baris
    assert first.nomor == 3 and second.nomor == 5, "rows are numbered as the file's lines"
    assert (first.indikator, first.target, first.kegiatan) == (
        "Persentase pegawai yang mengisi SKP – tepat waktu", "97,5%", ["Sosialisasi SKP (café)", "Menghimpun SKP"])
    assert (first.biaya, first.pelaksana, schedule.bulan(first.jadwal)) == (1_500_000, "hukum_sdm", [1, 2, 3])
    assert (second.target, second.biaya, second.pelaksana, schedule.bulan(second.jadwal)) == (
        "12 Laporan", 20_999_655_000, "kul", [1, 12])


def test_a_csv_cell_garbled_by_a_wrong_encoding_is_refused_with_its_place():
    garbled = _office_csv("utf-8").decode("utf-8").encode("utf-8").decode("cp1252").encode("utf-8")
    with pytest.raises(imports.BerkasDitolak) as refused:
        imports.baca_berkas(garbled, "rak.csv", RAK)
    assert "Baris 3, kolom B" in refused.value.message and "CSV UTF-8" in refused.value.message
    bad = _office_csv("utf-8").replace("–".encode(), b"\xef\xbf\xbd")
    with pytest.raises(imports.BerkasDitolak, match="Baris 3, kolom B"):
        imports.baca_berkas(bad, "rak.csv", RAK)
    with pytest.raises(imports.BerkasDitolak, match="CSV UTF-8"):
        imports.baca_berkas(b"No;Indikator\n1;\x81\x8d\x90 rusak\n", "rak.csv", RAK)  # neither UTF-8 nor 1252


def test_a_csv_beyond_the_sheet_limits_is_refused():
    wide = ";".join(["x"] * (berkas.MAX_KOLOM + 1)).encode()
    with pytest.raises(imports.BerkasDitolak, match="lebih dari 80 kolom"):
        imports.baca_berkas(b"No;Indikator Kinerja;Target\n" + wide, "lebar.csv", RAK)
    header = "No;Sasaran;Indikator Kinerja;Target;Kegiatan;Perkiraan Biaya;Pelaksana\n"
    long = header + "".join(f"{i};S;Indikator {i};1 Laporan;Rapat;Rp 1.000;Subbag KUL\n" for i in range(1, 2002))
    with pytest.raises(imports.BerkasDitolak, match="2000"):
        imports.baca_berkas(long.encode(), "panjang.csv", RAK)


# -- .ods made by hand: what LibreOffice writes, and what it never does -------------------------------------

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
      'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"')
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '{extra}</manifest:manifest>')


def cell(value, kind="string", style=None, repeat=1, span=None) -> str:
    attrs = f' table:style-name="{style}"' if style else ""
    attrs += f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    attrs += f' table:number-columns-spanned="{span[0]}" table:number-rows-spanned="{span[1]}"' if span else ""
    if value is None:
        return f"<table:table-cell{attrs}/>"
    if kind == "string":
        paragraphs = "".join(f"<text:p>{p}</text:p>" for p in str(value).split("\n"))
        return f'<table:table-cell office:value-type="string"{attrs}>{paragraphs}</table:table-cell>'
    return (f'<table:table-cell office:value-type="{kind}" office:value="{value}"{attrs}>'
            f"<text:p>{value}</text:p></table:table-cell>")


def row(*cells: str, repeat: int = 1) -> str:
    attrs = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{attrs}>{''.join(cells)}</table:table-row>"


STYLES = ('<office:automatic-styles><number:number-style style:name="N1"><number:number number:decimal-places="0"/>'
          '<number:text> Laporan</number:text></number:number-style>'
          '<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>'
          '<style:style style:name="taH" style:family="table"><style:table-properties table:display="false"/>'
          '</style:style></office:automatic-styles>')
HEADER = row(*(cell(h) for h in ("No", "Indikator Kinerja", "Target", "Kegiatan", "TW1", "TW2", "TW3", "TW4",
                                 "Perkiraan Biaya", "Pelaksana")))


def ods(*rows: str, sheets: str = "", prolog: str = "", manifest_extra: str = "", extra: dict | None = None,
        scripts: str = "<office:scripts/>") -> bytes:
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NS}>{scripts}{STYLES}'
               f'<office:body><office:spreadsheet>{sheets}<table:table table:name="RAK">'
               f'<table:table-column table:number-columns-repeated="16384"/>{"".join(rows)}</table:table>'
               f"</office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", MANIFEST.format(extra=manifest_extra))
        z.writestr("content.xml", content)
        for name, body in (extra or {}).items():
            z.writestr(name, body)
    return out.getvalue()


GOOD_ROWS = (
    HEADER,
    row(cell(1, "float"), cell("Persentase pegawai tepat waktu"), cell(0.975, "percentage"), cell("- Rapat\n- Bimtek"),
        cell("v", span=(2, 1)), "<table:covered-table-cell/>", cell(None, repeat=2), cell(1500000, "currency"),
        cell("Subbag KUL")),
    row(cell(None, repeat=10), repeat=3),   # empty rows inside the table's reach
    row(cell(2, "float"), cell("Jumlah laporan"), cell(12, "float", style="ce1"), cell("Rapat"),
        cell("√", repeat=4), cell("Rp 20.999.655.000"), cell("Subbag Hukum dan SDM")),
    row(cell(None, repeat=16384), repeat=1048570),   # what LibreOffice writes below a table
)


def test_an_ods_keeps_types_repeats_and_merges_as_the_cell_readers_expect():
    hidden = f'<table:table table:name="Arsip" table:style-name="taH">{row(cell("Indikator Kinerja"))}</table:table>'
    tabel = imports.baca_berkas(ods(*GOOD_ROWS, sheets=hidden), "rak.ods", RAK)
    assert tabel.lembar == "RAK" and not tabel.masalah, [str(m) for m in tabel.masalah]
    first, second = tabel.baris
    assert (first.nomor, first.target, first.kegiatan, first.biaya, first.pelaksana) == (
        2, "97,5%", ["Rapat", "Bimtek"], 1_500_000, "kul")
    assert schedule.sel(first.jadwal, BentukJadwal.TRIWULAN) == [True, True, False, False], "the merged mark covers TW1-2"
    assert schedule.sel(second.jadwal, BentukJadwal.TRIWULAN) == [True] * 4
    assert (second.nomor, second.target, second.biaya, second.pelaksana) == (6, "12 Laporan", 20_999_655_000,
                                                                              "hukum_sdm")


BOMBS = {
    # One filled cell repeated across every column of every row: a few bytes, 17 billion cells.
    "cells_everywhere": ((HEADER, row(cell("v", repeat=16384), repeat=1048575)), "lebih dari 80 kolom"),
    "rows_without_end": ((HEADER, row(cell(1, "float"), cell("Indikator"), cell("v", repeat=8), repeat=1048575)),
                         "2000"),
    "far_column": ((HEADER, row(cell(None, repeat=200), cell("x"))), "lebih dari 80 kolom"),
    "far_row": ((HEADER, row(cell(None), repeat=30000), row(cell(1, "float"), cell("a"), cell("b"))),
                "terlalu panjang"),
    "absurd_repeat": ((HEADER, row(cell("x", repeat=10**12))), "rusak"),
    # Empty cells written one by one: no repeat to bound (a million of them is a zip bomb too).
    "cells_one_by_one": ((HEADER, row(*(["<table:table-cell/>"] * 30_000))), "terlalu rumit"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_an_ods_repeat_bomb_is_bounded(name):
    rows, message = BOMBS[name]
    with pytest.raises(imports.BerkasDitolak) as refused:
        imports.baca_berkas(ods(*rows), "bom.ods", RAK)
    assert message in refused.value.message


def test_a_huge_ods_is_refused_at_the_row_limit_having_made_no_further_rows(monkeypatch):
    from workflow.imports import ods as ods_module

    made = []

    class Counted(berkas.BarisLembar):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self.nomor)

    monkeypatch.setattr(ods_module, "BarisLembar", Counted)
    body = [row(cell(i, "float"), cell(f"Indikator {i}"), cell("1 Laporan"), cell("Rapat"), cell("v", repeat=4),
                cell(1000, "currency"), cell("Subbag KUL")) for i in range(1, 20_001)]
    with pytest.raises(imports.BerkasDitolak, match="lebih dari 2000 baris"):
        imports.baca_berkas(ods(HEADER, *body), "besar.ods", RAK)
    assert 2000 < len(made) <= imports.MAX_BARIS + 2, len(made)


REFUSED = {
    "dtd": (lambda: ods(*GOOD_ROWS, prolog='<!DOCTYPE x [<!ENTITY a "aaaa">]>'), "DTD"),
    "xml_bomb_in_styles": (lambda: ods(*GOOD_ROWS, extra={"styles.xml": corpus.XML_BOMB}), "bom XML"),
    "basic_macro": (lambda: ods(*GOOD_ROWS, extra={"Basic/Standard/Module1.xml": "<x/>"}), "makro"),
    "manifest_script": (lambda: ods(*GOOD_ROWS, manifest_extra='<manifest:file-entry manifest:full-path="Scripts/'
                                    'python/m.py" manifest:media-type="application/binary"/><manifest:file-entry '
                                    'manifest:full-path="Scripts/" manifest:media-type="application/vnd.sun.star.'
                                    'framework-script"/>'), "makro"),
    "event_listener": (lambda: ods(*GOOD_ROWS, scripts='<office:scripts><office:event-listeners><script:event-listener'
                                   ' script:event-name="dom:load"/></office:event-listeners></office:scripts>'), "makro"),
    "encrypted": (lambda: ods(*GOOD_ROWS, manifest_extra="<manifest:encryption-data/>"), "kata sandi"),
    "truncated": (lambda: ods(*GOOD_ROWS)[:900], "rusak"),
    "zip_bomb": (lambda: _zip_bomb_ods(), "bom zip"),
    "odt": (lambda: _odt(), "bukan lembar kerja"),
}


def _zip_bomb_ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", b" " * (50 * 1024 * 1024))
    return out.getvalue()


def _odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<x/>")
    return out.getvalue()


def _broken_content() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", f"<office:document-content {NS}><office:body><office:spreadsheet>"
                                  f"<table:table table:name='RAK'>{HEADER}<table:table-row><table:table-cell")
    return out.getvalue()


REFUSED["broken_xml"] = (_broken_content, "rusak")
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_hostile_or_broken_ods_is_refused_with_its_message(name):
    make, message = REFUSED[name]
    with pytest.raises(imports.BerkasDitolak) as refused:
        imports.baca_berkas(make(), "rak.ods", RAK)
    assert message in refused.value.message


@pytest.mark.parametrize(("name", "data", "message"), [
    ("rak.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "Simpan ulang sebagai .xlsx, .ods atau .csv"),
    ("rak.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "File > Save As"),
    ("rak.pdf", b"%PDF-1.7\n", "tempel di kotak teks"),
    ("gambar.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "Simpan ulang sebagai .xlsx, .ods atau .csv"),
    ("arsip.zip", corpus._zip_of({"catatan.txt": b"bukan excel"}), "Simpan ulang sebagai .xlsx, .ods atau .csv"),
    ("surat.docx", corpus._zip_of({"word/document.xml": b"<w/>"}), "salin tabelnya lalu tempel"),
])
def test_other_formats_are_refused_with_the_remedy(name, data, message):
    with pytest.raises(imports.BerkasDitolak) as refused:
        imports.baca_berkas(data, name, RAK)
    assert message in refused.value.message


def test_content_decides_not_the_name():
    csv = _office_csv("utf-8")
    as_xlsx = imports.baca_berkas(csv, "rak.xlsx", RAK)
    as_ods = imports.baca_berkas(ods(*GOOD_ROWS), "rak.xlsx", RAK)
    assert [b.biaya for b in as_xlsx.baris] == [1_500_000, 20_999_655_000]
    assert [b.biaya for b in as_ods.baris] == [1_500_000, 20_999_655_000]


# -- the page ---------------------------------------------------------------------------------------------------

@pytest.fixture
def batu_rak(make_dokumen):
    return make_dokumen("rak_sekretariat", baris=0)


def test_the_form_names_the_formats_and_takes_an_ods_and_a_csv(db, client, login, batu_rak, people):
    login(people("35.79").sekretaris)
    form = client.get(f"/dokumen/{batu_rak.id}/impor").text
    accept = re.search(r'accept="([^"]+)"', form).group(1)
    assert {".xlsx", ".ods", ".csv"} <= set(accept.split(","))
    assert ".ods" in form and "CSV" in form
    for name, data, first in (("rak.ods", ods(*GOOD_ROWS), "Persentase pegawai tepat waktu"),
                              ("rak.csv", _office_csv("cp1252"), "Persentase pegawai yang mengisi SKP – tepat waktu")):
        page = _upload(client, batu_rak, data, name=name)
        assert page.status_code == 200 and "Ditambah 2." in page.text, (name, page.text)
        assert first in page.text
    assert _apply(client, batu_rak, page).status_code == 302
    db.session.expire_all()
    assert [(b.biaya, b.pelaksana, b.target) for b in batu_rak.revisi_aktif.baris] == [
        (1_500_000, "hukum_sdm", "97,5%"), (20_999_655_000, "kul", "12 Laporan")]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("rak.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, "Simpan ulang sebagai .xlsx, .ods atau .csv"),
    ("bom.ods", ods(*BOMBS["cells_everywhere"][0]), "lebih dari 80 kolom"),
    ("rak.ods", REFUSED["dtd"][0](), "DTD"),
    ("rak.ods", REFUSED["basic_macro"][0](), "makro"),
    ("rak.ods", REFUSED["truncated"][0](), "rusak"),
])
def test_a_refused_upload_says_what_to_do_never_a_500(db, client, login, batu_rak, people, name, data, message):
    login(people("35.79").sekretaris)
    response = _upload(client, batu_rak, data, name=name)
    assert response.status_code == 422 and message in response.text
    assert 'data-testid="import-apply"' not in response.text
    assert csrf_token_from(response.text)  # the form is there again, to try another file


def test_sakip_import_refuses_an_xls_with_the_remedy(db, app, people, tmp_path):
    assert people("35.79").sekretaris  # the office's penyusun exists: the refusal is the file's
    path = tmp_path / "rak.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    result = _cli(app, "import", "rak_sekretariat", str(path), "--satker", "35.79", "--year", "2024", "--dry-run")
    assert result.exit_code != 0 and "Simpan ulang sebagai .xlsx, .ods atau .csv" in result.output
