"""How a request's transaction ends: a request that wrote nothing commits it.

Flask-SQLAlchemy ends every request by removing the session, which rolls back whatever
is still open. For PostgreSQL the COMMIT of a transaction that wrote nothing is the same
as its ROLLBACK, but psycopg is not: at every ROLLBACK it forgets which statements it has
prepared on the connection (psycopg/_connection_base.py, ``_rollback_gen``). Most requests
only read, so their statements never reached psycopg's threshold of five executions, and
PostgreSQL parsed and planned each of them anew, row-level security policies included:
half of the database's CPU on the load bench (bench/README.md, "load/"). Ended with
COMMIT, the statements a connection sends at every request are prepared once.

A request "wrote" when it flushed the session, or executed an INSERT, UPDATE or DELETE
(anything but a read) through the session or its connection; such a request, a request
that failed, and one that left changed objects in the session end as before, with the
rollback: only a transaction that provably wrote nothing is committed.
"""
from __future__ import annotations

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from tenants.db import db

_WROTE = "_sakip_menulis"
# Statements that only read (the ping is not sent through the cursor events).
_READS = ("SELECT", "WITH", "SHOW", "SAVEPOINT", "RELEASE")


def _mark() -> None:
    if has_request_context():
        setattr(g, _WROTE, True)


@event.listens_for(Session, "after_flush")
def _after_flush(_session, _context) -> None:
    _mark()


@event.listens_for(Engine, "before_cursor_execute")
def _before_cursor_execute(_conn, _cursor, statement, _parameters, context, _executemany) -> None:
    # A WITH may hide a write; the compiled statement says so where SQLAlchemy built it.
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        _mark()
    elif not statement.lstrip()[:9].upper().startswith(_READS):
        _mark()


def end_request(exc: BaseException | None) -> None:
    """teardown_request: commit a transaction that wrote nothing, so that psycopg keeps its
    prepared statements; everything else is left to the rollback that follows."""
    if exc is not None or request.method not in ("GET", "HEAD") or g.get(_WROTE):
        return
    registry = db.session
    if not registry.registry.has():
        return  # the request never opened a session
    session = registry()
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    try:
        session.commit()
    except SQLAlchemyError:
        session.rollback()


def init_app(app: Flask) -> None:
    app.teardown_request(end_request)
