"""The declarative base shared by every model, with a constraint naming convention."""
import time
from datetime import datetime, timezone

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Date, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter and drop them the same way on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    """Now, in UTC: every moment is stored so and shown in the reader's time zone."""
    return datetime.now(timezone.utc)


# A connection unused this long is asked whether it is still alive before it is handed out.
IDLE_PING_SECONDS = 10.0


def ping_when_idle(engine: Engine, seconds: float = IDLE_PING_SECONDS) -> None:
    """Like ``pool_pre_ping``, but only for a connection that has sat in the pool for
    ``seconds``: pre_ping costs every request a round trip to the database, and a connection
    returned a moment ago by the previous request is alive. (SQLAlchemy's "pessimistic"
    recipe: a failed ping raises DisconnectionError, and the pool opens a new connection.)
    A database restarted under traffic still costs the one request that meets a dead
    connection; SQLAlchemy then drops every older connection of the pool."""
    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection, record) -> None:
        record.info["sakip_used"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        if record is not None:
            record.info["sakip_used"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, _proxy) -> None:
        if time.monotonic() - record.info.get("sakip_used", 0.0) < seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(str(exc)) from exc
        if not alive:
            raise DisconnectionError("ping")


def refresh_statistics(connection, *, vacuum: bool = False) -> None:
    """Give the query planner fresh statistics on every table of ours (ANALYZE), as after
    any bulk load (PostgreSQL's documentation: "after loading or restoring"). Without them
    PostgreSQL guesses sizes, and a join on a table of 40 000 rows behind a row-level
    security policy was read whole (bench/README.md, "load/"): 6 ms instead of 0.3 per
    page. Autovacuum does the same later in a production database; a freshly generated
    or restored one is used before it runs, and a server with autovacuum off never.
    ``vacuum`` (PostgreSQL, on a connection in autocommit: VACUUM runs outside a
    transaction) clears dead rows too, as autovacuum would."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("ANALYZE")
        return
    # The tables that are there (an older backup may lack a newer one), in our schema only:
    # a bare ANALYZE would walk every schema of the database.
    tables = connection.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    names = ", ".join(connection.dialect.identifier_preparer.quote(name) for name in tables.scalars())
    if names:
        connection.exec_driver_sql(f"VACUUM (ANALYZE) {names}" if vacuum else f"ANALYZE {names}")


class tanggal_wib(FunctionElement):
    """SQL: the calendar date in Jakarta (UTC+7, no daylight saving) of a moment stored in
    UTC, so that a list filtered in SQL agrees with the date a page shows."""

    type = Date()
    inherit_cache = True


@compiles(tanggal_wib, "sqlite")
def _tanggal_wib_sqlite(element, compiler, **kw) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+7 hours')"


@compiles(tanggal_wib, "postgresql")
def _tanggal_wib_postgresql(element, compiler, **kw) -> str:
    return f"(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Jakarta')::date"
