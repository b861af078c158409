"""A chapter written in Word, pasted into the LKj's chapter editor in a real browser, and the
report taken back out as Word.

The Kota Batu sekretaris starts the 2025 LKj (the demo has submitted its 2024 one), opens
Bab I, pastes what Word puts on the clipboard (its HTML: MsoNormal paragraphs, list
paragraphs with their bullets between
conditional comments, <o:p>, a script), saves, and sees the paragraphs, the two lists and
the bold on the document page; the "Unduh Word" button gives a .docx whose Bab I has the
same lists as Word lists and the bold as a bold run.
"""
from __future__ import annotations

import re

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.test_export_docx import CLEAN, WORD_HTML

pytestmark = pytest.mark.browser

PASTE = """(html) => {
  const box = document.querySelector('[data-testid="naskah-editor"]');
  box.focus();
  const range = document.createRange();
  range.selectNodeContents(box);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', 'A. LATAR BELAKANG');
  box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def test_a_chapter_pasted_from_word_keeps_its_lists_and_bold_and_comes_back_out_as_word(page: Page, live_server,
                                                                                        tmp_path):
    sign_in(page, live_server, "batu.sekretaris")
    page.goto(f"{live_server}/satker/35.79/dokumen?tahun=2025")
    row = page.get_by_test_id("doc-lkj")
    if row.get_by_role("button", name="Buat draf").count():
        row.get_by_role("button", name="Buat draf").click()
    else:
        row.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/dokumen/\d+$"))
    dokumen_url = page.url

    page.get_by_test_id("bab-pendahuluan").get_by_role("link", name="ubah").click()
    editor = page.get_by_test_id("naskah-editor")
    expect(editor).to_be_visible()
    expect(page.locator("textarea[name=teks]")).to_be_hidden()
    page.evaluate(PASTE, WORD_HTML)
    # What the editor shows is already the clean subset: a list, bold, no Word bullet as text.
    expect(editor.locator("ul > li")).to_have_count(2)
    expect(editor.locator("ol > li")).to_have_count(2)
    expect(editor.locator("strong", has_text="data pemilih")).to_be_visible()
    assert "·" not in editor.inner_text() and "alert" not in editor.inner_html()
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(dokumen_url)
    expect(page.get_by_text("Perubahan disimpan.")).to_be_visible()
    bab = page.get_by_test_id("bab-pendahuluan")
    expect(bab.locator("ul > li")).to_have_text(["Pemutakhiran data pemilih", "Sosialisasi"])
    expect(bab.locator("ol > li")).to_have_text(["Perencanaan", "Evaluasi kinerja"])
    expect(bab.locator("strong", has_text="A. LATAR BELAKANG")).to_be_visible()
    expect(bab.locator("em", has_text="meningkat")).to_be_visible()
    assert CLEAN in bab.inner_html().replace("\n", "")

    with page.expect_download(timeout=120_000) as info:
        page.get_by_test_id("download-docx").click()
    download = info.value
    assert download.failure() is None and download.suggested_filename == "LKj-KPU-Kota-Batu-2025-rev0.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    doc = Document(path)
    start = next(k for k, p in enumerate(doc.paragraphs) if p.text == "BAB I\nPENDAHULUAN")
    chapter = [(p.style.name, p.text) for p in doc.paragraphs[start + 1:start + 7]]
    assert chapter == [("Heading 2", "A. LATAR BELAKANG"),
                       ("Normal", "Kinerja KPU Kota Batu meningkat pada tahun 2024."),
                       ("List Bullet", "Pemutakhiran data pemilih"), ("List Bullet", "Sosialisasi"),
                       ("List Number", "Perencanaan"), ("List Number", "Evaluasi kinerja")]
    bold = [r.text for r in doc.paragraphs[start + 3].runs if r.bold]
    assert bold == ["data pemilih"]
