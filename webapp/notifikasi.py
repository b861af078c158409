"""Notifications on the web: the bell's count, the list, marking read, the preferences.

Every route reads the signed-in account's own rows only: another person's notification id
answers exactly as a missing one (404). The notifications are written by
``workflow.notifikasi`` in the transaction of the step that causes them.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from wtforms import BooleanField

from tenants.db import db
from webapp.common import saving
from webapp.forms import Form
from webapp.gate import gated, safe_local_path
from workflow.notifikasi import operations, queries

bp = Blueprint("notifikasi", __name__)

# A page number beyond this is someone typing, not paging: the last pages are never that far.
MAKS_HALAMAN = 10_000


class PreferensiForm(Form):
    surel = BooleanField(_l("Kirim pemberitahuan ke surel saya"))
    ringkasan_harian = BooleanField(_l("Satu ringkasan sehari, bukan satu surel per pemberitahuan"))


class KosongForm(Form):
    """A button's form: the CSRF token only."""


def jumlah_belum_dibaca() -> int | None:
    """The bell's count, asked once per request (one small statement); None when signed out
    or when the database cannot answer (the error pages render without it)."""
    if not current_user.is_authenticated:
        return None
    if "_sakip_belum_dibaca" not in g:
        try:
            g._sakip_belum_dibaca = queries.jumlah_belum_dibaca(db.session, current_user.id)
        except SQLAlchemyError:
            g._sakip_belum_dibaca = None
    return g._sakip_belum_dibaca


def ingat_belum_dibaca(jumlah: int) -> None:
    """The count as it was loaded with the signed-in person (webapp/auth.py)."""
    g._sakip_belum_dibaca = jumlah


@bp.app_context_processor
def _lonceng() -> dict:
    return {"jumlah_belum_dibaca": jumlah_belum_dibaca}


def surel_aktif() -> bool:
    return bool(current_app.config.get("SAKIP_SMTP_HOST"))


@bp.get("/notifikasi")
@gated
def daftar():
    halaman = min(max(request.args.get("halaman", 1, type=int) or 1, 1), MAKS_HALAMAN)
    return render_template("notifikasi/daftar.html", halaman=queries.daftar(db.session, current_user, halaman),
                           form=KosongForm())


@bp.post("/notifikasi/<int:notifikasi_id>/baca")
@gated
def baca(notifikasi_id: int):
    """Open a notification: marked read, then its link (a path of this site only)."""
    KosongForm().validate_on_submit()
    with saving():
        notifikasi = operations.tandai_dibaca(db.session, current_user, notifikasi_id)
        if notifikasi is None:
            abort(404)
        tujuan = safe_local_path(notifikasi.tautan)
    return redirect(tujuan or url_for(".daftar"))


@bp.post("/notifikasi/baca-semua")
@gated
def baca_semua():
    with saving():
        jumlah = operations.tandai_semua_dibaca(db.session, current_user)
    flash(_("%(n)s pemberitahuan ditandai sudah dibaca.", n=jumlah), "success")
    return redirect(url_for(".daftar"))


@bp.route("/akun/notifikasi", methods=["GET", "POST"])
@gated
def preferensi():
    pref = queries.preferensi(db.session, current_user)
    form = PreferensiForm(obj=pref)
    if form.validate_on_submit():
        with saving():
            operations.simpan_preferensi(db.session, current_user, surel=form.surel.data,
                                         ringkasan_harian=form.ringkasan_harian.data)
        flash(_("Pengaturan pemberitahuan disimpan."), "success")
        return redirect(url_for(".preferensi"))
    return render_template("notifikasi/preferensi.html", form=form, surel_aktif=surel_aktif())
