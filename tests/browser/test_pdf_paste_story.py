"""Issue 19's "Done when" in a real browser: a RAK table copied out of a PDF.

The Kota Batu sekretaris starts a new RAK Sekretariat draft for 2025 and pastes last
year's RAK as ``pdftotext -layout`` copies it from the PDF LibreOffice prints
(tests/import_corpus/pdf), a copy that lost the "Perkiraan Biaya" and "Pelaksanaan"
headings. The dry run says which columns it read from their content, shows every new
row whole (target, kegiatan, code, schedule, cost, pelaksana) and lists the columns
without heading in its picker; the sekretaris confirms one and checks again; Terapkan;
the document matches the seed row for row.

The module's ``live_server`` is its own (module scope), loaded with ``sakip demo``'s data.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_paper_story import (TAHUN_BARU, apply_import, check_and_expect_dry_run, expect_rak_page,
                                            month_marks, open_documents_list, rupiah)
from tests.import_corpus import pdf
from workflow.dokumen import operations

pytestmark = pytest.mark.browser

NAMA = "batu-rak-sekretariat"


def test_a_rak_copied_out_of_a_pdf_without_its_amount_and_pelaksana_headings_lands_row_for_row(
        page: Page, live_server):
    page.set_default_timeout(15_000)
    seed = pdf.seed(NAMA)["baris"]
    labels = dict(operations.pilihan_pelaksana(pdf.jenis(NAMA)))
    text = pdf.teks(NAMA, "tanpa-judul", "layout")
    assert "Perkiraan Biaya" not in text and "Pelaksanaan  " not in text

    sign_in(page, live_server, "batu.sekretaris")
    open_documents_list(page, live_server, TAHUN_BARU)
    page.get_by_test_id("doc-rak_sekretariat").get_by_role("button", name="Buat draf").click()
    expect(page.get_by_role("alert").filter(has_text="RAK Sekretariat dibuat sebagai draf")).to_be_visible()
    expect_rak_page(page, TAHUN_BARU)
    document_url = page.url

    page.get_by_test_id("import-link").click()
    page.get_by_label("atau tempel tabel dari Word, PDF atau Excel").fill(text)
    check_and_expect_dry_run(page)
    expect(page.get_by_test_id("import-summary")).to_have_text(f"Ditambah {len(seed)}.")
    expect(page.get_by_test_id("import-note")).to_have_text([
        "kolom 18 tidak berjudul; dibaca sebagai Perkiraan Biaya dari isinya",
        "kolom 19 tidak berjudul; dibaca sebagai Pelaksana dari isinya"])
    added = page.get_by_test_id("import-change")
    expect(added).to_have_count(len(seed))
    for i, s in enumerate(seed):
        change = added.nth(i)
        expect(change.get_by_test_id("import-change-row")).to_have_text(f"Baris {i + 1}")
        expect(change).to_contain_text(s["indikator"])
        cell = change.get_by_test_id("import-new-row")
        expect(cell.locator("[data-kolom=target]")).to_have_text(s["target"])
        expect(cell.locator("[data-kolom=kode_output]")).to_have_text(s["kode_output"] or "-")
        expect(cell.locator("[data-kolom=biaya]")).to_have_text(rupiah(s["biaya"]))
        expect(cell.locator("[data-kolom=pelaksana]")).to_have_text(labels[s["pelaksana"]])
        expect(cell.locator("[data-kolom=kegiatan]")).to_contain_text(s["kegiatan"][0])

    # The picker lists the columns without heading with their values; the user confirms
    # column 18 as the cost: the dry run is made again from the text kept in the page.
    picker = page.get_by_test_id("import-columns-form")
    expect(picker.get_by_test_id("import-column")).to_have_count(2)
    expect(picker.locator("[data-kolom='18']")).to_contain_text("Rp.")
    page.get_by_label("Kolom 18 dibaca sebagai").select_option("biaya")
    page.get_by_test_id("import-columns-check").click()
    expect(page.get_by_test_id("import-note")).to_have_text([
        "kolom 19 tidak berjudul; dibaca sebagai Pelaksana dari isinya",
        "kolom 18 dibaca sebagai Perkiraan Biaya (pilihan Anda)"])
    expect(page.get_by_test_id("import-summary")).to_have_text(f"Ditambah {len(seed)}.")
    expect(page.get_by_label("Kolom 18 dibaca sebagai")).to_have_value("biaya")

    apply_import(page, document_url, f"Ditambah {len(seed)}.")
    rows = page.get_by_test_id("rak").locator("tbody tr")
    expect(rows).to_have_count(len(seed))
    expect(page.get_by_test_id("total-biaya")).to_have_text(rupiah(sum(s["biaya"] for s in seed)))
    for i, s in enumerate(seed, start=1):
        row = page.get_by_test_id(f"baris-{i}")
        expect(row).to_contain_text(s["indikator"])
        expect(row).to_contain_text(rupiah(s["biaya"]))
        expect(row).to_contain_text(labels[s["pelaksana"]])
        expect(month_marks(row)).to_have_text(["v" if m in s["bulan"] else "-" for m in range(1, 13)])
