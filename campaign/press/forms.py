from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Optional

from campaign.actions.forms import LocalDateTimeField
from campaign.core.forms import max_length, strip
from campaign.press.models import RELEASE_MAX, TEXT_MAX, TITLE_MAX


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


class HighlightForm(FlaskForm):
    title = StringField(
        _l("Title for the press"),
        [DataRequired(_l("Give the highlight a title.")), max_length(TITLE_MAX)],
        filters=[strip],
    )
    text = TextAreaField(
        _l("Short press text"),
        [DataRequired(_l("Write a short press text.")), max_length(TEXT_MAX)],
        filters=[strip],
        description=_l("At most %(count)d characters. Journalists may use it as it is.", count=TEXT_MAX),
    )
    publish_at = LocalDateTimeField(
        _l("Publish from (embargo)"),
        [DataRequired(_l("Fill in a date and time, for example 18/09/2025 14:00."))],
        description=_l("Belgian time. Until then the highlight is visible to the campaign team only."),
    )


class PressRoomForm(FlaskForm):
    contact_name = StringField(_l("Contact person"), [Optional(), max_length(160)], filters=[strip])
    contact_email = StringField(
        _l("E-mail address"),
        [Optional(), Email(_l("Fill in a valid e-mail address."), check_deliverability=False), max_length(320)],
        filters=[strip],
    )
    contact_phone = StringField(_l("Telephone"), [Optional(), max_length(40)], filters=[strip])
    release_text = TextAreaField(
        _l("Text of the press release per province"),
        [DataRequired(_l("Write the text of the press release.")), max_length(RELEASE_MAX)],
        filters=[strip],
        description=_l(
            "Placeholders: {provincie}, {deelnemers}, {gemeenten}, {helden}, {acties} and {jaar} are "
            "filled in per province. An empty line starts a new paragraph."
        ),
    )


class PressFilterForm(FlaskForm):
    class Meta:
        csrf = False

    province = SelectField(_l("Province"), coerce=int, validators=[Optional()])
    sdg = SelectField(_l("SDG"), coerce=int, validators=[Optional()])
    municipality = SelectField(_l("Municipality"), validators=[Optional()])
