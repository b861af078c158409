"""Done-when of the foundation, in a real browser: each demo user sees their part of the tree."""
import pytest
from playwright.sync_api import Page, expect

from webapp.demo import DEMO_PASSWORD
from tests.browser.conftest import pass_second_factor

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server: str, username: str) -> None:
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/masuk?next=%2F")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    pass_second_factor(page, live_server)  # admins and reviewers
    expect(page).to_have_url(f"{live_server}/")


def test_the_kota_batu_sekretaris_sees_only_kota_batu(page: Page, live_server):
    sign_in(page, live_server, "batu.sekretaris")

    expect(page.get_by_test_id("breadcrumb").first).to_have_text("KPU RI KPU Provinsi Jawa Timur KPU Kota Batu", use_inner_text=True)
    expect(page.get_by_test_id("visible-total")).to_have_text("Anda dapat melihat 1 satker.")
    expect(page.get_by_test_id("children")).to_have_count(0)

    page.goto(f"{live_server}/satker/35.73")
    expect(page.get_by_text("tidak ditemukan")).to_be_visible()


def test_the_jawa_timur_reviewer_sees_its_38_kabupaten_kota_and_nothing_of_bali(page: Page, live_server):
    sign_in(page, live_server, "reviewer.jatim")

    rows = page.get_by_test_id("children").locator("tbody tr")
    expect(rows).to_have_count(38)
    page.get_by_test_id("children").get_by_role("link", name="KPU Kota Batu").click()  # the to-do list names it too
    expect(page.get_by_role("heading", name="KPU Kota Batu")).to_be_visible()
    expect(page.get_by_text("Reviewer satker ini")).to_be_visible()

    response = page.goto(f"{live_server}/satker/51")
    assert response.status == 404


def test_the_kpu_ri_admin_sees_all_553_and_the_back_office(page: Page, live_server):
    sign_in(page, live_server, "admin.ri")

    expect(page.get_by_test_id("visible-total")).to_have_text("Anda dapat melihat 553 satker.")
    expect(page.get_by_test_id("children").locator("tbody tr")).to_have_count(38)
    page.get_by_role("link", name="Administrasi").click()
    page.get_by_role("link", name="Satker").first.click()
    expect(page.get_by_text("(553)").first).to_be_visible()


def test_a_wrong_password_and_switching_to_english(page: Page, live_server):
    page.goto(f"{live_server}/masuk")
    page.get_by_label("Nama pengguna").fill("batu.sekretaris")
    page.get_by_label("Kata sandi").fill("salah-sekali")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Nama pengguna atau kata sandi salah.")).to_be_visible()
    expect(page.get_by_label("Nama pengguna")).to_have_value("batu.sekretaris")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Sign in to SAKIP KPU")).to_be_visible()
