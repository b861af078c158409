"""The back office (Flask-Admin): offices, accounts and memberships, scoped by the gate.

Every list, count, single-object load and relation choice is filtered through
``tenants.scoping``: an admin sees and offers only what lies in their subtree, and an
id typed into the URL from outside it answers 404, like one that does not exist.
"""
from __future__ import annotations

import logging
import re

from flask import abort, flash, redirect, request, url_for
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.menu import MenuLink
from flask_admin.contrib.sqla import ModelView
from flask_admin.theme import Bootstrap4Theme
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Length, Optional

from tenants import accounts, scoping
from tenants.db import db
from tenants.passwords import password_problem
from tenants.people import Divisi, Membership, Peran, Subbagian, User
from tenants.satker import Satker
from webapp.forms import Form
from webapp.gate import GatedAdminView
from webapp.security import csp_nonce
from webapp.i18n import TRANSLATIONS_DIR


log = logging.getLogger(__name__)


class _Gated(GatedAdminView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated and scoping.is_account_manager(current_user)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(404)


class IndexView(_Gated, AdminIndexView):
    @expose("/")
    def index(self):
        return self.render("admin/index_sakip.html", satkers=db.session.scalars(
            scoping.satkers(current_user, scoping.Aksi.KELOLA_AKUN).where(
                Satker.id.in_([m.satker_id for m in current_user.memberships if m.peran is Peran.ADMIN])
            )
        ).all())


def _enum_field(enum_cls, label, optional: bool = False) -> SelectField:
    choices = [SelectChoice("", "—")] if optional else []
    choices += [SelectChoice(member.value, member.label) for member in enum_cls]
    return SelectField(
        label,
        choices=choices,
        coerce=lambda v: enum_cls(v) if v not in (None, "") and not isinstance(v, enum_cls) else (v or None),
        validators=[Optional()] if optional else [],
    )


def _managed_satkers():
    return db.session.scalars(scoping.satkers(current_user, scoping.Aksi.KELOLA_AKUN)).all()


def _managed_users():
    return db.session.scalars(
        select(User).where(scoping.user_filter(current_user)).order_by(User.username)
    ).all()


MAX_ID = 2**31 - 1


def _editing_id() -> int | None:
    """The id of the object being edited, or None when creating (whatever the URL says)."""
    if request.endpoint and request.endpoint.endswith(".edit_view"):
        return request.args.get("id", type=int)
    return None


class ScopedModelView(_Gated, ModelView):
    form_base_class = Form
    can_view_details = True
    can_set_page_size = True
    page_size = 50
    # Flask-Admin's bulk delete compares ids as strings, which PostgreSQL refuses.
    action_disallowed_list = ["delete"]

    @property
    def extra_js(self) -> list[str]:
        # The delete confirmation, bound without an inline handler (CSP).
        return [url_for("static", filename="konfirmasi.js")]

    # What a refused delete says when other records still name the row (a foreign key).
    pesan_masih_dipakai = _l("Data ini tidak dapat dihapus karena masih dipakai oleh data lain.")

    def handle_view_exception(self, exc: Exception) -> bool:
        """Never show a database error (it may quote hashes and tokens) to the user."""
        if isinstance(exc, ValidationError):
            flash(str(exc), "error")
        elif isinstance(exc, IntegrityError) and request.endpoint.endswith(".delete_view"):
            log.warning("back office: %s refused by the database: %s", request.endpoint, exc.orig)
            flash(str(self.pesan_masih_dipakai), "error")
        else:
            log.exception("back office: %s failed", request.endpoint)
            flash(_("Data tidak dapat disimpan. Periksa isian lalu coba lagi."), "error")
        return True

    # Each view defines scope(): the WHERE clause limiting it to the admin's subtree.

    def get_query(self):
        return super().get_query().filter(self.scope())

    def get_count_query(self):
        return super().get_count_query().filter(self.scope())

    def get_one(self, id):
        try:
            pk = int(id)
        except (TypeError, ValueError):
            abort(404)
        if not 1 <= pk <= MAX_ID:
            abort(404)
        obj = db.session.scalar(select(self.model).where(self.model.id == pk, self.scope()))
        if obj is None:
            abort(404)
        return obj


def _format_enum(_view, _context, model, name):
    value = getattr(model, name)
    return value.label if value is not None else ""


class SatkerView(ScopedModelView):
    # Offices come from the reference data (`sakip init`): nobody edits them by hand.
    can_create = False
    can_edit = False
    can_delete = False
    column_list = ["kode", "nama", "tingkat", "parent"]
    column_searchable_list = ["kode", "nama"]
    column_default_sort = "path"
    column_details_list = ["kode", "nama", "tingkat", "parent"]
    column_labels = {"kode": _l("Kode"), "nama": _l("Nama"), "tingkat": _l("Tingkat"), "parent": _l("Satker induk")}
    column_formatters = {"tingkat": _format_enum}

    def scope(self):
        return scoping.satker_filter(current_user, scoping.Aksi.KELOLA_AKUN)


# Enough to catch a typo; whether the address exists only the mail server can tell.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class UserView(ScopedModelView):
    column_list = ["username", "full_name", "satker", "active"]
    column_details_list = ["username", "full_name", "email", "satker", "active", "memberships", "created_at"]
    column_searchable_list = ["username", "full_name", "satker.nama"]
    column_default_sort = "username"
    column_labels = {
        "username": _l("Nama pengguna"), "full_name": _l("Nama lengkap"), "satker": _l("Satker"), "email": _l("Surel"),
        "active": _l("Aktif"), "memberships": _l("Keanggotaan"), "created_at": _l("Dibuat"),
        "password": _l("Kata sandi baru"), "hapus_autentikator": _l("Atur ulang autentikator"),
    }
    column_formatters_detail = {
        "memberships": lambda v, c, m, n: Markup("<br>").join(str(x) for x in m.memberships),
    }
    form_columns = ["username", "full_name", "email", "satker", "active", "password", "hapus_autentikator"]
    form_extra_fields = {
        "password": PasswordField(_l("Kata sandi baru"), validators=[Optional()]),
        # A lost phone: the account enrols a new authenticator at its next sign-in.
        "hapus_autentikator": BooleanField(_l("Atur ulang autentikator"), default=False),
    }
    form_args = {"satker": {"query_factory": _managed_satkers, "allow_blank": False}}
    # Signatures and reviews keep naming their account (ondelete RESTRICT): the record of
    # who signed is never lost, so such an account is switched off instead.
    pesan_masih_dipakai = _l("Akun ini tidak dapat dihapus karena tercatat pada tanda tangan atau tinjauan "
                             "dokumen. Nonaktifkan akun ini (hapus centang Aktif) agar tidak dapat masuk lagi.")

    def scope(self):
        return scoping.user_filter(current_user)

    def scaffold_form(self):
        form_class = super().scaffold_form()
        # Usernames are unique case-insensitively: checked in validate_form, which
        # replaces Flask-Admin's case-sensitive Unique validator.
        form_class.username = StringField(_l("Nama pengguna"), validators=[InputRequired(), Length(max=64)])
        # Where notifications are mailed (workflow.notifikasi); checked in validate_form.
        form_class.email = StringField(_l("Surel"), validators=[Optional(), Length(max=254)])
        return form_class

    def validate_form(self, form) -> bool:
        ok = super().validate_form(form)
        if not ok or not hasattr(form, "username"):
            return ok
        username = (form.username.data or "").strip().lower()
        editing = _editing_id()
        # Messages are rendered strings: Flask-Admin's templates skip lazy ones.
        if problem := accounts.username_problem(username):
            form.username.errors.append(problem)
        elif db.session.scalar(select(User.id).where(User.username == username, User.id != (editing or -1))):
            form.username.errors.append(_("Nama pengguna sudah dipakai."))
        self._check_email(form, editing)
        creating = editing is None
        password = form.password.data or ""
        if creating and not password:
            form.password.errors.append(_("Kata sandi wajib diisi untuk akun baru."))
        elif password and (problem := password_problem(password, username)):
            form.password.errors.append(problem)
        return not (form.username.errors or form.password.errors or form.email.errors)

    @staticmethod
    def _check_email(form, editing: int | None) -> None:
        email = (form.email.data or "").strip().lower()
        form.email.data = email or None
        if not email:
            return
        if not _EMAIL.fullmatch(email):
            form.email.errors.append(_("Alamat surel tidak valid, contoh: nama@kpu.go.id."))
        elif db.session.scalar(select(User.id).where(User.email == email, User.id != (editing or -1))):
            form.email.errors.append(_("Alamat surel sudah dipakai akun lain."))

    def on_model_change(self, form, model: User, is_created: bool) -> None:
        if not scoping.can(current_user, scoping.Aksi.KELOLA_AKUN, model.satker):
            raise ValidationError(_("Satker di luar wewenang Anda."))
        if form.password.data:
            accounts.set_password(model, form.password.data)
        if getattr(form, "hapus_autentikator", None) is not None and form.hapus_autentikator.data:
            accounts.reset_second_factor(model)
        if not model.active:
            accounts.set_active(model, False)


class MembershipView(ScopedModelView):
    # A membership is who holds which role where: change it by revoking and granting,
    # never by editing it into somebody else's.
    can_edit = False
    column_list = ["user", "satker", "peran", "divisi", "subbagian"]
    column_labels = {
        "user": _l("Pengguna"), "satker": _l("Satker"), "peran": _l("Peran"),
        "divisi": _l("Divisi"), "subbagian": _l("Subbagian"),
    }
    column_formatters = {"peran": _format_enum, "divisi": _format_enum, "subbagian": _format_enum}
    column_searchable_list = ["user.username", "user.full_name", "satker.nama"]
    form_columns = ["user", "satker", "peran", "divisi", "subbagian"]
    form_args = {
        "user": {"query_factory": _managed_users, "allow_blank": False},
        "satker": {"query_factory": _managed_satkers, "allow_blank": False},
    }
    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.peran = _enum_field(Peran, _l("Peran"))
        form_class.divisi = _enum_field(Divisi, _l("Divisi"), optional=True)
        form_class.subbagian = _enum_field(Subbagian, _l("Subbagian"), optional=True)
        return form_class

    def scope(self):
        return scoping.membership_filter(current_user)

    def validate_form(self, form) -> bool:
        ok = super().validate_form(form)
        if not ok or not hasattr(form, "peran"):
            return ok
        try:
            accounts.check_membership(form.satker.data, form.peran.data, form.divisi.data, form.subbagian.data)
        except accounts.AccountError as exc:
            form.peran.errors.append(str(exc))
            return False
        duplicate = select(Membership.id).where(
            Membership.user_id == form.user.data.id,
            Membership.satker_id == form.satker.data.id,
            Membership.peran == form.peran.data,
            Membership.divisi.is_(None) if form.divisi.data is None else Membership.divisi == form.divisi.data,
            Membership.subbagian.is_(None) if form.subbagian.data is None else Membership.subbagian == form.subbagian.data,
        )
        if db.session.scalar(duplicate) is not None:
            form.peran.errors.append(_("Pengguna ini sudah memegang peran tersebut di satker itu."))
            return False
        return True

    def on_model_change(self, form, model: Membership, is_created: bool) -> None:
        manageable = scoping.can(current_user, scoping.Aksi.KELOLA_AKUN, model.satker) and scoping.can(
            current_user, scoping.Aksi.KELOLA_AKUN, model.user.satker
        )
        if not manageable:
            raise ValidationError(_("Satker atau pengguna di luar wewenang Anda."))


def init_app(app) -> Admin:
    admin = Admin(
        app,
        name="SAKIP KPU",
        theme=Bootstrap4Theme(swatch="default"),
        index_view=IndexView(name=_l("Beranda"), url="/admin"),
        translations_path=str(TRANSLATIONS_DIR),
        csp_nonce_generator=csp_nonce,  # its few inline scripts carry this request's CSP nonce
    )
    # The menu names lists ("Offices"), the columns one value ("Office"): a context of their own.
    admin.add_view(SatkerView(Satker, db, name=lazy_pgettext("menu", "Satker"), endpoint="satker"))
    admin.add_view(UserView(User, db, name=lazy_pgettext("menu", "Pengguna"), endpoint="pengguna"))
    admin.add_view(MembershipView(Membership, db, name=lazy_pgettext("menu", "Keanggotaan"), endpoint="keanggotaan"))
    admin.add_link(MenuLink(name=_l("Kembali ke SAKIP"), endpoint="offices.home"))
    return admin
