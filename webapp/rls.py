"""Every transaction of a request carries the signed-in user's offices to PostgreSQL's
row-level security (``tenants.rls``); outside a request (CLI, demo load) it is the system.

The gate computes the offices once per request (``aktifkan``); each later transaction of
the same request (after a commit) gets the same value as it begins. The few operations
that legitimately reach beyond the user's offices (the public verification page, a
cascade into the offices below, reading the parent's targets) run inside ``sistem()``,
named where they happen.
"""
from __future__ import annotations

from contextlib import contextmanager

from flask import current_app, g, has_app_context, has_request_context
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from tenants import rls
from tenants.db import db
from workflow import banding


def aktif() -> bool:
    return has_app_context() and bool(current_app.config.get("SAKIP_RLS")) and db.engine.dialect.name == "postgresql"


def _nilai() -> str:
    if not has_request_context():
        return rls.SEMUA
    if g.get("sakip_sistem"):
        return rls.SEMUA
    return g.get("sakip_satker", rls.TIDAK_ADA)


@event.listens_for(Session, "after_begin")
def _pasang(_session, _transaction, connection) -> None:
    # Nothing to send for "no office": the setting is local to each transaction, so a new
    # one starts without it, and sakip_satker() reads a missing setting as no office.
    if connection.dialect.name == "postgresql" and aktif() and (nilai := _nilai()) != rls.TIDAK_ADA:
        rls.pasang(connection, nilai)


def aktifkan() -> None:
    """Called by the gate once the user is known: their offices for this request."""
    if not aktif():
        return
    sudah = None
    if (dimuat := g.pop("sakip_satker_dimuat", None)) is not None and dimuat[1] is db.session().get_transaction():
        sudah = dimuat[0]  # set by the statement that loaded the person, in this transaction
    g.sakip_satker = rls.pasang_untuk(db.session.connection(), current_user, sudah)


def dimuat(nilai: str | None) -> None:
    """What the statement that loaded the signed-in person set (``tenants.rls.kolom_pasang_sendiri``),
    for ``aktifkan`` to compare with its own."""
    if nilai is not None:
        g.sakip_satker_dimuat = (nilai, db.session().get_transaction())


def batal_dimuat(nilai: str | None) -> None:
    """The person loaded is not signed in after all (disabled, signed out elsewhere, session
    over): their offices must not stay set for the rest of the transaction."""
    g.pop("sakip_satker_dimuat", None)
    if nilai:
        rls.pasang(db.session.connection(), rls.TIDAK_ADA)


@contextmanager
def sistem():
    """Reach every office for the block (and its transaction): say why where it is used."""
    if not aktif() or g.get("sakip_sistem"):  # inside another sistem(): that one restores
        yield
        return
    g.sakip_sistem = True
    rls.pasang(db.session.connection(), rls.SEMUA)
    try:
        yield
    finally:
        g.sakip_sistem = False
        if db.session().in_transaction():
            rls.pasang(db.session.connection(), _nilai())


# The LKj's benchmark reads every office of a level to give only aggregates (n, quartiles)
# back: the one read of other offices' figures that the row-level security must let through.
banding.SELURUH[0] = sistem
