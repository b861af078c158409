"""HTML that pages build in Python rather than in Jinja (their long tables): the one way to
put a translated fixed text in, as a template's ``_()`` would; an LKj chapter's markup."""
from __future__ import annotations

from markupsafe import Markup, escape

from workflow import naskah


def fixed_text(translated: str, **values) -> Markup:
    """A fixed text as a template's ``_()`` writes it: the translation is markup (the
    catalogue is the project's own), the values are escaped into it, ``%%`` reads ``%``.
    (``Markup(translated) % values`` gives the same and costs four times as much.)"""
    return Markup(translated % {name: escape(value) for name, value in values.items()})


def baris_html(baris: naskah.Baris) -> Markup:
    """A line of a chapter (bold, italic, line breaks) as HTML: the stored markup's own writer,
    every text escaped."""
    return Markup(naskah.tulis_baris(baris))


def naskah_html(bloks: list[naskah.Blok]) -> Markup:
    """Blocks of a chapter (``workflow.naskah``) as HTML: ``<p>``, ``<ul>``/``<ol>``."""
    return Markup(naskah.tulis_html(bloks))


def naskah_bab(teks: str | None) -> Markup:
    """A stored chapter as the page shows it (template filter ``naskah``)."""
    return naskah_html(naskah.blok(teks))
