"""Typing survives an expired session (issue 14, point 7), in a real browser.

The Kota Batu sekretaris fills in a new RAK row, leaves it past the idle limit and presses
Simpan: the sign-in page says the session ended and the input was kept; after signing in
they are back on the form with what they typed, told it is not saved yet; nothing reached
the document until they press Simpan themselves. The server's clock is moved (it runs in
this process), never waited for.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_document_story import RENDATIN, open_the_rak_from_home, sign_in
from webapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

INDIKATOR = "Persentase laporan kinerja yang disampaikan tepat waktu"
KEGIATAN = "Rapat evaluasi capaian triwulan\nPenyusunan laporan triwulan"
BIAYA = "Rp 12.345.000"
ENDED_KEPT = "Sesi Anda telah berakhir. Masuk lagi untuk melanjutkan; isian Anda disimpan."


def test_a_row_typed_before_the_session_ended_is_back_after_signing_in(page: Page, live_server, clock):
    page.set_default_timeout(10_000)
    rows = page.get_by_test_id("rak").locator("tbody tr")
    sign_in(page, live_server, "batu.sekretaris")
    open_the_rak_from_home(page, live_server)
    rows_before = rows.count()

    page.get_by_role("link", name="Tambah baris").click()
    form_url = page.url
    form = page.get_by_test_id("row-form")
    form.get_by_label("Indikator kinerja").fill(INDIKATOR)
    form.get_by_label("Target", exact=True).fill("100%")
    form.get_by_label("Kegiatan (satu per baris)").fill(KEGIATAN)
    for month in (4, 5):
        form.get_by_test_id("schedule").get_by_label(str(month), exact=True).check()
    form.get_by_label("Kode output anggaran").fill("CQ.6709.QGE.001")
    form.get_by_label("Perkiraan biaya").fill(BIAYA)
    form.get_by_label("Pelaksana").select_option(label=RENDATIN)
    clock.advance(31)  # away from the desk past the 30-minute idle limit
    form.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(re.compile(re.escape(f"{live_server}/masuk?next=")))
    expect(page.get_by_text(ENDED_KEPT)).to_be_visible()
    page.get_by_label("Nama pengguna").fill("batu.sekretaris")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    expect(page).to_have_url(form_url)
    notice = page.get_by_test_id("isian-dipulihkan")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("belum disimpan")
    form = page.get_by_test_id("row-form")
    expect(form.get_by_label("Indikator kinerja")).to_have_value(INDIKATOR)
    expect(form.get_by_label("Kegiatan (satu per baris)")).to_have_value(KEGIATAN)
    expect(form.get_by_label("Perkiraan biaya")).to_have_value(BIAYA)
    expect(form.get_by_label("Pelaksana")).to_have_value("rendatin")
    schedule = form.get_by_test_id("schedule")
    for month in range(1, 13):
        expect(schedule.get_by_label(str(month), exact=True)).to_be_checked(checked=month in (4, 5))
    page.wait_for_load_state("networkidle")  # the script has told the server it put them back

    # Nothing reached the document on its own (seen from another tab) ...
    other = page.context.new_page()
    open_the_rak_from_home(other, live_server)
    expect(other.get_by_test_id("rak").locator("tbody tr")).to_have_count(rows_before)
    # ... until its author presses Simpan on the restored form.
    form.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert").filter(has_text="Perubahan disimpan.")).to_be_visible()
    expect(rows).to_have_count(rows_before + 1)
    expect(rows.last).to_contain_text(INDIKATOR)
    # The kept input was shown once, then forgotten.
    page.goto(form_url)
    expect(page.get_by_test_id("row-form").get_by_label("Indikator kinerja")).to_have_value("")
    expect(page.get_by_test_id("isian-dipulihkan")).to_have_count(0)
