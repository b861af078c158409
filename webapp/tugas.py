"""The to-do list on the home page, and its count in the navigation bar."""
from __future__ import annotations

import time
from datetime import date

from flask import request, session, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from tenants.db import db
from webapp.i18n import waktu
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
    try:
        return len(daftar())
    except SQLAlchemyError:  # an error page renders without the count
        return None


def lupakan_jumlah(response):
    if request.method == "POST":
        session.pop(_KEY, None)
    return response


def tautan(tugas: Tugas) -> str:
    """Where the person acts on an item (a document still to be made: its office's list)."""
    if tugas.jenis in (JenisTugas.TINDAK_LANJUT, JenisTugas.TUTUP_TINDAK_LANJUT):
        return url_for("tindak_lanjut.lihat", kode=tugas.kantor.kode, tl_id=tugas.jumlah)
    if tugas.dokumen is None:
        return url_for("documents.daftar", kode=tugas.kantor.kode, tahun=tugas.tahun_dok)
    dokumen_id = tugas.dokumen.id
    if tugas.jenis is JenisTugas.REALISASI:
        return url_for("dashboards.realisasi", dokumen_id=dokumen_id)
    if tugas.jenis is JenisTugas.VERIFIKASI:
        return url_for("pelaporan.lihat", dokumen_id=dokumen_id, periode=tugas.jumlah)
    return url_for("documents.lihat", dokumen_id=dokumen_id)


def rincian(tugas: Tugas) -> list[str]:
    """The details of an item, as the home page lists them."""
    parts = []
    if tugas.jenis is JenisTugas.TANDA_TANGAN:
        parts.append(_("Sebagai %(kapasitas)s", kapasitas=tugas.keterangan))
    elif tugas.jenis is JenisTugas.VERIFIKASI:
        parts.append(_("Laporan %(periode)s", periode=tugas.keterangan))
    elif tugas.jenis is JenisTugas.TINDAK_LANJUT and tugas.keterangan:
        parts.append(_("Dikembalikan: %(alasan)s", alasan=tugas.keterangan))
    elif tugas.jenis is JenisTugas.DIKEMBALIKAN and tugas.keterangan:
        parts.append(_("Alasan pengembalian: %(alasan)s", alasan=tugas.keterangan))
    elif tugas.jenis is JenisTugas.BARIS:
        parts.append(ngettext("%(num)s baris unit Anda", "%(num)s baris unit Anda", tugas.jumlah))
    elif tugas.jenis is JenisTugas.REALISASI:
        parts.append(ngettext("%(num)s indikator belum diisi untuk %(periode)s",
                              "%(num)s indikator belum diisi untuk %(periode)s", tugas.jumlah, periode=tugas.keterangan))
    if tugas.sejak:
        parts.append(_("sejak %(waktu)s", waktu=waktu(tugas.sejak)))
    return parts


def init_app(app) -> None:
    app.after_request(lupakan_jumlah)
    app.jinja_env.globals.update(jumlah_tugas=jumlah, tautan_tugas=tautan, rincian_tugas=rincian)
