"""Language choice (Bahasa Indonesia by default, English selectable) and number formats."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import parse_pattern
from babel.support import NullTranslations, Translations
from flask import Blueprint, current_app, g, has_request_context, redirect, request, session, url_for
from flask_babel import format_date, format_datetime, get_locale, get_timezone, get_translations

from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from tenants import teks
from tenants.db import db
from webapp.common import saving
from webapp.gate import public, safe_local_path
from workflow.notifikasi import operations as notifikasi_ops
from workflow.rupiah import tulis_desimal, tulis_rupiah

TRANSLATIONS_DIR = Path(__file__).parent / "translations"

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    chosen = session.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.post("/bahasa")
@public
def set_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:  # the person's mail follows (workflow.notifikasi)
            with saving():
                notifikasi_ops.ubah_bahasa(db.session, current_user, lang)
    return redirect(safe_local_path(request.form.get("next")) or url_for("offices.home"))


@cache
def _wtforms_catalogue(locale: str) -> NullTranslations:
    catalogue = Translations.load(str(TRANSLATIONS_DIR), [locale], domain="wtforms")
    # Flask-Admin's own fields (relation selects) raise messages from its "admin" domain.
    catalogue.add_fallback(Translations.load(str(TRANSLATIONS_DIR), [locale], domain="admin"))
    return catalogue


def wtforms_translations() -> NullTranslations:
    """WTForms and Flask-Admin ship no Indonesian: their form messages come from ours."""
    return _wtforms_catalogue(str(get_locale() or "id"))


def rupiah(value: int | Decimal | None) -> str:
    """Amounts as the offices write them: Rp 20.999.655.000."""
    if value is None:
        return "-"
    return tulis_rupiah(value)


def desimal(value: float | Decimal | None, suffix: str = "") -> str:
    """Decimals with a comma, e.g. 97,5 (and '%' when asked)."""
    if value is None:
        return "-"
    return tulis_desimal(value) + suffix


def tanggal(value) -> str:
    """Dates as letters are dated: 13 Januari 2024 (also from the ISO text a frozen table keeps)."""
    if not value:
        return "-"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if not has_request_context():
        return format_date(value, "d MMMM y")
    zona, locale = _jam()
    if isinstance(value, datetime):
        value = _di_zona(value, zona)
    return _pola_tanggal("d MMMM y").apply(value, locale)


def waktu(value) -> str:
    """A moment in the office's clock: 13 Jan 2024 09.30."""
    if not value:
        return "-"
    if not has_request_context():
        return format_datetime(value, "d MMM y HH.mm")
    zona, locale = _jam()
    value = _di_zona(value, zona)
    # "d MMM y HH.mm" written directly, the month's abbreviated name being the one Babel's
    # "MMM" reads: its pattern machinery cost ~0.1 ms a call (a history table shows 25).
    bulan = locale.months["format"]["abbreviated"][value.month]
    return f"{value.day} {bulan} {value.year} {value.hour:02d}.{value.minute:02d}"


# What Flask-Babel's format_date/format_datetime do, with the request's timezone and
# locale looked up once (about 11 µs a call otherwise: a history table has dozens).
def _jam():
    found = g.get("_sakip_jam")
    if found is None:
        found = g._sakip_jam = (get_timezone(), get_locale())
    return found


def _di_zona(value: datetime, zona) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return zona.normalize(value.astimezone(zona))


@cache
def _pola_tanggal(pattern: str):
    return parse_pattern(pattern)


def _translations() -> NullTranslations:
    """The request's catalogue, looked up once: Flask-Babel finds it again on every call
    (about 6 µs), and a page with a table translates a few hundred texts."""
    if not has_request_context():
        return get_translations()
    found = g.get("_sakip_translations")
    if found is None:
        found = g._sakip_translations = get_translations()
    return found


_TERJEMAHAN_TEMPLAT: dict = {}


@pass_context
def _gettext_templat(context, string: str, **variables):
    """``_()`` in the templates: what Jinja's newstyle gettext does (the catalogue's text, Markup
    where the template escapes, always formatted with its variables), each text looked up once
    per catalogue. A page says 40 to 80 of them, and Jinja's own chain (an alias, a wrapper and
    our callable, each through ``Context.call``) cost about 8 µs a text, this about 3."""
    catalogue = _translations()
    autoescape = context.eval_ctx.autoescape
    known = _TERJEMAHAN_TEMPLAT.get((catalogue, autoescape))
    if known is None:
        known = _TERJEMAHAN_TEMPLAT[(catalogue, autoescape)] = {}
    text = known.get(string)
    if text is None:
        if len(known) > 20_000:  # texts that are not the templates' own (a variable's): keep it bounded
            known.clear()
        text = known[string] = Markup(catalogue.ugettext(string)) if autoescape else catalogue.ugettext(string)
    return text % variables if variables or "%" in text else text


def terjemahkan(text: str) -> str:
    """What ``tenants.teks`` asks for a domain text: the request's catalogue (English when
    chosen); outside a request (the ``sakip`` CLI, scripts) the Indonesian text as it is."""
    return _translations().ugettext(text) if has_request_context() else text


def terjemahkan_jamak(singular: str, plural: str, n: int) -> str:
    if has_request_context():
        return _translations().ungettext(singular, plural, n)
    return singular if n == 1 else plural


@cache
def katalog_bahasa(bahasa: str) -> teks.Penerjemah | None:
    """A language's catalogue outside any request (a notification, the worker's mail)."""
    if bahasa not in ("id", "en"):
        return None
    catalogue = Translations.load(str(TRANSLATIONS_DIR), [bahasa])
    return catalogue.ugettext, catalogue.ungettext


def init_app(app) -> None:
    app.register_blueprint(bp)
    teks.pasang_katalog(katalog_bahasa)
    # The texts workflow/ and tenants/ compose follow the reader's language too
    # (dependency injection: they never import Flask-Babel).
    teks.pasang(terjemahkan, terjemahkan_jamak)
    # After Flask-Babel's init_app, which installed its own (uncached) callables.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _gettext_templat
    app.jinja_env.filters["rupiah"] = rupiah
    app.jinja_env.filters["desimal"] = desimal
    app.jinja_env.filters["tanggal"] = tanggal
    app.jinja_env.filters["waktu"] = waktu
