"""Dates and times as the offices' printed documents write them (PDF and Excel): in
Indonesian whatever language the reader uses, and times on the office clock
(``BABEL_DEFAULT_TIMEZONE``, Asia/Jakarta: WIB), as the page shows them too."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app, has_app_context

LOCALE = "id"
ZONA_BAKU = "Asia/Jakarta"


def tanggal(value: date | None) -> str:
    """13 Januari 2024."""
    return format_date(value, "d MMMM y", locale=LOCALE) if value else ""


def zona() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or ZONA_BAKU)


def waktu(value: datetime | None) -> str:
    """A moment on the office's clock: 13 Januari 2024 09.30 WIB (SQLite hands back naive UTC)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(zona())
    return f"{tanggal(local.date())} {local:%H.%M} {local.tzname()}"
