"""The steps that cannot be taken back, in a real browser, on the demo's 2024 RKT Sekretariat
of KPU Kabupaten Balangan (a draft): Ajukan, Tanda tangani and Setujui ask first, "Batal"
leaves the document as it was (and its button usable), and a double-click sends a step
once: the page shows its result, never the red "Dokumen ini telah diubah ..." message.

One story, so one test: each step starts from the state the one before left.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

BALANGAN = "63.11"
TAHUN = "2024"
ASKS = {
    "submit": "Ajukan dokumen ini? Setelah diajukan isinya terkunci; perubahan hanya lewat revisi baru.",
    "sign": "Tanda tangani dokumen ini? Tanda tangan tidak dapat ditarik kembali.",
    "approve": "Setujui dokumen ini? Persetujuan tidak dapat dibatalkan; perubahan berikutnya lewat revisi baru.",
}


def open_the_rkt(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/satker/{BALANGAN}/dokumen?tahun={TAHUN}")
    page.get_by_test_id("doc-rkt_sekretariat").get_by_role("link", name="RKT Sekretariat").click()
    expect(page.get_by_role("heading", name="Rencana Kerja Tahunan Sekretariat")).to_be_visible()


class Steps:
    """Presses a workflow button as a person would, answering its question with ``accept``,
    and records every step the browser sends."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.accept = False
        self.asked: list[str] = []
        self.sent: list[str] = []
        page.on("dialog", self._answer)
        page.on("request", lambda r: self.sent.append(r.url.rsplit("/", 1)[1])
                if r.method == "POST" and "/aksi/" in r.url else None)

    def _answer(self, dialog) -> None:
        self.asked.append(dialog.message)
        if self.accept:
            dialog.accept()
        else:
            dialog.dismiss()

    def cancelled(self, event: str, state: str) -> None:
        """Pressed, then "Batal": nothing sent, nothing changed, the button usable again."""
        self.asked.clear()
        self.accept = False
        button = self.page.get_by_test_id(f"btn-{event}")
        button.click()
        assert self.asked == [ASKS[event]]
        expect(self.page.get_by_test_id("status")).to_have_text(state)
        expect(button).to_be_enabled()
        assert self.sent == []

    def double_clicked(self, event: str, flash: str, state: str, selector: str | None = None) -> None:
        """Clicked twice in a row, the second time while the first step is on its way (held
        in flight here, as on a slow line), a question answered "OK": one step is sent, the
        page shows its result, no red message."""
        self.asked.clear()
        self.accept = True
        selector = selector or f'[data-testid="btn-{event}"]'
        box = self.page.locator(selector).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        in_flight = []

        def hold(route):
            in_flight.append(route)

        self.page.route("**/aksi/*", hold)
        # The mouse, not a locator: a locator waits for the navigation under way.
        with self.page.expect_request("**/aksi/*"):
            self.page.mouse.click(x, y)
        self.page.mouse.click(x, y)
        for route in in_flight:  # on their way now
            route.continue_()
        self.page.unroute("**/aksi/*", hold)
        expect(self.page.get_by_role("alert").filter(has_text=flash)).to_be_visible()
        expect(self.page.get_by_test_id("status")).to_have_text(state)
        expect(self.page.get_by_test_id("error")).to_have_count(0)
        assert self.asked == ([ASKS[event]] if event in ASKS else [])
        assert self.sent == [event]
        self.sent.clear()


def test_irreversible_steps_ask_first_and_a_double_click_sends_them_once(page: Page, live_server):
    page.set_default_timeout(10_000)
    steps = Steps(page)

    def as_sekretaris(revisi: str) -> None:
        sign_in(page, live_server, "balangan.sekretaris")
        open_the_rkt(page, live_server)
        expect(page.get_by_test_id("status")).to_have_text("Draf")
        expect(page.get_by_test_id("revisi-label")).to_have_text(revisi)
        steps.cancelled("submit", "Draf")
        steps.double_clicked("submit", "Ajukan: berhasil. Status sekarang Diajukan.", "Diajukan")
        steps.cancelled("sign", "Diajukan")
        steps.double_clicked("sign", "Tanda tangani: berhasil. Status sekarang Ditandatangani.", "Ditandatangani")
        page.get_by_role("button", name="Keluar").click()

    as_sekretaris("Revisi ke-0")

    # Returning asks no question (it opens a new revision, nothing is lost): the page alone
    # holds its second click.
    sign_in(page, live_server, "reviewer.kalsel")
    open_the_rkt(page, live_server)
    dialog = page.get_by_test_id("return-dialog")
    dialog.locator("summary").click()
    dialog.get_by_label("Alasan pengembalian (wajib): apa yang harus diperbaiki").fill("Lengkapi target indikator")
    steps.double_clicked("send_back", "Kembalikan: berhasil. Status sekarang Draf.", "Draf",
                         '[data-testid="return-dialog"] button[type="submit"]')
    page.get_by_role("button", name="Keluar").click()

    as_sekretaris("Revisi ke-1")

    sign_in(page, live_server, "reviewer.kalsel")
    open_the_rkt(page, live_server)
    steps.cancelled("approve", "Ditandatangani")
    steps.double_clicked("approve", "Setujui: berhasil. Status sekarang Disetujui.", "Disetujui")
    expect(page.get_by_test_id("review")).to_contain_text("Disetujui oleh")
