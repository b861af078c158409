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
    out = Markup("")
    for p in baris:
        if p.teks == "\n":
            out += Markup("<br>")
            continue
        s = escape(p.teks)
        if p.miring:
            s = Markup("<em>{}</em>").format(s)
        if p.tebal:
            s = Markup("<strong>{}</strong>").format(s)
        out += s
    return out


def naskah_html(bloks: list[naskah.Blok], kelas: str = "") -> Markup:
    """Blocks of a chapter (``workflow.naskah``) as HTML; every text escaped. A paragraph is
    ``<p>`` (with ``kelas``), a list ``<ul>``/``<ol>``: as plain chapters always printed."""
    attr = Markup(' class="{}"').format(kelas) if kelas else Markup("")
    out = Markup("")
    for b in bloks:
        if b.jenis == "p":
            out += Markup("<p{}>{}</p>").format(attr, baris_html(b.isi[0]))
        else:
            items = Markup("").join(Markup("<li>{}</li>").format(baris_html(i)) for i in b.isi)
            out += Markup("<{0}{1}>{2}</{0}>").format(Markup(b.jenis), attr, items)
    return out


def naskah_bab(teks: str | None) -> Markup:
    """A stored chapter as the page shows it (template filter ``naskah``)."""
    return naskah_html(naskah.blok(teks))
