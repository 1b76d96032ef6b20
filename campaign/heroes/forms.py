from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.core.forms import CheckboxListField, LocalDateField, max_length, strip
from campaign.heroes.models import QUOTE_MAX, ConsentScope


class HeroForm(FlaskForm):
    name = StringField(
        _l("Name"),
        [DataRequired(_l("Fill in the hero's name.")), max_length(120)],
        filters=[strip],
        description=_l("A person, a group or an organisation."),
    )
    role = StringField(
        _l("Role or organisation"),
        [max_length(160)],
        filters=[strip],
        description=_l("For example: volunteer at the repair café, or head of the local school."),
    )
    quote = TextAreaField(
        _l("Quote"),
        [Length(max=QUOTE_MAX, message=_l("The quote is at most %(max)d characters, so that it fits on the poster."))],
        filters=[strip],
        description=_l("At most %(n)d characters: it must fit on the poster.", n=QUOTE_MAX),
    )
    story = TextAreaField(
        _l("Story"),
        [max_length(10000)],
        filters=[strip],
        description=_l("Why is this person or group a sustainable hero?"),
    )
    sdgs = CheckboxListField(_l("SDGs"), coerce=int)
    action = SelectField(
        _l("Linked action (optional)"),
        coerce=int,
        validators=[Optional()],
        invalid_choice_message=_l("Choose one of your own actions."),
    )

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "role": self.role.data or "",
            "quote": self.quote.data or "",
            "story": self.story.data or "",
            "sdgs": self.sdgs.data or [],
            "action_id": self.action.data or None,
        }


class HeroPhotoForm(FlaskForm):
    photo = FileField(_l("Photo (JPEG, PNG or WebP, at most 15 MB)"))
    photo_credit = StringField(_l("Photographer (optional)"), [max_length(200)], filters=[strip])


class FocalPointForm(FlaskForm):
    focal_x = FloatField(
        _l("Horizontal position (0 = left, 1 = right)"),
        [InputRequired(_l("Choose a point in the photo.")), NumberRange(0, 1, _l("Choose a value from 0 to 1."))],
    )
    focal_y = FloatField(
        _l("Vertical position (0 = top, 1 = bottom)"),
        [InputRequired(_l("Choose a point in the photo.")), NumberRange(0, 1, _l("Choose a value from 0 to 1."))],
    )


SCOPE_LABELS = {
    ConsentScope.WEB: _l("Website: the hero may appear on the public pages"),
    ConsentScope.PRINT: _l("Print: posters and printed matter"),
    ConsentScope.SOCIAL: _l("Social media: images for Facebook, Instagram, LinkedIn, …"),
    ConsentScope.PRESS: _l("Press: photos and texts for journalists"),
}


class ConsentForm(FlaskForm):
    web = BooleanField(SCOPE_LABELS[ConsentScope.WEB])
    print = BooleanField(SCOPE_LABELS[ConsentScope.PRINT])
    social = BooleanField(SCOPE_LABELS[ConsentScope.SOCIAL])
    press = BooleanField(SCOPE_LABELS[ConsentScope.PRESS])
    given_on = LocalDateField(_l("Consent given on"), [InputRequired(_l("Fill in a date as dd/mm/yyyy."))])
    expires_on = LocalDateField(
        _l("Valid until (optional)"), [Optional()], description=_l("Empty: until the end of next year.")
    )
    proof = FileField(_l("Proof, for example the signed form (optional: PDF or photo)"))

    def scopes(self) -> set[ConsentScope]:
        return {scope for scope in ConsentScope if getattr(self, scope.value).data}
