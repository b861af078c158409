"""Real concurrent requests against a real HTTP server, on SQLite and on PostgreSQL.

The ``db`` fixture of conftest wraps a test in one connection, which would serialise
everything; here each backend gets a database of its own, migrated and committed for
real, served by werkzeug's threaded server, and driven by several simulated browsers
(one cookie store each) whose requests are released together by a barrier.

What is proven (the issue's wording): two people saving the same row of a draft: the
second is told the row changed and what they typed is still on the page; four people
saving their own rows of one draft at once: all four saved; many simultaneous sign or
review requests on one document: exactly one transition, the rest get a conflict message
in words, never a 500.
"""
from __future__ import annotations

import html
import http.client
import itertools
import logging
import re
import threading
import traceback
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.cookies import SimpleCookie

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tenants import accounts
from tenants.db import db
from tenants.hierarchy import load_hierarchy
from tenants.people import Peran, Subbagian
from tenants.satker import Satker
from tests.conftest import TEST_TOTP_SECRET, TREE, csrf_token_from, totp_code
from tests.documents import baris_contoh, isi_contoh
from tests.factories import _TEST_HASH, TEST_PASSWORD
from webapp import create_app
from workflow import audit
from workflow.dokumen import operations
from workflow.dokumen.content import RakBaris
from workflow.dokumen.models import Dokumen, JenisDokumen, Revisi, Status
from workflow.dokumen.signature import TandaTangan

# A transition that loses SQLite's write lock in an autoflush, after the state machine set the
# new status, is rolled back whole; SQLAlchemy notes that the discarded state was changed.
pytestmark = pytest.mark.filterwarnings("ignore:Session's state has been changed on a non-active transaction")

TIMEOUT = 30  # seconds for any one request: a hung request fails the test instead of the run

# The words a refusal is explained with (a message for people, not a stack trace).
EXPLAINED = re.compile(r"\b(dokumen|diubah|giliran|tidak|sudah|hanya|muat ulang|tersedia)\b", re.IGNORECASE)


# -- a browser: its own cookies, plain HTTP ----------------------------------------------

@dataclass
class Response:
    status: int
    location: str | None
    text: str


class Browser:
    """One simulated browser (or tab): a cookie store and nothing else shared."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})

    def clone(self) -> Browser:
        """Another tab signed in as the same person (a copy of the session cookie)."""
        return Browser(self.port, self.cookies)

    def connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        conn.connect()
        return conn

    def request(self, method: str, path: str, data: dict | None = None,
                conn: http.client.HTTPConnection | None = None) -> Response:
        conn = conn or self.connect()
        try:
            headers = {"Connection": "close"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if data is not None:
                body = urllib.parse.urlencode(data, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
            for header in raw.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel.value == "" or morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Response(raw.status, raw.getheader("Location"), text)
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict, conn=None) -> Response:
        return self.request("POST", path, data, conn)


def all_at_once(jobs: list[tuple[Browser, str, dict]]) -> list[Response]:
    """POST every job from its own thread, released together once all are connected."""
    return at_once([(browser, partial(browser.post, path, data)) for browser, path, data in jobs], Response)


def at_once(jobs: list[tuple[Browser, Callable]], answer: type) -> list:
    """Run ``send(conn=...)`` for every (browser, send) from its own thread, released together
    once every browser is connected; each must return an ``answer``."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i: int, browser: Browser, send: Callable) -> None:
        try:
            conn = browser.connect()
            barrier.wait(timeout=TIMEOUT)
            results[i] = send(conn=conn)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT * 2)
    failures = [r for r in results if not isinstance(r, answer)]
    assert not failures, f"requests failed on the client side: {failures!r}"
    return results


# -- the site: an app on a fresh database, served for real ------------------------------

USERS = {
    # username: (satker, role, subbagian)
    "sekretaris": ("35.79", Peran.SEKRETARIS, None),
    "ketua": ("35.79", Peran.KETUA, None),
    "kul": ("35.79", Peran.SUBBAG, Subbagian.KUL),
    "rendatin": ("35.79", Peran.SUBBAG, Subbagian.RENDATIN),
    "teknis": ("35.79", Peran.SUBBAG, Subbagian.TEKNIS_HUPMAS),
    "hukum": ("35.79", Peran.SUBBAG, Subbagian.HUKUM_SDM),
    "reviewer1": ("35", Peran.REVIEWER, None),
    "reviewer2": ("35", Peran.REVIEWER, None),
}


@dataclass
class Site:
    app: object
    port: int
    errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    signed_in: dict[str, Browser] = field(default_factory=dict)
    years: itertools.count = field(default_factory=lambda: itertools.count(2031))

    def browsers(self, username: str, n: int) -> list[Browser]:
        return [self.signed_in[username].clone() for _ in range(n)]

    def session(self):
        """A session of the test's own, outside any request."""
        return _SessionScope(self.app)

    def new_rak(self, stage: str) -> int:
        """A RAK Sekretariat of Kota Batu, in a year of its own: draft, submitted or signed."""
        with self.session() as s:
            satker = s.scalar(sa.select(Satker).where(Satker.kode == "35.79"))
            sekretaris = accounts.find_user(s, "sekretaris")
            dokumen = operations.buat_dokumen(s, satker, next(self.years), JenisDokumen.RAK_SEKRETARIAT, None)
            isi_contoh(s, dokumen, sekretaris, baris=2)
            s.commit()
            if stage in ("submitted", "signed"):
                operations.ajukan(s, dokumen, sekretaris)
                s.commit()
            if stage == "signed":
                operations.tandatangani(s, dokumen, sekretaris)
                s.commit()
                operations.tandatangani(s, dokumen, accounts.find_user(s, "ketua"))
                s.commit()
            return dokumen.id

    def assert_no_server_error(self) -> None:
        found, self.errors[:], self.server_errors[:] = self.errors + self.server_errors, [], []
        assert not found, "the server failed:\n" + "\n".join(found)


class _SessionScope:
    def __init__(self, app) -> None:
        self.ctx = app.app_context()

    def __enter__(self):
        self.ctx.push()
        return db.session

    def __exit__(self, *exc) -> None:
        db.session.rollback()
        db.session.remove()
        self.ctx.pop()


@pytest.fixture(scope="module")
def site(backend, fresh_database_url):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": True,
        "SQLALCHEMY_DATABASE_URI": fresh_database_url(backend),
    })
    with app.app_context():
        upgrade()
        load_hierarchy(db.session, TREE)
        db.session.flush()
        with pytest.MonkeyPatch.context() as mp:
            # Argon2 is slow on purpose; every test user shares one precomputed hash.
            mp.setattr(accounts, "hash_password", lambda _password: _TEST_HASH)
            for username, (kode, peran, subbagian) in USERS.items():
                satker = accounts.find_satker(db.session, kode)
                user = accounts.create_user(db.session, username, f"Pengguna {username}", satker, TEST_PASSWORD)
                accounts.grant(db.session, user, satker, peran, subbagian=subbagian)
                if peran is Peran.REVIEWER:  # reviewers sign in with a second factor
                    user.totp_secret = TEST_TOTP_SECRET
        db.session.commit()
        db.session.remove()

    site = Site(app=app, port=0)
    inner = app.wsgi_app

    def recording(environ, start_response):
        # Every 5xx and every exception escaping the app, with its traceback.
        def start(status, headers, exc_info=None):
            if status.startswith("5"):
                site.server_errors.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} -> {status}")
            return start_response(status, headers, exc_info)

        try:
            return inner(environ, start)
        except Exception:
            site.errors.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}:\n{traceback.format_exc()}")
            raise

    app.wsgi_app = recording
    werkzeug_log = logging.getLogger("werkzeug")
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.ERROR)  # no line per request; tracebacks still show
    server = make_server("127.0.0.1", 0, app, threaded=True)
    site.port = server.server_port
    thread = threading.Thread(target=server.serve_forever, name=f"server-{backend}", daemon=True)
    thread.start()
    try:
        for username in USERS:  # each person signs in once, through the real form
            browser = Browser(site.port)
            page = browser.get("/masuk")
            response = browser.post("/masuk", {"username": username, "password": TEST_PASSWORD,
                                               "csrf_token": csrf_token_from(page.text)})
            assert response.status == 302, response.text
            if (response.location or "").startswith("/masuk/kode"):
                page = browser.get("/masuk/kode")
                response = browser.post("/masuk/kode", {"kode": totp_code(), "csrf_token": csrf_token_from(page.text)})
                assert response.status == 302 and not (response.location or "").startswith("/masuk"), response.text
            site.signed_in[username] = browser
        yield site
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()
        werkzeug_log.setLevel(level)
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


# -- helpers -----------------------------------------------------------------------------

def _field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"(?: type="hidden")? value="([^"]*)"', page)
    assert match, f"the page has no {name} field"
    return match.group(1)


def open_document(browser: Browser, dokumen_id: int, button: str) -> dict:
    """Load the document page as a person would and fill the form behind ``button``."""
    page = browser.get(f"/dokumen/{dokumen_id}")
    assert page.status == 200, page.text[:500]
    assert f'data-testid="btn-{button}"' in page.text or (
        button == "send_back" and 'data-testid="return-dialog"' in page.text), f"no {button} button"
    form = {"csrf_token": csrf_token_from(page.text), "versi": _field(page.text, "versi")}
    if button == "sign":
        form["hash_dibaca"] = _field(page.text, "hash_dibaca")
    return form


def message_of(response: Response) -> str:
    match = re.search(r'data-testid="error">(.*?)</div>', response.text, re.DOTALL)
    assert match, f"refused ({response.status}) without a message on the page: {response.text[:800]}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def assert_refused_in_words(response: Response) -> None:
    assert response.status in (403, 409), (response.status, response.text[:800])
    assert "Traceback" not in response.text and "Internal Server Error" not in response.text
    message = message_of(response)
    assert EXPLAINED.search(message), message


def split(responses: list[Response], people: list[str] | None = None) -> tuple[list[Response], list[Response]]:
    """(answered with the document page, refused). The step itself happens once (each test
    counts it in the database); whoever made it gets its result in every tab they pressed
    it in, on the same version (a second press is not an error), and everyone else is
    refused in words. ``people``: who sent each request (None: all one person)."""
    statuses = sorted(r.status for r in responses)
    assert not [s for s in statuses if s >= 500], f"server errors among {statuses}"
    won = [r for r in responses if r.status == 302]
    lost = [r for r in responses if r.status != 302]
    assert won, f"nobody's request went through: {statuses}"
    if people is not None:
        winners = {who for who, r in zip(people, responses, strict=True) if r.status == 302}
        assert len(winners) == 1, f"more than one person's step went through: {winners}"
        assert all(r.status == 302 for who, r in zip(people, responses) if who in winners), statuses
    for r in lost:
        assert_refused_in_words(r)
    return won, lost


def audit_entries(s, dokumen_id: int, *aksi: str) -> list[audit.AuditEntry]:
    return s.scalars(sa.select(audit.AuditEntry).where(audit.AuditEntry.dokumen_id == dokumen_id,
                                                       audit.AuditEntry.aksi.in_(aksi))).all()


# -- the tests ---------------------------------------------------------------------------

def test_ten_simultaneous_signatures_by_the_sekretaris_make_exactly_one(site):
    dokumen_id = site.new_rak("submitted")
    browsers = site.browsers("sekretaris", 10)
    forms = [open_document(b, dokumen_id, "sign") for b in browsers]
    assert len({f["versi"] for f in forms}) == 1, "all ten read the same version"

    responses = all_at_once([(b, f"/dokumen/{dokumen_id}/aksi/sign", form) for b, form in zip(browsers, forms)])
    site.assert_no_server_error()
    won, lost = split(responses)
    # One signature (below); the other nine presses on that version answer with its result.
    assert (len(won), lost) == (10, [])
    assert all(r.location.endswith(f"/dokumen/{dokumen_id}") for r in won)

    with site.session() as s:
        dokumen = s.get(Dokumen, dokumen_id)
        assert dokumen.status is Status.SUBMITTED  # the ketua has yet to sign
        signatures = s.scalars(sa.select(TandaTangan).join(Revisi).where(Revisi.dokumen_id == dokumen_id)).all()
        assert [(t.urutan, t.user.username) for t in signatures] == [(1, "sekretaris")]
        assert len(audit_entries(s, dokumen_id, "sign")) == 1
        assert audit.verify(s).ok

    # The ketua's page now offers the next signature: nothing was left half done.
    ketua = site.browsers("ketua", 1)[0]
    assert ketua.post(f"/dokumen/{dokumen_id}/aksi/sign",
                                        open_document(ketua, dokumen_id, "sign")).status == 302
    site.assert_no_server_error()


def test_eight_simultaneous_approvals_by_two_reviewers_make_one_review(site):
    dokumen_id = site.new_rak("signed")
    people = ["reviewer1"] * 4 + ["reviewer2"] * 4
    browsers = site.browsers("reviewer1", 4) + site.browsers("reviewer2", 4)
    forms = [open_document(b, dokumen_id, "approve") for b in browsers]

    responses = all_at_once([(b, f"/dokumen/{dokumen_id}/aksi/approve", form) for b, form in zip(browsers, forms)])
    site.assert_no_server_error()
    won, lost = split(responses, people)
    assert (len(won), len(lost)) == (4, 4)

    with site.session() as s:
        dokumen = s.get(Dokumen, dokumen_id)
        assert (dokumen.status, dokumen.nomor_revisi) == (Status.REVIEWED, 0)
        assert len(audit_entries(s, dokumen_id, "approve")) == 1
        assert audit.verify(s).ok


def test_approvals_and_returns_at_once_one_of_them_wins(site):
    dokumen_id = site.new_rak("signed")
    approvers = site.browsers("reviewer1", 5)
    returners = site.browsers("reviewer2", 5)
    jobs = [(b, f"/dokumen/{dokumen_id}/aksi/approve", open_document(b, dokumen_id, "approve")) for b in approvers]
    jobs += [(b, f"/dokumen/{dokumen_id}/aksi/send_back",
              {**open_document(b, dokumen_id, "send_back"), "alasan": f"Perbaiki biaya baris {i}"})
             for i, b in enumerate(returners, start=1)]

    responses = all_at_once(jobs)
    site.assert_no_server_error()
    split(responses, ["reviewer1"] * 5 + ["reviewer2"] * 5)
    winner = next(job for job, r in zip(jobs, responses) if r.status == 302)
    reasons = {job[2].get("alasan") for job, r in zip(jobs, responses) if r.status == 302}

    with site.session() as s:
        dokumen = s.get(Dokumen, dokumen_id)
        revisions = s.scalars(sa.select(Revisi.nomor).where(Revisi.dokumen_id == dokumen_id)).all()
        entries = audit_entries(s, dokumen_id, "approve", "send_back")
        assert len(entries) == 1
        if winner[1].endswith("/approve"):
            assert (dokumen.status, dokumen.nomor_revisi, sorted(revisions)) == (Status.REVIEWED, 0, [0])
            assert entries[0].aksi == "approve"
        else:
            assert (dokumen.status, dokumen.nomor_revisi, sorted(revisions)) == (Status.DRAFT, 1, [0, 1])
            assert entries[0].aksi == "send_back" and entries[0].alasan in reasons
        assert audit.verify(s).ok


def test_two_planners_saving_the_same_row_at_once_the_loser_is_told_and_keeps_the_input(site):
    dokumen_id = site.new_rak("draft")
    with site.session() as s:
        kunci = s.scalars(sa.select(RakBaris.kunci).join(Revisi).where(Revisi.dokumen_id == dokumen_id)
                          .order_by(RakBaris.urutan)).first()
    path = f"/dokumen/{dokumen_id}/baris/{kunci}"
    planners = {"sekretaris": ("Rp 2.000.000", 2_000_000, "Rp 2.000.000"),
                "kul": ("Rp 3.333.000", 3_333_000, "Rp 3.333.000")}
    jobs = []
    for username, (typed, _amount, _shown) in planners.items():
        browser = site.browsers(username, 1)[0]
        page = browser.get(path)
        assert page.status == 200, page.text[:500]
        jobs.append((browser, path, {
            "csrf_token": csrf_token_from(page.text), "versi": _field(page.text, "versi"),
            "sidik": _field(page.text, "sidik"),
            "indikator": "Persentase capaian kegiatan 1", "target": "97,5%", "polaritas": "naik",
            "kegiatan": f"Rapat koordinasi {username}", "kode_output": "CQ.6709.QGE.003",
            "biaya": typed, "pelaksana": "kul", "jadwal": ["1", "2"],
        }))
    assert jobs[0][2]["sidik"] == jobs[1][2]["sidik"]

    responses = all_at_once(jobs)
    site.assert_no_server_error()
    statuses = sorted(r.status for r in responses)
    assert statuses == [302, 409], statuses
    winner, loser = (0, 1) if responses[0].status == 302 else (1, 0)
    names = list(planners)
    conflict = responses[loser]
    message = message_of(conflict)
    assert "Baris ini telah diubah oleh" in message, message
    assert "Traceback" not in conflict.text and "Internal Server Error" not in conflict.text
    lost_typed = planners[names[loser]][2]
    assert f'value="{lost_typed}"' in conflict.text, "the loser's amount is still in the form"
    assert f"Rapat koordinasi {names[loser]}" in conflict.text, "and so are the activities they typed"

    with site.session() as s:
        row = s.scalar(sa.select(RakBaris).where(RakBaris.kunci == kunci).join(Revisi)
                       .where(Revisi.dokumen_id == dokumen_id))
        assert row.biaya == planners[names[winner]][1]
        assert [k.uraian for k in row.kegiatan] == [f"Rapat koordinasi {names[winner]}"]
        assert len(audit_entries(s, dokumen_id, "ubah_baris")) == 1
        assert audit.verify(s).ok

    # Saving again from the conflict page (it carries the new version) saves the loser's input.
    retry = dict(jobs[loser][2], versi=_field(conflict.text, "versi"), sidik=_field(conflict.text, "sidik"),
                 csrf_token=csrf_token_from(conflict.text))
    page = jobs[loser][0].post(path, retry)
    assert page.status == 302, (page.status, message_of(page))
    with site.session() as s:
        assert s.scalar(sa.select(RakBaris.biaya).where(RakBaris.kunci == kunci).join(Revisi)
                        .where(Revisi.dokumen_id == dokumen_id)) == planners[names[loser]][1]
    site.assert_no_server_error()


def test_saves_on_two_different_documents_at_once_both_succeed(site):
    # On SQLite this holds because writing requests take the write lock up front
    # (webapp/__init__.py, BEGIN IMMEDIATE) and wait for each other.
    jobs = []
    for _ in range(2):
        dokumen_id = site.new_rak("draft")
        with site.session() as s:
            kunci = s.scalars(sa.select(RakBaris.kunci).join(Revisi).where(Revisi.dokumen_id == dokumen_id)
                              .order_by(RakBaris.urutan)).first()
        path = f"/dokumen/{dokumen_id}/baris/{kunci}"
        browser = site.browsers("sekretaris", 1)[0]
        page = browser.get(path)
        jobs.append((browser, path, {
            "csrf_token": csrf_token_from(page.text), "versi": _field(page.text, "versi"),
            "indikator": "Persentase capaian kegiatan 1", "target": "97,5%", "polaritas": "naik",
            "kegiatan": "Rapat koordinasi", "kode_output": "CQ.6709.QGE.003",
            "biaya": "Rp 5.000.000", "pelaksana": "kul", "jadwal": ["1", "2"],
        }))

    responses = all_at_once(jobs)
    site.assert_no_server_error()
    assert [r.status for r in responses] == [302, 302], [message_of(r) for r in responses if r.status != 302]


# The four subbagian of Kota Batu, each with one row of its own in the RAK Sekretariat.
UNITS = {"kul": "kul", "rendatin": "rendatin", "teknis": "teknis_hupmas", "hukum": "hukum_sdm"}


def test_four_subbagian_saving_their_own_rows_at_once_all_save(site):
    with site.session() as s:
        satker = s.scalar(sa.select(Satker).where(Satker.kode == "35.79"))
        sekretaris = accounts.find_user(s, "sekretaris")
        dokumen = operations.buat_dokumen(s, satker, next(site.years), JenisDokumen.RAK_SEKRETARIAT, None)
        rows = {username: operations.simpan_baris(s, dokumen, sekretaris, baris_contoh(no, unit)).kunci
                for no, (username, unit) in enumerate(UNITS.items(), start=1)}
        s.commit()
        dokumen_id = dokumen.id

    jobs = []
    for no, (username, unit) in enumerate(UNITS.items(), start=1):
        browser = site.browsers(username, 1)[0]
        path = f"/dokumen/{dokumen_id}/baris/{rows[username]}"
        page = browser.get(path)
        assert page.status == 200, page.text[:500]
        jobs.append((browser, path, {
            "csrf_token": csrf_token_from(page.text), "versi": _field(page.text, "versi"),
            "sidik": _field(page.text, "sidik"), "indikator": f"Persentase capaian kegiatan {no}",
            "target": "97,5%", "polaritas": "naik", "kegiatan": f"Kegiatan {username}",
            "kode_output": "CQ.6709.QGE.003", "biaya": f"Rp {no}.000.000", "pelaksana": unit, "jadwal": ["4"],
        }))
    assert len({job[2]["versi"] for job in jobs}) == 1, "all four opened the same version of the document"

    responses = all_at_once(jobs)
    site.assert_no_server_error()
    refused = [message_of(r) for r in responses if r.status != 302]
    assert [r.status for r in responses] == [302] * 4, refused

    with site.session() as s:
        saved = {r.pelaksana: (r.biaya, [k.uraian for k in r.kegiatan]) for r in s.scalars(
            sa.select(RakBaris).join(Revisi).where(Revisi.dokumen_id == dokumen_id))}
        assert saved == {unit: (no * 1_000_000, [f"Kegiatan {username}"])
                         for no, (username, unit) in enumerate(UNITS.items(), start=1)}
        assert len(audit_entries(s, dokumen_id, "ubah_baris")) == 4
        assert audit.verify(s).ok
