"""Tables copied out of PDFs (issue 19, items 1 and 4): the corpus in tests/import_corpus/pdf/.

Each seeded RAK and PK, printed to PDF by LibreOffice in its office's layout, copied out
three ways (tests/import_corpus/pdf.py). A copy that keeps the columns (``layout``) must
land every row with the seed's amounts, schedule and pelaksana; a copy that lost the
columns (``raw``, ``viewer``) is refused with the remedy, never read wrongly.
"""
from __future__ import annotations

import pytest

from tests.test_import import batu  # noqa: F401 (fixture)

from tests.import_corpus import pdf
from workflow import imports, schedule

# Failures found and not fixed yet: each is a case that must start passing (strict).
BELUM = {
    ("batu-rak-sekretariat", "utuh", "layout"): "page 2 of the PDF shifts its columns; its rows are read apart",
    ("kubu-raya-rak-sekretariat", "utuh", "layout"): "three rows whose sasaran overruns the indikator column",
    ("batu-rak-sekretariat", "tanpa-judul", "layout"): "page 2 of the PDF shifts its columns",
    ("kubu-raya-rak-sekretariat", "tanpa-judul", "layout"): "three rows whose sasaran overruns the indikator column",
    ("balangan-pk-sekretariat", "utuh", "layout"): "the PK reader does not join wrapped lines of a PDF copy yet",
    ("balangan-pk-komisi", "utuh", "layout"): "the PK reader does not join wrapped lines of a PDF copy yet",
}


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
