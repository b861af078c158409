"""Pages fit the screens they are read on: on a phone no page is wider than the screen (the
header wraps, wide tables scroll on their own), and on a laptop a RAK's long table keeps its
column headings and its sideways scrollbar in the window."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def document_path(page: Page, live_server: str, name: str) -> str:
    page.goto(f"{live_server}/satker/35.79/dokumen?tahun=2024")
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.get_by_test_id("status")).to_be_visible()
    return page.url.removeprefix(live_server)


def test_on_a_phone_no_page_is_wider_than_the_screen(page: Page, live_server):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "batu.sekretaris")
    rak, pk = document_path(page, live_server, "RAK Sekretariat"), document_path(page, live_server, "PK Komisi")
    wider = {}
    for path in ("/", "/satker/35.79/dasbor?tahun=2024", "/satker/35.79/dokumen?tahun=2024", rak, pk,
                 f"{pk}/realisasi", "/akun/keamanan"):
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wider[path] = width
        sign_out = page.get_by_role("button", name="Keluar").bounding_box()
        assert sign_out["x"] + sign_out["width"] <= PHONE["width"], f"{path}: the sign-out button is off the screen"
    assert wider == {}


def test_on_a_laptop_a_long_rak_keeps_its_headings_and_scrollbar_in_the_window(page: Page, live_server):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "batu.sekretaris")
    document_path(page, live_server, "RAK Sekretariat")
    table = page.get_by_test_id("rak")
    box = page.locator(".table-responsive").filter(has=table)
    assert table.bounding_box()["height"] > LAPTOP["height"], "the demo RAK is longer than the window"

    box.scroll_into_view_if_needed()
    frame = box.bounding_box()
    assert frame["height"] <= LAPTOP["height"], "the box, and its scrollbar, fit in the window"
    box.evaluate("el => { el.scrollTop = 800; }")
    heading = table.locator("thead").bounding_box()
    assert abs(heading["y"] - box.bounding_box()["y"]) < 2, "the headings stay at the top of the box"
    expect(table.locator("thead")).to_contain_text("Perkiraan biaya")
