"""In a real browser: the Content Security Policy breaks nothing (no violation reported on
the pages with charts, forms and the back office), and a reviewer signs in with the code."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import pass_second_factor, sign_in
from webapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_no_page_trips_the_content_security_policy(page: Page, live_server):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(f"{page.url}: {m.text[:90]}") if "Content Security Policy" in m.text else None)

    page.goto(f"{live_server}/masuk")
    expect(page).to_have_url(f"{live_server}/masuk")
    page.get_by_label("Nama pengguna").fill("admin.ri")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server}/masuk/kode")  # the password alone is not enough
    pass_second_factor(page, live_server)
    expect(page).to_have_url(f"{live_server}/")

    for path in ("/satker/35/dasbor?tahun=2024", "/satker/35.79/dasbor?tahun=2024", "/satker/35.79/dokumen?tahun=2024",
                 "/akun/keamanan", "/admin/", "/admin/pengguna/", "/admin/keanggotaan/new/"):
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("networkidle")
    # The charts were drawn by the external script, not blocked.
    page.goto(f"{live_server}/satker/35.79/dasbor?tahun=2024")
    page.wait_for_load_state("networkidle")
    if page.locator("canvas").count():
        assert page.evaluate("() => typeof window.Chart") == "function"
    # Flask-Admin's select2 (a script with the nonce) turned the select into its widget.
    page.goto(f"{live_server}/admin/keanggotaan/new/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".select2-container").count() > 0

    assert violations == []


def test_the_account_page_offers_an_authenticator_to_a_sekretaris(page: Page, live_server):
    sign_in(page, live_server, "kuburaya.sekretaris")
    page.get_by_test_id("current-user").click()
    expect(page).to_have_url(re.compile(r"/akun/keamanan$"))
    page.get_by_role("link", name="Pasang autentikator").click()
    expect(page.get_by_test_id("totp-qr")).to_be_visible()
    assert page.evaluate("() => document.querySelector('[data-testid=totp-qr]').naturalWidth") > 0


def test_a_back_office_delete_still_asks_for_confirmation(page: Page, live_server):
    sign_in(page, live_server, "admin.ri")
    page.goto(f"{live_server}/admin/pengguna/")
    rows = page.locator("[data-sakip-confirm]").count()
    dialogs: list[str] = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.locator("[data-sakip-confirm]").first.click()
    page.wait_for_load_state("networkidle")

    assert len(dialogs) == 1 and dialogs[0]
    page.goto(f"{live_server}/admin/pengguna/")
    assert page.locator("[data-sakip-confirm]").count() == rows  # nothing was deleted
