"""Language catalogues and the number formats offices write."""
import re
import subprocess
import tokenize
from datetime import datetime, timezone
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from babel.numbers import format_currency, format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

import flask_babel
from flask import session

from webapp.i18n import desimal, rupiah, tanggal, waktu
from workflow.rupiah import tulis_desimal


def _entries(catalogue) -> dict:
    """{msgid: msgstr} with plural entries as tuples, so .po and .mo compare."""
    def norm(value):
        return value if isinstance(value, str) else tuple(value)
    return {norm(m.id): norm(m.string) for m in catalogue if m.id}


ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "webapp" / "translations"


@pytest.mark.parametrize(("value", "written"), [
    (20999655000, "Rp 20.999.655.000"),
    (10604086100, "Rp 10.604.086.100"),
    (0, "Rp 0"),
    (None, "-"),
])
def test_rupiah_as_the_offices_write_it(value, written):
    assert rupiah(value) == written


@pytest.mark.parametrize(("value", "suffix", "written"), [
    (97.5, "%", "97,5%"), (0.16, "%", "0,16%"), (2498, "", "2.498"), (3.5, "", "3,5"), (100, "%", "100%"),
])
def test_decimals_with_a_comma(value, suffix, written):
    assert desimal(value, suffix) == written


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(min_value=-10**18, max_value=10**18),
                 st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False)))
def test_amounts_written_exactly_as_babel_writes_them(value):
    # Whole amounts take a short cut past Babel's formatter: it must never show otherwise.
    assert rupiah(value) == format_currency(value, "IDR", format="¤ #,##0", currency_digits=False, locale="id_ID")
    assert desimal(value) == format_decimal(value, format="#,##0.##", locale="id_ID")
    assert tulis_desimal(value, "#,##0.####") == format_decimal(value, format="#,##0.####", locale="id_ID")


@settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
       aware=st.booleans(), lang=st.sampled_from(["id", "en"]))
def test_dates_and_times_written_exactly_as_flask_babel_writes_them(app, moment, aware, lang):
    # The filters look the request's timezone and locale up once: same text as Flask-Babel.
    value = moment.replace(tzinfo=timezone.utc) if aware else moment
    with app.test_request_context("/"):
        session["lang"] = lang
        assert waktu(value) == flask_babel.format_datetime(value, "d MMM y HH.mm")
        assert tanggal(value) == flask_babel.format_date(value, "d MMMM y")
        assert tanggal(value.date()) == flask_babel.format_date(value.date(), "d MMMM y")


def test_every_source_string_has_its_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2", "--ignore-dirs=.* _*", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as fh:
        wanted = {m.id for m in read_po(fh) if m.id}
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        compiled = _entries(read_mo(fh))

    missing = sorted(str(i) for i in wanted if not compiled.get(i))
    assert missing == [], "run scripts/i18n-update and translate these"


_F_PREFIX = re.compile(r"[rRbB]?[fF]")
_CALL_IN_FSTRING = re.compile(r"\{[^{}]*\b(?:_|gettext|ngettext|lazy_gettext|_l)\(")


def test_no_text_is_translated_inside_an_f_string():
    """Babel's extractor reads an f-string as one token: a ``_("...")`` inside it never
    reaches the catalogue, and the English page shows Indonesian without any test noticing."""
    found = []
    for folder in ("webapp", "workflow", "tenants"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            with path.open("rb") as fh:
                for token in tokenize.tokenize(fh.readline):
                    if token.type == tokenize.STRING and _F_PREFIX.match(token.string) \
                            and _CALL_IN_FSTRING.search(token.string):
                        found.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert found == [], "translate outside the f-string and put the result in it"


@pytest.mark.parametrize("domain", ["admin", "wtforms"])
def test_flask_admin_and_wtforms_have_a_complete_indonesian_catalogue(domain):
    with (TRANSLATIONS / "id" / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        catalogue = _entries(read_po(fh))
    with (TRANSLATIONS / "id" / "LC_MESSAGES" / f"{domain}.mo").open("rb") as fh:
        compiled = _entries(read_mo(fh))

    assert len(catalogue) > 30
    assert all(catalogue.values()) and all(all(s) for s in catalogue.values() if isinstance(s, tuple))
    assert catalogue == compiled, "the .mo is older than its .po"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_templates_gettext_says_what_jinjas_own_newstyle_gettext_says(app, lang):
    """``_()`` in templates is webapp.i18n's own (each text looked up once per catalogue):
    the same text, Markup and formatting as Jinja's newstyle gettext, in both languages,
    escaping the variables where the template escapes and not in plain-text templates."""
    from jinja2.ext import _make_new_gettext

    from webapp.i18n import _translations

    calls = [("Beranda", {}), ("Keluar", {}), ("%(num)s tugas menunggu Anda", {"num": 3}),
             ("Halo %(nama)s", {"nama": "<b>A & B</b>"}), ("100%% selesai", {}), ("teks tanpa terjemahan", {})]
    source = "".join(f"[{{{{ _({text!r}, **v{i}) }}}}]" for i, (text, _v) in enumerate(calls))
    values = {f"v{i}": v for i, (_t, v) in enumerate(calls)}
    with app.test_request_context("/"):
        session["lang"] = lang
        for autoescape in (True, False):
            env = app.jinja_env.overlay(autoescape=autoescape)
            ours = env.from_string(source).render(**values)
            reference = app.jinja_env.overlay(autoescape=autoescape)
            reference.globals = {**env.globals, "_": _make_new_gettext(lambda s: _translations().ugettext(s))}
            jinja = reference.from_string(source).render(**values)
            assert ours == jinja
            assert ("&lt;b&gt;A &amp; B&lt;/b&gt;" in ours) is autoescape
            assert "[100% selesai]" in ours
        assert ("[Home]" in ours) is (lang == "en")
