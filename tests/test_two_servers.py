"""Two app servers, one PostgreSQL (issue 6, point 7: beyond one machine).

Two gunicorn processes, each with its own instance folder and nothing in common but the
database and the SECRET_KEY (as two machines behind a load balancer would be), serve the
same site on two ports. The Sekretaris signs in through one server and carries on
through the other (the session is a signed cookie, not a server's memory); then ten
of their browser tabs, half on each server, press "Tanda tangani" on the same submitted
document at once: exactly one signature is recorded, the other nine get the refusal in
words (409/403, never a 500), and the audit chain verifies. An import's dry run shown by
one server is applied through the other (it waits in the database, not on a disk).

PostgreSQL only: several servers need a database server; SQLite is a file on one machine.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tenants import accounts
from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tenants.people import Peran
from tenants.satker import Satker
from tests.conftest import TREE, csrf_token_from
from tests.documents import isi_contoh
from tests.factories import _TEST_HASH, TEST_PASSWORD
from tests.import_corpus import corpus
from tests.test_concurrency import Browser, all_at_once, audit_entries, open_document, split
from webapp import create_app
from workflow import audit
from workflow.dokumen import operations
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi, Status
from workflow.dokumen.signature import TandaTangan

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET = "two-servers-share-this-key-and-nothing-else"
USERS = {"sekretaris": Peran.SEKRETARIS, "ketua": Peran.KETUA}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn process (one worker, four threads) with an instance folder of its own."""

    def __init__(self, url: str, home: Path) -> None:
        self.port = _free_port()
        self.home = home
        home.mkdir()
        self.log = home / "gunicorn.log"
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "SAKIP_INSTANCE_PATH": str(home / "instance"),
               "SAKIP_ACCESS_LOG": ""}
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{self.port}", "-w", "1",
                 "--threads", "4", "webapp:create_app()"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/sehat/db", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"gunicorn on port {self.port} not ready after {seconds} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def problems(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines()
                if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line]


@pytest.fixture(scope="module")
def database(backend, fresh_database_url):
    if backend != "postgresql":
        pytest.skip("several app servers need a database server: SQLite is one file on one machine")
    if not GUNICORN.exists():
        pytest.fail(f"gunicorn is not installed in {GUNICORN.parent} (a main dependency: scripts/setup)")
    url = fresh_database_url(backend)
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_hierarchy(db.session, TREE)
        db.session.flush()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(accounts, "hash_password", lambda _password: _TEST_HASH)
            for username, peran in USERS.items():
                satker = accounts.find_satker(db.session, "35.79")
                user = accounts.create_user(db.session, username, f"Pengguna {username}", satker, TEST_PASSWORD)
                accounts.grant(db.session, user, satker, peran)
        db.session.commit()
        db.session.remove()
    yield app, url
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(scope="module")
def servers(database, tmp_path_factory):
    _app, url = database
    home = tmp_path_factory.mktemp("two-servers")
    started = [Server(url, home / "a"), Server(url, home / "b")]
    try:
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()


def _submitted_rak(app, tahun: int) -> int:
    with app.app_context():
        s = db.session
        satker = s.scalar(sa.select(Satker).where(Satker.kode == "35.79"))
        sekretaris = accounts.find_user(s, "sekretaris")
        dokumen = operations.buat_dokumen(s, satker, tahun, JenisDokumen.RAK_SEKRETARIAT, None)
        isi_contoh(s, dokumen, sekretaris, baris=2)
        operations.ajukan(s, dokumen, sekretaris)
        s.commit()
        dokumen_id = dokumen.id
        s.remove()
    return dokumen_id


def _sign_in(port: int, username: str) -> Browser:
    browser = Browser(port)
    page = browser.get("/masuk")
    response = browser.post("/masuk", {"username": username, "password": TEST_PASSWORD,
                                       "csrf_token": csrf_token_from(page.text)})
    assert response.status == 302, response.text[:500]
    return browser


def test_two_servers_share_nothing_but_the_database_and_the_key(database, servers):
    a, b = servers
    assert a.process.pid != b.process.pid and a.port != b.port
    # Signed in through A, carrying on through B: the session lives in the signed cookie.
    on_a = _sign_in(a.port, "sekretaris")
    on_b = Browser(b.port, on_a.cookies)
    page = on_b.get("/")
    assert page.status == 200 and "KPU Kota Batu" in page.text, page.text[:500]
    # Signing out through B ends the session on A as well (the token is in the database).
    on_b.post("/keluar", {"csrf_token": csrf_token_from(page.text)})
    assert Browser(a.port, on_a.cookies).get("/").status == 302


def test_simultaneous_signatures_through_two_servers_make_exactly_one(database, servers):
    app, _url = database
    a, b = servers
    dokumen_id = _submitted_rak(app, 2031)

    # Ten tabs of the Sekretaris, each signed in on one server and signing through the other.
    tabs = []
    for i in range(10):
        signed_in_on, signs_on = (a, b) if i % 2 == 0 else (b, a)
        tabs.append(Browser(signs_on.port, _sign_in(signed_in_on.port, "sekretaris").cookies))
    forms = [open_document(tab, dokumen_id, "sign") for tab in tabs]
    assert len({f["versi"] for f in forms}) == 1, "all ten read the same version"

    responses = all_at_once([(tab, f"/dokumen/{dokumen_id}/aksi/sign", form) for tab, form in zip(tabs, forms)])
    won, _lost = split(responses)  # one person's ten presses: each gets the page, one signature is made
    assert won[0].location.endswith(f"/dokumen/{dokumen_id}")
    assert {tab.port for tab in tabs} == {a.port, b.port}

    with app.app_context():
        s = db.session
        dokumen = s.get(Dokumen, dokumen_id)
        assert dokumen.status is Status.SUBMITTED  # the Ketua has yet to sign
        signatures = s.scalars(sa.select(TandaTangan).join(Revisi).where(Revisi.dokumen_id == dokumen_id)).all()
        assert [(t.urutan, t.user.username) for t in signatures] == [(1, "sekretaris")]
        assert len(audit_entries(s, dokumen_id, "sign")) == 1
        assert audit.verify(s).ok
        s.remove()

    # The Ketua, on either server, is offered the next signature: nothing was left half done.
    ketua = _sign_in(b.port, "ketua")
    assert ketua.post(f"/dokumen/{dokumen_id}/aksi/sign", open_document(ketua, dokumen_id, "sign")).status == 302
    with app.app_context():
        assert db.session.get(Dokumen, dokumen_id).status is Status.SIGNED
        db.session.remove()
    assert a.problems() == [] and b.problems() == []


def test_an_import_shown_by_one_server_is_applied_through_the_other(database, servers):
    app, _url = database
    a, b = servers
    with app.app_context():
        satker = db.session.scalar(sa.select(Satker).where(Satker.kode == "35.79"))
        dokumen_id = operations.buat_dokumen(db.session, satker, 2032, JenisDokumen.RAK_KOMISIONER, None).id
        db.session.commit()
        db.session.remove()
    on_a = _sign_in(a.port, "ketua")
    form = on_a.get(f"/dokumen/{dokumen_id}/impor")
    shown = on_a.post(f"/dokumen/{dokumen_id}/impor", {"csrf_token": csrf_token_from(form.text),
                                                       "teks": corpus.BATU_TEMPEL})
    assert shown.status == 200 and "Ditambah 3." in shown.text, shown.text[:800]
    apply = {"csrf_token": csrf_token_from(shown.text),
             "token": re.search(r'name="token" value="([^"]+)"', shown.text).group(1)}

    on_b = Browser(b.port, on_a.cookies)
    done = on_b.post(f"/dokumen/{dokumen_id}/impor/terapkan", apply)
    assert done.status == 302, done.text[:800]
    with app.app_context():
        assert len(db.session.get(Dokumen, dokumen_id).revisi_aktif.baris) == 3
        db.session.remove()
    # Used up on every server.
    again = Browser(a.port, on_b.cookies).post(f"/dokumen/{dokumen_id}/impor/terapkan", apply)
    assert again.status == 409 and "sudah tidak berlaku" in again.text
    assert a.problems() == [] and b.problems() == []


def test_one_code_sent_through_two_servers_at_once_signs_in_exactly_one(database, servers):
    """Issue 14, point 1: ten sessions of one account, past its password, half on each server,
    send the same authenticator code at once: one is signed in, nine are told it was used."""
    from tenants.people import User
    from tests.conftest import TEST_TOTP_SECRET, totp_code

    app, _url = database
    a, b = servers
    with app.app_context():
        satker = db.session.scalar(sa.select(Satker).where(Satker.kode == "35.79"))
        user = User(username="batu.kode", full_name="Pengguna batu.kode", satker=satker, password_hash=_TEST_HASH,
                    totp_secret=TEST_TOTP_SECRET)
        db.session.add(user)
        accounts.grant(db.session, user, satker, Peran.SEKRETARIS)
        db.session.commit()
        db.session.remove()
    browsers = []
    for i in range(10):
        browser = _sign_in((a if i % 2 == 0 else b).port, "batu.kode")
        assert browser.get("/").status == 302, "not signed in by the password alone"
        browsers.append(browser)
    forms = [{"csrf_token": csrf_token_from(browser.get("/masuk/kode").text)} for browser in browsers]
    code = totp_code()

    responses = all_at_once([(browser, "/masuk/kode", {**form, "kode": code})
                             for browser, form in zip(browsers, forms)])

    statuses = sorted(r.status for r in responses)
    assert statuses == [200] * 9 + [302], statuses
    assert all("sudah dipakai" in r.text for r in responses if r.status == 200)
    assert [browser.get("/").status for browser in browsers].count(200) == 1
    assert a.problems() == [] and b.problems() == []
