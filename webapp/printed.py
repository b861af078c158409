"""Dates, times and names as the offices' printed documents write them (PDF and Excel):
in Indonesian whatever language the reader uses, times on the office clock
(``BABEL_DEFAULT_TIMEZONE``, Asia/Jakarta: WIB), as the page shows them too; an office's
name in full; and the downloads' file names."""
from __future__ import annotations

import re
import unicodedata
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


def nama_lengkap(nama: str) -> str:
    """'KPU Kota Batu' as the official texts write it: 'Komisi Pemilihan Umum Kota Batu'."""
    return re.sub(r"^KPU\b", "Komisi Pemilihan Umum", nama)


def slug(text: str, *, lipat_aksen: bool) -> str:
    """``text`` in a file name: its runs of ASCII letters and digits joined by "-".

    ``lipat_aksen`` first folds accented letters to their base ("é" -> "e": the PDF's
    names); without it an accented letter splits a word like any other sign (the Excel
    files' names). The two downloads have always named files so; keeping both keeps every
    name a user has seen."""
    if lipat_aksen:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[A-Za-z0-9]+", text))
