"""Reviewers at scale (issue 16, point 6) in a real browser: reviewer.jatim finds Kota Batu
from the navigation bar on a phone, then approves the demo's two signed RAKs of 2023 in one
go with one authenticator code, on a phone and on a 1366 px laptop. Screenshots of both
widths go to ``SAKIP_SCREENSHOTS`` (or the test's temporary folder)."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_layout_story import LAPTOP, PHONE, sign_in
from webapp.demo import DEMO_TOTP_SECRET

pytestmark = pytest.mark.browser


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_a_reviewer_approves_two_signed_documents_in_one_go(page: Page, live_server, tmp_path):
    folder = Path(os.environ.get("SAKIP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "reviewer.jatim")

    # The search sits in the folded menu on a phone.
    page.get_by_role("button", name="Menu").click()
    page.get_by_test_id("nav-cari").fill("batu")
    page.get_by_test_id("nav-cari").press("Enter")
    expect(page.get_by_test_id("hasil-satker")).to_contain_text("KPU Kota Batu")
    shot(page, folder, "cari-390")

    page.goto(f"{live_server}/tinjauan?tahun=2023")
    rows = page.get_by_test_id("inbox").locator("tbody tr").filter(has_text="KPU Kota Batu")
    expect(rows).to_have_count(2)
    for row in rows.all():
        row.get_by_role("checkbox").check()
    page.get_by_label("Catatan tinjauan").fill("Sesuai PK 2023.")
    shot(page, folder, "kotak-tinjauan-390")
    page.set_viewport_size(LAPTOP)
    shot(page, folder, "kotak-tinjauan-1366")

    # A code of a later step than the sign-in's: one code, used by the whole batch.
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    page.get_by_test_id("kode-massal").fill(totp.generate_otp(totp.timecode(time.time()) + 1))
    page.get_by_test_id("btn-setujui-massal").click()
    approved = page.get_by_test_id("disetujui")
    expect(approved).to_contain_text("2 dokumen disetujui")
    expect(approved).to_contain_text("RAK Sekretariat KPU Kota Batu 2023")
    expect(approved).to_contain_text("RAK Komisioner KPU Kota Batu 2023")
    shot(page, folder, "hasil-1366")
    page.set_viewport_size(PHONE)
    shot(page, folder, "hasil-390")

    page.get_by_test_id("kembali").click()
    expect(page.get_by_test_id("inbox").locator("tbody tr").filter(has_text="2023")).to_have_count(0)
