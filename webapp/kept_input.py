"""What a person typed survives an expired session (the web side of tenants.kept_input).

A form sent after its session ended reaches no view: the gate sends the person to sign in.
Before the session is emptied (webapp.auth.load_user), a form sent to one of our own pages
with the session's valid CSRF token is kept for that account, minus the CSRF token,
passwords and one-time codes, keyed to the page it was on (the Referer, when it is a page of
this site). The sign-in page then says the session ended and the input was kept; after
signing in (the code step included) the person lands on that page, where
``static/isian.js`` puts the fields back and says they are not saved yet, then asks the
server to forget them. Only that account ever sees them, and nothing is saved to a document.
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from werkzeug.exceptions import HTTPException
from wtforms import ValidationError

from tenants import kept_input
from tenants.db import db
from tenants.people import User
from webapp import security
from webapp.gate import safe_local_path

# In the session after sign-in: {page: kept input id} still to put back.
TO_RESTORE = "_sakip_isian"
# Never kept, whatever the form: secrets, and the token of the session that ended.
SKIPPED = frozenset({"csrf_token", "kode", "kode_totp"})
SECRET_PARTS = ("password", "sandi")


def now() -> datetime:
    return datetime.fromtimestamp(security.clock(), timezone.utc)


def _full_path(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path


def _our_form_view(endpoint: str | None) -> bool:
    """A page of ours (base.html, which restores) behind the gate; not the back office, whose
    pages are Flask-Admin's, nor the account's own sign-in and password pages."""
    if endpoint is None or endpoint.startswith("auth."):
        return False
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "_sakip_access", None) == "gated"


def _page_of_form() -> str | None:
    """The page the form was on: the Referer, when it is a page of this site one can open."""
    referer = urlsplit(request.referrer or "")
    if referer.scheme != request.scheme or referer.netloc != request.host:
        return None
    page = safe_local_path(_full_path(referer.path, referer.query))
    if page is None:
        return None
    try:
        endpoint, _args = current_app.url_map.bind_to_environ(request.environ).match(referer.path, method="GET")
    except HTTPException:
        return None
    return page if _our_form_view(endpoint) else None


def _sent_by_this_session(form) -> bool:
    """The form carries the ended session's CSRF token: it was this browser's, not a forged
    post. A session lasts at most its absolute lifetime, so a token of it may be that old."""
    try:
        validate_csrf(form.get("csrf_token"), time_limit=current_app.config["SAKIP_SESSION_ABSOLUTE_SECONDS"])
    except ValidationError:
        return False
    return True


def _kept_field(name: str) -> bool:
    return name not in SKIPPED and not any(part in name.lower() for part in SECRET_PARTS)


def note_ended(user: User) -> None:
    """The session of ``user`` ran past its lifetime (called before it is emptied): remember
    that for the sign-in page, and what a form sent, for keeping."""
    g.sakip_session_ended = True
    if request.method != "POST" or not _our_form_view(request.endpoint):
        return
    try:
        form = request.form
    except HTTPException:  # too large or unreadable: refused as usual once the visitor is known
        return
    if not _sent_by_this_session(form):
        return
    page = _page_of_form()
    fields = [(name, value) for name, value in form.items(multi=True) if _kept_field(name)]
    if page is not None and fields:
        g.sakip_form_to_keep = (user.id, page, _full_path(request.path, request.query_string.decode()), fields)


def keep_noted() -> str | None:
    """Keep the form noted by ``note_ended`` (committed: the request goes no further);
    the page to come back to, or None when nothing was kept."""
    noted = g.pop("sakip_form_to_keep", None)
    if noted is None:
        return None
    user_id, page, action, fields = noted
    kept = kept_input.keep(db.session, user_id, page, action, fields, now())
    db.session.commit()
    return page if kept is not None else None


def session_ended() -> bool:
    return g.get("sakip_session_ended", False)


def after_sign_in(user: User) -> None:
    """Just signed in: the pages where input kept for this account waits to be put back."""
    if pages := kept_input.pages_of(db.session, user.id, now()):
        session[TO_RESTORE] = pages


def for_this_page() -> kept_input.KeptInput | None:
    """The kept input to put back on the page being rendered, if any (a read only)."""
    pages = session.get(TO_RESTORE)
    if not isinstance(pages, dict) or not pages:
        return None
    here = _full_path(request.path, request.query_string.decode())
    kept_id = pages.get(here)
    if not isinstance(kept_id, int) or not current_user.is_authenticated:
        return None
    kept = kept_input.find(db.session, current_user.id, kept_id, now())
    if kept is None:  # expired, or restored in another tab
        _drop(kept_id)
    return kept


def restored(user: User, kept_id: int) -> bool:
    """The page put ``kept_id`` back: forget it. False when it is not this account's."""
    _drop(kept_id)
    if not kept_input.forget(db.session, user.id, kept_id):
        return False
    db.session.commit()
    return True


def _drop(kept_id: int) -> None:
    pages = session.get(TO_RESTORE)
    if isinstance(pages, dict):
        remaining = {page: i for page, i in pages.items() if i != kept_id}
        if remaining:
            session[TO_RESTORE] = remaining
        else:
            session.pop(TO_RESTORE, None)
