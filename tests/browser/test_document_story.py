"""The issue's story in a real browser, on the demo's 2024 RAK Sekretariat of KPU Kota Batu.

The Kota Batu sekretaris adds a RAK row and submits; sekretaris and ketua sign; the Jawa
Timur reviewer returns it with a reason; it is corrected and resubmitted, signed again,
approved; the diff shows the correction.

One story, so one test: every step starts from the state the step before left. The
module's ``live_server`` is its own (module scope), loaded with ``sakip demo``'s data.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

KOTA_BATU = "35.79"
TAHUN = "2024"
INDIKATOR = "Persentase dokumen perencanaan yang disusun tepat waktu"
KEGIATAN = ["Rapat penyusunan rencana aksi triwulan II", "Konsultasi ke KPU Provinsi Jawa Timur"]
KODE_OUTPUT = "CQ.6709.QGE.001"
BULAN = {3, 4, 5}
RENDATIN = "Subbagian Perencanaan, Data dan Informasi"
ALASAN = "Biaya baris baru terlalu besar, sesuaikan dengan DIPA"
VERIFICATION_CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")


def rupiah(amount: int) -> str:
    """Amounts as offices write them (and the app shows them): Rp 25.000.000."""
    return ("-" if amount < 0 else "") + "Rp " + f"{abs(amount):,}".replace(",", ".")


def rupiah_value(text: str) -> int:
    return int(re.sub(r"\D", "", text))


# -- what a user does ------------------------------------------------------------------------

def sign_out(page: Page, live_server: str) -> None:
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(re.escape(f"{live_server}/masuk")))


def open_the_rak_from_home(page: Page, live_server: str) -> None:
    """Home -> "Dokumen kinerja" of KPU Kota Batu -> year 2024 -> RAK Sekretariat."""
    page.goto(f"{live_server}/")
    page.get_by_test_id(f"office-{KOTA_BATU}").get_by_role("link", name="Dokumen kinerja").click()
    expect(page.get_by_role("heading", name="Dokumen kinerja KPU Kota Batu")).to_be_visible()
    page.get_by_label("Tahun").select_option(TAHUN)
    page.get_by_role("button", name="Tampilkan").click()
    expect(page).to_have_url(f"{live_server}/satker/{KOTA_BATU}/dokumen?tahun={TAHUN}")
    row = page.get_by_test_id("doc-rak_sekretariat")
    link = row.get_by_role("link", name="RAK Sekretariat")
    if link.count() == 0:
        # The demo documents were not loaded: the sekretaris starts the draft as an office would.
        row.get_by_role("button", name="Buat draf").click()
        expect(page.get_by_text("RAK Sekretariat dibuat sebagai draf (Revisi ke-0).")).to_be_visible()
    else:
        link.click()
    expect_rak_page(page)


def expect_rak_page(page: Page) -> None:
    expect(page.get_by_role("heading", name="Rencana Aksi Kinerja Sekretariat")).to_contain_text("KPU Kota Batu · 2024")


def press(page: Page, testid: str, flash: str) -> None:
    """One workflow button, its question answered "OK" (Ajukan, Tanda tangani and Setujui ask
    first), then its confirmation."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(testid).click()
    expect(page.get_by_role("alert").filter(has_text=flash)).to_be_visible()


def open_from_inbox(page: Page) -> None:
    page.get_by_role("link", name="Kotak tinjauan").click()
    expect(page.get_by_role("heading", name="Kotak tinjauan")).to_be_visible()
    # The demo's 2023 RAKs of Kota Batu wait there too (workflow.seeds.load_demo_menunggu).
    waiting = page.get_by_test_id("inbox").locator("tbody tr").filter(has_text="KPU Kota Batu").filter(
        has_text="RAK Sekretariat").filter(has=page.get_by_role("cell", name=TAHUN, exact=True))
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(TAHUN)
    expect(waiting).to_contain_text("Ditandatangani")
    waiting.get_by_role("link", name="RAK Sekretariat").click()
    expect_rak_page(page)


def sign_as(page: Page, live_server: str, username: str, status_after: str) -> None:
    sign_in(page, live_server, username)
    open_the_rak_from_home(page, live_server)
    press(page, "btn-sign", f"Tanda tangani: berhasil. Status sekarang {status_after}.")
    expect(page.get_by_test_id("status")).to_have_text(status_after)


# -- the story -------------------------------------------------------------------------------

def test_a_rak_row_is_returned_corrected_approved_and_the_diff_shows_the_correction(page: Page, live_server):
    page.set_default_timeout(10_000)
    status = page.get_by_test_id("status")
    rows = page.get_by_test_id("rak").locator("tbody tr")
    total = page.get_by_test_id("total-biaya")

    # 1. The sekretaris adds a row to the draft.
    sign_in(page, live_server, "batu.sekretaris")
    open_the_rak_from_home(page, live_server)
    expect(status).to_have_text("Draf")
    expect(page.get_by_test_id("revisi-label")).to_have_text("Revisi ke-0")
    rows_before = rows.count()
    total_before = rupiah_value(total.inner_text())
    new_row = page.get_by_test_id(f"baris-{rows_before + 1}")

    page.get_by_role("link", name="Tambah baris").click()
    expect(page.get_by_role("heading", name="Tambah baris rencana aksi")).to_be_visible()
    form = page.get_by_test_id("row-form")
    form.get_by_label("Sasaran program").fill("Meningkatnya kualitas perencanaan kinerja")
    form.get_by_label("Indikator kinerja").fill(INDIKATOR)
    form.get_by_label("Target", exact=True).fill("100%")
    form.get_by_label("Kegiatan (satu per baris)").fill("\n".join(KEGIATAN))
    for month in sorted(BULAN):
        form.get_by_test_id("schedule").get_by_label(str(month), exact=True).check()
    form.get_by_label("Kode output anggaran").fill(KODE_OUTPUT)
    form.get_by_label("Perkiraan biaya").fill("Rp 25.000.000")
    form.get_by_label("Pelaksana").select_option(label=RENDATIN)
    form.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("alert").filter(has_text="Perubahan disimpan.")).to_be_visible()
    expect(rows).to_have_count(rows_before + 1)
    expect(new_row).to_contain_text(INDIKATOR)
    expect(new_row).to_contain_text("100%")
    for kegiatan in KEGIATAN:
        expect(new_row.get_by_role("listitem").filter(has_text=kegiatan)).to_be_visible()
    expect(new_row.locator("code")).to_have_text(KODE_OUTPUT)
    month_cells = new_row.locator("td").filter(has_text=re.compile(r"^[v-]$"))
    expect(month_cells).to_have_text(["v" if m in BULAN else "-" for m in range(1, 13)])
    expect(new_row).to_contain_text("Rp 25.000.000")
    expect(new_row).to_contain_text(RENDATIN)
    expect(total).to_have_text(rupiah(total_before + 25_000_000))
    document_url = page.url

    # A slip of the mouse on "hapus" asks first; "Batal" keeps the row and posts nothing.
    asked, deletes = [], []
    page.on("request", lambda r: deletes.append(r.url) if r.method == "POST" and "/hapus" in r.url else None)

    def cancel(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    new_row.get_by_role("button", name="hapus").click()
    assert asked == ["Hapus baris ini dari RAK?"]
    expect(rows).to_have_count(rows_before + 1)
    assert deletes == []

    # 2. ... submits it: the content is locked and gets a verification code.
    press(page, "btn-submit", "Ajukan: berhasil. Status sekarang Diajukan.")
    expect(status).to_have_text("Diajukan")
    expect(page.get_by_test_id("verification")).to_contain_text("Kode verifikasi")
    expect(page.get_by_test_id("verification").get_by_role("link")).to_have_text(VERIFICATION_CODE)
    expect(page.get_by_role("link", name="Tambah baris")).to_have_count(0)
    expect(new_row.get_by_role("link", name="ubah")).to_have_count(0)

    # 3. The sekretaris signs (KPA), then the ketua (Mengetahui).
    press(page, "btn-sign", "Tanda tangani: berhasil. Status sekarang Diajukan.")
    expect(status).to_have_text("Diajukan")
    expect(page.get_by_test_id("signatures")).to_contain_text("Sekretaris Batu")
    expect(page.get_by_test_id("btn-sign")).to_have_count(0)  # the next signature is the ketua's
    sign_out(page, live_server)
    sign_as(page, live_server, "batu.ketua", "Ditandatangani")
    expect(page.get_by_test_id("signatures")).to_contain_text("Ketua Batu")
    sign_out(page, live_server)

    # 4. The Jawa Timur reviewer returns it, first without a reason (the browser refuses), then with one.
    sign_in(page, live_server, "reviewer.jatim")
    open_from_inbox(page)
    expect(status).to_have_text("Ditandatangani")
    dialog = page.get_by_test_id("return-dialog")
    dialog.locator("summary").filter(has_text="Kembalikan…").click()
    reason = dialog.get_by_label("Alasan pengembalian (wajib): apa yang harus diperbaiki")
    expect(reason).to_be_visible()
    sent_back = []
    page.on("request", lambda r: sent_back.append(r.url) if r.method == "POST" and "/aksi/send_back" in r.url else None)
    dialog.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    assert reason.evaluate("el => el.validity.valueMissing") is True
    assert sent_back == [], "the form was sent without a reason"
    expect(page).to_have_url(document_url)
    expect(status).to_have_text("Ditandatangani")

    reason.fill(ALASAN)
    dialog.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(page.get_by_role("alert").filter(has_text="Kembalikan: berhasil. Status sekarang Draf.")).to_be_visible()
    assert len(sent_back) == 1
    expect(status).to_have_text("Draf")
    expect(page.get_by_test_id("revisi-label")).to_have_text("Revisi ke-1")
    expect(page.get_by_test_id("revisi-label").locator("xpath=..")).to_contain_text(
        f"Dikembalikan untuk perbaikan: {ALASAN}")
    sign_out(page, live_server)

    # 5. The sekretaris sees why, corrects the row's biaya and submits again; both sign; approved.
    sign_in(page, live_server, "batu.sekretaris")
    open_the_rak_from_home(page, live_server)
    expect(status).to_have_text("Draf")
    expect(page.get_by_test_id("revisi-label")).to_have_text("Revisi ke-1")
    expect(page.get_by_text(ALASAN).first).to_be_visible()
    new_row.get_by_role("link", name="ubah").click()
    expect(page.get_by_role("heading", name="Ubah baris rencana aksi")).to_be_visible()
    biaya = page.get_by_label("Perkiraan biaya")
    expect(biaya).to_have_value("Rp 25.000.000")
    expect(page.get_by_label("Indikator kinerja")).to_have_value(INDIKATOR)
    biaya.fill("Rp 20.000.000")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert").filter(has_text="Perubahan disimpan.")).to_be_visible()
    expect(new_row).to_contain_text("Rp 20.000.000")
    expect(total).to_have_text(rupiah(total_before + 20_000_000))

    press(page, "btn-submit", "Ajukan: berhasil. Status sekarang Diajukan.")
    press(page, "btn-sign", "Tanda tangani: berhasil. Status sekarang Diajukan.")
    sign_out(page, live_server)
    sign_as(page, live_server, "batu.ketua", "Ditandatangani")
    sign_out(page, live_server)

    sign_in(page, live_server, "reviewer.jatim")
    open_from_inbox(page)
    expect(page.get_by_test_id("revisi-label")).to_have_text("Revisi ke-1")
    press(page, "btn-approve", "Setujui: berhasil. Status sekarang Disetujui.")
    expect(status).to_have_text("Disetujui")
    expect(page.get_by_test_id("review")).to_contain_text("Disetujui oleh Reviewer Jatim")

    # 6. The revisions compare: Revisi ke-0 (as returned) with Revisi ke-1 (as approved).
    compare = page.get_by_test_id("diff-form")
    compare.get_by_label("Bandingkan").select_option(label="Revisi ke-0")
    compare.get_by_label("dengan").select_option(label="Revisi ke-1")
    compare.get_by_role("button", name="Tampilkan perbedaan").click()
    expect(page).to_have_url(re.compile(r"/dokumen/\d+/banding\?dari=0&ke=1$"))
    expect(page.get_by_role("heading", name="Perbandingan Revisi ke-0 dengan Revisi ke-1")).to_be_visible()
    expect(page.get_by_test_id("diff-summary")).to_have_text("0 ditambah, 0 dihapus, 1 diubah, 0 dipindah.")

    changed = page.get_by_test_id("diff-diubah")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text(INDIKATOR)
    cell = changed.get_by_test_id("cell-biaya")
    expect(cell.locator("th")).to_have_text("Perkiraan biaya")
    expect(cell.locator("del")).to_have_text("Rp 25.000.000")
    expect(cell.locator("ins")).to_have_text("Rp 20.000.000")
    expect(cell).to_contain_text("berkurang Rp 5.000.000")

    totals = page.get_by_test_id("diff-totals").locator("tr").filter(has_text="Jumlah perkiraan biaya")
    expect(totals.locator("td")).to_have_text([
        rupiah(total_before + 25_000_000), rupiah(total_before + 20_000_000), rupiah(-5_000_000),
    ])
