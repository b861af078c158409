"""The Flask application factory."""
from __future__ import annotations

import importlib

from flask import Flask, has_request_context, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.exc import DataError
from sqlalchemy.engine import Engine

import workflow  # noqa: F401 - registers the document models and the immutability guard
from tenants import scoping
from tenants.db import ping_when_idle
from tenants.people import Peran
from webapp import config
from webapp.extensions import babel, cache, csrf, db, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    instance = config.instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(config.PROJECT_ROOT / "templates"),
    )
    app.config.update(config.default_config(instance))
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(instance)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        instance.mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)
    _register_errors(app)
    return app


def _init_extensions(app: Flask) -> None:
    from webapp import gate
    from webapp.i18n import select_locale

    # First of all before_request hooks: an anonymous visitor meets the gate before
    # anything else (CSRF included) looks at the request.
    app.before_request(gate.enforce)
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_when_idle(engine)
    migrate.init_app(app, db, directory=str(config.PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    cache.init_app(app)
    from webapp import security

    security.init_app(app)  # headers, sign-in limits, the security log
    from webapp import transaksi

    transaksi.init_app(app)  # a request that wrote nothing commits (psycopg keeps its prepared statements)


# The blueprints, in the order their routes are registered (each module's ``bp``).
_BLUEPRINTS = ("auth", "offices", "documents", "editors", "dashboards", "downloads", "pdf", "imports", "health",
               "notifikasi", "jadwal", "penunjukan", "tinjauan", "pelaporan", "laporan_kertas", "serapan", "bukti",
               "evaluasi", "evaluasi_rekap", "lhe", "tindak_lanjut")


def _register_blueprints(app: Flask) -> None:
    from webapp import admin, i18n

    for name in _BLUEPRINTS:  # imported here: each imports this package's extensions
        app.register_blueprint(importlib.import_module(f"webapp.{name}").bp)
    # Browsers ask for /favicon.ico whatever the page links: the static file, by the static view.
    app.add_url_rule("/favicon.ico", endpoint="static", defaults={"filename": "favicon.ico"})
    i18n.init_app(app)
    admin.init_app(app)
    from webapp import tugas
    tugas.init_app(app)

    # Globals rather than a context processor, so imported macros see them too.
    app.jinja_env.globals.update(
        get_locale=get_locale,
        can_view=lambda satker: scoping.can(current_user, scoping.Aksi.LIHAT, satker),
        is_account_manager=lambda: scoping.is_account_manager(current_user),
        is_reviewer=lambda: scoping.is_reviewer(current_user),
        is_inspektorat=lambda: bool(scoping.memberships_of(current_user, {Peran.INSPEKTORAT})),
    )


def _register_errors(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, _error_page(code))
    # Input the database cannot take (a number out of range, a negative page) is the
    # visitor's mistake, not the server's.
    app.register_error_handler(DataError, _bad_input)
    app.register_error_handler(OverflowError, _bad_input)
    # The database unreachable (down, restarting, connections exhausted): a plain 503
    # page that needs nothing from it, not a traceback.
    from sqlalchemy.exc import DisconnectionError, OperationalError, TimeoutError as PoolTimeout

    for exc in (OperationalError, DisconnectionError, PoolTimeout):
        app.register_error_handler(exc, _unavailable)


def _unavailable(exc):
    from flask import current_app, g
    from sqlalchemy.exc import SQLAlchemyError

    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass  # the connection is gone already; the pool drops it
    # Flask-Login puts current_user into every template, and loading them needs the database.
    if "_login_user" not in g:
        g._login_user = current_app.login_manager.anonymous_user()
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    current_app.logger.error("Basis data tidak dapat dihubungi: %s", reason)
    return render_template("errors/unavailable.html"), 503, {"Retry-After": "30"}


def _bad_input(_exc):
    db.session.rollback()
    return render_template("errors/error.html", code=400), 400


def _error_page(code: int):
    def handler(_exc):
        return render_template("errors/error.html", code=code), code

    return handler


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, and let SQLAlchemy (not pysqlite) open transactions
    so that SAVEPOINTs work."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    """A request that may write takes SQLite's write lock up front (BEGIN IMMEDIATE), so a
    second writer waits for the first (busy_timeout) instead of failing at once when its
    read transaction cannot be upgraded; pages that only read stay deferred."""
    if conn.dialect.name != "sqlite":
        return
    writes = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
