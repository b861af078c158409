"""Sign-in (password, then a TOTP code where the account has one), sign-out, and the
account's own security page (authenticator, password).

Admins and reviewers must use an authenticator: after a correct password they enrol one
(when they have none yet) or type its code; nobody is signed in before that step. Every
attempt is written to the ``sakip.security`` log, and failures are limited per username
and address, per username from new addresses, per address and per account (webapp.security).
A form sent after its session ended is kept for its account (webapp.kept_input).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_url, login_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tenants import accounts, otp
from tenants import rls as tenants_rls
from tenants.db import db
from tenants.passwords import MAX_LENGTH, hash_password, needs_rehash, verify_password
from tenants.people import User
from webapp import kept_input, notifikasi, rls, security
from webapp.extensions import login_manager
from webapp.forms import Form
from webapp.gate import gated, public, safe_local_path
from workflow.notifikasi import queries as notifikasi_queries

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Silakan masuk untuk membuka halaman itu.")
login_manager.login_message_category = "info"

# Between a correct password and the code: who, which session token, since when, where to.
PENDING = "_sakip_pending"
PENDING_SECONDS = 300
# A secret shown for enrolment, kept until the user confirms it with a code.
ENROL_SECRET = "_sakip_enrol_secret"


_MUAT_PENGGUNA = (select(User, notifikasi_queries.kolom_belum_dibaca(User.id).label("belum_dibaca"))
                  .options(joinedload(User.memberships)).where(User.id == bindparam("user_id")))
# On PostgreSQL the same statement also sets row-level security's offices (webapp.rls).
_MUAT_PENGGUNA_RLS = _MUAT_PENGGUNA.add_columns(tenants_rls.kolom_pasang_sendiri(bindparam("user_id")).label("rls"))


@login_manager.user_loader
def load_user(alternative_id: str) -> User | None:
    """The session holds "id:token"; a changed token (sign-out, disabling) ends it, and so
    does the idle or absolute lifetime running out."""
    user_id, _sep, token = alternative_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    # Memberships (and their offices) and the bell's count in the same statement: every
    # request needs the first, every page the second.
    statement = _MUAT_PENGGUNA_RLS if rls.aktif() else _MUAT_PENGGUNA
    row = db.session.execute(statement, {"user_id": int(user_id)}).unique().one_or_none()
    if row is None:
        return None
    satker_rls = row.rls if statement is _MUAT_PENGGUNA_RLS else None
    if not row.User.active or row.User.session_token != token:
        rls.batal_dimuat(satker_rls)
        return None
    user = row.User
    notifikasi.ingat_belum_dibaca(row.belum_dibaca)
    if not security.session_still_valid():
        rls.batal_dimuat(satker_rls)
        security.log_sign_in("sesi-berakhir", user.username)
        kept_input.note_ended(user)  # before the session (and its CSRF secret) is emptied
        security.fresh_session()
        return None
    rls.dimuat(satker_rls)
    return user


@login_manager.unauthorized_handler
def to_sign_in():
    """The gate's answer to a visitor who is not signed in: the sign-in page, with the way
    back. When the session has just ended, it says so, and a form sent with it was kept."""
    if page := kept_input.keep_noted():
        flash(_("Sesi Anda telah berakhir. Masuk lagi untuk melanjutkan; isian Anda disimpan."), "info")
        return redirect(login_url(login_manager.login_view, next_url=page))
    if kept_input.session_ended():
        flash(_("Sesi Anda telah berakhir. Silakan masuk lagi."), "info")
    else:
        flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


class LoginForm(Form):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Nama pengguna wajib diisi.")), Length(max=64)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Kata sandi wajib diisi.")), Length(max=256)])


class CodeForm(Form):
    kode = StringField(_l("Kode autentikator"), validators=[DataRequired(_l("Kode autentikator wajib diisi.")), Length(max=16)])


class PasswordChangeForm(Form):
    lama = PasswordField(_l("Kata sandi sekarang"), validators=[DataRequired(_l("Kata sandi sekarang wajib diisi.")), Length(max=256)])
    baru = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Kata sandi baru wajib diisi.")), Length(max=256)])
    ulang = PasswordField(_l("Ulangi kata sandi baru"), validators=[DataRequired(_l("Ulangi kata sandi baru.")), Length(max=256)])


def _safe_next(target: str | None) -> str:
    return safe_local_path(target) or url_for("offices.home")


def _sign_in(user: User, next_path: str | None):
    """Password (and code) accepted: a fresh session, nothing carried over but the language."""
    security.fresh_session()
    login_user(user)
    security.start_session()
    security.remember_address(user.username)
    kept_input.after_sign_in(user)
    security.log_sign_in("berhasil", user.username)
    return redirect(_safe_next(next_path))


WRONG_PASSWORD = _l("Nama pengguna atau kata sandi salah.")


@bp.route("/masuk", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("offices.home"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        attempt = security.attempt(*security.sign_in_checks(username))
        if attempt.refused:
            security.log_sign_in("dibatasi", username)
            return security.too_many("auth/login.html", attempt.wait, form=form)
        user = db.session.scalar(select(User).where(User.username == username))
        stored_hash = user.password_hash if user else None
        # The slow hash check runs outside any transaction: SQLite gives a POST its write lock
        # up front, and every other writer would queue behind the hashing.
        db.session.rollback()
        if not verify_password(stored_hash, form.password.data):
            security.log_sign_in("gagal", username, akun_ada=user is not None)
            form.password.errors.append(str(WRONG_PASSWORD))
        elif not user.active:
            # The very page of a wrong password: a stranger must not learn that this one was right.
            security.log_sign_in("nonaktif", username)
            form.password.errors.append(str(WRONG_PASSWORD))
        else:
            attempt.give_back()  # only failures count
            if needs_rehash(user.password_hash):  # an older scheme: upgraded while we have the password
                user.password_hash = hash_password(form.password.data)
                db.session.commit()
            next_path = request.args.get("next")
            if not (otp.enrolled(user) or otp.required(user)):
                return _sign_in(user, next_path)
            security.fresh_session()
            session[PENDING] = {"uid": user.id, "token": user.session_token, "t": int(security.clock()),
                                "next": safe_local_path(next_path)}
            security.log_sign_in("sandi-benar", user.username, langkah="kode" if otp.enrolled(user) else "pendaftaran")
            return redirect(url_for(".kode" if otp.enrolled(user) else ".daftar_kode"))
    return render_template("auth/login.html", form=form)


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("uid"), int):
        return None
    if not isinstance(pending.get("t"), int) or security.clock() - pending["t"] > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending["uid"])
    if user is None or not user.active or user.session_token != pending.get("token"):
        return None
    return user


def _back_to_sign_in():
    session.pop(PENDING, None)
    session.pop(ENROL_SECRET, None)
    flash(_("Langkah masuk sudah kedaluwarsa. Silakan masuk lagi."), "info")
    return redirect(url_for(".login"))


def _code_checks(user: User) -> tuple:
    return ((security.KODE_PENGGUNA, f"id:{user.id}"),)


@bp.route("/masuk/kode", methods=["GET", "POST"])
@public
def kode():
    """Second step for an enrolled account: the six digits from the authenticator."""
    user = _pending_user()
    if user is None or not otp.enrolled(user):
        return _back_to_sign_in()
    form = CodeForm()
    if form.validate_on_submit():
        attempt = security.attempt(*_code_checks(user))
        if attempt.refused:
            security.log_sign_in("kode-dibatasi", user.username)
            return security.too_many("auth/kode.html", attempt.wait, form=form)
        if otp.verify(user, form.kode.data):
            attempt.give_back()
            db.session.commit()
            return _sign_in(user, session.get(PENDING, {}).get("next"))
        security.log_sign_in("kode-gagal", user.username)
        form.kode.errors.append(_("Kode salah atau sudah dipakai. Masukkan kode yang sedang tampil di aplikasi autentikator."))
    return render_template("auth/kode.html", form=form)


def _enrolment_secret() -> str:
    secret = session.get(ENROL_SECRET)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = otp.new_secret()
        session[ENROL_SECRET] = secret
    return secret


def _qr_data_uri(secret: str, username: str) -> str:
    import segno

    return segno.make(otp.provisioning_uri(secret, username), error="m").svg_data_uri(scale=5, border=2)


def _render_enrolment(form: CodeForm, user: User, action: str, status: int = 200):
    secret = _enrolment_secret()
    return render_template(
        "auth/autentikator.html", form=form, action=action, secret=secret, username=user.username,
        qr=_qr_data_uri(secret, user.username), wajib=otp.required(user),
    ), status


def _confirm_enrolment(form: CodeForm, user: User) -> tuple[bool, object | None]:
    """(enrolled, refusal response or None)."""
    attempt = security.attempt(*_code_checks(user))
    if attempt.refused:
        security.log_sign_in("kode-dibatasi", user.username)
        secret = _enrolment_secret()
        return False, security.too_many("auth/autentikator.html", attempt.wait, form=form, action=request.path,
                                        secret=secret, username=user.username,
                                        qr=_qr_data_uri(secret, user.username), wajib=otp.required(user))
    if otp.enrol(user, _enrolment_secret(), form.kode.data):
        attempt.give_back()
        session.pop(ENROL_SECRET, None)
        db.session.commit()
        security.log_sign_in("autentikator-didaftarkan", user.username)
        return True, None
    security.log_sign_in("kode-gagal", user.username, langkah="pendaftaran")
    form.kode.errors.append(_("Kode tidak cocok. Pastikan jam ponsel Anda tepat, lalu masukkan kode yang sedang tampil."))
    return False, None


@bp.route("/masuk/autentikator", methods=["GET", "POST"])
@public
def daftar_kode():
    """Admins and reviewers without an authenticator enrol one before they are signed in."""
    user = _pending_user()
    if user is None or otp.enrolled(user):
        return _back_to_sign_in()
    form = CodeForm()
    if form.validate_on_submit():
        done, refusal = _confirm_enrolment(form, user)
        if refusal is not None:
            return refusal
        if done:
            return _sign_in(user, session.get(PENDING, {}).get("next"))
    return _render_enrolment(form, user, url_for(".daftar_kode"))


@bp.post("/keluar")
@gated
def logout():
    # A new token ends this account's sessions on every device, not only this one.
    current_user.end_sessions()
    db.session.commit()
    security.log_sign_in("keluar", current_user.username)
    logout_user()
    security.fresh_session()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


# -- input kept across an expired session (webapp.kept_input) ----------------------------------

@bp.app_template_global("isian_tersimpan")
def isian_tersimpan():
    """For base.html: the input kept for the page being rendered, to put back."""
    return kept_input.for_this_page()


@bp.post("/akun/isian/<int:kept_id>/dipulihkan")
@gated
def isian_dipulihkan(kept_id: int):
    """The page put the kept input back (static/isian.js): forget it. Another account's
    answers as a missing one."""
    if not kept_input.restored(current_user._get_current_object(), kept_id):
        abort(404)
    return "", 204


# -- the account's own security page ------------------------------------------------------------

@bp.get("/akun/keamanan")
@gated
def keamanan():
    return render_template("auth/keamanan.html", wajib=otp.required(current_user), terdaftar=otp.enrolled(current_user),
                           form=PasswordChangeForm(), hapus_form=CodeForm(), max_length=MAX_LENGTH)


@bp.route("/akun/autentikator", methods=["GET", "POST"])
@gated
def autentikator():
    """Anyone may add an authenticator; it is then asked at sign-in and before signing."""
    if otp.enrolled(current_user):
        return redirect(url_for(".keamanan"))
    form = CodeForm()
    if form.validate_on_submit():
        done, refusal = _confirm_enrolment(form, current_user)
        if refusal is not None:
            return refusal
        if done:
            flash(_("Autentikator terpasang. Mulai sekarang kode diminta saat masuk dan sebelum menandatangani."), "success")
            return redirect(url_for(".keamanan"))
    return _render_enrolment(form, current_user, url_for(".autentikator"))


@bp.post("/akun/autentikator/hapus")
@gated
def hapus_autentikator():
    """Those who need not have one may remove it, with a current code."""
    if otp.required(current_user):
        abort(403)
    form = CodeForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and otp.enrolled(user):
        attempt = security.attempt(*_code_checks(user))
        if attempt.refused:
            flash(_("Terlalu banyak percobaan yang gagal. Coba lagi dalam %(menit)s menit.",
                    menit=max(1, (attempt.wait + 59) // 60)), "error")
            return redirect(url_for(".keamanan"))
        if otp.verify(user, form.kode.data):
            attempt.give_back()
            otp.remove(user)
            db.session.commit()
            security.log_sign_in("autentikator-dihapus", user.username)
            flash(_("Autentikator dilepas dari akun Anda."), "info")
            return redirect(url_for(".keamanan"))
        security.log_sign_in("kode-gagal", user.username, langkah="hapus")
    flash(_("Kode salah atau sudah dipakai. Autentikator tidak dilepas."), "error")
    return redirect(url_for(".keamanan"))


@bp.post("/akun/kata-sandi")
@gated
def ganti_kata_sandi():
    user = current_user._get_current_object()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.lama.data):
            security.log_sign_in("ganti-sandi-gagal", user.username)
            form.lama.errors.append(_("Kata sandi sekarang salah."))
        elif form.baru.data != form.ulang.data:
            form.ulang.errors.append(_("Kedua isian kata sandi baru tidak sama."))
        else:
            try:
                accounts.set_password(user, form.baru.data)  # ends every other session too
            except accounts.AccountError as exc:
                form.baru.errors.append(str(exc))
            else:
                db.session.commit()
                security.log_sign_in("ganti-sandi", user.username)
                # This browser goes on with the new session token; the others are signed out.
                login_user(user)
                security.start_session()
                flash(_("Kata sandi diganti. Sesi di perangkat lain telah diakhiri."), "success")
                return redirect(url_for(".keamanan"))
    return render_template("auth/keamanan.html", wajib=otp.required(user), terdaftar=otp.enrolled(user),
                           form=form, hapus_form=CodeForm(), max_length=MAX_LENGTH), 422


def signing_code_problem(user: User) -> str | None:
    """Before a signature, an account with an authenticator types a fresh code (ASVS 2.8,
    re-authentication for a high-value action). None when the signature may go ahead."""
    return fresh_code_problem(user, "tanda-tangan", _(
        "Kode autentikator salah atau sudah dipakai. Masukkan kode yang sedang tampil di aplikasi autentikator, "
        "lalu tanda tangani lagi."))


def fresh_code_problem(user: User, langkah: str, salah: str) -> str | None:
    """The code of ``request.form["kode_totp"]`` checked once and used up (``salah`` when it
    is wrong or used), for an action ``langkah`` that asks for one; None when it may go ahead."""
    if not otp.enrolled(user):
        return None
    attempt = security.attempt(*_code_checks(user))
    if attempt.refused:
        security.log_sign_in("kode-dibatasi", user.username, langkah=langkah)
        return _("Terlalu banyak percobaan yang gagal. Coba lagi dalam %(menit)s menit.",
                 menit=max(1, (attempt.wait + 59) // 60))
    # Used up in the action's own transaction: an action rolled back gives the code back.
    if otp.verify(user, request.form.get("kode_totp")):
        attempt.give_back()
        return None
    security.log_sign_in("kode-gagal", user.username, langkah=langkah)
    return salah
