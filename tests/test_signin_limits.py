"""Sign-in limits (issue 14, point 5): they hold under concurrency, a stranger cannot lock an
account's owner out, and a disabled account answers like a wrong password.

The concurrency test runs a real threaded server on a database of its own with its limits in
Redis, as production counts them; every password the server checks writes one line
(``masuk gagal``) to the ``sakip.security`` log, which is how the checks are counted here.
"""
from __future__ import annotations

import logging
import threading
import uuid
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tenants import accounts
from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tests.conftest import TREE, csrf_token_from, masked, redis_url_or_skip
from tests.factories import _TEST_HASH, TEST_PASSWORD
from tests.test_concurrency import Browser, all_at_once
from webapp import create_app

WRONG = "Nama pengguna atau kata sandi salah."


def _post_login(client, username, password):
    page = client.get("/masuk")
    return client.post("/masuk", data={"username": username, "password": password,
                                       "csrf_token": csrf_token_from(page.text)})


def _from(app, address: str):
    """A browser at ``address`` (the test client's REMOTE_ADDR)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# -- one message ---------------------------------------------------------------------------------




def test_a_disabled_account_with_its_right_password_gets_the_page_of_a_wrong_password(db, client, make_user, caplog):
    user = make_user("35.79", "sekretaris", username="batu.sekretaris")
    accounts.set_active(user, False)
    db.session.commit()
    caplog.set_level(logging.INFO, logger="sakip.security")

    right = _post_login(client, "batu.sekretaris", TEST_PASSWORD)
    wrong = _post_login(client, "batu.sekretaris", "bukan-sandinya")

    assert right.status_code == wrong.status_code == 200
    assert WRONG in right.text and "dinonaktifkan" not in right.text
    assert masked(right.text) == masked(wrong.text), "the two pages differ beyond their CSRF token"
    assert client.get("/").status_code == 302
    # The log (for the operators, never shown) still tells the two apart.
    assert "masuk nonaktif pengguna='batu.sekretaris'" in caplog.text


# -- a stranger cannot lock the owner out -----------------------------------------------------------

OWNER, STRANGER = "10.20.0.7", "203.0.113.9"


@pytest.fixture
def small_limits(app, client, monkeypatch):
    """(``client`` empties the limits left by earlier tests, the addresses known included.)"""
    monkeypatch.setitem(app.config, "SAKIP_LIMIT_SIGN_IN_USER", "3 per minute")
    monkeypatch.setitem(app.config, "SAKIP_LIMIT_SIGN_IN_USER_NEW_ADDRESS", "6 per minute")


def test_a_stranger_exhausting_a_username_elsewhere_does_not_stop_its_owner(app, client, make_user, small_limits):
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    assert _post_login(_from(app, OWNER), "batu.sekretaris", TEST_PASSWORD).status_code == 302  # the usual address

    stranger = _from(app, STRANGER)
    assert [_post_login(stranger, "batu.sekretaris", "tebakan").status_code for _ in range(4)] == [200, 200, 200, 429]
    blocked = _post_login(stranger, "batu.sekretaris", TEST_PASSWORD)
    assert blocked.status_code == 429  # the right password does not help the stranger's address

    owner = _from(app, OWNER)
    assert _post_login(owner, "batu.sekretaris", TEST_PASSWORD).status_code == 302
    assert owner.get("/").status_code == 200


def test_strangers_at_many_addresses_meet_the_username_limit_but_the_owner_still_gets_in(app, client, make_user,
                                                                                         small_limits):
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    assert _post_login(_from(app, OWNER), "batu.sekretaris", TEST_PASSWORD).status_code == 302

    # Two addresses, three failures each: the six failures allowed from addresses the account
    # never signed in from are used up; a third address is refused from its first attempt.
    for address in ("203.0.113.1", "203.0.113.2"):
        assert [_post_login(_from(app, address), "batu.sekretaris", "tebakan").status_code
                for _ in range(3)] == [200, 200, 200]
    assert _post_login(_from(app, "203.0.113.3"), "batu.sekretaris", "tebakan").status_code == 429
    assert _post_login(_from(app, "198.51.100.4"), "batu.sekretaris", TEST_PASSWORD).status_code == 429

    assert _post_login(_from(app, OWNER), "batu.sekretaris", TEST_PASSWORD).status_code == 302


def test_the_owners_own_address_still_has_its_strict_limit(app, client, make_user, small_limits):
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    assert _post_login(_from(app, OWNER), "batu.sekretaris", TEST_PASSWORD).status_code == 302

    owner = _from(app, OWNER)
    assert [_post_login(owner, "batu.sekretaris", "tebakan").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_with_redis_successes_give_their_places_back(app, db, make_user, monkeypatch):
    """A success takes its place in the limits first, like every attempt, and gives it back
    (in Redis, where the production limits live): only failures count."""
    import redis

    url = redis_url_or_skip()
    prefix = f"sakip-test-{uuid.uuid4().hex[:12]}"
    twin = create_app({**{k: v for k, v in app.config.items() if k.startswith(("SQLALCHEMY", "SECRET", "TESTING"))},
                       "RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": prefix,
                       "SAKIP_LIMIT_SIGN_IN_USER": "2 per minute", "SAKIP_LIMIT_SIGN_IN_ADDRESS": "2 per minute"})
    make_user("35.79", "sekretaris", username="batu.sekretaris")
    try:
        assert [_post_login(twin.test_client(), "batu.sekretaris", TEST_PASSWORD).status_code
                for _ in range(4)] == [302] * 4
        client = twin.test_client()
        assert [_post_login(client, "batu.sekretaris", "tebakan").status_code for _ in range(3)] == [200, 200, 429]
    finally:
        server = redis.Redis.from_url(url)
        for key in server.scan_iter(match=f"*{prefix}*"):
            server.delete(key)


# -- many at once, against a real server with Redis --------------------------------------------------

class _Lines(logging.Handler):
    """The log lines of every server thread (Handler.handle holds the handler's lock around emit)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def count(self, start: str) -> int:
        with self.lock:
            return sum(line.startswith(start) for line in self.lines)


@contextmanager
def _served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


@pytest.fixture
def redis_site(backend, fresh_database_url):
    """A server on a database of its own (real commits), its limits in Redis under a key
    prefix of its own, with the default limits."""
    import redis

    url = redis_url_or_skip()
    prefix = f"sakip-test-{uuid.uuid4().hex[:12]}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": fresh_database_url(backend),
                      "RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": prefix})
    with app.app_context():
        upgrade()
        load_hierarchy(db.session, TREE)
        db.session.flush()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(accounts, "hash_password", lambda _password: _TEST_HASH)
            satker = accounts.find_satker(db.session, "35.79")
            accounts.create_user(db.session, "batu.sekretaris", "Sekretaris Batu", satker, TEST_PASSWORD)
        db.session.commit()
        db.session.remove()
    lines = _Lines()
    logging.getLogger("sakip.security").addHandler(lines)
    try:
        with _served(app) as port:
            yield app, port, lines
    finally:
        logging.getLogger("sakip.security").removeHandler(lines)
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        server = redis.Redis.from_url(url)
        for key in server.scan_iter(match=f"*{prefix}*"):
            server.delete(key)


def test_sixteen_simultaneous_wrong_passwords_get_no_more_checks_than_the_limit(redis_site):
    app, port, lines = redis_site
    limit = 5
    assert app.config["SAKIP_LIMIT_SIGN_IN_USER"].startswith(f"{limit} per minute")
    browsers = [Browser(port) for _ in range(16)]
    forms = [{"username": "batu.sekretaris", "password": f"tebakan-{i}",
              "csrf_token": csrf_token_from(b.get("/masuk").text)} for i, b in enumerate(browsers)]

    responses = all_at_once([(b, "/masuk", form) for b, form in zip(browsers, forms)])

    statuses = sorted(r.status for r in responses)
    assert statuses == [200] * limit + [429] * (16 - limit), statuses
    assert all(WRONG in r.text for r in responses if r.status == 200)
    assert all("Terlalu banyak percobaan yang gagal" in r.text for r in responses if r.status == 429)
    assert lines.count("masuk gagal pengguna='batu.sekretaris'") == limit  # passwords checked
    assert lines.count("masuk dibatasi pengguna='batu.sekretaris'") == 16 - limit

    # The limit is spent: the right password from this address waits too.
    browser = Browser(port)
    late = browser.post("/masuk", {"username": "batu.sekretaris", "password": TEST_PASSWORD,
                                   "csrf_token": csrf_token_from(browser.get("/masuk").text)})
    assert late.status == 429
