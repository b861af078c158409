"""The to-do list on the home page, and its count in the navigation bar."""
from __future__ import annotations

import time
from datetime import date

from flask import request, session, url_for
from flask_login import current_user

from tenants.db import db
from workflow.tugas import queries
from workflow.tugas.queries import JenisTugas, Tugas

# The navigation bar's count is kept for a minute in the person's session: the count is
# five small queries, and most pages are read, not acted on. Any request that may act
# (POST) drops it, so one's own signature or review shows at once.
_KEY = "jumlah_tugas"
_UMUR = 60


def daftar() -> list[Tugas]:
    items = queries.daftar(db.session, current_user, date.today())
    session[_KEY] = (len(items), time.time())
    return items


def jumlah() -> int | None:
    """The count for the navigation bar (None for a visitor who is not signed in)."""
    if not current_user.is_authenticated:
        return None
    kept = session.get(_KEY)
    if kept and time.time() - kept[1] < _UMUR:
        return kept[0]
    return len(daftar())


def lupakan_jumlah(response):
    if request.method == "POST":
        session.pop(_KEY, None)
    return response


def tautan(tugas: Tugas) -> str:
    """Where the person acts on an item."""
    dokumen_id = tugas.dokumen.id
    if tugas.jenis is JenisTugas.REALISASI:
        return url_for("dashboards.realisasi", dokumen_id=dokumen_id)
    return url_for("documents.lihat", dokumen_id=dokumen_id)


def init_app(app) -> None:
    app.after_request(lupakan_jumlah)
    app.jinja_env.globals.update(jumlah_tugas=jumlah, tautan_tugas=tautan)
