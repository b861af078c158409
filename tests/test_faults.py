"""Faults: a failing statement, a killed server, a database that went away.

- Every transition is run once to count its SQL statements (the COMMIT is one), then once
  more per statement with the driver's error raised at exactly that statement: each time
  every row of the database (document, revisions, content, signatures, history, audit
  chain) is as it was, and ``sakip check`` finds nothing; the same form then goes through.
- A real server process (forked, serving on a socket the test keeps) is killed with
  SIGKILL in the middle of a signature fifty times: half at a chosen step of the request
  (before each of its SQL statements, or right after its COMMIT), half after a random
  delay; after every kill the checker finds 0 problems, and the site signs afterwards.
- With the database unreachable, pages answer 503 with a plain "Layanan tidak tersedia"
  page, the sign-in page and static files still load, and the site recovers by itself.
- The checker itself notices what it must (each tampering below is found) with a number
  of statements that does not grow with the number of documents.

Each test prints its number of cases in pytest's "case counts" summary.
"""
from __future__ import annotations

import http.client
import multiprocessing
import os
import random
import signal
import socket
import threading
import time
import urllib.parse
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import has_request_context, request
from flask_migrate import upgrade

from tenants import accounts
from tenants.db import db as _db
from tenants.hierarchy import load_hierarchy
from tenants.people import Peran
from tenants.satker import Satker
from tests.conftest import CASE_COUNTS, TREE, csrf_token_from, postgres_base_url
from tests.documents import isi_contoh
from tests.factories import _TEST_HASH, TEST_PASSWORD
from webapp import create_app
from workflow import audit
from workflow.dokumen import integrity, operations
from workflow.dokumen.models import AlasanRevisi, Dokumen, JenisDokumen, Status
from workflow.dokumen.signature import TandaTangan

# A transition failing inside an autoflush, after the state machine set the new status, is
# rolled back whole; SQLAlchemy notes that the discarded state was changed.
pytestmark = pytest.mark.filterwarnings("ignore:Session's state has been changed on a non-active transaction")

JENIS = "rak_sekretariat"  # two signatories: the Sekretaris as KPA, then the Ketua


# -- fault injection at every statement of every transition ------------------------------------

class InjectedFault:
    """The driver's own OperationalError at statement ``at`` (0-based; the COMMIT counts as
    one), so the application sees exactly what a failing database gives it."""

    def __init__(self, at: int | None = None) -> None:
        self.at, self.seen, self.fired = at, 0, None

    def step(self, statement: str, dialect) -> None:
        index, self.seen = self.seen, self.seen + 1
        if index == self.at:
            self.fired = statement
            raise dialect.loaded_dbapi.OperationalError(f"injected fault at statement {index}")

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.step(statement, conn.dialect)


@contextmanager
def faults(engine, at: int | None = None):
    fault = InjectedFault(at)
    commit = engine.dialect.do_commit

    def do_commit(dbapi_connection):  # a failed COMMIT: the database keeps nothing
        fault.step("COMMIT", engine.dialect)
        commit(dbapi_connection)

    engine.dialect.do_commit = do_commit
    sa.event.listen(engine, "before_cursor_execute", fault)
    try:
        yield fault
    finally:
        sa.event.remove(engine, "before_cursor_execute", fault)
        del engine.dialect.do_commit


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table of the application, in primary-key order."""
    _db.session.remove()
    conn = _db.session.connection()
    present = set(sa.inspect(conn).get_table_names())
    rows = {t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]
            for t in _db.metadata.sorted_tables if t.name in present}
    _db.session.remove()
    return rows


def check() -> list[str]:
    try:
        return integrity.periksa(_db.session)
    finally:
        _db.session.remove()


def attempt(dokumen_id: int, event: str, username: str, form: dict) -> None:
    """One transition as a request does it: fresh session, load and lock, act, commit."""
    _db.session.remove()
    s = _db.session
    try:
        user = accounts.find_user(s, username)
        dokumen = s.scalar(sa.select(Dokumen).where(Dokumen.id == dokumen_id).with_for_update(of=Dokumen))
        operations.transisi(s, dokumen, event, user, **form)
        s.commit()
    except BaseException:
        s.rollback()
        raise
    finally:
        _db.session.remove()


USERS = {"sekretaris": ("35.79", Peran.SEKRETARIS), "ketua": ("35.79", Peran.KETUA),
         "reviewer": ("35", Peran.REVIEWER)}
STEPS = {
    "draft": [],
    "submitted": [("submit", "sekretaris")],
    "signed_once": [("submit", "sekretaris"), ("sign", "sekretaris")],
    "signed": [("submit", "sekretaris"), ("sign", "sekretaris"), ("sign", "ketua")],
    "reviewed": [("submit", "sekretaris"), ("sign", "sekretaris"), ("sign", "ketua"), ("approve", "reviewer")],
}


def _setup_site(url: str, users=USERS):
    """An app on a fresh database, migrated and committed for real, with the test's offices
    and one account per role."""
    app = create_app({"SECRET_KEY": "faults-test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        load_hierarchy(_db.session, TREE)
        _db.session.flush()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(accounts, "hash_password", lambda _password: _TEST_HASH)
            for username, (kode, peran) in users.items():
                satker = accounts.find_satker(_db.session, kode)
                user = accounts.create_user(_db.session, username, username.title(), satker, TEST_PASSWORD)
                accounts.grant(_db.session, user, satker, peran)
        _db.session.commit()
        _db.session.remove()
    return app


def _close(app) -> None:
    with app.app_context():
        _db.session.remove()
        for engine in _db.engines.values():
            engine.dispose()


@pytest.fixture(scope="module")
def real_db(backend, fresh_database_url):
    """A database of its own with real BEGIN and COMMIT (the ``db`` fixture's savepoints
    would stand in for the COMMIT that is one of the statements to fail)."""
    app = _setup_site(fresh_database_url(backend))
    years = iter(range(2031, 2100))
    yield app, years
    _close(app)


def new_rak(stage: str, tahun: int) -> int:
    s = _db.session
    satker = s.scalar(sa.select(Satker).where(Satker.kode == "35.79"))
    dokumen = operations.buat_dokumen(s, satker, tahun, JenisDokumen.RAK_SEKRETARIAT, None)
    isi_contoh(s, dokumen, accounts.find_user(s, "sekretaris"), baris=2)
    s.commit()
    dokumen_id = dokumen.id
    for event, username in STEPS[stage]:
        kwargs = {"alasan": None} if event == "approve" else {}
        operations.transisi(s, s.get(Dokumen, dokumen_id), event, accounts.find_user(s, username), **kwargs)
        s.commit()
    s.remove()
    return dokumen_id


# (label, stage the document is in, who acts, event, extra form fields, status after)
TRANSITIONS = [
    ("submit", "draft", "sekretaris", "submit", {}, Status.SUBMITTED),
    ("sign, first of two", "submitted", "sekretaris", "sign", {}, Status.SUBMITTED),
    ("sign, the last", "signed_once", "ketua", "sign", {}, Status.SIGNED),
    ("approve", "signed", "reviewer", "approve", {"alasan": None}, Status.REVIEWED),
    ("send back", "signed", "reviewer", "send_back", {"alasan": "Perbaiki biaya baris 2."}, Status.DRAFT),
    ("revise", "reviewed", "sekretaris", "revise",
     {"alasan_jenis": AlasanRevisi.PERUBAHAN_ANGGARAN, "alasan": "Pagu berubah."}, Status.DRAFT),
]


@pytest.mark.parametrize(("label", "stage", "actor", "event", "extra", "after"), TRANSITIONS,
                         ids=[t[0].replace(" ", "_").replace(",", "") for t in TRANSITIONS])
def test_an_error_at_any_statement_of_a_transition_leaves_everything_as_it_was(
        real_db, backend, label, stage, actor, event, extra, after):
    app, years = real_db
    with app.app_context():
        engine = _db.engine
        twins = [new_rak(stage, next(years)) for _ in range(2)]

        def form_for(dokumen_id: int) -> dict:
            # What the page showed: the version, and for a signature the hash being read.
            dokumen = _db.session.get(Dokumen, dokumen_id)
            form = {"versi": dokumen.versi, **extra}
            if event == "sign":
                form["hash_dibaca"] = dokumen.revisi_aktif.hash_isi
            _db.session.remove()
            return form

        # The twin shows how many statements the transition issues.
        form = form_for(twins[0])
        with faults(engine) as counter:
            attempt(twins[0], event, actor, form)
        statements = counter.seen
        assert statements > 3

        dokumen_id, form = twins[1], form_for(twins[1])
        before = snapshot()
        assert check() == []
        for at in range(statements):
            with faults(engine, at) as fault:
                with pytest.raises(sa.exc.OperationalError, match="injected fault"):
                    attempt(dokumen_id, event, actor, form)
                    pytest.fail(f"{label}: no error at statement {at} of {fault.seen}")
            assert fault.fired is not None
            assert snapshot() == before, f"{label}: after an error at statement {at} ({fault.fired[:80]})"
            problems = check()
            assert problems == [], f"{label}, error at statement {at}: {problems}"

        # Nothing was left behind that stands in the way: the same form now goes through.
        with faults(engine) as counter:
            attempt(dokumen_id, event, actor, form)
        assert counter.seen == statements
        assert _db.session.get(Dokumen, dokumen_id).status is after
        _db.session.remove()
        assert check() == []
    key = f"faults: SQL error injected at each statement of each transition ({backend})"
    CASE_COUNTS[key] = CASE_COUNTS.get(key, 0) + statements


# -- the checker ---------------------------------------------------------------------------------

def _bring_to(db, dokumen, stage: str, people) -> None:
    who = {"sekretaris": people("35.79").sekretaris, "ketua": people("35.79").ketua,
           "reviewer": people("35").reviewer}
    for event, username in STEPS[stage]:
        kwargs = {"alasan": None} if event == "approve" else {}
        operations.transisi(db.session, dokumen, event, who[username], **kwargs)
        db.session.commit()


@contextmanager
def triggers_off(db):
    """Let raw SQL do what the database's own wall refuses (the test's transaction is
    rolled back afterwards, triggers included)."""
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        yield conn
        conn.exec_driver_sql("SET LOCAL session_replication_role = origin")
    else:
        for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").all():
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        yield conn


TAMPERING = {
    "a signature over another hash": (
        "UPDATE tanda_tangan SET hash_isi = '{zeros}' WHERE revisi_id = {revisi}",
        "menandatangani hash lain"),
    "content changed after signing": (
        "UPDATE rak_baris SET biaya = biaya + 1 WHERE revisi_id = {revisi}",
        "tidak cocok lagi dengan hash"),
    "status ahead of the signatures": (
        "UPDATE dokumen SET status = 'signed' WHERE id = {dokumen}",
        "punya 1 dari 2 tanda tangan"),
    "a signature lost": (
        "DELETE FROM tanda_tangan WHERE revisi_id = {revisi}",
        "riwayat mencatat 1 kali 'sign' pada Revisi ke-0, revisinya menunjukkan 0"),
    "a revision unlocked": (
        "UPDATE revisi SET terkunci = {false}, hash_isi = NULL, kode_verifikasi = NULL, diajukan_oleh_id = NULL,"
        " diajukan_pada = NULL WHERE id = {revisi}",
        "tidak terkunci"),
    "the audit trail edited": (
        "UPDATE audit_log SET alasan = 'diubah' WHERE seq = 2",
        "Jejak audit rusak pada entri nomor 2"),
}


@pytest.mark.parametrize("what", list(TAMPERING))
def test_the_checker_finds_what_a_crash_or_a_hand_edit_leaves(db, people, make_dokumen, what):
    dokumen = make_dokumen(JENIS)
    _bring_to(db, dokumen, "signed_once", people)
    other_id = make_dokumen(JENIS, tahun=2025).id  # a second document that stays right
    assert integrity.periksa(db.session) == []
    revisi_id = dokumen.revisi_aktif.id
    sql, expected = TAMPERING[what]
    with triggers_off(db) as conn:
        false = "false" if conn.dialect.name == "postgresql" else "0"
        conn.exec_driver_sql(sql.format(zeros="0" * 64, revisi=revisi_id, dokumen=dokumen.id, false=false))
    db.session.expire_all()
    problems = integrity.periksa(db.session)
    assert any(expected in p for p in problems), problems
    assert all("(dokumen " in p or p.startswith("Jejak audit") for p in problems)
    assert not any(f"(dokumen {other_id})" in p for p in problems), problems


def test_the_checker_reads_one_or_many_documents_with_the_same_statements(db, people, make_dokumen,
                                                                           count_statements):
    def checked() -> int:
        with count_statements() as counter:
            assert integrity.periksa(db.session) == []
        return counter.count

    first = make_dokumen(JENIS)
    _bring_to(db, first, "reviewed", people)
    one = checked()
    for tahun, stage in zip(range(2025, 2030), ("draft", "submitted", "signed_once", "signed", "reviewed")):
        _bring_to(db, make_dokumen(JENIS, tahun=tahun), stage, people)
    make_dokumen("pk_komisi")
    assert checked() == one


def test_sakip_check_says_0_masalah_or_lists_the_problems(db, app, people, make_dokumen, monkeypatch):
    from webapp.cli import cli

    make_dokumen(JENIS)
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0 and "0 masalah." in result.output, result.output

    monkeypatch.setattr(integrity, "periksa",
                        lambda _session, _anchors=(): ["RAK Sekretariat KPU Kota Batu 2024: rusak."])
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.output.splitlines() == ["RAK Sekretariat KPU Kota Batu 2024: rusak.", "1 masalah."]


# -- a real server killed with SIGKILL in the middle of signing ---------------------------------

KILLS = 50
TIMEOUT = 30


def _request(port: int, method: str, path: str, cookies: dict, data: dict | None = None, conn=None):
    """(status, body); the cookies the server sets go into ``cookies``."""
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        headers = {"Connection": "close"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        raw = conn.getresponse()
        text = raw.read().decode("utf-8", "replace")
        for header in raw.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name] = rest.split(";")[0]
        return raw.status, text
    finally:
        conn.close()


def _serve(app, fd: int, kill_at: int, counted) -> None:
    """The server process: serves the test's socket; with ``kill_at``, SIGKILLs itself when
    a sign request reaches that step: each SQL statement is one (killed before it runs),
    and the moment just after the COMMIT is the last."""

    def step() -> None:
        if has_request_context() and request.path.endswith("/aksi/sign"):
            counted.value += 1
            if counted.value == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    with app.app_context():
        for engine in _db.engines.values():
            engine.dispose(close=False)  # never use the parent's connections
            sa.event.listen(engine, "before_cursor_execute", lambda *_args: step())
            commit = engine.dialect.do_commit

            def do_commit(dbapi_connection, commit=commit):
                commit(dbapi_connection)
                step()

            engine.dialect.do_commit = do_commit
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    make_server("127.0.0.1", 0, app, fd=fd).serve_forever()


class KilledServer:
    """Servers forked one after the other on one listening socket, each killed in turn."""

    def __init__(self, app) -> None:
        self.app = app
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.ctx = multiprocessing.get_context("fork")
        self.process = None
        # No lock: a server killed while holding it would leave it held for good, and the
        # next start() would wait on it for ever (seen in CI). Only the server writes it.
        self.counted = self.ctx.Value("i", 0, lock=False)

    def start(self, kill_at: int = 0) -> None:
        with self.app.app_context():
            for engine in _db.engines.values():
                engine.dispose()  # nothing open crosses the fork
        self.counted.value = 0
        self.process = self.ctx.Process(target=_serve, args=(self.app, self.sock.fileno(), kill_at, self.counted),
                                        daemon=True)
        self.process.start()

    def kill(self) -> None:
        if self.process.is_alive():
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(TIMEOUT)
        assert self.process.exitcode == -signal.SIGKILL
        # A request still waiting in the queue died with the server: the browser sees the
        # connection reset, and the next server never runs it.
        self.sock.setblocking(False)
        try:
            while True:
                waiting, _ = self.sock.accept()
                waiting.close()
        except BlockingIOError:
            pass
        finally:
            self.sock.setblocking(True)

    def close(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.kill()
        self.sock.close()


def _next_signature(app, tahun_berikut) -> tuple[int, str, dict]:
    """A submitted RAK awaiting a signature: (id, who signs next, the sign form's fields)."""
    with app.app_context():
        s = _db.session
        dokumen = s.scalar(sa.select(Dokumen).where(Dokumen.status == Status.SUBMITTED).order_by(Dokumen.id.desc()))
        if dokumen is None:
            satker = s.scalar(sa.select(Satker).where(Satker.kode == "35.79"))
            sekretaris = accounts.find_user(s, "sekretaris")
            dokumen = operations.buat_dokumen(s, satker, next(tahun_berikut), JenisDokumen.RAK_SEKRETARIAT, None)
            isi_contoh(s, dokumen, sekretaris, baris=2)
            operations.ajukan(s, dokumen, sekretaris)
            s.commit()
        revisi = dokumen.revisi_aktif
        signer = "sekretaris" if not revisi.tanda_tangan else "ketua"
        found = (dokumen.id, signer, {"versi": dokumen.versi, "hash_dibaca": revisi.hash_isi})
        s.remove()
        return found


def _signatures(app) -> int:
    with app.app_context():
        n = _db.session.scalar(sa.select(sa.func.count()).select_from(TandaTangan))
        _db.session.remove()
        return n


def _check(app) -> list[str]:
    with app.app_context():
        try:
            return integrity.periksa(_db.session)
        finally:
            _db.session.remove()


def test_a_server_killed_in_the_middle_of_signing_50_times_leaves_nothing_inconsistent(backend, fresh_database_url):
    app = _setup_site(fresh_database_url(backend))
    server = KilledServer(app)
    rng = random.Random(f"sigkill-{backend}")
    tahun_berikut = iter(range(2031, 2100))
    cookies: dict[str, dict] = {}
    try:
        # Sign in both signatories and learn what a signature costs (statements, time).
        server.start()
        for username in ("sekretaris", "ketua"):
            jar = cookies[username] = {}
            _status, page = _request(server.port, "GET", "/masuk", jar)
            status, _ = _request(server.port, "POST", "/masuk", jar, {
                "username": username, "password": TEST_PASSWORD, "csrf_token": csrf_token_from(page)})
            assert status == 302
        dokumen_id, signer, form = _next_signature(app, tahun_berikut)
        tokens = {u: csrf_token_from(_request(server.port, "GET", f"/dokumen/{dokumen_id}", cookies[u])[1])
                  for u in cookies}
        started = time.perf_counter()
        status, _ = _request(server.port, "POST", f"/dokumen/{dokumen_id}/aksi/sign", cookies[signer],
                             {**form, "csrf_token": tokens[signer]})
        duration = time.perf_counter() - started
        assert status == 302
        statements = server.counted.value
        assert statements > 3
        server.kill()
        assert _check(app) == []

        # Every step once, in random order, then random ones.
        steps = iter(rng.sample(range(1, statements + 1), statements)
                     + [rng.randint(1, statements) for _ in range(KILLS)])
        outcomes, killed_at = {"kept": 0, "rolled back": 0}, set()
        for kill in range(KILLS):
            dokumen_id, signer, form = _next_signature(app, tahun_berikut)
            before = _signatures(app)
            by_statement = kill % 2 == 0
            kill_at = next(steps) if by_statement else 0
            killed_at.add(kill_at)
            server.start(kill_at=kill_at)
            result: list = []
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
            conn.connect()  # queued before the clock starts, so the kill cannot precede it
            client = threading.Thread(target=lambda: result.append(_try_request(
                conn, f"/dokumen/{dokumen_id}/aksi/sign", cookies[signer], {**form, "csrf_token": tokens[signer]})))
            client.start()
            if by_statement:
                client.join(TIMEOUT)  # the server kills itself at its statement, or answers
            else:
                time.sleep(rng.uniform(0, duration * 1.5))
            server.kill()
            client.join(TIMEOUT)
            assert not client.is_alive()
            if isinstance(result[0], tuple):  # answered before the kill: it must have worked
                assert result[0][0] == 302, result[0]
            problems = _check(app)
            assert problems == [], f"kill {kill + 1}: {problems}"
            outcomes["kept" if _signatures(app) > before else "rolled back"] += 1

        # And the site still works: the next signature goes through.
        server.start()
        dokumen_id, signer, form = _next_signature(app, tahun_berikut)
        status, _ = _request(server.port, "POST", f"/dokumen/{dokumen_id}/aksi/sign", cookies[signer],
                             {**form, "csrf_token": tokens[signer]})
        assert status == 302
        server.kill()
        assert _check(app) == []
        with app.app_context():
            assert audit.verify(_db.session).ok
            _db.session.remove()
    finally:
        server.close()
        with app.app_context():
            _db.session.remove()
            for engine in _db.engines.values():
                engine.dispose()
    CASE_COUNTS[f"faults: server SIGKILLed while signing ({backend})"] = (
        f"{KILLS} kills ({KILLS // 2} at {len(killed_at - {0})} different steps of the {statements} of the request: "
        f"before an SQL statement, or right after COMMIT; {KILLS - KILLS // 2} after a "
        f"random delay); signature kept {outcomes['kept']}, rolled back {outcomes['rolled back']}; 0 inconsistencies")


def _try_request(conn, path, cookies, data):
    try:
        return _request(0, "POST", path, dict(cookies), data, conn)
    except (OSError, http.client.HTTPException) as exc:
        return exc


# -- the database going away -----------------------------------------------------------------------

class Proxy:
    """A TCP relay to PostgreSQL that the test can cut (every connection dropped, new ones
    refused) and restore on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.listener = None
        self.open: list[socket.socket] = []

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone does not)
        except OSError:
            pass
        self.listener.close()
        for s in self.open:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.open.clear()


@pytest.fixture
def fragile_site(backend, fresh_database_url, tmp_path):
    """(app, take_away, bring_back): a site whose database can be taken away and brought back."""
    proxy = None
    if backend == "postgresql":
        url = fresh_database_url(backend)
        real = sa.make_url(postgres_base_url())
        proxy = Proxy((real.host or "127.0.0.1", real.port or 5432))
        proxy.start()
        url = sa.make_url(url).set(port=proxy.port).render_as_string(hide_password=False)
        take_away, bring_back = proxy.cut, proxy.start
    else:
        home = tmp_path / "disk"
        home.mkdir()
        url = f"sqlite:///{home / 'sakip.sqlite3'}"

        def take_away():  # the disk holding it unmounted
            home.rename(tmp_path / "gone")

        def bring_back():
            (tmp_path / "gone").rename(home)

    app = _setup_site(url)
    app.config.update(TESTING=True)
    with app.app_context():
        _db.session.remove()

    def away():
        take_away()
        if backend == "sqlite":
            with app.app_context():
                _db.engine.dispose()  # a process started now: it must open the file again

    yield app, away, bring_back
    with app.app_context():
        _db.session.remove()
        for engine in _db.engines.values():
            engine.dispose()
    if proxy is not None:
        proxy.cut()


def test_with_the_database_gone_pages_answer_503_in_words_and_the_site_recovers(fragile_site):
    app, take_away, bring_back = fragile_site
    client, visitor = app.test_client(), app.test_client()
    page = client.get("/masuk")
    assert client.post("/masuk", data={"username": "sekretaris", "password": TEST_PASSWORD,
                                       "csrf_token": csrf_token_from(page.text)}).status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    login_page = visitor.get("/masuk")
    token = csrf_token_from(login_page.text)

    take_away()
    for response in (client.get("/"), client.get("/satker/35.79/dokumen"),
                     visitor.post("/masuk", data={"username": "ketua", "password": TEST_PASSWORD,
                                                  "csrf_token": token})):
        assert response.status_code == 503
        assert "Layanan tidak tersedia" in response.text
        assert response.headers["Retry-After"] == "30"
        for leak in ("Traceback", "OperationalError", "sqlalchemy", "psycopg", "sqlite3", "File \""):
            assert leak not in response.text
    # What needs no database still answers: the sign-in page and the static files.
    assert visitor.get("/masuk").status_code == 200
    assert visitor.get("/static/sakip.css").status_code == 200

    bring_back()
    assert client.get("/").status_code == 200  # no restart needed
    assert visitor.post("/masuk", data={"username": "ketua", "password": TEST_PASSWORD,
                                        "csrf_token": token}).status_code == 302


def test_a_connection_left_idle_is_pinged_and_a_dead_one_replaced_unseen(fresh_database_url):
    """No pool_pre_ping (a round trip on every request): a connection that sat in the pool
    longer than the threshold is pinged, and one the server killed meanwhile is replaced
    before anyone uses it; one returned a moment ago is handed out as it is."""
    from tenants.db import ping_when_idle

    engine = sa.create_engine(fresh_database_url("postgresql"), pool_size=1, max_overflow=0)
    ping_when_idle(engine, seconds=0.3)
    pings = []
    real_ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda dbapi_connection: pings.append(1) or real_ping(dbapi_connection)
    try:
        with engine.connect() as conn:
            first = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        with engine.connect() as conn:  # back a moment ago: no ping
            assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar() == first
        assert pings == []
        killer = sa.create_engine(fresh_database_url("postgresql"), poolclass=sa.pool.NullPool)
        with killer.connect() as conn:
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
        killer.dispose()
        time.sleep(0.4)
        with engine.connect() as conn:  # idle long enough: pinged, found dead, replaced
            second = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        assert second != first and len(pings) == 1
    finally:
        engine.dispose()
