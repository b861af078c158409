"""Screens as offices have them (issue 14 point 11): on a 1366 px laptop the realisation grid
shows its Capaian column without scrolling and marks the cell it refused; on a 390 px phone
the header is one row, its links behind a Menu button; every page has an icon."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import pass_second_factor
from tests.browser.test_layout_story import LAPTOP, PHONE, document_path, sign_in
from webapp.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_at_1366_px_the_realisation_grid_shows_capaian_and_marks_the_refused_cell(page: Page, live_server):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "batu.ketua")
    pk = document_path(page, live_server, "PK Komisi")
    page.goto(f"{live_server}{pk}/realisasi")
    grid = page.get_by_test_id("grid-indikator")
    box = page.locator(".table-responsive").filter(has=grid)

    def capaian_in_view() -> None:
        heading = grid.locator("thead th", has_text="Capaian").bounding_box()
        frame = box.bounding_box()
        assert heading["x"] >= frame["x"] and heading["x"] + heading["width"] <= frame["x"] + frame["width"] + 0.5, \
            (heading, frame)
        assert heading["x"] + heading["width"] <= LAPTOP["width"], "the Capaian heading is on the screen"

    capaian_in_view()

    cell = grid.locator("input[name^='r-']").first
    cell.fill("abc")
    page.get_by_test_id("simpan").click()
    expect(page.get_by_test_id("error")).to_contain_text("Tidak ada yang disimpan")
    capaian_in_view()
    refused = grid.locator("input[aria-invalid='true']")
    expect(refused).to_have_count(1)
    expect(refused).to_have_value("abc")  # what was typed stays
    td = refused.locator("xpath=ancestor::td[1]")
    style = td.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineColor]; }")
    assert style == ["solid", "rgb(220, 53, 69)"], style
    message = page.locator(f"#{refused.get_attribute('aria-describedby')}")
    expect(message).to_be_visible()
    expect(message).to_contain_text("'abc' tidak terbaca sebagai angka")
    assert td.locator("[data-testid=pesan-sel]").count() == 1, "the message is next to the cell, inside it"
    # Only that cell: its neighbours are not marked.
    assert grid.locator("td.sel-salah").count() == 1


def _sign_in_reviewer(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/masuk")
    page.get_by_label("Nama pengguna").fill("reviewer.jatim")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    pass_second_factor(page, live_server)
    expect(page).to_have_url(f"{live_server}/")


def test_on_a_phone_the_header_is_one_row_with_a_menu(page: Page, live_server):
    page.set_viewport_size(PHONE)
    _sign_in_reviewer(page, live_server)  # the longest bar: a reviewer also has Kotak tinjauan
    header = page.locator("nav.navbar")
    brand = page.locator(".navbar-brand").bounding_box()
    row = brand["height"] + 16  # the brand's line and the bar's padding (.5rem above and below)
    height = header.evaluate("el => el.getBoundingClientRect().height")
    assert height <= 2 * row, f"the header is {height}px high: more than two rows of {row}px"
    sign_out = page.get_by_role("button", name="Keluar").bounding_box()
    assert sign_out["x"] + sign_out["width"] <= PHONE["width"]
    assert abs((sign_out["y"] + sign_out["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 4, \
        "Keluar sits on the brand's row"

    inbox = page.get_by_role("link", name="Kotak tinjauan")
    expect(inbox).to_be_hidden()
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    inbox.click()
    expect(page).to_have_url(f"{live_server}/tinjauan")


def test_on_a_laptop_the_header_keeps_its_links_in_view(page: Page, live_server):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, "batu.sekretaris")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_test_id("nav-dasbor")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def test_every_page_has_an_icon(page: Page, live_server):
    page.goto(f"{live_server}/masuk")
    hrefs = page.locator("link[rel=icon]").evaluate_all("links => links.map(l => l.href)")
    assert hrefs, "no <link rel=icon>"
    for href in hrefs + [f"{live_server}/favicon.ico"]:
        response = page.request.get(href)
        assert response.status == 200 and response.headers["content-type"].startswith("image/"), href
