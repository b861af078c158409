"""The yearly evaluation an auditor accepts (issue 18), in a real browser:

KPU Kota Batu's Sekretaris fills its self-assessment, linking a signed document by its
verification code, and submits; KPU RI's Inspektorat opens it, sees the system's proposals
with the verification codes they rest on, scores, and returns one criterion for more
evidence; Batu answers it again and submits; the inspector scores everything, writes a
finding with its recommendation, publishes, and finalises with a predikat; the public
/verifikasi/<kode> printed on the LHE's PDF shows the result; the recommendation is a
follow-up on Batu's to-do list, reported and closed; the national recap shows Batu's predikat.
The evaluation page and a sub-component page fit a laptop and a phone.
"""
from __future__ import annotations

import io
import os
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import live_app, sign_in

pytestmark = pytest.mark.browser

BATU = "35.79"
TAHUN = 2025  # a year of its own: the demo's evaluations are 2024's
SUB = "1.a"  # filled and scored in the browser; the other sub-components through the operations
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def _orang(db, *usernames):
    from sqlalchemy import select

    from tenants.people import User

    found = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(usernames)))}
    return [found[u] for u in usernames]


def world(app) -> str:
    """Batu's PK Sekretariat of TAHUN, signed (the proposals rest on it), and its
    self-assessment answered "Ya" everywhere but SUB (typed in the browser). Returns the
    PK's verification code."""
    from sqlalchemy import select

    from tenants.db import db
    from tenants.satker import Satker
    from tests.documents import isi_contoh
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen
    from workflow.evaluasi import operations as ev_ops

    with app.app_context():
        sekretaris, ketua = _orang(db, "batu.sekretaris", "batu.ketua")
        batu = db.session.scalar(select(Satker).where(Satker.kode == BATU))
        pk = operations.buat_dokumen(db.session, batu, TAHUN, JenisDokumen.PK_SEKRETARIAT, sekretaris)
        isi_contoh(db.session, pk, sekretaris)
        operations.ajukan(db.session, pk, sekretaris)
        operations.tandatangani(db.session, pk, sekretaris)
        operations.tandatangani(db.session, pk, ketua)
        ev = ev_ops.buka(db.session, batu, TAHUN, sekretaris)
        from workflow.evaluasi import queries

        rows = queries.jawaban(db.session, ev)
        ev_ops.simpan_jawaban(db.session, batu, TAHUN, sekretaris, {
            k.kode: ev_ops.IsianKriteria("Y", "Dokumen tersedia.", versi=rows[k.kode].versi if k.kode in rows else None)
            for k in ev.lke.kriteria if not k.kode.startswith(SUB + ".")})
        db.session.commit()
        return pk.revisi_aktif.kode_verifikasi


def score_the_rest(app) -> None:
    """The inspector's verdicts and grades (the proposals) on every sub-component but SUB."""
    from sqlalchemy import select

    from tenants.db import db
    from tenants.satker import Satker
    from workflow.evaluasi import operations as ev_ops, queries

    with app.app_context():
        (inspektorat,) = _orang(db, "inspektorat.ri")
        batu = db.session.scalar(select(Satker).where(Satker.kode == BATU))
        ev = queries.evaluasi(db.session, batu.id, TAHUN)
        for h in queries.hasil(db.session, ev).sub:
            if h.sub.kode == SUB:
                continue
            rows = queries.jawaban(db.session, ev)
            ev_ops.simpan_penilaian(db.session, batu, TAHUN, inspektorat, h.sub.kode, ev_ops.PenilaianSub(
                {k.kode: ev_ops.PenilaianKriteria(True, versi=rows[k.kode].versi) for k in h.sub.kriteria},
                h.usulan.value))
        db.session.commit()


def by_id(page: Page, element_id: str):
    """An element by its id: the criteria's codes have dots, which a CSS #id reads as classes."""
    return page.locator(f'[id="{element_id}"]')


def press(page: Page, testid: str) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(testid).click()
    page.wait_for_load_state()


def fits(page: Page, name: str) -> None:
    """The page at a laptop's and a phone's width: nothing wider than the screen."""
    for screen in (LAPTOP, PHONE):
        page.set_viewport_size(screen)
        assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"], (name, screen)
        wide = page.evaluate("[...document.querySelectorAll('main table')].filter("
                             "t => t.scrollWidth > t.parentElement.clientWidth + 1).length")
        assert wide == 0, f"{name}: a table scrolls sideways at {screen['width']} px"
        if folder := os.environ.get("SAKIP_SCREENSHOTS"):
            page.screenshot(path=f"{folder}/evaluasi-{name}-{screen['width']}.png", full_page=True)
    page.set_viewport_size(LAPTOP)


def test_self_assessment_returned_answered_scored_published_finalised_and_verified(page: Page, live_server):
    app = live_app(live_server)
    kode_pk = world(app)
    page.set_default_timeout(20_000)
    base = f"{live_server}/satker/{BATU}/evaluasi/{TAHUN}"

    # Batu's Sekretaris answers SUB, linking the signed PK by its code, and submits.
    sign_in(page, live_server, "batu.sekretaris")
    page.goto(f"{base}/{SUB}")
    criteria = [c.get_attribute("data-testid").removeprefix("kriteria-")
                for c in page.locator('[data-testid^="kriteria-"]').all()]
    assert criteria and all(c.startswith(SUB + ".") for c in criteria)
    for kode in criteria:
        by_id(page, f"jawaban-{kode}-Y").check()
    by_id(page, f"catatan-{criteria[0]}").fill("Pedoman perencanaan kinerja ditetapkan Januari.")
    by_id(page, f"kode-{criteria[0]}").fill(kode_pk.lower())
    fits(page, "sub")
    page.get_by_test_id("simpan-jawaban").click()
    page.wait_for_load_state()
    expect(by_id(page, f"kode-{criteria[0]}")).to_have_value(kode_pk)
    page.goto(base)
    fits(page, "lembar")
    press(page, "tombol-ajukan")
    expect(page.get_by_test_id("status-evaluasi")).to_have_text("Diajukan, dinilai evaluator")
    page.context.clear_cookies()

    # KPU RI's Inspektorat: the proposals with the codes they rest on; SUB scored, one criterion returned.
    sign_in(page, live_server, "inspektorat.ri")
    page.goto(f"{base}/1.b")
    proposal = page.get_by_test_id("usulan-1.b.2")
    expect(proposal).to_contain_text("Usulan sistem dari data SAKIP")
    expect(proposal.get_by_test_id("fakta-kode")).to_have_text(kode_pk)
    page.goto(f"{base}/{SUB}")
    expect(page.get_by_test_id(f"kriteria-{criteria[0]}")).to_contain_text(kode_pk)
    for kode in criteria:
        by_id(page, f"setuju-{kode}-ya").check()
    by_id(page, f"perlu-{criteria[0]}").check()
    page.locator(f'[name="alasan-kembali-{criteria[0]}"]').fill("Lampirkan SK penetapan pedoman.")
    page.get_by_test_id("simpan-nilai").click()
    page.wait_for_load_state()
    page.goto(base)
    page.locator("#alasan-kembalikan").fill("Kriteria 1.a.1 memerlukan SK penetapan.")
    press(page, "tombol-kembalikan")
    expect(page.get_by_test_id("status-evaluasi")).to_have_text("Dikembalikan untuk bukti tambahan")
    page.context.clear_cookies()

    # Batu answers the returned criterion again (only it is open) and submits.
    sign_in(page, live_server, "batu.sekretaris")
    page.goto(base)
    expect(page.get_by_test_id("catatan")).to_contain_text("memerlukan SK penetapan")
    page.goto(f"{base}/{SUB}")
    expect(page.get_by_test_id(f"perlu-bukti-{criteria[0]}")).to_contain_text("Lampirkan SK penetapan pedoman.")
    expect(by_id(page, f"catatan-{criteria[1]}")).to_have_count(0)
    by_id(page, f"catatan-{criteria[0]}").fill("SK penetapan pedoman Nomor 12 Tahun 2025 dilampirkan.")
    page.get_by_test_id("simpan-jawaban").click()
    page.wait_for_load_state()
    page.goto(base)
    press(page, "tombol-ajukan")
    expect(page.get_by_test_id("status-evaluasi")).to_have_text("Diajukan, dinilai evaluator")
    page.context.clear_cookies()

    # The inspector scores everything, writes a finding, publishes and finalises.
    score_the_rest(app)
    sign_in(page, live_server, "inspektorat.ri")
    page.goto(f"{base}/{SUB}")
    expect(page.get_by_test_id(f"kriteria-{criteria[0]}")).to_contain_text("SK penetapan pedoman Nomor 12")
    by_id(page, f"setuju-{criteria[0]}-ya").check()
    usulan = page.get_by_test_id("usulan").inner_text()
    page.locator("#nilai").select_option(usulan)
    page.get_by_test_id("simpan-nilai").click()
    page.wait_for_load_state()
    page.goto(base)
    form = page.get_by_test_id("form-temuan")
    form.locator("#subkomponen").select_option("1.b")
    form.locator("#uraian").fill("Target IKU belum menantang.")
    form.locator("#rekomendasi").fill("Tetapkan target IKU setara realisasi tahun lalu.")
    form.get_by_role("button", name="Tambah temuan").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("temuan")).to_contain_text("Tetapkan target IKU setara realisasi tahun lalu.")
    press(page, "tombol-terbitkan")
    expect(page.get_by_test_id("status-evaluasi")).to_have_text("Hasil sementara")
    predikat = page.get_by_test_id("predikat-sementara").inner_text()
    assert predikat in ("AA", "A", "BB", "B", "CC", "C", "D", "E")
    press(page, "tombol-finalkan")
    expect(page.get_by_test_id("status-evaluasi")).to_have_text("Final")
    expect(page.get_by_test_id("predikat")).to_have_text(predikat)
    skor = page.get_by_test_id("skor-total").inner_text()
    kode = page.get_by_test_id("kode-verifikasi").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", kode)

    # The LHE, signed by the inspector who finalised: its code is the one to verify.
    with page.expect_download(timeout=60_000) as download:
        page.get_by_test_id("unduh-lhe").get_by_role("link", name="Unduh PDF").click()
    lhe = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages).split())
    assert "LAPORAN HASIL EVALUASI" in lhe.upper() and "KPU Kota Batu" in lhe, lhe[:1500]
    assert "Tetapkan target IKU setara realisasi tahun lalu." in lhe and skor in lhe, lhe[:3000]
    kode_lhe = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", lhe[lhe.index("/verifikasi/"):]).group(0)
    assert kode_lhe == kode
    page.context.clear_cookies()

    # Anyone, signed in or not, checks the code.
    page.goto(f"{live_server}/verifikasi/{kode_lhe}")
    expect(page.get_by_test_id("verify-result")).to_contain_text("masih sama dengan yang difinalkan")
    expect(page.get_by_test_id("verify-evaluasi")).to_contain_text(f"Hasil Evaluasi AKIP {TAHUN} · KPU Kota Batu")
    expect(page.get_by_test_id("verify-predikat")).to_have_text(predikat)
    expect(page.get_by_test_id("verify-skor")).to_have_text(skor)

    # The recommendation is a follow-up at the top of Batu's to-do list; Batu reports it.
    sign_in(page, live_server, "batu.sekretaris")
    page.goto(f"{live_server}/")
    item = page.get_by_test_id("tugas-tindak_lanjut").filter(has_text="KPU Kota Batu")
    expect(item).to_contain_text(f"Tindak lanjut evaluasi AKIP {TAHUN}")
    item.get_by_role("link").first.click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("rekomendasi")).to_have_text("Tetapkan target IKU setara realisasi tahun lalu.")
    page.locator("#uraian").fill("Target IKU 2026 ditetapkan setara realisasi 2025.")
    page.locator("#kode").fill(kode_pk)
    page.get_by_test_id("tombol-laporkan").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("status-tindak-lanjut")).to_have_text("Dilaporkan, menunggu evaluator")
    fits(page, "tindak-lanjut")
    tindak_lanjut = page.url
    page.goto(f"{live_server}/")
    expect(page.get_by_test_id("tugas-tindak_lanjut").filter(has_text="KPU Kota Batu")).to_have_count(0)
    page.context.clear_cookies()

    # The inspector finds it on his list and closes it.
    sign_in(page, live_server, "inspektorat.ri")
    page.goto(f"{live_server}/")
    batu_tl = page.get_by_test_id("tugas-tutup_tindak_lanjut").filter(has_text="KPU Kota Batu")
    expect(batu_tl).to_contain_text(f"Tindak lanjut evaluasi AKIP {TAHUN}")
    page.goto(tindak_lanjut)
    expect(page.get_by_test_id("laporan-1")).to_contain_text(kode_pk)
    press(page, "tombol-selesaikan")
    expect(page.get_by_test_id("status-tindak-lanjut")).to_have_text("Selesai")
    page.goto(f"{live_server}/")
    expect(page.get_by_test_id("tugas-tutup_tindak_lanjut").filter(has_text="KPU Kota Batu")).to_have_count(0)

    # The national recap: Batu's total and predikat, counted in Jawa Timur's distribution.
    page.goto(f"{live_server}/evaluasi/rekap?tahun={TAHUN}")
    row = page.get_by_test_id(f"rekap-{BATU}")
    expect(row.locator('[data-kolom="predikat"]')).to_have_text(predikat)
    expect(row.locator('[data-kolom="skor"]')).to_have_text(skor)
    expect(page.get_by_test_id("distribusi-35").locator(f'[data-predikat="{predikat}"]')).not_to_have_text("0")
    # A wide table of its own (components, years): on a phone it scrolls inside its frame, the page does not.
    for screen in (LAPTOP, PHONE):
        page.set_viewport_size(screen)
        assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"], screen
        if folder := os.environ.get("SAKIP_SCREENSHOTS"):
            page.screenshot(path=f"{folder}/evaluasi-rekap-{screen['width']}.png", full_page=True)
