"""The base form: CSRF from Flask-WTF and WTForms messages in the user's language."""
from flask_wtf import FlaskForm

from webapp.i18n import wtforms_translations


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return wtforms_translations()
