"""The base form: CSRF from Flask-WTF and WTForms messages in the user's language; the
editors' widgets."""
from functools import cache

from flask_babel import LazyString
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key

from webapp.i18n import wtforms_translations


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return wtforms_translations()


# -- widgets: WTForms' own HTML, written faster -------------------------------------------
# WTForms writes each attribute through ``Markup.format`` (a Python-level formatter that
# escapes as it goes) and looks for validation flags in ``dir()`` of the field's flags:
# most of what the RAK row editor's fields cost. These write the same text, attribute for
# attribute (tests/test_forms_widgets.py compares them with WTForms' own).

@cache
def _name(key: str) -> str:
    return str(escape(clean_key(key)))


def html_params(**kwargs) -> str:
    """``wtforms.widgets.html_params``: the same attributes, sorted by name."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(clean_key(key))
        elif value is not False:
            if type(value) is str:  # noqa: E721 - a subclass (Markup, a lazy text) is escaped as WTForms does
                value = escape(value)
            elif type(value) is not int:  # noqa: E721
                value = str(escape(value)).replace('"', "&quot;")  # a markup's own quotes
            params.append(f'{_name(key)}="{value}"')
    return " ".join(params)


def _validation_attrs(widget, field, kwargs: dict, call: bool = False) -> None:
    """The field's flags the widget writes as attributes (``required``, ``maxlength``...).
    WTForms walks ``dir()`` of the flags; the flags set are the object's own attributes."""
    flags = getattr(field, "flags", None)
    for name in getattr(flags, "__dict__", ()):
        if name in widget.validation_attrs and name not in kwargs:
            value = getattr(flags, name)
            kwargs[name] = value() if call and callable(value) else value


class _Input:
    """``wtforms.widgets.Input.__call__``."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("type", self.input_type)
        if "value" not in kwargs:
            kwargs["value"] = field._value()
        datalist = getattr(field, "_datalist", None)
        if datalist is not None and "list" not in kwargs:
            kwargs["list"] = datalist if isinstance(datalist, str) else datalist.id
        _validation_attrs(self, field, kwargs, call=True)
        return Markup(f"<input {html_params(name=field.name, **kwargs)}>")


class TextInput(_Input, widgets.TextInput):
    pass


class HiddenInput(_Input, widgets.HiddenInput):
    pass


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
    label = choice.label
    if isinstance(label, LazyString):
        label = Markup(label)  # read once (WTForms reads it twice), written as WTForms writes it: unescaped
    return f"<option {html_params(**attrs)}>{escape(label or choice.value)}</option>"
