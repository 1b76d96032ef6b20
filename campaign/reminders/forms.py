from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from campaign.core.forms import max_length, strip
from campaign.reminders.mailings import AUDIENCES


class MailingForm(FlaskForm):
    audience = SelectField(
        _l("To"), choices=[SelectChoice(key, label) for key, label in AUDIENCES.items()], default="registered"
    )
    province = SelectField(_l("Province"), choices=[], default="")
    subject = StringField(
        _l("Subject"), filters=[strip], validators=[DataRequired(_l("Write a subject.")), max_length(200)]
    )
    body = TextAreaField(
        _l("Message"),
        description=_l("Plain text. An empty line starts a new paragraph. The greeting and the signature are added."),
        filters=[strip],
        validators=[DataRequired(_l("Write the message.")), max_length(5000)],
    )
