"""The editors' widgets (webapp.forms) write exactly what WTForms' own write."""
from __future__ import annotations

import pytest
from flask_babel import LazyString
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField, SelectField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from webapp import forms

TRICKY = 'a "b" <c> & d\'e\r\nf'
RENDER_KW = [{}, {"class_": "form-control is-invalid"}, {"type": "date"}, {"data_x_y": TRICKY, "aria_label": "x"},
             {"readonly": True, "disabled": False}, {"title": Markup('say "hi" <b>')}, {"maxlength": 7}]


def _forms(**fields):
    """A form whose fields use WTForms' widgets and one whose fields use ours."""
    theirs = type("Theirs", (Form,), {name: make(None) for name, make in fields.items()})
    ours = type("Ours", (Form,), {name: make(True) for name, make in fields.items()})
    return theirs, ours


def _widget(kind):
    return lambda ours: {"widget": kind()} if ours else {}


CHOICES = [SelectChoice("", "(kosong)"), SelectChoice("naik", "Naik <>"), SelectChoice(True, "ya"),
           SelectChoice("x", "", render_kw={"data_n": 1, "disabled": True}), SelectChoice(0, 0),
           SelectChoice("lazy", LazyString(lambda: "Malas <b>")), SelectChoice("kosong", LazyString(lambda: "")),
           SelectChoice("m", Markup("<i>m</i>"))]
THEIRS, OURS = _forms(
    teks=lambda o: StringField("Teks", validators=[DataRequired(), Length(max=60)], **_widget(forms.TextInput)(o)),
    opsional=lambda o: StringField("Opsional", validators=[Optional(), Length(min=2, max=5)],
                                   **_widget(forms.TextInput)(o)),
    panjang=lambda o: TextAreaField("Panjang", validators=[DataRequired(), Length(max=4000)],
                                    **_widget(forms.TextArea)(o)),
    pilih=lambda o: SelectField("Pilih", choices=CHOICES, validate_choice=False, **_widget(forms.Select)(o)),
    wajib=lambda o: SelectField("Wajib", choices=CHOICES[:2], validators=[DataRequired()], **_widget(forms.Select)(o)),
    tersembunyi=lambda o: HiddenField(validators=[DataRequired()], **_widget(forms.HiddenInput)(o)),
)


@pytest.mark.parametrize("data", [
    {},
    {"teks": TRICKY, "opsional": "", "panjang": TRICKY, "pilih": "naik", "wajib": "naik", "tersembunyi": TRICKY},
    {"pilih": "True", "panjang": "\n\nx", "tersembunyi": "12"},
    {"pilih": "lazy", "teks": "0"},
])
@pytest.mark.parametrize("render_kw", RENDER_KW)
def test_same_html_as_wtforms(data, render_kw):
    theirs, ours = THEIRS(MultiDict(data)), OURS(MultiDict(data))
    for name in ("teks", "opsional", "panjang", "pilih", "wajib", "tersembunyi"):
        assert type(ours[name].widget) is not type(theirs[name].widget)
        assert ours[name](**render_kw) == theirs[name](**render_kw)
        assert isinstance(ours[name](**render_kw), Markup)


def test_html_params_as_wtforms():
    for kw in RENDER_KW + [{"for_": "x", "class_": "y", "checked": True, "value": 0}]:
        assert forms.html_params(**kw) == widgets.html_params(**kw)


def test_select_with_groups_falls_back_to_wtforms():
    grouped = [SelectChoice("a", "A", optgroup="G1"), SelectChoice("b", "B", optgroup="G2")]
    theirs = type("T", (Form,), {"s": SelectField(choices=grouped)})()
    ours = type("O", (Form,), {"s": SelectField(choices=grouped, widget=forms.Select())})()
    assert ours.s() == theirs.s()
    multiple_theirs = type("T", (Form,), {"s": SelectField(choices=CHOICES, widget=widgets.Select(multiple=True))})()
    multiple_ours = type("O", (Form,), {"s": SelectField(choices=CHOICES, widget=forms.Select(multiple=True))})()
    assert multiple_ours.s() == multiple_theirs.s()
