from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from campaign.core.forms import max_length, strip


class ParticipantFilterForm(FlaskForm):
    class Meta:
        csrf = False

    province = SelectField(_l("Province"), coerce=int, validators=[Optional()])


class PracticeBankForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search words"), [Optional(), max_length(100)], filters=[strip])
    sdg = SelectField(_l("SDG"), coerce=int, validators=[Optional()])
    province = SelectField(_l("Province"), coerce=int, validators=[Optional()])
    type = SelectField(_l("Type of action"), validators=[Optional()])
    audience = SelectField(_l("Audience"), validators=[Optional()])
    edition = SelectField(_l("Edition"), coerce=int, validators=[Optional()])
