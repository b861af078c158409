"""Tables copied out of PDFs (issue 19, items 1 and 4): the corpus in tests/import_corpus/pdf/.

Each seeded RAK and PK, printed to PDF by LibreOffice in its office's layout, copied out
three ways (tests/import_corpus/pdf.py). A copy that keeps the columns (``layout``) must
land every row with the seed's amounts, schedule and pelaksana; a copy that lost the
columns (``raw``, ``viewer``) is refused with the remedy, never read wrongly.
"""
from __future__ import annotations

import html
import io
import re

import pytest
import xlsxwriter

from tests.conftest import csrf_token_from
from tests.import_corpus import pdf
from workflow import imports, schedule
from workflow.dokumen.models import JenisDokumen
from workflow.imports import sel
from workflow.schedule import BentukJadwal

# Failures found and not fixed yet: each is a case that must start passing (strict).
BELUM: dict[tuple[str, str, str], str] = {}


def selisih(tabel, seed: dict) -> list[str]:
    """What differs between the rows read and the seed's, row by row (empty: all landed)."""
    out = [f"{len(tabel.baris)} baris dibaca, seed {len(seed['baris'])}"] \
        if len(tabel.baris) != len(seed["baris"]) else []
    for n, (b, s) in enumerate(zip(tabel.baris, seed["baris"]), start=1):
        expected = {"sasaran": s["sasaran"], "indikator": s["indikator"], "target": s["target"],
                    "kegiatan": s["kegiatan"], "kode_output": s.get("kode_output"), "bulan": s["bulan"],
                    "biaya": s.get("biaya"), "pelaksana": s["pelaksana"] if s.get("pelaksana_tertulis") else None}
        got = {"sasaran": b.sasaran, "indikator": b.indikator, "target": b.target, "kegiatan": b.kegiatan,
               "kode_output": b.kode_output, "bulan": schedule.bulan(b.jadwal) if b.jadwal else None,
               "biaya": b.biaya, "pelaksana": b.pelaksana}
        out += [f"baris {n} ({b.nomor}) {k}: {got[k]!r} != {v!r}" for k, v in expected.items() if got[k] != v]
    return out


def _kasus():
    for case in pdf.kasus():
        mark = [pytest.mark.xfail(reason=BELUM[case], strict=True)] if case in BELUM else []
        yield pytest.param(*case, id=".".join(case), marks=mark)


@pytest.mark.parametrize(("nama", "varian", "cara"), list(_kasus()))
def test_every_row_of_a_pdf_copy_lands_or_the_copy_is_refused_with_the_remedy(nama, varian, cara):
    text, jenis = pdf.teks(nama, varian, cara), pdf.jenis(nama)
    if cara != "layout":
        with pytest.raises(imports.BerkasDitolak, match="pdftotext -layout"):
            imports.baca_teks(text, jenis)
        return
    tabel = imports.baca_teks(text, jenis)
    seed = pdf.seed(nama)
    if "baris" in seed and seed["baris"]:
        assert not tabel.masalah, [str(m) for m in tabel.masalah]
        assert selisih(tabel, seed) == []
    else:
        got = [(s.uraian, [(i.uraian, i.target) for i in s.indikator]) for s in tabel.sasaran]
        assert got == [(s["uraian"], [(i["uraian"], i["target"]) for i in s["indikator"]]) for s in seed["sasaran"]]


def test_columns_without_heading_are_read_by_what_they_hold_and_the_dry_run_says_so(db, make_dokumen, batu):
    rak = make_dokumen("rak_komisioner", baris=0)
    tabel = imports.baca_teks(pdf.teks("batu-rak-komisioner", "tanpa-judul", "layout"), rak.jenis)
    assert {"biaya", "pelaksana"} <= tabel.kolom
    plan = imports.rencana(db.session, rak, tabel, batu.ketua)
    lines = plan.teks()
    assert "Catatan: kolom 18 tidak berjudul; dibaca sebagai Perkiraan Biaya dari isinya" in lines, lines
    assert "Catatan: kolom 19 tidak berjudul; dibaca sebagai Pelaksana dari isinya" in lines, lines
    assert plan.ringkasan == "Ditambah 9." and plan.bisa_diterapkan, lines
    imports.terapkan(db.session, rak, batu.ketua, plan)
    db.session.commit()
    db.session.expire_all()
    seed = pdf.seed("batu-rak-komisioner")["baris"]
    got = [(b.indikator, b.biaya, b.pelaksana, schedule.bulan(b.jadwal), [k.uraian for k in b.kegiatan], b.kode_output)
           for b in rak.revisi_aktif.baris]
    assert got == [(s["indikator"], s["biaya"], s["pelaksana"], s["bulan"], s["kegiatan"], s["kode_output"])
                   for s in seed]


def test_an_unnamed_column_nothing_recognises_is_shown_not_dropped_silently(db, make_dokumen, batu):
    text = pdf.teks("batu-rak-komisioner", "utuh", "layout")
    # a column of remarks the header did not name, after the pelaksana
    lines = [line + ("   catatan rapat" if line.startswith((" 1.", " 2.")) else "") for line in text.split("\n")]
    tabel = imports.baca_teks("\n".join(lines), pdf.jenis("batu-rak-komisioner"))
    assert any("tidak berjudul dan tidak dikenali" in c and "'catatan rapat'" in c for c in tabel.catatan), tabel.catatan


def test_the_dry_run_shows_every_new_row_whole(db, make_dokumen, batu):
    rak = make_dokumen("rak_komisioner", baris=0)
    tabel = imports.baca_teks(pdf.teks("batu-rak-komisioner", "tanpa-judul", "layout"), rak.jenis)
    plan = imports.rencana(db.session, rak, tabel, batu.ketua)
    seed = pdf.seed("batu-rak-komisioner")["baris"]
    added = [p for p in plan.perubahan if p.jenis.value == "ditambah"]
    assert len(added) == len(seed)
    for p, s in zip(added, seed):
        isi = {i.kolom: i.nilai for i in p.isi}
        assert (p.judul, isi["target"], isi["kegiatan"], isi["kode_output"], isi["biaya"], isi["pelaksana"]) == \
            (s["indikator"], s["target"], s["kegiatan"], s["kode_output"], s["biaya"], s["pelaksana"])
        assert schedule.bulan(isi["jadwal"]) == s["bulan"]
        shown = {i.kolom: i.teks for i in p.isi}
        assert shown["biaya"] == f"Rp {s['biaya']:,}".replace(",", ".")
    lines = plan.teks()
    first = lines.index(str(added[0]))
    assert any(line.startswith("  Perkiraan biaya: Rp ") for line in lines[first:first + 9]), lines


def test_a_problem_names_the_pasted_line_and_the_document_row(db, make_dokumen, batu):
    rak = make_dokumen("rak_komisioner", baris=0)
    text = pdf.teks("batu-rak-komisioner", "utuh", "layout").replace("Rp. 101.570.000", "Rp. seratus juta", 1)
    assert "Rp. seratus juta" in text
    plan = imports.rencana(db.session, rak, imports.baca_teks(text, rak.jenis), batu.ketua)
    [problem] = plan.masalah
    line = next(n for n, t in enumerate(text.split("\n"), start=1) if "Rp. seratus juta" in t)
    row = next(n for n, b in enumerate(pdf.seed("batu-rak-komisioner")["baris"], start=1) if b["biaya"] == 101_570_000)
    assert str(problem).startswith(f"Baris {line}, kolom Perkiraan Biaya")
    assert problem.baris_dokumen == f"Baris {row}"
    added = next(p for p in plan.perubahan if p.baris_berkas == line)
    assert added.baris_dokumen == problem.baris_dokumen


# -- a small RAK typed as a user would paste it from Excel (tabs) ---------------------------------------------

JUDUL_BULAN = ["No", "Sasaran", "Indikator Kinerja", "Target", "Kegiatan", *map(str, range(1, 13)), "Perkiraan Biaya",
               "Pelaksana"]


def tempel(*rows: list[str], judul: list[str] = JUDUL_BULAN) -> str:
    return "\n".join("\t".join(r) for r in (judul, *rows))


def baris(no: int, indikator: str, kegiatan: str, bulan: list[str], biaya: str = "Rp 5.000.000",
          pelaksana: str = "Subbag KUL") -> list[str]:
    return [f"{no}.", "Sasaran A", indikator, "100%", kegiatan, *bulan, biaya, pelaksana]


def test_a_row_without_kegiatan_is_a_problem_of_the_dry_run_with_both_row_numbers(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    v = ["v"] * 12
    text = tempel(baris(1, "Persentase laporan", "- Rapat", v), baris(2, "Persentase arsip", "", v),
                  baris(3, "Persentase kajian", "- Kajian", v))
    plan = imports.rencana(db.session, rak, imports.baca_teks(text, rak.jenis), batu.sekretaris)
    [problem] = plan.masalah
    assert str(problem) == "Baris 3, kolom Kegiatan (5): kegiatan kosong; setiap baris rencana aksi wajib memiliki kegiatan"
    assert problem.baris_dokumen == "Baris 2"
    assert not plan.bisa_diterapkan
    # the same row typed with its kegiatan: nothing to fix
    fixed = text.replace("\tPersentase arsip\t100%\t\t", "\tPersentase arsip\t100%\t- Menata arsip\t")
    assert not imports.rencana(db.session, rak, imports.baca_teks(fixed, rak.jenis), batu.sekretaris).masalah


def test_a_table_without_kegiatan_column_flags_each_new_row(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    judul = [j for j in JUDUL_BULAN if j != "Kegiatan"]
    rows = [[c for k, c in enumerate(baris(n, f"Indikator {n}", "x", ["v"] * 12)) if k != 4] for n in (1, 2)]
    plan = imports.rencana(db.session, rak, imports.baca_teks(tempel(*rows, judul=judul), rak.jenis), batu.sekretaris)
    assert [(m.baris, m.baris_dokumen) for m in plan.masalah] == [(2, "Baris 1"), (3, "Baris 2")]
    assert all("tanpa kegiatan" in m.pesan and "kolom Kegiatan" in m.pesan for m in plan.masalah)


# -- schedule marks as PDF tools give them ---------------------------------------------------------------------

@pytest.mark.parametrize("tanda", ["v", "V", "x", "X", "√", "✓", "✔", "☑", "☒", "✗", "•", "●", "■", "1",
                                   "х", "Х", "χ", "ν", "ｖ", "Ｘ", "ⅴ", "ü", "þ"])
@pytest.mark.parametrize("kosong", ["-", "☐", ""])
def test_every_row_lands_whatever_mark_the_pdf_tool_wrote(tanda, kosong):
    nama = "batu-rak-komisioner"
    text = pdf.teks(nama, "utuh", "layout")
    # the marks under the months, as another tool or font hands them over
    text = "\n".join(re.sub(r"(?<= )v(?= )", tanda, line) for line in text.split("\n"))
    text = "\n".join(re.sub(r"(?<=  )-(?=  )", kosong or " ", line) for line in text.split("\n"))
    tabel = imports.baca_teks(text, pdf.jenis(nama))
    assert not tabel.masalah, [str(m) for m in tabel.masalah]
    assert [schedule.bulan(b.jadwal) for b in tabel.baris] == [s["bulan"] for s in pdf.seed(nama)["baris"]]


@pytest.mark.parametrize("value", ["у", "y", "ya", "·", "v v v v v", "v - v"])
def test_what_looks_like_no_mark_is_refused_with_what_to_write(value):
    with pytest.raises(sel.NilaiSalah, match="tulis"):
        sel.baca_tanda(value, True)


# -- several week marks in one month cell -------------------------------------------------------------------

@pytest.mark.parametrize(("value", "weeks"), [
    ("v v v v", {1, 2, 3, 4}), ("vvvv", {1, 2, 3, 4}), ("✓✓", {1, 2}), ("v v", {1, 2}), ("v v v", {1, 2, 3}),
    ("- v - v", {2, 4}), ("v - - -", {1}), ("☐ ✓ ✓ ☐", {2, 3}), ("- - - -", set()), ("х х", {1, 2}),
])
def test_several_week_marks_in_a_month_cell(value, weeks):
    assert sel.baca_tanda(value, True) == weeks
    # a quarter's cell marks the whole quarter whatever its marks say
    assert sel.baca_tanda(value, False) == (sel.SEMUA_MINGGU if weeks else set())


def test_a_weekly_schedule_run_together_under_the_months_lands_week_by_week(db, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    bulan = ["v v v v", "- v - v", "vv", *["-"] * 9]
    text = tempel(baris(1, "Persentase laporan", "- Rapat", bulan))
    plan = imports.rencana(db.session, rak, imports.baca_teks(text, rak.jenis), batu.sekretaris)
    assert not plan.masalah, plan.teks()
    assert [s.baru for s in plan.kepala] == ["Mingguan (minggu ke 1-4 tiap bulan)"]
    imports.terapkan(db.session, rak, batu.sekretaris, plan)
    db.session.commit()
    [row] = rak.revisi_aktif.baris
    assert schedule.uraian(row.jadwal, BentukJadwal.MINGGU) == "Jan minggu ke 1-4; Feb minggu ke 2, 4; Mar minggu ke 1-2"


def test_the_form_and_the_dry_run_say_which_marks_count(db, client, login, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    login(batu.sekretaris)
    form = client.get(f"/dokumen/{rak.id}/impor")
    text = tempel(baris(1, "Persentase laporan", "- Rapat", ["☑", "☐", "Х", *["-"] * 9]))
    page = client.post(f"/dokumen/{rak.id}/impor", data={"csrf_token": csrf_token_from(form.text), "teks": text})
    assert page.status_code == 200 and "Ditambah 1." in page.text, page.text
    for shown in (form.text, page.text):
        help_text = " ".join(html.unescape(re.search(r'data-testid="import-marks-help">(.*?)</small>', shown, re.S)[1])
                             .split())
        assert "Tanda jadwal yang dibaca: v x 1 √ ✓ ✔ ☑ ☒" in help_text and "Tidak bertanda: kosong, - 0 ☐." in help_text
        assert "'- v - v' = minggu ke 2 dan 4" in help_text


# -- a two-row quarter or month header -------------------------------------------------------------------------

def _xlsx_dua_judul(atas: str, bawah: list[str], marks: list[list[str]]) -> bytes:
    """A RAK whose schedule heading is two rows: ``atas`` merged over the ``bawah`` cells."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("RAK")
    for col, label in enumerate(("No", "Sasaran", "Indikator Kinerja", "Target", "Kegiatan")):
        ws.write(2, col, label)
    n = len(bawah)
    ws.merge_range(2, 5, 2, 4 + n, atas)
    ws.write_row(3, 5, bawah)
    ws.write(2, 5 + n, "Perkiraan Biaya")
    ws.write(2, 6 + n, "Pelaksana")
    for i, row in enumerate(marks):
        ws.write_row(4 + i, 0, [f"{i + 1}.", "Sasaran A", f"Indikator {i + 1}", "100%", "- Rapat", *row,
                                "Rp 5.000.000", "Subbag KUL"])
    wb.close()
    return out.getvalue()


@pytest.mark.parametrize(("atas", "bawah"), [("TW", ["1", "2", "3", "4"]), ("Triwulan", ["I", "II", "III", "IV"]),
                                             ("Triwulan ke", ["1", "2", "3", "4"])])
@pytest.mark.parametrize("cara", ["xlsx", "tab", "pdf"])
def test_a_quarter_heading_over_1_to_4_is_a_quarterly_schedule(db, make_dokumen, batu, atas, bawah, cara):
    rak = make_dokumen("rak_sekretariat", baris=0)
    marks = [["v", "-", "-", "v"], ["-", "v", "v", "-"]]
    if cara == "xlsx":
        tabel = imports.baca_berkas(_xlsx_dua_judul(atas, bawah, marks), "rak.xlsx", rak.jenis)
    else:
        head = ["No", "Sasaran", "Indikator Kinerja", "Target", "Kegiatan", atas, "", "", "", "Perkiraan Biaya",
                "Pelaksana"]
        rows = [head, ["", "", "", "", "", *bawah, "", ""]] + [
            [f"{i + 1}.", "Sasaran A", f"Indikator {i + 1}", "100%", "- Rapat", *m, "Rp 5.000.000", "Subbag KUL"]
            for i, m in enumerate(marks)]
        tabel = imports.baca_teks(tata_letak(rows) if cara == "pdf" else "\n".join("\t".join(r) for r in rows),
                                  rak.jenis)
    assert tabel.bentuk is BentukJadwal.TRIWULAN and not tabel.masalah, [str(m) for m in tabel.masalah]
    assert [schedule.sel(b.jadwal, BentukJadwal.TRIWULAN) for b in tabel.baris] == [
        [True, False, False, True], [False, True, True, False]]
    plan = imports.rencana(db.session, rak, tabel, batu.sekretaris)
    assert [s.baru for s in plan.kepala] == ["Triwulanan (TW1-TW4)"] and plan.bisa_diterapkan, plan.teks()


@pytest.mark.parametrize("cara", ["xlsx", "tab", "pdf"])
def test_a_month_heading_over_1_to_12_and_quarters_over_months_stay_monthly(make_dokumen, cara):
    jenis = JenisDokumen.RAK_SEKRETARIAT
    marks = [["v"] * 3 + ["-"] * 9]
    if cara == "xlsx":
        tabel = imports.baca_berkas(_xlsx_dua_judul("Bulan", [str(m) for m in range(1, 13)], marks), "r.xlsx", jenis)
    else:
        head = ["No", "Sasaran", "Indikator Kinerja", "Target", "Kegiatan", "TW I", "", "", "TW II", "", "", "TW III",
                "", "", "TW IV", "", "", "Perkiraan Biaya", "Pelaksana"]
        rows = [head, ["", "", "", "", "", *map(str, range(1, 13)), "", ""],
                ["1.", "Sasaran A", "Indikator 1", "100%", "- Rapat", *marks[0], "Rp 5.000.000", "Subbag KUL"]]
        tabel = imports.baca_teks(tata_letak(rows) if cara == "pdf" else "\n".join("\t".join(r) for r in rows), jenis)
    assert tabel.bentuk is BentukJadwal.BULAN and not tabel.masalah, [str(m) for m in tabel.masalah]
    assert [schedule.bulan(b.jadwal) for b in tabel.baris] == [[1, 2, 3]]


def tata_letak(rows: list[list[str]]) -> str:
    """Rows laid out in space-aligned columns, as ``pdftotext -layout`` gives a table."""
    widths = [max(len(r[c]) if c < len(r) else 0 for r in rows) for c in range(max(map(len, rows)))]
    return "\n".join("   ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows)


# -- several tables in one paste ----------------------------------------------------------------------------------

def _dua_potong(cara: str, judul2: list[str] = JUDUL_BULAN) -> tuple[str, list[list[str]]]:
    v = ["v"] * 12
    atas = [baris(1, "Indikator satu", "- Rapat", v), baris(2, "Indikator dua", "- Kajian", v)]
    bawah = [baris(3, "Indikator tiga", "- Monev", v), baris(4, "Indikator empat", "- Bimtek", v)]
    if judul2 is not JUDUL_BULAN:  # the second table's columns in another order
        bawah = [[r[JUDUL_BULAN.index(j)] for j in judul2] for r in bawah]
    if cara == "tab":
        first, second = tempel(*atas), tempel(*bawah, judul=judul2)
    else:
        first, second = tata_letak([JUDUL_BULAN, *atas]), tata_letak([judul2, *bawah])
    return f"{first}\n\nRENCANA AKSI KINERJA (lanjutan)   Halaman 2\n\n{second}\n", atas + bawah


@pytest.mark.parametrize("cara", ["tab", "pdf"])
def test_a_rak_pasted_in_two_pieces_with_the_header_repeated_is_read_whole(db, make_dokumen, batu, cara):
    rak = make_dokumen("rak_sekretariat", baris=0)
    text, rows = _dua_potong(cara)
    tabel = imports.baca_teks(text, rak.jenis)
    assert [b.indikator for b in tabel.baris] == [r[2] for r in rows] and not tabel.masalah
    assert tabel.catatan == ["Tabel ke-2 (mulai baris 7) dibaca juga; baris 5-6 di antaranya bukan bagian tabel "
                             "dan dilewati"]
    plan = imports.rencana(db.session, rak, tabel, batu.sekretaris)
    assert plan.ringkasan == "Ditambah 4." and "Catatan: " + tabel.catatan[0] in plan.teks()


@pytest.mark.parametrize("cara", ["tab", "pdf"])
def test_a_second_table_with_other_columns_is_named_as_skipped(db, make_dokumen, batu, cara):
    rak = make_dokumen("rak_sekretariat", baris=0)
    lain = ["No", "Indikator Kinerja", "Sasaran", *JUDUL_BULAN[3:]]
    text, rows = _dua_potong(cara, lain)
    tabel = imports.baca_teks(text, rak.jenis)
    assert [b.indikator for b in tabel.baris] == [r[2] for r in rows[:2]]
    assert tabel.catatan == ["Tabel ke-2 (baris 7-9) dilewati: kolomnya tidak sejajar dengan tabel pertama; tempel "
                             "atau unggah tabel itu tersendiri"]


# -- the column picker on the dry-run page --------------------------------------------------------------------

def _form_picker(page_text: str) -> dict[str, str]:
    """The picker form's fields as the browser would send them (its selects left as shown)."""
    form = re.search(r'<form[^>]*data-testid="import-columns-form".*?</form>', page_text, re.S)
    assert form, "the dry run shows no column picker"
    fields = {m[1]: html.unescape(m[2]) for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                                               form[0])}
    if teks := re.search(r'<textarea name="teks"[^>]*>(.*?)</textarea>', form[0], re.S):
        fields["teks"] = html.unescape(teks[1])
    for name in re.findall(r'<select[^>]*name="(kolom_\d+)"', form[0]):
        fields[name] = ""
    return fields


def _tanpa_judul_biaya() -> tuple[list[str], list[list[str]]]:
    """A RAK whose cost column lost its heading and holds bare numbers nothing recognises."""
    judul = [*JUDUL_BULAN[:17], "", "Pelaksana"]
    rows = [baris(1, "Persentase laporan", "- Rapat", ["v"] * 12, "5000000"),
            baris(2, "Persentase arsip", "- Menata arsip", ["-"] * 6 + ["v"] * 6, "7250000", "Subbag Hukum")]
    return judul, rows


def test_the_user_says_what_an_unheaded_column_is_and_the_dry_run_is_made_again(db, client, login, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    login(batu.sekretaris)
    judul, rows = _tanpa_judul_biaya()
    text = tempel(*rows, judul=judul)
    form = client.get(f"/dokumen/{rak.id}/impor")
    page = client.post(f"/dokumen/{rak.id}/impor", data={"csrf_token": csrf_token_from(form.text), "teks": text})
    assert page.status_code == 200
    assert "kolom 18 tidak berjudul dan tidak dikenali dari isinya (&#39;5000000&#39;, &#39;7250000&#39;)" in page.text
    column = re.search(r'data-testid="import-column" data-kolom="18">(.*?)</tr>', page.text, re.S)[1]
    assert "<code>5000000</code>, <code>7250000</code>" in column and "Perkiraan Biaya</option>" in column
    fields = _form_picker(page.text)
    assert fields["teks"] == text, "the pasted text is kept in the form"
    fields["kolom_18"] = "biaya"
    again = client.post(f"/dokumen/{rak.id}/impor", data=fields)
    assert again.status_code == 200 and "kolom 18 dibaca sebagai Perkiraan Biaya (pilihan Anda)" in again.text
    assert 'value="biaya" selected' in again.text
    assert "Rp 5.000.000" in again.text and "Rp 7.250.000" in again.text
    done = client.post(f"/dokumen/{rak.id}/impor/terapkan", data={
        "csrf_token": csrf_token_from(again.text), **dict(re.findall(
            r'<input type="hidden" name="(token|kolom_\d+)" value="([^"]*)"', again.text.split("import-apply-form")[1]))})
    assert done.status_code == 302, done.text
    db.session.expire_all()
    assert [(b.indikator, b.biaya, b.pelaksana) for b in rak.revisi_aktif.baris] == [
        ("Persentase laporan", 5_000_000, "kul"), ("Persentase arsip", 7_250_000, "hukum_sdm")]


def test_applying_with_another_choice_than_the_one_shown_saves_nothing(db, client, login, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    login(batu.sekretaris)
    judul, rows = _tanpa_judul_biaya()
    form = client.get(f"/dokumen/{rak.id}/impor")
    page = client.post(f"/dokumen/{rak.id}/impor", data={"csrf_token": csrf_token_from(form.text),
                                                        "teks": tempel(*rows, judul=judul), "kolom_18": "biaya"})
    token = re.search(r'name="token" value="([^"]+)"', page.text)[1]
    done = client.post(f"/dokumen/{rak.id}/impor/terapkan", data={
        "csrf_token": csrf_token_from(page.text), "token": token, "kolom_18": "abaikan"})
    assert done.status_code == 409
    db.session.expire_all()
    assert rak.revisi_aktif.baris == []


def test_an_uploaded_workbook_is_checked_again_with_the_choice_without_choosing_the_file_again(
        db, client, login, make_dokumen, batu):
    rak = make_dokumen("rak_sekretariat", baris=0)
    login(batu.sekretaris)
    judul, rows = _tanpa_judul_biaya()
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet("RAK")
    for r, values in enumerate([judul, *rows]):
        ws.write_row(r, 0, values)
    wb.close()
    form = client.get(f"/dokumen/{rak.id}/impor")
    page = client.post(f"/dokumen/{rak.id}/impor", data={"csrf_token": csrf_token_from(form.text), "teks": "",
                                                        "berkas": (io.BytesIO(out.getvalue()), "rak.xlsx")},
                       content_type="multipart/form-data")
    assert page.status_code == 200 and 'data-kolom="18"' in page.text
    assert re.search(r'data-kolom="18">\s*<td>R</td>', page.text), "a workbook's column by its letter"
    fields = _form_picker(page.text)
    assert fields.get("tunda") == "1" and "teks" not in fields
    fields["kolom_18"] = "biaya"
    again = client.post(f"/dokumen/{rak.id}/impor", data=fields)
    assert again.status_code == 200 and "Rp 7.250.000" in again.text and "Ditambah 2." in again.text, again.text
    assert "kolom R dibaca sebagai Perkiraan Biaya (pilihan Anda)" in again.text


def test_a_column_chosen_as_a_month_or_ignored_is_read_so():
    jenis = JenisDokumen.RAK_SEKRETARIAT
    judul = [*JUDUL_BULAN[:16], "", "Perkiraan Biaya", "Pelaksana", ""]  # December lost its heading
    rows = [[*baris(1, "Persentase laporan", "- Rapat", ["-"] * 10 + ["v", "v"]), "catatan"]]
    text = tempel(*rows, judul=judul)
    before = imports.baca_teks(text, jenis)
    # without December the months are no schedule: each of their columns is offered, with the remark column
    assert [k.no for k in before.terbuka] == [*range(6, 18), 20] and before.baris[0].jadwal is None
    tabel = imports.baca_teks(text, jenis, {4 + m: f"bulan_{m}" for m in range(1, 13)} | {19: "abaikan"})
    assert [schedule.bulan(b.jadwal) for b in tabel.baris] == [[11, 12]] and not tabel.masalah
    assert tabel.catatan[-2:] == ["kolom 17 dibaca sebagai jadwal bulan 12 (pilihan Anda)",
                                  "kolom 20 diabaikan (pilihan Anda)"]


def test_a_pk_row_placed_off_its_columns_lands_whole():
    """What the corpus needed, on one PK: a row whose columns pdftotext set a few places
    left of the page's, its indikator run into the sasaran at one space (the word goes
    where the indikator starts on the row's other lines; on the row's first line, the
    capitalised word opening it); a target's number in the gutter; a target wrapped."""
    text = "\n".join([
        "No   Sasaran                                Indikator Kinerja                   Target",
        "1.   Terwujudnya dukungan sarana dan     Persentase sarana untuk                100%",
        "     prasarana guna meningkatkan         mendukung kinerja Satker",
        "     kelancaran tugas KPU Kabupaten Kubu Kubu Raya yang berfungsi",
        "     Raya",
        "",
        "2.   Tersedianya pedoman atau petunjuk Jumlah dokumen SOP verifikasi          5 Dokumen",
        "     teknis verifikasi partai politik       yang disusun                        (Dakam)",
        "",
        "3.   Meningkatnya akuntabilitas kinerjanya  Persentase ketaatan pengisian       100%",
        "     lingkungan KPU Kabupaten               kartu kendali SPIP",
        "",
        "4.   Meningkatnya kualitas layanan          Persentase permohonan informasi     100%",
        "     informasi dan data yang tepat waktu    yang ditindaklanjuti melalui",
        "     kepada masyarakat                      PPID",
        "",
        "5.   Meningkatnya kapasitas SDM             Persentase pegawai yang             90%",
        "     yang berkompeten                       mengikuti pelatihan",
    ])
    tabel = imports.baca_teks(text, JenisDokumen.PK_SEKRETARIAT)
    assert not tabel.masalah, [str(m) for m in tabel.masalah]
    assert [(s.uraian, [(i.uraian, i.target) for i in s.indikator]) for s in tabel.sasaran][:2] == [
        ("Terwujudnya dukungan sarana dan prasarana guna meningkatkan kelancaran tugas KPU Kabupaten Kubu Raya",
         [("Persentase sarana untuk mendukung kinerja Satker Kubu Raya yang berfungsi", "100%")]),
        ("Tersedianya pedoman atau petunjuk teknis verifikasi partai politik",
         [("Jumlah dokumen SOP verifikasi yang disusun", "5 Dokumen (Dakam)")]),
    ]
    assert len(tabel.sasaran) == 5
