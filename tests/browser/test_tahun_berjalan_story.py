"""Running the year (issue 16, "Done when"), in a real browser against a real SMTP server:

KPU RI sets the PK due date; KPU Kota Batu misses it; Jawa Timur's reviewer sees it late and
reminds; Batu's Sekretaris finds it at the top of the to-do list and the reminder in the mail
server; the Sekretaris submits and, being away afterwards, the Plh Sekretaris of the demo
(``batu.rendatin``) signs as Pihak Pertama, the Ketua as Pihak Kedua; the PDF prints "Plh.";
the reviewer approves it with the two signed RAKs of 2023 in one go.
"""
from __future__ import annotations

import io
import threading
import time
from datetime import date

import pyotp
import pytest
from flask_migrate import upgrade
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from werkzeug.serving import make_server

from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tests.browser.conftest import sign_in
from tests.test_notifikasi import SmtpUji
from webapp import create_app
from webapp.demo import DEMO_TOTP_SECRET, load_demo

pytestmark = pytest.mark.browser

BATU = "35.79"


@pytest.fixture(scope="module")
def smtp():
    server = SmtpUji()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture(scope="module")
def world(backend, fresh_database_url, smtp):
    """The demo on a live server whose e-mail goes to the test's SMTP server."""
    app = create_app({"SECRET_KEY": "browser-test", "SQLALCHEMY_DATABASE_URI": fresh_database_url(backend),
                      "SAKIP_SMTP_HOST": "127.0.0.1", "SAKIP_SMTP_PORT": smtp.port, "SAKIP_SMTP_STARTTLS": False})
    with app.app_context():
        upgrade()
        load_hierarchy(db.session)
        load_demo(db.session)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def draft_pk(app, tahun: int) -> int:
    """Batu's PK Sekretariat of the year, a complete draft nobody submitted."""
    from sqlalchemy import select

    from tenants.people import User
    from tenants.satker import Satker
    from tests.documents import isi_contoh
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen

    with app.app_context():
        sekretaris = db.session.scalar(select(User).where(User.username == "batu.sekretaris"))
        batu = db.session.scalar(select(Satker).where(Satker.kode == BATU))
        pk = operations.buat_dokumen(db.session, batu, tahun, JenisDokumen.PK_SEKRETARIAT, sekretaris)
        isi_contoh(db.session, pk, sekretaris)
        db.session.commit()
        return pk.id


def settle_the_demo_leftover(app) -> None:
    """The demo's RAK Sekretariat 2024 of Batu is a draft two years overdue, which would top the
    Sekretaris's list (the most overdue first): an office in this story has dealt with it."""
    from sqlalchemy import select

    from tenants.people import User
    from tenants.satker import Satker
    from workflow.dokumen import operations
    from workflow.dokumen.models import Dokumen, JenisDokumen

    with app.app_context():
        user = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(
            ["batu.sekretaris", "batu.ketua", "reviewer.jatim"])))}
        rak = db.session.scalar(select(Dokumen).join(Satker).where(
            Satker.kode == BATU, Dokumen.tahun == 2024, Dokumen.jenis == JenisDokumen.RAK_SEKRETARIAT))
        operations.ajukan(db.session, rak, user["batu.sekretaris"])
        operations.tandatangani(db.session, rak, user["batu.sekretaris"])
        operations.tandatangani(db.session, rak, user["batu.ketua"])
        operations.setujui(db.session, rak, user["reviewer.jatim"])
        db.session.commit()


def run_worker(app) -> None:
    from webapp.cli import worker_command

    result = app.test_cli_runner().invoke(worker_command, ["--once"])
    assert result.exit_code == 0, result.output


def press(page: Page, event: str) -> None:
    """A workflow button; its question ("Tanda tangani dokumen ini? ...") answered yes."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"btn-{event}").click()
    page.wait_for_load_state()


def later_code(app, username: str) -> str:
    """An authenticator code after the last one the account used (a code is accepted once,
    and the sign-in may already have taken the next step's): waits for the clock if need be."""
    from sqlalchemy import select

    from tenants.people import User

    with app.app_context():
        last = db.session.scalar(select(User.totp_last_step).where(User.username == username)) or 0
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    while totp.timecode(time.time()) + 1 <= last:
        time.sleep(1)
    return totp.generate_otp(max(totp.timecode(time.time()), last + 1))


def test_a_missed_deadline_from_the_calendar_to_the_batch_approval(page: Page, world, smtp, tmp_path):
    app, url = world
    smtp.kotak.pesan.clear()  # one mail server for both backends' runs
    tahun = date.today().year
    pk_id = draft_pk(app, tahun)
    settle_the_demo_leftover(app)
    page.set_default_timeout(20_000)

    # KPU RI sets the PK's due date: the end of January, long gone.
    sign_in(page, url, "admin.ri")
    page.goto(f"{url}/satker/RI/jadwal?tahun={tahun}")
    page.locator("#f-pk").fill(f"{tahun}-01-31")
    page.get_by_role("button", name="Simpan jadwal").click()
    expect(page.get_by_text(f"Jadwal {tahun} disimpan.")).to_be_visible()
    page.context.clear_cookies()

    # Jawa Timur's reviewer sees Batu late and reminds it.
    sign_in(page, url, "reviewer.jatim")
    page.goto(f"{url}/satker/35/kepatuhan?tahun={tahun}&jenis=pk_sekretariat")
    batu = page.get_by_test_id(f"satker-{BATU}")
    expect(batu).to_contain_text("Belum mengajukan")
    expect(batu).to_contain_text("terlambat")
    batu.get_by_role("button", name="Ingatkan").click()
    expect(page.get_by_text("1 satker diingatkan: KPU Kota Batu.")).to_be_visible()
    page.context.clear_cookies()

    # The reminder is in the mail server, for the Sekretaris alone.
    run_worker(app)
    def reminders(alamat: str) -> list:  # the demo's own steps mailed other things before
        return [m for m in smtp.kotak.untuk(alamat) if m["Subject"].startswith(f"Pengingat: PK Sekretariat {tahun}")]

    [mail] = reminders("batu.sekretaris@demo.kpu.go.id")
    assert "31 Januari" in mail.get_body(preferencelist=("plain",)).get_content()
    assert not reminders("batu.ketua@demo.kpu.go.id") and not reminders("batu.kul@demo.kpu.go.id")

    # The Sekretaris finds it at the top of the to-do list, late, and submits it.
    sign_in(page, url, "batu.sekretaris")
    first = page.get_by_test_id("tugas").locator("li").first
    expect(first).to_contain_text(f"PK Sekretariat {tahun}")
    expect(first).to_contain_text("terlambat")
    first.get_by_role("link").first.click()
    press(page, "submit")
    expect(page.get_by_test_id("status")).to_have_text("Diajukan")
    page.context.clear_cookies()

    # The Sekretaris is away: the Plh Sekretaris signs in the Sekretaris's place, then the Ketua.
    sign_in(page, url, "batu.rendatin")
    expect(page.get_by_test_id("tugas")).to_contain_text(f"PK Sekretariat {tahun}")
    page.goto(f"{url}/dokumen/{pk_id}")
    press(page, "sign")
    expect(page.get_by_test_id("signatures")).to_contain_text("Plh. Sekretaris KPU Kota Batu")
    page.context.clear_cookies()
    sign_in(page, url, "batu.ketua")
    page.goto(f"{url}/dokumen/{pk_id}")
    press(page, "sign")
    expect(page.get_by_test_id("status")).to_have_text("Ditandatangani")
    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
    assert "Plh. Sekretaris" in text and "Staf" in text, text[:2000]  # the appointee's own name
    page.context.clear_cookies()

    # The reviewer approves it with the two signed RAKs of 2023 in one go.
    sign_in(page, url, "reviewer.jatim")
    page.goto(f"{url}/tinjauan")
    rows = page.get_by_test_id("inbox").locator("tbody tr").filter(has_text="KPU Kota Batu")
    for row in rows.all():
        if row.get_by_role("checkbox").count():
            row.get_by_role("checkbox").check()
    page.get_by_test_id("kode-massal").fill(later_code(app, "reviewer.jatim"))
    page.get_by_test_id("btn-setujui-massal").click()
    approved = page.get_by_test_id("disetujui")
    expect(approved).to_contain_text("3 dokumen disetujui")
    expect(approved).to_contain_text(f"PK Sekretariat KPU Kota Batu {tahun}")
