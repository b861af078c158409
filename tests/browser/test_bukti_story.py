"""Evidence in the browser: Kota Batu's Ketua finds the demo's two files from the
realisation grid, adds a third with the upload form, sees its SHA-256, and the page fits
a phone and a laptop."""
from __future__ import annotations

import hashlib
import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from workflow.bukti.contoh import png_kecil

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def test_the_ketua_attaches_evidence_to_a_period_from_the_grid(page: Page, live_server, tmp_path):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "batu.ketua")
    page.goto(f"{live_server}/satker/35.79/dokumen?tahun=2024")
    page.get_by_role("link", name="PK Komisi", exact=True).first.click()
    page.goto(page.url + "/realisasi")
    page.get_by_role("link", name="Bukti (2)").first.click()
    expect(page.get_by_test_id("daftar-bukti")).to_contain_text("berita-acara-rekapitulasi.pdf")
    expect(page.get_by_test_id("daftar-bukti")).to_contain_text("foto-kegiatan.png")

    # That month's period is verified in the demo (locked: no upload form); May's is open.
    expect(page.get_by_test_id("alasan")).to_contain_text("dikunci")
    page.goto(re.sub(r"periode=\d+", "periode=5", page.url))

    foto = tmp_path / "foto rapat.png"
    foto.write_bytes(png_kecil("#004080"))
    page.get_by_label("Berkas (PDF, PNG, JPEG, XLSX atau DOCX; paling besar 20 MB)").set_input_files(foto)
    page.get_by_role("button", name="Unggah").click()
    expect(page.get_by_test_id("daftar-bukti")).to_contain_text(hashlib.sha256(foto.read_bytes()).hexdigest())
    if shots := os.environ.get("SAKIP_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/bukti-1366.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if shots:
        page.screenshot(path=f"{shots}/bukti-phone.png", full_page=True)
        page.get_by_role("link", name="Realisasi").click()
        page.set_viewport_size(LAPTOP)
        page.screenshot(path=f"{shots}/grid-1366.png", full_page=False)
