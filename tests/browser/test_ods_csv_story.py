"""Issue 19, item 3 in a real browser: an office that works in LibreOffice.

The Kota Batu sekretaris downloads the demo's 2024 RAK Sekretariat as Excel, edits it
offline (one row's cost and one month mark) and saves it from LibreOffice as .ods and as a
CSV the way an Indonesian LibreOffice saves one (semicolons, Windows-1252, amounts as
shown). The import form names the formats and offers them; the .ods shows the same dry run
the Excel file would, and is applied; the CSV then has nothing left to change; an old .xls
is refused with what to do instead.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_paper_story import (BIAYA_BARU, BIAYA_LAMA, INDIKATOR_LOGISTIK, TOTAL_DEMO, apply_import,
                                            check_and_expect_dry_run, check_excel_export, download, edit_offline,
                                            expect_rak_page, open_documents_list, rupiah)
from tests.conftest import system_tool

pytestmark = pytest.mark.browser

CSV_1252 = "csv:Text - txt - csv (StarCalc):59,34,1,1,,1057,false,true,true"


def save_from_libreoffice(source: Path, target: str, workdir: Path) -> Path:
    """``source`` saved by LibreOffice (headless, an Indonesian profile of its own) as ``target``."""
    soffice = system_tool("soffice", "libreoffice", package="libreoffice-calc")
    outdir = workdir / target.split(":")[0]
    env = {**os.environ, "LANG": "id_ID.UTF-8", "LC_ALL": "id_ID.UTF-8"}
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={(workdir / 'lo-id').as_uri()}",
         "--convert-to", target, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=120, env=env, check=False)
    converted = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert result.returncode == 0 and converted.exists(), (result.stdout, result.stderr)
    return converted


def test_a_rak_saved_from_libreoffice_as_ods_and_csv_comes_back(page: Page, live_server, tmp_path):
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "batu.sekretaris")
    open_documents_list(page, live_server, "2024")
    page.get_by_test_id("doc-rak_sekretariat").get_by_role("link", name="RAK Sekretariat").click()
    expect_rak_page(page, "2024")
    document_url = page.url
    total = page.get_by_test_id("total-biaya")
    expect(total).to_have_text(rupiah(TOTAL_DEMO))

    xlsx = download(page, "download-xlsx", tmp_path)
    edit_offline(xlsx, check_excel_export(xlsx))
    ods = save_from_libreoffice(xlsx, "ods", tmp_path)
    csv = save_from_libreoffice(xlsx, CSV_1252, tmp_path)
    assert f";{rupiah(BIAYA_BARU)};".encode() in csv.read_bytes()

    # The form says which files it takes, and the file picker offers them.
    page.get_by_test_id("import-link").click()
    picker = page.get_by_label("Berkas Excel (.xlsx), LibreOffice (.ods) atau CSV (.csv)")
    assert {".xlsx", ".ods", ".csv"} <= set(picker.get_attribute("accept").split(","))
    expect(page.get_by_test_id("import-form")).to_contain_text("titik koma")
    expect(page.get_by_test_id("import-form")).to_contain_text("(.xls) tidak dibaca")

    picker.set_input_files(ods)
    check_and_expect_dry_run(page)
    expect(page.get_by_text(ods.name)).to_be_visible()
    expect(page.get_by_test_id("import-summary")).to_have_text("Diubah 1 (2 sel diubah).")
    change = page.get_by_test_id("import-change")
    expect(change).to_contain_text(INDIKATOR_LOGISTIK)
    expect(change.get_by_test_id("import-cell")).to_have_text([
        "Bulan pelaksanaan: B1-B3, B8-B12 → B1-B4, B8-B12 (bulan ditambah: April)",
        f"Perkiraan biaya: {rupiah(BIAYA_LAMA)} → {rupiah(BIAYA_BARU)} (bertambah Rp 10.000.000)",
    ])
    apply_import(page, document_url, "Diubah 1 (2 sel diubah).")
    expect(total).to_have_text(rupiah(TOTAL_DEMO + BIAYA_BARU - BIAYA_LAMA))

    # The same content as a Windows-1252 CSV: read, and nothing left to change.
    page.get_by_test_id("import-link").click()
    page.get_by_label("Berkas Excel (.xlsx), LibreOffice (.ods) atau CSV (.csv)").set_input_files(csv)
    check_and_expect_dry_run(page)
    expect(page.get_by_test_id("import-summary")).to_have_text("Tidak ada perubahan.")

    # An Excel 97-2003 file: refused in words, with what to do instead; the form stays.
    page.goto(f"{document_url}/impor")
    xls = tmp_path / "rak-lama.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    page.get_by_label("Berkas Excel (.xlsx), LibreOffice (.ods) atau CSV (.csv)").set_input_files(xls)
    page.get_by_role("button", name="Periksa (uji coba)").click()
    expect(page.get_by_test_id("error")).to_contain_text(
        "Simpan ulang sebagai .xlsx, .ods atau .csv dari Excel/LibreOffice (File > Save As)")
    expect(page.get_by_role("button", name="Periksa (uji coba)")).to_be_visible()
    expect(total).to_have_count(0)
