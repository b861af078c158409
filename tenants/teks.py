"""The texts people read that the domain layers write: Indonesian unless the web layer
installs a translator.

``workflow/`` and ``tenants/`` compose texts for users: refusals (``Ditolak``, account
errors), what blocks a submit, budget warnings, the words of a revision comparison and of
an import dry run with its problems, realisation errors, and the labels of revisions and
of the enums (polarity, schedule shape, aggregation, capaian). Imports point one way
(webapp -> workflow -> tenants), so they cannot ask Flask-Babel; they write every such
text through this module, the one mechanism for all of them::

    from tenants.teks import N_, _, ngettext

    raise Ditolak(_("Hanya %(peran)s yang dapat mengajukan dokumen ini.", peran=nama))
    ngettext("%(n)s sel diubah", "%(n)s sel diubah", n, n=n)
    _LABEL = {"naik": N_("Makin tinggi makin baik")}   # a table built at import time is
    return _(_LABEL[self.value])                       # marked with N_, translated when read

- ``_(teks, **nilai)`` looks ``teks`` up with the installed translator, then fills its
  ``%(name)s`` placeholders, only when values are given, as Flask-Babel's ``gettext`` does
  (a literal ``%`` is written ``%%`` only in a text that has values). ``ngettext`` is its
  plural form (Indonesian has one form; English two). Without a translator both are the
  identity: the Indonesian text, byte for byte what the f-string it replaced wrote. That
  is what the ``sakip`` CLI, scripts and tests outside a request get.
- ``N_(teks)`` returns ``teks`` unchanged: it only marks a text for extraction.
- ``pasang(gettext, ngettext)``: dependency injection. ``webapp.i18n.init_app`` installs
  the request's Flask-Babel catalogue (English when the user chose it; unchanged text
  outside a request), so the domain layers never import the web layer.
- ``dalam_bahasa(bahasa)``: a block in which these texts are in ``bahasa`` ('id', 'en'),
  whatever the request's language: what is written for another person (a notification,
  the e-mail a worker sends). The catalogues come from ``pasang_katalog`` (the web layer
  installs it; without it, Indonesian).
- ``bahasa_asli()``: a block in which these texts are Indonesian whatever is installed,
  for what is official, printed or stored (the PDF and Excel documents, the LKj tables
  frozen at submit).

A text is translated when it is composed: a refusal raised in an English request reads
in English. Babel extracts ``_``, ``N_`` and ``ngettext`` calls from ``workflow/**.py``
and ``tenants/**.py`` (babel.cfg) into the web layer's catalogue; like there, never put a
call inside an f-string (the extractor does not look inside one): translate first, then
put the result in. The module lives in ``tenants``, the lowest layer, so that both
domain layers can use it; it imports nothing of the project.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_gettext: Callable[[str], str] | None = None
_ngettext: Callable[[str, str, int], str] | None = None
_asli: ContextVar[bool] = ContextVar("sakip_bahasa_asli", default=False)
Penerjemah = tuple[Callable[[str], str], Callable[[str, str, int], str]]
_katalog: Callable[[str], Penerjemah | None] | None = None
_bahasa: ContextVar[Penerjemah | None] = ContextVar("sakip_bahasa", default=None)


def _penerjemah() -> Penerjemah | None:
    if _asli.get():
        return None
    if (khusus := _bahasa.get()) is not None:
        return khusus
    return (_gettext, _ngettext) if _gettext is not None else None


def _(teks: str, /, **nilai) -> str:
    """``teks`` in the reader's language, its placeholders filled from ``nilai``."""
    if (penerjemah := _penerjemah()) is not None:
        teks = penerjemah[0](teks)
    return teks % nilai if nilai else teks


def ngettext(tunggal: str, jamak: str, n: int, /, **nilai) -> str:
    """The form of ``tunggal``/``jamak`` for ``n``, in the reader's language, filled from ``nilai``."""
    if (penerjemah := _penerjemah()) is not None and penerjemah[1] is not None:
        teks = penerjemah[1](tunggal, jamak, n)
    else:
        teks = tunggal if n == 1 else jamak
    return teks % nilai if nilai else teks


def N_(teks: str) -> str:
    """Mark ``teks`` for the catalogue; ``_()`` translates it where it is read."""
    return teks


def pasang(gettext: Callable[[str], str] | None, ngettext_: Callable[[str, str, int], str] | None = None) -> None:
    """Install the translator (None: Indonesian again)."""
    global _gettext, _ngettext
    _gettext, _ngettext = gettext, ngettext_


@contextmanager
def bahasa_asli() -> Iterator[None]:
    """Write these texts in Indonesian inside the block, whatever translator is installed."""
    token = _asli.set(True)
    try:
        yield
    finally:
        _asli.reset(token)


def pasang_katalog(katalog: Callable[[str], Penerjemah | None] | None) -> None:
    """Install where ``dalam_bahasa`` finds a language's catalogue (None: Indonesian only)."""
    global _katalog
    _katalog = katalog


def _asli_saja(teks: str) -> str:
    return teks


def _asli_jamak(tunggal: str, jamak: str, n: int) -> str:
    return tunggal if n == 1 else jamak


@contextmanager
def dalam_bahasa(bahasa: str) -> Iterator[None]:
    """Write these texts in ``bahasa`` inside the block (Indonesian when it has no catalogue)."""
    found = _katalog(bahasa) if _katalog is not None else None
    token = _bahasa.set(found or (_asli_saja, _asli_jamak))
    try:
        yield
    finally:
        _bahasa.reset(token)
