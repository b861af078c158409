"""Fixtures: an app per database backend, a db that rolls back, factories, logins.

Every test that uses ``app`` runs twice: on SQLite, and on PostgreSQL
(``SAKIP_TEST_POSTGRES_URL``, default postgresql://127.0.0.1:5432/test) in a schema
of its own that is dropped afterwards. An unreachable PostgreSQL skips those runs,
except with CI=true, where it fails them.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import orm
from sqlalchemy.pool import NullPool

from tenants.db import db as _db
from tenants.hierarchy import Office, load_hierarchy
from tenants.satker import Tingkat
from webapp import create_app
from webapp.config import normalise_database_url

PG_DEFAULT_URL = "postgresql://127.0.0.1:5432/test"
TEST_AUDIT_KEY = "kunci-audit-uji-bukan-untuk-produksi-0123456789abcdef"
IN_CI = os.environ.get("CI") == "true"


def pytest_configure(config):
    # Nothing a test does may write into the project's own instance/ folder.
    os.environ.setdefault("SAKIP_INSTANCE_PATH", str(config.rootpath / ".pytest_cache" / "instance"))
    # One audit key for the tests' apps and the servers and commands they start (workflow.audit).
    os.environ.setdefault("SAKIP_AUDIT_KEY", TEST_AUDIT_KEY)


def unavailable(message: str) -> NoReturn:
    """Something the project's setup provides is missing: skip with the reason, except with
    CI=true, where that is a failure."""
    if IN_CI:
        pytest.fail(message + " (CI=true: this is a failure, not a skip)")
    pytest.skip(message)


def system_tool(*names: str, package: str) -> str:
    """The path of a program the project's setup installs (scripts/system-deps)."""
    for name in names:
        if path := shutil.which(name):
            return path
    unavailable(f"{names[0]} is not installed (apt-get install -y {package}; scripts/system-deps does it as root)")


@contextmanager
def app_role(owner, prefix: str) -> Iterator[str]:
    """A login role that owns nothing, given the application's rights on ``owner``'s schema
    (`sakip db app-role`), as production connects: row-level security binds it. Dropped
    after the block (its connections closed by then)."""
    from webapp.cli import db_app_role

    role = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with owner.app_context(), _db.engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    try:  # the role is the cluster's, not the schema's: dropped whatever happens from here
        result = owner.test_cli_runner().invoke(db_app_role, [role])
        assert result.exit_code == 0, result.output
        yield role
    finally:
        with owner.app_context():
            with _db.engine.begin() as conn:
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE "{role}"')
            _db.session.remove()
            _db.engine.dispose()


def redis_url_or_skip() -> str:
    """The tests' Redis (SAKIP_TEST_REDIS_URL, REDIS_URL or the local one), answering:
    skips when it does not, except with CI=true, where that is a failure."""
    import redis

    url = os.environ.get("SAKIP_TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis tidak dapat dihubungi di {url}: {exc}")
    return url


def postgres_base_url() -> str:
    return normalise_database_url(os.environ.get("SAKIP_TEST_POSTGRES_URL", PG_DEFAULT_URL))


class PostgresSchemas:
    """Creates throw-away schemas so parallel runs on one server never meet."""

    def __init__(self) -> None:
        self.engine = sa.create_engine(postgres_base_url(), poolclass=NullPool)
        self.created: list[str] = []

    def reachable(self) -> str | None:
        try:
            with self.engine.connect():
                return None
        except sa.exc.OperationalError as exc:
            return str(exc).splitlines()[0]

    def new_url(self) -> str:
        schema = f"sakip_test_{uuid.uuid4().hex[:12]}"
        with self.engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        self.created.append(schema)
        url = sa.make_url(postgres_base_url()).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        # One transaction per schema: dropping them all at once takes a lock per table,
        # index and trigger of every schema and runs out of PostgreSQL's lock table.
        for schema in self.created:
            with self.engine.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[PostgresSchemas]:
    schemas = PostgresSchemas()
    yield schemas
    schemas.drop_all()


@pytest.fixture(scope="session")
def fresh_database_url(tmp_path_factory, postgres_schemas):
    """A factory of empty databases on the backend being tested."""

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'sakip.sqlite3'}"
        if problem := postgres_schemas.reachable():
            unavailable(f"PostgreSQL tidak dapat dihubungi di {postgres_base_url()}: {problem}")
        return postgres_schemas.new_url()

    return make


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@contextmanager
def migrated_app(url: str, **config) -> Iterator:
    """The app of the tests on the empty database at ``url``, migrated (``config`` on top)."""
    app = create_app({
        "TESTING": True, "FLASK_ADMIN_RAISE_ON_VIEW_EXCEPTION": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
        # Failed sign-ins counted in this process only, emptied for every test (`client`);
        # tests/test_security.py tries Redis on its own app.
        "RATELIMIT_STORAGE_URI": "memory://",
        **config,
    })
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        _db.session.remove()
        for engine in _db.engines.values():
            engine.dispose()


@pytest.fixture(scope="session")
def app(backend, fresh_database_url):
    with migrated_app(fresh_database_url(backend)) as app:
        yield app


def _scope() -> object:
    from flask import has_app_context
    from flask.globals import _cv_app

    # One session per app context (each request gets its own, as in production);
    # the test body outside any context has one of its own per thread.
    return id(_cv_app.get()) if has_app_context() else ("test", threading.get_ident())


@pytest.fixture
def db(app):
    """The database inside a transaction that is rolled back after the test.

    Sessions join it through SAVEPOINTs, so code under test may commit freely.
    """
    with app.app_context():
        connection = _db.engine.connect()
    outer = connection.begin()
    original = _db.session
    _db.session = orm.scoped_session(
        orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_scope
    )
    try:
        yield _db
    finally:
        _db.session.remove()
        _db.session = original
        outer.rollback()
        connection.close()


TREE = [
    Office("RI", "KPU RI", Tingkat.PUSAT, None),
    Office("35", "KPU Provinsi Jawa Timur", Tingkat.PROVINSI, "RI"),
    Office("35.79", "KPU Kota Batu", Tingkat.KABKOTA, "35"),
    Office("35.73", "KPU Kota Malang", Tingkat.KABKOTA, "35"),
    Office("51", "KPU Provinsi Bali", Tingkat.PROVINSI, "RI"),
    Office("51.71", "KPU Kota Denpasar", Tingkat.KABKOTA, "51"),
    Office("51.03", "KPU Kabupaten Badung", Tingkat.KABKOTA, "51"),
]


@pytest.fixture
def tree(db):
    """KPU RI, two provinces, two kabupaten/kota in each: {kode: Satker}."""
    load_hierarchy(db.session, TREE)
    db.session.commit()
    from tenants.satker import Satker

    return {s.kode: s for s in db.session.scalars(sa.select(Satker))}


@pytest.fixture
def make_user(db, tree):
    """make_user("35.79", "sekretaris", subbagian=None, divisi=None, username=None)."""
    from tests.factories import UserFactory, grant

    def make(kode: str, *roles: str, username: str | None = None, **membership):
        user = UserFactory(satker=tree[kode], **({"username": username} if username else {}))
        for role in roles:
            grant(user, tree[kode], role, **membership)
        db.session.commit()
        return user

    return make


@pytest.fixture
def client(app):
    app.extensions["sakip_limiter"].reset()  # no test inherits another's failed attempts
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "the page carries no CSRF token"
    return match.group(1)


_PER_REQUEST = re.compile(r'((?:name="csrf_token"|name="csrf-token")[^>]*(?:value|content)=|nonce=)"[^"]*"')


def masked(page: str) -> str:
    """A page without what differs per request whatever the code: the CSRF token (it carries
    the second it was made) and the CSP nonce."""
    return _PER_REQUEST.sub(r'\1""', page)


# The authenticator the `login` fixture gives admins and reviewers (TOTP is required for them).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def section(page: str, testid: str) -> str:
    """The text of one element (by data-testid), tags dropped, spaces collapsed."""
    start = page.index(f'data-testid="{testid}"')
    tag = page.rfind("<", 0, start)
    name = re.match(r"<(\w+)", page[tag:]).group(1)
    end = page.index(f"</{name}>", start)
    text = re.sub(r"</t[dh]>|<br>", " ", page[start:end].split(">", 1)[1])
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    import pyotp

    return pyotp.TOTP(secret).now()


@pytest.fixture
def login(client, db):
    """login(user) signs the test client in through the real sign-in form, and through the
    code step for accounts with an authenticator (admins and reviewers get TEST_TOTP_SECRET
    when they have none; the last used code is forgotten so a test may sign in repeatedly)."""
    from tenants import otp
    from tenants.people import User
    from tests.factories import TEST_PASSWORD

    def do_login(user, password: str = TEST_PASSWORD, c=None):
        c = c or client
        secret = db.session.scalar(sa.select(User.totp_secret).where(User.id == user.id))
        if secret is None and otp.required(user):
            secret = TEST_TOTP_SECRET
        if secret is not None:
            db.session.execute(sa.update(User).where(User.id == user.id).values(totp_secret=secret, totp_last_step=None))
            db.session.commit()
            if user in db.session:
                db.session.expire(user)
        page = c.get("/masuk")
        response = c.post("/masuk", data={
            "username": user.username, "password": password, "csrf_token": csrf_token_from(page.text),
        })
        assert response.status_code == 302, response.text
        if response.location.startswith("/masuk/kode"):
            page = c.get("/masuk/kode")
            response = c.post("/masuk/kode", data={"kode": totp_code(secret), "csrf_token": csrf_token_from(page.text)})
            assert response.status_code == 302 and not response.location.startswith("/masuk"), response.text
        return c

    return do_login


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(db):
    """with count_statements() as counter: ... ; counter.count"""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = StatementCounter()
        engine = db.session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", counter)

    return counting


class Office:
    """The people of one office, made on demand: people.sekretaris, people.ketua, ..."""

    def __init__(self, make_user, kode: str) -> None:
        self._make_user, self.kode, self._cache = make_user, kode, {}

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._cache:
            role, _, unit = name.partition("_")
            extra = {}
            if role == "subbag":
                extra["subbagian"] = unit
            elif role == "anggota":
                extra["divisi"] = unit
            self._cache[name] = self._make_user(self.kode, role, **extra)
        return self._cache[name]


@pytest.fixture
def people(make_user):
    """people("35.79").sekretaris, people("35").reviewer, people("35.79").subbag_kul ..."""
    offices: dict[str, Office] = {}

    def at(kode: str) -> Office:
        return offices.setdefault(kode, Office(make_user, kode))

    return at


@pytest.fixture
def batu(people):
    """The people of KPU Kota Batu (35.79), the office most tests work in."""
    return people("35.79")


@pytest.fixture
def make_dokumen(db, tree, people):
    """make_dokumen("rak_sekretariat", kode="35.79", baris=3): a draft with valid content."""
    from tests.documents import isi_contoh
    from workflow.dokumen import operations
    from workflow.dokumen.models import JenisDokumen

    def make(jenis: str, kode: str = "35.79", tahun: int = 2024, **content):
        jenis = JenisDokumen(jenis)
        dokumen = operations.buat_dokumen(db.session, tree[kode], tahun, jenis, None)
        penyusun = getattr(people(kode), jenis.penyusun.value)
        isi_contoh(db.session, dokumen, penyusun, **content)
        db.session.commit()
        return dokumen

    return make


# Figures that tests report for the run (cases of the fault, fuzz and matrix tests):
# CASE_COUNTS["label"] = n, printed in a section at the end of pytest's summary.
CASE_COUNTS: dict[str, int | str] = {}


def pytest_terminal_summary(terminalreporter):
    if CASE_COUNTS:
        terminalreporter.section("case counts")
        for label, count in CASE_COUNTS.items():
            terminalreporter.write_line(f"{label}: {count}")


class Clock:
    """The sessions' clock (webapp.security.clock), moved by hand: a session ends without
    the test waiting half an hour."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch):
    from webapp import security

    fake = Clock()
    monkeypatch.setattr(security, "clock", fake)
    return fake
