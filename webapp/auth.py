"""Sign-in and sign-out."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tenants.db import db
from tenants.passwords import verify_password
from tenants.people import User
from webapp.extensions import login_manager
from webapp.forms import Form
from webapp.gate import gated, public, safe_local_path

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Silakan masuk untuk membuka halaman itu.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_user(alternative_id: str) -> User | None:
    """The session holds "id:token"; a changed token (sign-out, disabling) ends it."""
    user_id, _sep, token = alternative_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


class LoginForm(Form):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Nama pengguna wajib diisi.")), Length(max=64)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Kata sandi wajib diisi.")), Length(max=256)])


def _safe_next(target: str | None) -> str:
    return safe_local_path(target) or url_for("offices.home")


@bp.route("/masuk", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("offices.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip().lower()))
        if not verify_password(user.password_hash if user else None, form.password.data):
            form.password.errors.append(_("Nama pengguna atau kata sandi salah."))
        elif not user.active:
            form.password.errors.append(_("Akun ini dinonaktifkan. Hubungi administrator satker Anda."))
        else:
            lang = session.get("lang")
            session.clear()  # a fresh session at sign-in: nothing carried over from before
            if lang:
                session["lang"] = lang
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/keluar")
@gated
def logout():
    # A new token ends this account's sessions on every device, not only this one.
    current_user.end_sessions()
    db.session.commit()
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))
