"""The web side of the access gate: every request passes here before its view runs.

Decisions about offices and people are taken in ``tenants.scoping``; this module makes
sure no view can be reached without asking it. A view must be declared either
``@public`` (sign-in, language, static files) or ``@gated`` (signed-in users, with the
view loading its objects through ``tenants.scoping``); Flask-Admin views are gated
through their ``is_accessible``. A view declared as neither answers 404 to everyone,
so a forgotten declaration fails closed.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask_login import current_user

from tenants import scoping
from webapp import rls
from tenants.satker import Satker

F = TypeVar("F", bound=Callable)

# Endpoints registered by libraries that serve only static assets.
PUBLIC_ENDPOINTS = frozenset({"static", "admin.static", "_debug_toolbar.static"})


def public(view: F) -> F:
    view._sakip_access = "public"
    return view


def gated(view: F) -> F:
    view._sakip_access = "gated"
    return view


class GatedAdminView:
    """Marker for Flask-Admin views whose ``is_accessible`` asks ``tenants.scoping``."""


def access_of(view: Callable) -> str | None:
    """'public', 'gated' or None for a view function as Flask registered it."""
    owner = getattr(view, "__self__", None)
    if isinstance(owner, GatedAdminView):
        return "gated"
    return getattr(view, "_sakip_access", None)


def endpoint_access(endpoint: str) -> str | None:
    if endpoint in PUBLIC_ENDPOINTS:
        return "public"
    return access_of(current_app.view_functions[endpoint])


def enforce() -> None:
    """before_request: refuse anonymous visitors and undeclared views."""
    refuse_nul_bytes_in_url()
    if request.endpoint is None:  # no route matched: Flask answers 404 itself
        return None
    access = endpoint_access(request.endpoint)
    if access != "public":
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if access != "gated":
            abort(404)
        rls.aktifkan()  # the database's own wall, from the same rule (tenants.rls)
    # The body is read last: one over MAX_CONTENT_LENGTH raises 413 here, and the page that
    # answers it may load the visitor's document only once the wall above knows them.
    # A view that takes larger files says how large (webapp/bukti.py: ``batas_kiriman``).
    if (batas := getattr(current_app.view_functions.get(request.endpoint), "batas_kiriman", None)) is not None:
        request.max_content_length = batas()
    refuse_nul_bytes_in_form()
    return None


def safe_local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects).

    Browsers drop tabs and newlines and read backslashes as slashes, so any of those
    could turn "/\t/evil.example" into "//evil.example".
    """
    if not target or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


# No database stores NUL in text: refuse it at the door instead of failing later.
def refuse_nul_bytes_in_url() -> None:
    if "\x00" in request.path or _has_nul(request.args.values()):
        abort(400)


def refuse_nul_bytes_in_form() -> None:
    if request.method == "POST" and _has_nul(request.form.values()):
        abort(400)


def visible_satker_or_404(satker: Satker | None) -> Satker:
    """Load -> check -> act: an office out of reach answers like a missing one."""
    if not scoping.can(current_user, scoping.Aksi.LIHAT, satker):
        abort(404)
    return satker
