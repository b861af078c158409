"""The Laporan Kinerja in Word (.docx): Balangan's signed 2024 report (the demo) downloaded,
read back with python-docx and opened by LibreOffice Writer (its PDF read with pdftotext);
a chapter pasted from Word (its HTML as the clipboard carries it) kept as paragraphs, lists,
bold and italic, and shown so on the page, in the PDF and in the .docx."""
from __future__ import annotations

import io
import re
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import csrf_token_from, system_tool
from tests.conftest import masked as masked_per_request
from tests.test_export_pdf import flat, pdf_text, render
from tests.test_lkj import _seed_anggaran, balangan, lkj_batu  # noqa: F401 - the fixtures
from webapp.exports import EksporGagal, ekspor_berkas, word
from workflow.dokumen import operations
from workflow.dokumen.models import Dokumen

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BAB = ["KATA PENGANTAR", "IKHTISAR EKSEKUTIF", "BAB I\nPENDAHULUAN", "BAB II\nPERENCANAAN KINERJA",
       "BAB III\nAKUNTABILITAS KINERJA", "BAB IV\nPENUTUP"]


def headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def rows(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def table_headed(doc, *kepala: str):
    """The tables whose first row begins with ``kepala``."""
    return [t for t in doc.tables if rows(t) and rows(t)[0][:len(kepala)] == list(kepala)]


def repeats_header(table) -> bool:
    tr_pr = table.rows[0]._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def masked(page: str, dokumen_id: int) -> str:
    """A page without what differs per request: the address asked, the CSRF token, the nonce."""
    return masked_per_request(page.replace(f"/dokumen/{dokumen_id}/", "/dokumen/ID/"))


def to_pdf_text(data: bytes, tmp_path, name: str = "lkj.docx") -> str:
    """The .docx opened by LibreOffice Writer, printed to PDF, read back with pdftotext."""
    path = tmp_path / name
    path.write_bytes(data)
    soffice = system_tool("soffice", "libreoffice", package="libreoffice-writer")
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
        capture_output=True, text=True, timeout=180)
    converted = tmp_path / "pdf" / path.with_suffix(".pdf").name
    assert result.returncode == 0 and converted.exists(), (result.stdout, result.stderr)
    return pdf_text(converted.read_bytes(), tmp_path, "dari-word.pdf")


# -- Balangan 2024, signed ----------------------------------------------------------------------

def test_balangan_lkj_in_word_has_its_chapters_tables_and_signature_and_libreoffice_opens_it(db, app, balangan,
                                                                                            tmp_path):
    client, dokumen = balangan
    revisi = dokumen.revisi_aktif
    page = client.get(f"/dokumen/{dokumen.id}")
    assert f'href="/dokumen/{dokumen.id}/unduh.docx?revisi=0"' in page.text and "Unduh Word" in page.text
    response = client.get(f"/dokumen/{dokumen.id}/unduh.docx?revisi=0")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert "LKj-KPU-Kabupaten-Balangan-2024-rev0.docx" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    doc = Document(io.BytesIO(response.data))

    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert headings(doc, 1) == BAB, "the chapters as Heading 1, in the report's order"
    assert "REALISASI ANGGARAN" in headings(doc, 2)
    texts = [p.text for p in doc.paragraphs]
    assert "LAPORAN KINERJA" in texts and "Tahun 2024" in texts
    assert any("Segala puji dan syukur" in t for t in texts)
    assert "Dari 50 indikator kinerja pada Perjanjian Kinerja, 50 tercapai, 0 tidak tercapai, dan 0 belum dapat " \
           "dihitung." in texts
    assert ("KPU Kabupaten Balangan pada Tahun 2024 mendapatkan anggaran sebesar Rp 36.932.812.000 dan terealisasi "
            "sebesar Rp 36.899.147.606 dengan persentase sebesar 99,91%.") in texts

    # Tabel 3.1: a real table, its header repeated on every page, the computed capaian.
    capaian = table_headed(doc, "NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET", "REALISASI", "CAPAIAN")
    assert len(capaian) == 2 and all(repeats_header(t) for t in capaian)
    partisipasi = next(r for r in rows(capaian[0]) if r[2] == "Persentase Partisipasi Pemilih Dalam Pemilu/Pemilihan")
    assert partisipasi[3:] == ["81%", "91%", "112,35%"]
    perjanjian = table_headed(doc, "NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET")
    assert len(perjanjian) == 4, "Tabel 2.1, 2.2 (the PKs) and 3.1, 3.2"

    # The budget per kegiatan code, as the seed prints it, and the computed total.
    anggaran, = table_headed(doc, "KODE", "PROGRAM/KEGIATAN", "ANGGARAN (Rp)", "REALISASI (Rp)", "CAPAIAN (%)")
    assert repeats_header(anggaran)
    body = rows(anggaran)[2:]
    printed = _seed_anggaran()
    assert [(r[0], int(r[2].replace(".", "")), int(r[3].replace(".", ""))) for r in body[:len(printed)]] == printed
    assert body[0][:4] == ["6639", "Teknis Penyelenggaraan Pemilu/Pemilihan", "20.041.125.000", "20.041.125.000"]
    assert body[-1][2:] == ["36.932.812.000", "36.899.147.606", "99,91%"] and body[-1][0] == "Jumlah"
    program, = table_headed(doc, "No", "Program", "Anggaran")
    assert rows(program)[-1][1:] == ["Jumlah", "Rp 36.932.812.000"]
    pegawai, = table_headed(doc, "No", "Status", "Jumlah (orang)", "Persentase (%)")
    assert rows(pegawai)[1:] == [["1", "PNS", "8", "40,00%"], ["2", "PPPK", "6", "30,00%"],
                                 ["3", "PPNPN", "6", "30,00%"], ["TOTAL", "TOTAL", "20", "100%"]]

    # Signed by the Ketua as the PDF closes the report; the verification in the footer and at the end.
    ketua = revisi.tanda_tangan[0]
    signature = next(c.text for t in doc.tables for c in t.rows[0].cells if c.text.startswith("Paringin,"))
    assert signature.split("\n")[:4] == ["Paringin, 13 Januari 2025", "Komisi Pemilihan Umum", "Kabupaten Balangan",
                                         "Ketua,"]
    assert "Ditandatangani secara elektronik" in signature and signature.endswith(ketua.nama)
    footer = section.footer.paragraphs[0].text
    assert revisi.kode_verifikasi in footer and revisi.hash_isi in footer
    assert not section.header.paragraphs[0].text, "a signed report has no DRAF notice"
    assert any(f"Kode verifikasi: {revisi.kode_verifikasi}" in c.text for t in doc.tables for r in t.rows
               for c in r.cells)

    # LibreOffice Writer opens it: the chapters and the amounts are on its pages.
    text = to_pdf_text(response.data, tmp_path)
    words = flat(text)
    for heading in ("KATA PENGANTAR", "IKHTISAR EKSEKUTIF", "BAB I", "PENDAHULUAN", "BAB II", "PERENCANAAN KINERJA",
                    "BAB III", "AKUNTABILITAS KINERJA", "BAB IV", "PENUTUP"):
        assert heading in text, heading
    assert "Rp 36.899.147.606" in words and "36.932.812.000" in text
    assert re.search(r"Paringin, 13 Januari 2025", text) and ketua.nama in text

    # `sakip export lkj --satker 63.11 --year 2024 -o lkj.docx` writes the same report.
    out = tmp_path / "cli.docx"
    with app.app_context():
        assert "ditulis ke" in ekspor_berkas(db.session, "lkj", "63.11", 2024, out)
    assert headings(Document(out), 1) == BAB
    with pytest.raises(EksporGagal, match="Hanya Laporan Kinerja"):
        ekspor_berkas(db.session, "pk_komisi", "63.11", 2024, tmp_path / "pk.docx")


# -- a draft, and who may download ----------------------------------------------------------------

def test_a_draft_says_draf_on_every_page_and_only_an_lkj_of_a_visible_office_downloads(db, app, login, people,
                                                                                      lkj_batu):
    pk, dokumen = lkj_batu
    c = login(people("35.79").sekretaris)
    response = c.get(f"/dokumen/{dokumen.id}/unduh.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.data))
    assert doc.sections[0].header.paragraphs[0].text.startswith("DRAF · Revisi ke-0 · belum diajukan")
    assert "belum diajukan, bukan dokumen resmi" in doc.sections[0].footer.paragraphs[0].text
    assert headings(doc, 1) == BAB
    signature = next(c.text for t in doc.tables for c in t.rows[0].cells if c.text.startswith("Batu,"))
    assert signature.endswith("(........................................)"), "not signed: a blank line for the name"
    anggaran, = table_headed(doc, "KODE", "PROGRAM/KEGIATAN", "ANGGARAN (Rp)", "REALISASI (Rp)", "CAPAIAN (%)")
    assert rows(anggaran)[-1][2:] == ["2.000.000", "500.000", "25,00%"]

    missing = c.get("/dokumen/999999/unduh.docx")
    assert missing.status_code == 404
    assert c.get(f"/dokumen/{pk.id}/unduh.docx").status_code == 404, "a PK has no Word layout"
    assert c.get(f"/dokumen/{dokumen.id}/unduh.docx?revisi=7").status_code == 404
    outsider = login(people("35.73").sekretaris, c=app.test_client())
    foreign = outsider.get(f"/dokumen/{dokumen.id}/unduh.docx")
    absent = outsider.get("/dokumen/999999/unduh.docx")
    assert foreign.status_code == absent.status_code == 404
    assert masked(foreign.text, dokumen.id) == masked(absent.text, 999999), "as a missing document, byte for byte"


# -- a chapter pasted from Word ----------------------------------------------------------------

WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=Generator content="Microsoft Word 15"><style>p.MsoNormal {margin:0cm; font-size:11.0pt}</style>
<script>alert("kepala")</script></head>
<body lang=IN style='tab-interval:36.0pt'><!--StartFragment-->
<p class=MsoNormal style='text-align:justify'><b><span style='font-family:"Arial",sans-serif'>A. LATAR BELAKANG</span></b><o:p></o:p></p>
<p class=MsoNormal onclick="alert('klik')" style='text-align:justify'><span lang=IN style='mso-ansi-language:IN'>Kinerja
KPU Kota Batu <i>meningkat</i> pada tahun <b>2024</b>.</span><o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]>Pemutakhiran <b>data pemilih</b><o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol'><span style='mso-list:Ignore'>·<span>&nbsp;&nbsp; </span></span></span><![endif]>Sosialisasi<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l1 level1 lfo2'><!--[if !supportLists]--><span
style='mso-list:Ignore'>1.<span>&nbsp;&nbsp;&nbsp; </span></span><!--[endif]-->Perencanaan<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='margin-left:36.0pt;text-indent:-18.0pt;mso-list:l1 level1 lfo2'><!--[if !supportLists]--><span
style='mso-list:Ignore'>2.<span>&nbsp;&nbsp;&nbsp; </span></span><!--[endif]--><i>Evaluasi</i> <a href="javascript:alert(1)">kinerja</a><o:p></o:p></p>
<!--EndFragment--></body></html>"""

CLEAN = ("<p><strong>A. LATAR BELAKANG</strong></p>"
         "<p>Kinerja KPU Kota Batu <em>meningkat</em> pada tahun <strong>2024</strong>.</p>"
         "<ul><li>Pemutakhiran <strong>data pemilih</strong></li><li>Sosialisasi</li></ul>"
         "<ol><li>Perencanaan</li><li><em>Evaluasi</em> kinerja</li></ol>")


def test_a_chapter_pasted_from_word_keeps_lists_bold_and_italic_in_the_page_pdf_and_word(db, app, login, people,
                                                                                        lkj_batu, tmp_path):
    _pk, dokumen = lkj_batu
    c = login(people("35.79").sekretaris)
    editor = c.get(f"/dokumen/{dokumen.id}/lkj/bab/pendahuluan")
    assert editor.status_code == 200 and "data-sakip-naskah" in editor.text
    saved = c.post(f"/dokumen/{dokumen.id}/lkj/bab/pendahuluan", data={
        "csrf_token": csrf_token_from(editor.text), "versi": str(dokumen.versi), "teks": WORD_HTML,
        "format": "html"})
    assert saved.status_code == 302
    db.session.expire_all()
    dokumen = db.session.get(Dokumen, dokumen.id)
    assert dokumen.revisi_aktif.lkj.pendahuluan == CLEAN, "stored as the clean subset only"

    page = c.get(f"/dokumen/{dokumen.id}").text
    assert CLEAN in page
    assert "alert(" not in page and "klik" not in page and "mso-" not in page and "MsoNormal" not in page
    # Opened again, the editor holds the markup (format "html" kept).
    again = c.get(f"/dokumen/{dokumen.id}/lkj/bab/pendahuluan").text
    assert CLEAN in again and re.search(r'name="format"[^>]*value="html"', again)

    text = pdf_text(render(app, dokumen), tmp_path)
    words = flat(text)
    assert "A. LATAR BELAKANG" in text
    assert re.search(r"•\s*Pemutakhiran data pemilih", text) and re.search(r"•\s*Sosialisasi", text)
    assert re.search(r"1\.\s*Perencanaan", text) and re.search(r"2\.\s*Evaluasi kinerja", text)
    assert "Kinerja KPU Kota Batu meningkat pada tahun 2024." in words and "alert(" not in text

    doc = Document(io.BytesIO(c.get(f"/dokumen/{dokumen.id}/unduh.docx").data))
    start = next(k for k, p in enumerate(doc.paragraphs) if p.text == "BAB I\nPENDAHULUAN")
    chapter = doc.paragraphs[start + 1:start + 7]
    assert [(p.style.name, p.text) for p in chapter] == [
        ("Heading 2", "A. LATAR BELAKANG"),
        ("Normal", "Kinerja KPU Kota Batu meningkat pada tahun 2024."),
        ("List Bullet", "Pemutakhiran data pemilih"), ("List Bullet", "Sosialisasi"),
        ("List Number", "Perencanaan"), ("List Number", "Evaluasi kinerja")]
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in chapter[1].runs] == [
        ("Kinerja KPU Kota Batu ", False, False), ("meningkat", False, True), (" pada tahun ", False, False),
        ("2024", True, False), (".", False, False)]
    assert [(r.text, bool(r.bold)) for r in chapter[2].runs] == [("Pemutakhiran ", False), ("data pemilih", True)]
    assert chapter[5].runs[0].italic and chapter[5].runs[0].text == "Evaluasi"
    word_text = to_pdf_text(c.get(f"/dokumen/{dokumen.id}/unduh.docx").data, tmp_path)
    assert re.search(r"1\.\s*Perencanaan", word_text) and re.search(r"2\.\s*Evaluasi kinerja", word_text)


def test_plain_text_that_looks_like_markup_is_shown_as_typed_and_plain_chapters_print_as_before(db, app, people,
                                                                                                lkj_batu):
    _pk, dokumen = lkj_batu
    sekretaris = people("35.79").sekretaris
    operations.simpan_bab_lkj(db.session, dokumen, sekretaris, "penutup", "<p>Ditulis <b>begini</b></p>\nBaris dua")
    operations.simpan_bab_lkj(db.session, dokumen, sekretaris, "ikhtisar", "Satu.\n\n- dua <i>tiga</i>")
    # A plain chapter saved from the editor (its paragraphs as <p>, nothing bold or listed) stays plain.
    operations.simpan_bab_lkj(db.session, dokumen, sekretaris, "perencanaan", "<p>Satu.</p><div>Dua &amp; tiga</div>",
                              html=True)
    db.session.commit()
    isi = dokumen.revisi_aktif.lkj
    assert isi.perencanaan == "Satu.\nDua & tiga"
    assert isi.penutup == "<p>&lt;p&gt;Ditulis &lt;b&gt;begini&lt;/b&gt;&lt;/p&gt;</p><p>Baris dua</p>"
    assert isi.ikhtisar == "Satu.\n\n- dua <i>tiga</i>", "plain text is stored as typed"
    with app.test_request_context():
        doc = Document(io.BytesIO(word.dokumen_docx(dokumen, dokumen.revisi_aktif)))
    texts = [p.text for p in doc.paragraphs]
    assert "<p>Ditulis <b>begini</b></p>" in texts and "- dua <i>tiga</i>" in texts
