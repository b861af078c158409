"""PDF out: PK, RKT and RAK as A4 documents in the official layout.

Every PDF is read back the way a person would: its text through poppler's
``pdftotext -layout``, its first page rendered by ``pdftoppm`` and checked not to be
blank. Without poppler-utils those tests skip with the reason, except with CI=true,
where they fail.
"""
from __future__ import annotations

import json
import re
import subprocess
import uuid
from datetime import date
from io import BytesIO

import pytest
import segno
import sqlalchemy as sa
from pypdf import PdfReader

from tenants.hierarchy import load_hierarchy, reference_offices
from tenants.satker import Satker
from tests.conftest import csrf_token_from, redis_url_or_skip, system_tool, unavailable
from tests.documents import baris_contoh
from tests.factories import UserFactory, grant
from webapp import create_app
from webapp import pdf as pdf_export
from webapp import pdf_render
from webapp.extensions import cache
from workflow import seeds
from workflow.dokumen import operations
from workflow.dokumen.models import JenisDokumen
from workflow.dokumen.operations import Kepala
from workflow.schedule import BentukJadwal

PAGU = 20_999_655_000
PAGU_KATA = "dua puluh miliar sembilan ratus sembilan puluh sembilan juta enam ratus lima puluh lima ribu rupiah"


# -- poppler ---------------------------------------------------------------------------------

def poppler(tool: str) -> str:
    return system_tool(tool, package="poppler-utils")


def pdf_text(pdf: bytes, tmp_path, name: str = "dokumen.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    result = subprocess.run([poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    """The text with every run of whitespace as one space: for sentences that wrap."""
    return " ".join(text.split())


def read_pgm(data: bytes) -> tuple[int, int, bytes]:
    """A binary greyscale PGM (P5, 8 bit) as width, height and pixels."""
    tokens, pos = [], 0
    while len(tokens) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        tokens.append(data[pos:end])
        pos = end
    magic, width, height, maxval = tokens[0], int(tokens[1]), int(tokens[2]), int(tokens[3])
    assert magic == b"P5" and maxval < 256, (magic, maxval)
    pixels = data[pos + 1:pos + 1 + width * height]
    assert len(pixels) == width * height
    return width, height, pixels


def inked_share_of_first_page(pdf: bytes, tmp_path, name: str = "halaman.pdf") -> float:
    """The share of the first page's pixels that are clearly not paper (rendered at 50 dpi)."""
    path = tmp_path / name
    path.write_bytes(pdf)
    prefix = tmp_path / (name + "-png")
    subprocess.run([poppler("pdftoppm"), "-gray", "-r", "50", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(prefix)], check=True, capture_output=True)
    width, height, pixels = read_pgm((tmp_path / (name + "-png.pgm")).read_bytes())
    assert (width, height) in {(413, 585), (414, 585), (585, 413), (585, 414)}, "A4 at 50 dpi"
    return sum(1 for p in pixels if p < 160) / (width * height)


# -- documents --------------------------------------------------------------------------------

def kepala_resmi(tempat: str = "Batu") -> Kepala:
    return Kepala(tempat=tempat, tanggal=date(2024, 1, 13), dipa_nomor="SP DIPA-076.01.2.657956/2024",
                  dipa_tanggal=date(2023, 11, 24), pagu=PAGU)


def render(app, dokumen, revisi=None) -> bytes:
    with app.test_request_context("/"):
        return pdf_export.pdf_dokumen(dokumen, revisi or dokumen.revisi_aktif)


def submit_and_sign(db, dokumen, people, kode: str = "35.79") -> None:
    office = people(kode)
    operations.ajukan(db.session, dokumen, getattr(office, dokumen.jenis.penyusun.value))
    for p in dokumen.jenis.penandatangan:
        operations.tandatangani(db.session, dokumen, getattr(office, p.peran.value))
    db.session.commit()


@pytest.fixture
def pk_sekretariat(db, make_dokumen, people):
    dokumen = make_dokumen("pk_sekretariat")
    operations.ubah_kepala(db.session, dokumen, people("35.79").sekretaris, kepala_resmi(), versi=None)
    db.session.commit()
    return dokumen


def rak_with_costs(db, make_dokumen, people, jenis: str = "rak_komisioner", tahun: int = 2024,
                   bentuk: BentukJadwal | None = None):
    """A RAK whose three rows cost 1.250.000, 2.500.000 and 3.750.000 (Rp 7.500.000 in all)."""
    dokumen = make_dokumen(jenis, tahun=tahun, baris=0)
    penyusun = getattr(people("35.79"), dokumen.jenis.penyusun.value)
    kepala = kepala_resmi()
    kepala.bentuk_jadwal = bentuk
    operations.ubah_kepala(db.session, dokumen, penyusun, kepala, versi=None)
    unit = "kul" if jenis.endswith("sekretariat") else "keuangan"
    for no in (1, 2, 3):
        operations.simpan_baris(db.session, dokumen, penyusun, baris_contoh(no, unit, biaya=1_250_000 * no))
    db.session.commit()
    return dokumen


# -- PK -------------------------------------------------------------------------------------

@pytest.fixture
def weasyprint_runs(app, monkeypatch):
    """How many times WeasyPrint laid a PDF out (here or in the renderer process), from an
    empty PDF cache."""
    runs = []
    real = pdf_export.lay_out

    def counted(html: str) -> bytes:
        runs.append(1)
        return real(html)

    monkeypatch.setattr(pdf_export, "lay_out", counted)
    with app.app_context():
        cache.clear()
    return runs


def test_a_pdf_is_laid_out_once_per_content_and_again_as_soon_as_anything_changes(
        db, app, people, pk_sekretariat, weasyprint_runs, tmp_path):
    draft = render(app, pk_sekretariat)
    assert render(app, pk_sekretariat) == draft and len(weasyprint_runs) == 1, "the second download reuses the first"
    submit_and_sign(db, pk_sekretariat, people)
    signed = render(app, pk_sekretariat)
    assert len(weasyprint_runs) == 2 and signed != draft
    words = flat(pdf_text(signed, tmp_path))
    assert "DRAF" in flat(pdf_text(draft, tmp_path)) and "DRAF" not in words
    assert flat(people("35.79").ketua.full_name) in words


def test_with_redis_every_app_server_reuses_the_pdf_another_one_made(db, app, pk_sekretariat, weasyprint_runs):
    import redis

    url, prefix = redis_url_or_skip(), f"sakip-test-{uuid.uuid4().hex[:12]}:"
    shared = {k: v for k, v in app.config.items() if k.startswith(("SQLALCHEMY", "SECRET", "TESTING"))}
    servers = [create_app({**shared, "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url, "CACHE_KEY_PREFIX": prefix})
               for _ in range(2)]
    try:
        assert render(servers[0], pk_sekretariat) == render(servers[1], pk_sekretariat)
        assert len(weasyprint_runs) == 1
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)


def test_a_pdf_cache_that_fails_costs_speed_not_the_download(db, app, pk_sekretariat, weasyprint_runs, monkeypatch):
    def down(*_args, **_kwargs):
        raise ConnectionError("redis tidak dapat dihubungi")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert render(app, pk_sekretariat).startswith(b"%PDF") and render(app, pk_sekretariat).startswith(b"%PDF")
    assert len(weasyprint_runs) == 2


def test_a_signed_pk_sekretariat_prints_both_parties_the_table_the_totals_and_its_verification(
        db, app, people, pk_sekretariat, tmp_path):
    submit_and_sign(db, pk_sekretariat, people)
    revisi = pk_sekretariat.revisi_aktif
    sekretaris, ketua = people("35.79").sekretaris, people("35.79").ketua
    text = pdf_text(render(app, pk_sekretariat), tmp_path)
    words = flat(text)

    assert "PERJANJIAN KINERJA TAHUN 2024" in text and "SEKRETARIAT KPU KOTA BATU" in text
    # The agreement: who signs, in which capacity, then place and date in Indonesian.
    assert f"Nama : {sekretaris.full_name} Jabatan : Sekretaris Komisi Pemilihan Umum Kota Batu" in words
    assert "Selanjutnya disebut Pihak PERTAMA" in words
    assert f"Nama : {ketua.full_name} Jabatan : Ketua Komisi Pemilihan Umum Kota Batu" in words
    assert "Selaku atasan langsung Pihak PERTAMA, selanjutnya disebut Pihak KEDUA" in words
    assert text.count("Batu, 13 Januari 2024") == 2, "under the agreement and under the lampiran"
    assert re.search(r"PIHAK KEDUA\s+PIHAK PERTAMA", text), "the superior left, as in the seed"
    assert re.search(r"KETUA KOMISI PEMILIHAN UMUM\s+SEKRETARIS KOMISI PEMILIHAN UMUM", text)
    assert text.count(sekretaris.full_name) >= 3 and text.count(ketua.full_name) >= 3
    assert "Ditandatangani secara elektronik" in text
    # The lampiran table, its programs and the sum the software computed.
    assert re.search(r"NO\s+SASARAN STRATEGIS\s+INDIKATOR KINERJA\s+TARGET", text)
    assert re.search(r"1\s+Terwujudnya sasaran 1\s+Persentase indikator 1\s+100%", text)
    assert re.search(r"Opini BPK\s+WTP", text)
    assert re.search(r"2\s+Terwujudnya sasaran 2\s+Persentase indikator 2\s+100%", text)
    assert "Rp 18.384.118.000" in text and "Rp 1.143.402.000" in text
    assert re.search(r"Jumlah\s+Rp 19\.527\.520\.000", text)
    # Bab III's sentence: DIPA, pagu and the pagu in words.
    assert ("sebagaimana yang termuat dalam DIPA Nomor SP DIPA-076.01.2.657956/2024 tanggal 24 November 2023, "
            f"KPU Kota Batu mendapatkan pagu anggaran APBN sebesar Rp 20.999.655.000 ({PAGU_KATA}).") in words
    assert "terbagi dalam 2 (dua) program" in words
    # Verification: code, the full hash and where to check, on every page.
    pages = text.split("\f")[:-1]
    assert len(pages) == 2
    for page in pages:
        assert f"Kode verifikasi {revisi.kode_verifikasi}" in page and revisi.hash_isi in page
        assert f"http://localhost/verifikasi/{revisi.kode_verifikasi}" in page
    assert "Keaslian dokumen ini dapat diperiksa dengan memindai kode QR" in words
    assert "Status: Ditandatangani" in words
    assert "DRAF" not in text


def test_a_draft_pk_komisi_says_draf_on_every_page_and_leaves_the_signature_blank(
        db, app, make_dokumen, people, tmp_path):
    dokumen = make_dokumen("pk_komisi")
    text = pdf_text(render(app, dokumen), tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) == 2 and all("DRAF" in page for page in pages)
    assert "DRAF · Revisi ke-0 · belum diajukan" in flat(text)
    assert "PERJANJIAN KINERJA" in text and "KPU KOTA BATU TAHUN 2024" in text
    assert "Jabatan : Ketua Komisi Pemilihan Umum Kota Batu" in flat(text)
    assert "(........................................)" in text, "a blank line for the name"
    assert "KETUA KOMISI PEMILIHAN UMUM" in text and "KOTA BATU," in text
    assert "Batu, ........................ 2024" in text, "no date yet"
    assert "Ditandatangani secara elektronik" not in text
    assert "Kode verifikasi" not in text and "SHA-256" not in text and "/verifikasi/" not in text
    assert people("35.79").ketua.full_name not in text


def test_a_pk_komisi_signed_in_part_is_submitted_not_draft(db, app, make_dokumen, people, tmp_path):
    """Submitted, before the signature: the content is fixed (code and hash), the name still blank."""
    dokumen = make_dokumen("pk_komisi")
    operations.ajukan(db.session, dokumen, people("35.79").ketua)
    db.session.commit()
    text = pdf_text(render(app, dokumen), tmp_path)
    assert "DRAF" not in text and dokumen.revisi_aktif.hash_isi in text
    assert "Status: Diajukan, 0 dari 1 tanda tangan" in flat(text)
    assert "(........................................)" in text


# -- RKT ------------------------------------------------------------------------------------

def test_a_signed_rkt_komisi_has_its_cover_table_and_signature(db, app, make_dokumen, people, tmp_path):
    dokumen = make_dokumen("rkt_komisi")
    operations.ubah_kepala(db.session, dokumen, people("35.79").ketua, kepala_resmi(), versi=None)
    db.session.commit()
    submit_and_sign(db, dokumen, people)
    text = pdf_text(render(app, dokumen), tmp_path)
    cover, table = text.split("\f")[:2]
    assert flat(cover).startswith("RENCANA KERJA TAHUNAN KOMISI PEMILIHAN UMUM KOTA BATU TAHUN 2024")
    assert "RENCANA KERJA TAHUNAN 2024" in table and "KPU KOTA BATU" in table
    assert re.search(r"1\s+Terwujudnya sasaran 1\s+Persentase indikator 1\s+100%", table)
    assert "Batu, 13 Januari 2024" in table and "KETUA KOMISI PEMILIHAN UMUM" in table
    assert people("35.79").ketua.full_name in table
    assert dokumen.revisi_aktif.hash_isi in table


def test_the_rkt_sekretariat_is_the_sekretaris_document(db, app, make_dokumen, people, tmp_path):
    dokumen = make_dokumen("rkt_sekretariat")
    text = pdf_text(render(app, dokumen), tmp_path)
    assert "SEKRETARIAT KPU KOTA BATU" in text and "SEKRETARIS KOMISI PEMILIHAN UMUM" in text
    assert "KETUA KOMISI" not in text


# -- RAK ------------------------------------------------------------------------------------

def test_a_signed_rak_prints_rows_month_marks_computed_total_and_both_signatures(
        db, app, make_dokumen, people, tmp_path):
    dokumen = rak_with_costs(db, make_dokumen, people)
    submit_and_sign(db, dokumen, people)
    revisi = dokumen.revisi_aktif
    text = pdf_text(render(app, dokumen), tmp_path)
    words = flat(text)

    assert "RENCANA AKSI KINERJA KOMISIONER KOMISI PEMILIHAN UMUM KOTA BATU TAHUN 2024" in text
    assert re.search(r"NAMA/UNIT ORGANISASI\s+:\s+KOMISI PEMILIHAN UMUM KOTA BATU", text)
    assert re.search(r"TAHUN ANGGARAN\s+:\s+2024", text)
    assert re.search(r"No\s+Sasaran Program\s+Indikator Kinerja\s+Target\s+Kegiatan Yang Akan Dilaksanakan\s+"
                     r"Bulan Pelaksanaan\s+Perkiraan Biaya\s+Pelaksanaan", text)
    assert re.search(r"\(1\)\s+\(2\)\s+\(3\)\s+\(4\)\s+\(5\)\s+1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\s+10\s+11\s+12"
                     r"\s+\(6\)\s+\(7\)", text)
    for no, biaya in ((1, "Rp 1.250.000"), (2, "Rp 2.500.000"), (3, "Rp 3.750.000")):
        # Months 1-3 marked, 4-12 not, then the cost and the unit.
        assert re.search(rf"{no}\.\s+Sasaran {no}\s+Persentase capaian\s+97,5%\s+• Rapat koordinasi {no}\s+"
                         rf"v\s+v\s+v(\s+-){{9}}\s+{biaya}\s+Divisi Keuangan", text), no
        assert f"• Monitoring {no}" in text
    assert text.count("CQ.6709.QGE.003") == 3
    assert re.search(r"Jumlah perkiraan biaya\s+Rp 7\.500\.000", text)
    assert f"KPU Kota Batu mendapatkan pagu anggaran APBN sebesar Rp 20.999.655.000 ({PAGU_KATA})" in words
    # The KPA signs, the Ketua acknowledges ("Mengetahui,"), each with name and time.
    assert re.search(r"Batu, 13 Januari 2024", text)
    assert re.search(r"Mengetahui,\s+SEKRETARIS KOMISI PEMILIHAN UMUM", text)
    assert "selaku Kuasa Pengguna Anggaran" in text
    assert people("35.79").sekretaris.full_name in text and people("35.79").ketua.full_name in text
    assert revisi.hash_isi in text and revisi.kode_verifikasi in text


@pytest.mark.parametrize("bentuk, header, marks", [
    (BentukJadwal.TRIWULAN, r"Triwulan Pelaksanaan", r"TW1\s+TW2\s+TW3\s+TW4"),
    # 48 narrow week columns: poppler runs their headers together ("123412341234...").
    (BentukJadwal.MINGGU, r"Bulan dan Minggu Pelaksanaan", r"1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\s+10\s+11\s+12\s.*\n(.*\n)*?.*(1\s*2\s*3\s*4\s*){12}"),
])
def test_a_rak_prints_its_schedule_in_the_shape_of_the_revision(db, app, make_dokumen, people, tmp_path,
                                                                 bentuk, header, marks):
    dokumen = rak_with_costs(db, make_dokumen, people, jenis="rak_sekretariat", bentuk=bentuk)
    text = pdf_text(render(app, dokumen), tmp_path)
    assert re.search(header, text) and re.search(marks, text)
    row = next(line for line in text.splitlines() if "Sasaran 1 " in line)
    cells = re.findall(r"(?<!\S)[v-](?!\S)", row)
    # The rows mark cells 1-3 of the grid they were typed in: three quarters, or three weeks.
    assert cells == ["v"] * 3 + ["-"] * (len(bentuk.kolom) - 3), row
    assert "Subbagian" in row and "Rp 1.250.000" in row and "Rp 7.500.000" in text


def test_every_first_page_is_landscape_or_portrait_a4_and_not_blank(db, app, make_dokumen, people, tmp_path):
    documents = {jenis: make_dokumen(jenis.value) for jenis in JenisDokumen}
    for jenis, dokumen in documents.items():
        pdf = render(app, dokumen)
        reader = PdfReader(BytesIO(pdf))
        box = reader.pages[0].mediabox
        size = (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72))
        assert size == ((297, 210) if jenis.bentuk.value == "rak" else (210, 297)), (jenis, size)
        assert inked_share_of_first_page(pdf, tmp_path, f"{jenis.value}.pdf") > 0.01, jenis


def test_every_document_lays_out_without_a_weasyprint_warning(db, app, make_dokumen, caplog):
    """No CSS that WeasyPrint ignores, no font it lacks, and fonts cut down by HarfBuzz:
    without Debian's libharfbuzz-subset0 WeasyPrint falls back to fontTools and warns, and
    a PK's layout costs 2.4 times the CPU (bench/README.md, "load/")."""
    from weasyprint.text.ffi import harfbuzz_subset

    if harfbuzz_subset is None:
        unavailable("libharfbuzz-subset.so.0 is not installed (apt-get install -y libharfbuzz-subset0; "
                    "scripts/system-deps does it as root)")
    caplog.set_level("WARNING", logger="weasyprint")
    for jenis in JenisDokumen:
        dokumen = make_dokumen(jenis.value)
        with app.test_request_context("/"):
            html = pdf_export.html_dokumen(dokumen, dokumen.revisi_aktif)
        assert pdf_render.render(html).startswith(b"%PDF-"), jenis
        assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == [], jenis


def test_the_blank_page_check_sees_a_blank_page(tmp_path):
    from weasyprint import HTML

    blank = HTML(string="<p></p>").write_pdf()
    assert inked_share_of_first_page(blank, tmp_path) == 0


# -- verification and QR ---------------------------------------------------------------------

def test_the_qr_code_carries_the_absolute_verify_url(db, app, make_dokumen, people, tmp_path):
    dokumen = make_dokumen("pk_komisi")
    submit_and_sign(db, dokumen, people)
    revisi = dokumen.revisi_aktif
    url = f"http://localhost/verifikasi/{revisi.kode_verifikasi}"
    with app.test_request_context("/"):
        assert pdf_export.url_verifikasi(revisi.kode_verifikasi) == url
        konteks = pdf_export.konteks(dokumen, revisi)
    verifikasi = konteks["verifikasi"]
    assert (verifikasi["kode"], verifikasi["hash"], verifikasi["url"]) == (revisi.kode_verifikasi, revisi.hash_isi, url)
    # What the QR encodes is exactly that URL (segno builds the same symbol from it).
    assert verifikasi["qr"] == segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    assert pdf_export.qr_code(url).designator == segno.make(url, error="m").designator
    # The PDF links to it as well, and draws the QR code on its last page.
    reader = PdfReader(BytesIO(render(app, dokumen)))
    uris = {annot.get_object()["/A"]["/URI"] for page in reader.pages for annot in page.get("/Annots", [])}
    assert url in uris
    # The draft has no QR code, no link and no verify URL.
    draft = make_dokumen("pk_komisi", tahun=2025)
    with app.test_request_context("/"):
        assert pdf_export.konteks(draft, draft.revisi_aktif)["verifikasi"] is None


def test_outside_a_request_the_verify_url_uses_the_public_base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://sakip.kpu.go.id/")
    with app.app_context():
        assert pdf_export.url_verifikasi("ABCD-2345") == "https://sakip.kpu.go.id/verifikasi/ABCD-2345"


def test_weasyprint_fetches_nothing_but_data_uris():
    fetcher = pdf_render.LocalOnlyFetcher()
    for url in ("http://example.com/x.png", "https://cdn.example.com/a.css", "file:///etc/passwd",
                "ftp://example.com/f"):
        with pytest.raises(ValueError, match="sumber luar"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_a_template_that_names_an_outside_resource_still_renders_without_fetching_it(monkeypatch):
    from weasyprint import HTML

    fetched = []
    real = pdf_render.LocalOnlyFetcher.fetch
    monkeypatch.setattr(pdf_render.LocalOnlyFetcher, "fetch", lambda self, url, headers=None: (
        fetched.append(url), real(self, url, headers))[1])
    HTML(string='<img src="http://203.0.113.1/x.png"><link rel="stylesheet" href="file:///etc/passwd"><p>x</p>',
         url_fetcher=pdf_render.LocalOnlyFetcher()).write_pdf()
    assert sorted(fetched) == ["file:///etc/passwd", "http://203.0.113.1/x.png"]  # asked, and refused


def test_words_dates_and_file_names():
    assert pdf_export.terbilang(PAGU) == PAGU_KATA
    assert pdf_export.terbilang(1_143_402_000) == (
        "satu miliar seratus empat puluh tiga juta empat ratus dua ribu rupiah")
    assert pdf_export.tanggal(date(2024, 1, 13)) == "13 Januari 2024"
    assert pdf_export.nama_lengkap("KPU Kabupaten Balangan") == "Komisi Pemilihan Umum Kabupaten Balangan"


# -- the download route ----------------------------------------------------------------------

def test_the_owner_downloads_the_pdf_and_another_office_gets_the_missing_page(
        db, app, client, login, people, pk_sekretariat):
    login(people("35.79").subbag_kul)
    response = client.get(f"/dokumen/{pk_sekretariat.id}/unduh.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=PK-Sekretariat-KPU-Kota-Batu-2024-rev0.pdf")
    assert "no-store" in response.headers["Cache-Control"]
    detail = client.get(f"/dokumen/{pk_sekretariat.id}").text
    assert f'href="/dokumen/{pk_sekretariat.id}/unduh.pdf?revisi=0" data-testid="download-pdf"' in detail

    other = login(people("51.71").sekretaris, c=app.test_client())
    foreign = other.get(f"/dokumen/{pk_sekretariat.id}/unduh.pdf")
    missing = other.get("/dokumen/999999/unduh.pdf")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.text.replace(f"/dokumen/{pk_sekretariat.id}/", "/dokumen/X/") == \
        missing.text.replace("/dokumen/999999/", "/dokumen/X/")
    assert app.test_client().get(f"/dokumen/{pk_sekretariat.id}/unduh.pdf").status_code == 302, "sign in first"


def test_any_revision_can_be_downloaded_and_a_missing_one_is_404(db, app, client, login, people, tmp_path,
                                                                 pk_sekretariat):
    batu = people("35.79")
    submit_and_sign(db, pk_sekretariat, people)
    lama = pk_sekretariat.revisi_aktif
    operations.kembalikan(db.session, pk_sekretariat, people("35").reviewer, "Target sasaran 2 perlu dikaji ulang.")
    db.session.commit()
    login(batu.sekretaris)
    url = f"/dokumen/{pk_sekretariat.id}/unduh.pdf"

    current = client.get(url)
    assert current.headers["Content-Disposition"].endswith("-rev1.pdf")
    assert "DRAF" in pdf_text(current.data, tmp_path, "rev1.pdf")
    old = client.get(url + "?revisi=0")
    assert old.status_code == 200 and old.headers["Content-Disposition"].endswith("-rev0.pdf")
    old_text = flat(pdf_text(old.data, tmp_path, "rev0.pdf"))
    assert lama.hash_isi in old_text and "DRAF" not in old_text
    assert "Dikembalikan untuk perbaikan" in old_text and "sudah digantikan oleh Revisi ke-1" in old_text
    for bad in ("?revisi=2", "?revisi=-1", "?revisi=abc", "?revisi="):
        assert client.get(url + bad).status_code == 404, bad


def test_the_pdf_is_indonesian_whatever_language_the_user_reads(db, app, client, login, people, pk_sekretariat,
                                                               tmp_path):
    login(people("35.79").sekretaris)
    page = client.get(f"/dokumen/{pk_sekretariat.id}")
    client.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token_from(page.text)})
    assert '<html lang="en">' in client.get(f"/dokumen/{pk_sekretariat.id}").text
    text = pdf_text(client.get(f"/dokumen/{pk_sekretariat.id}/unduh.pdf").data, tmp_path)
    assert "Batu, 13 Januari 2024" in text and "January" not in text


def test_rendering_issues_the_same_number_of_statements_for_5_and_100_rows(db, app, login, people, make_dokumen,
                                                                          count_statements):
    counts = []
    for tahun, n in ((2024, 5), (2025, 100)):
        rak = make_dokumen("rak_sekretariat", tahun=tahun, baris=n)
        c = login(people("35.79").sekretaris, c=app.test_client())
        with count_statements() as counter:
            response = c.get(f"/dokumen/{rak.id}/unduh.pdf")
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


# -- the demo's Balangan PK -------------------------------------------------------------------

@pytest.fixture
def balangan(db, tree):
    """KPU Kabupaten Balangan under KPU Provinsi Kalimantan Selatan, with the accounts the seed steps use."""
    load_hierarchy(db.session, [o for o in reference_offices() if o.kode in ("RI", "63", "63.11")])
    db.session.commit()
    satker = {s.kode: s for s in db.session.scalars(sa.select(Satker))}
    for username, kode, role in (("balangan.ketua", "63.11", "ketua"), ("balangan.sekretaris", "63.11", "sekretaris"),
                                 ("reviewer.kalsel", "63", "reviewer")):
        grant(UserFactory(satker=satker[kode], username=username), satker[kode], role)
    db.session.commit()
    return satker["63.11"]


def test_the_balangan_pk_komisi_from_the_demo_seed(db, app, balangan, tmp_path):
    seed = seeds.DIREKTORI / "63.11-2024-pk_komisi.json"
    (tmp_path / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    [hasil] = seeds.load_demo_documents(db.session, tmp_path)
    db.session.commit()
    assert hasil.dibuat and not hasil.catatan, hasil.catatan
    dokumen = operations.cari_dokumen(db.session, balangan, 2024, JenisDokumen.PK_KOMISI)
    revisi = dokumen.revisi_aktif
    text = pdf_text(render(app, dokumen), tmp_path)
    words = flat(text)

    assert "PERJANJIAN KINERJA" in text and "KPU KABUPATEN BALANGAN TAHUN 2024" in text
    assert text.count("Paringin, 13 Januari 2024") == 2
    assert "Jabatan : Ketua Komisi Pemilihan Umum Kabupaten Balangan" in words
    assert re.search(r"Program Penyelenggaraan Pemilu Dalam Proses Konsolidasi\s+Rp 34\.556\.848\.000", text)
    assert re.search(r"Program Dukungan Manajemen \(076\.01\.WA\)\s+Rp 2\.375\.964\.000", text)
    assert re.search(r"Jumlah\s+Rp 36\.932\.812\.000", text)
    # The seed's grouping: each tujuan numbered, its sasaran and indikator below.
    assert re.search(r"1\s+Mewujudkan Komisi Pemilihan Umum yang mandiri", text)
    assert re.search(r"Terwujudnya Sumber Daya\s+Nilai Keterbukaan Informasi Publik\s+100%", text)
    assert re.search(r"Nilai Akuntabilitas Kinerja\s+B\n", text) and re.search(r"Opini BPK atas Laporan Keuangan\s+WTP", text)
    assert re.search(r"Persentase Pemilih yang Berhak\s+0,16%", text)
    assert re.search(r"3\s+Mewujudkan Pemilu/Pemilihan Serentak yang langsung", text)
    # Signed by the demo ketua and approved by the province.
    assert "Status: Disetujui" in words and revisi.hash_isi in text
    assert json.loads(seed.read_text(encoding="utf-8"))["program"][0]["anggaran"] == 34_556_848_000
