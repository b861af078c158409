"""Language choice (Bahasa Indonesia by default, English selectable) and number formats."""
from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations
from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_babel import format_date, format_datetime, get_locale

from webapp.gate import public, safe_local_path

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
    return format_currency(value, "IDR", format="¤ #,##0", currency_digits=False, locale="id_ID")


def desimal(value: float | Decimal | None, suffix: str = "") -> str:
    """Decimals with a comma, e.g. 97,5 (and '%' when asked)."""
    if value is None:
        return "-"
    return format_decimal(value, format="#,##0.##", locale="id_ID") + suffix


def tanggal(value) -> str:
    """Dates as letters are dated: 13 Januari 2024."""
    return format_date(value, "d MMMM y") if value else "-"


def waktu(value) -> str:
    """A moment in the office's clock: 13 Jan 2024 09.30."""
    return format_datetime(value, "d MMM y HH.mm") if value else "-"


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters["rupiah"] = rupiah
    app.jinja_env.filters["desimal"] = desimal
    app.jinja_env.filters["tanggal"] = tanggal
    app.jinja_env.filters["waktu"] = waktu
