"""The base form: CSRF from Flask-WTF and WTForms messages in the user's language; the
editors' widgets."""
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key

from webapp.i18n import wtforms_translations


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return wtforms_translations()


# -- widgets: WTForms' own HTML, written without ``Markup.format`` ---------------------------
# WTForms writes each attribute through ``Markup.format`` (a Python-level formatter that
# escapes as it goes): about 60 µs a field, most of what the RAK row editor's fields
# cost. These write the same text, attribute for attribute (tests/test_forms_widgets.py).

def html_params(**kwargs) -> str:
    """``wtforms.widgets.html_params``: the same attributes, sorted by name."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(clean_key(key))
        elif value is not False:
            params.append(f'{escape(clean_key(key))}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return " ".join(params)


def _validation_attrs(widget, field, kwargs: dict) -> None:
    flags = getattr(field, "flags", {})
    for name in dir(flags):
        if name in widget.validation_attrs and name not in kwargs:
            kwargs[name] = getattr(flags, name)


class TextInput(widgets.TextInput):
    html_params = staticmethod(html_params)


class HiddenInput(widgets.HiddenInput):
    html_params = staticmethod(html_params)


class TextArea(widgets.TextArea):
    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        _validation_attrs(self, field, kwargs)
        return Markup(f"<textarea {html_params(name=field.name, **kwargs)}>\r\n{escape(field._value())}</textarea>")


class Select(widgets.Select):
    """A single choice without option groups (else WTForms' own)."""

    def __call__(self, field, **kwargs):
        if self.multiple or field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        _validation_attrs(self, field, kwargs)
        options = "".join(_option(choice) for choice in field._iter_choices_normalized())
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


def _option(choice) -> str:
    value = str(choice.value) if isinstance(choice.value, bool) else choice.value
    attrs = {"value": value, **(choice.render_kw or {})}
    if choice.selected:
        attrs["selected"] = True
    return f"<option {html_params(**attrs)}>{escape(choice.label or choice.value)}</option>"
