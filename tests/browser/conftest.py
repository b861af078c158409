"""A live server on a database of its own, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tests.conftest import system_tool
from webapp import create_app
from webapp.demo import DEMO_PASSWORD, load_demo


def pass_second_factor(page, live_server: str) -> None:
    """After the password: the demo admin and reviewers type their authenticator's code
    (webapp.demo.DEMO_TOTP_SECRET). A code is accepted once: when this account already used
    the current one (two sign-ins within 30 seconds), the next step's code is typed."""
    import time

    import pyotp

    from webapp.demo import DEMO_TOTP_SECRET

    if not page.url.startswith(f"{live_server}/masuk/kode"):
        return
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    step = totp.timecode(time.time())
    for offset in (0, 1):
        page.get_by_label("Kode autentikator").fill(totp.generate_otp(step + offset))
        page.get_by_role("button", name="Lanjutkan").click()
        page.wait_for_load_state()
        if not page.url.startswith(f"{live_server}/masuk/kode"):
            return


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": system_tool("chromium", "chromium-browser", package="chromium"),
        # The machine's network is closed: keep Chromium from calling home and stalling.
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


# The app behind each live server, for a story that prepares its world through operations.
_LIVE_APPS: dict[str, object] = {}


def live_app(live_server: str):
    return _LIVE_APPS[live_server]


@pytest.fixture(scope="module")
def live_server(backend, fresh_database_url):
    """The whole hierarchy and the demo accounts, served on a free port."""
    app = create_app({"SECRET_KEY": "browser-test", "SQLALCHEMY_DATABASE_URI": fresh_database_url(backend)})
    with app.app_context():
        upgrade()
        load_hierarchy(db.session)
        load_demo(db.session)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    _LIVE_APPS[url] = app
    yield url
    _LIVE_APPS.pop(url, None)
    server.shutdown()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def sign_in(page, live_server: str, username: str) -> None:
    """Sign in as a demo account, its second factor included (admins and reviewers)."""
    from playwright.sync_api import expect

    page.goto(f"{live_server}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    pass_second_factor(page, live_server)
    expect(page).to_have_url(f"{live_server}/")
