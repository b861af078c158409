"""Health checks for a load balancer, and the ceiling of the load bench.

``GET /sehat`` answers ``ok`` without touching the database or the session: whether the
process is up, and the most a server can answer (bench/load measures its throughput
beside the real pages'). ``GET /sehat/db`` also runs ``SELECT 1``: 200 ``ok`` when the
database answers, 503 ``db tidak tersedia`` when it does not (a load balancer may take
such a server out of rotation). Both are public.
"""
from __future__ import annotations

from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tenants.db import db
from webapp.gate import public

bp = Blueprint("health", __name__)

_PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/sehat")
@public
def sehat():
    return "ok\n", 200, _PLAIN


@bp.get("/sehat/db")
@public
def sehat_db():
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except SQLAlchemyError as exc:
        db.session.rollback()
        current_app.logger.error("Pemeriksaan kesehatan: basis data tidak dapat dihubungi: %s",
                                 str(getattr(exc, "orig", None) or exc).splitlines()[0])
        return "db tidak tersedia\n", 503, _PLAIN
    return "ok\n", 200, _PLAIN
