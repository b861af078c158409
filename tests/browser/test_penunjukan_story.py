"""An office's acting officials on a laptop and on a phone: the demo's Plh Sekretaris of KPU
Kota Batu is listed, and the admin's form to appoint fits the screen."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


@pytest.mark.parametrize("screen", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_acting_officials_page_fits_and_lists_the_demo_plh(page: Page, live_server, screen):
    page.set_viewport_size(screen)
    sign_in(page, live_server, "admin.ri")
    page.goto(f"{live_server}/satker/35.79")
    page.get_by_test_id("penunjukan-link").click()
    expect(page.get_by_test_id("penunjukan")).to_contain_text("Plh. Sekretaris KPU Kota Batu")
    expect(page.get_by_test_id("penunjukan")).to_contain_text("Berlaku")
    expect(page.get_by_test_id("form-penunjukan")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"]
    if folder := os.environ.get("SAKIP_SCREENSHOTS"):
        page.screenshot(path=f"{folder}/penunjukan-{screen['width']}.png", full_page=True)
