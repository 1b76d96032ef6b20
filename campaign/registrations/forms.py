from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    NumberRange,
    Optional,
    Regexp,
)

from campaign.core.forms import WholeNumberField, max_length, strip
from campaign.registrations.models import RegistrationStatus, Track

TRACK_CHOICES = [
    SelectChoice(Track.STARTER.value, _l("Starter: we take part for the first time or keep it simple")),
    SelectChoice(Track.ADVANCED.value, _l("Advanced: we link the week to our own SDG policy")),
]
_PHONE = re.compile(r"^[0-9+()./ -]{6,40}$")


class RegistrationForm(FlaskForm):
    contact_name = StringField(
        _l("Contact person"),
        [DataRequired(_l("Fill in the name of the contact person.")), max_length(120)],
        filters=[strip],
    )
    contact_email = EmailField(
        _l("E-mail address of the contact person"),
        [
            DataRequired(_l("Fill in the e-mail address of the contact person.")),
            Email(_l("Fill in a valid e-mail address, like name@municipality.be."), check_deliverability=False),
            max_length(320),
        ],
        filters=[strip],
    )
    contact_phone = StringField(
        _l("Phone number (optional)"),
        [Optional(), Regexp(_PHONE, message=_l("Fill in a phone number with digits only, like 03 123 45 67."))],
        filters=[strip],
    )
    flag_commitment = BooleanField(_l("We will raise the SDG flag on 25 September."))
    heroes_planned = WholeNumberField(
        _l("Number of heroes we plan to put in the spotlight"),
        [InputRequired(_l("Fill in a number from 1 to 17.")), NumberRange(1, 17, _l("Fill in a number from 1 to 17."))],
        invalid_message=_l("Fill in a number from 1 to 17."),
        default=3,
        description=_l("One hero per SDG at most: from 1 to 17."),
    )
    track = RadioField(
        _l("Track"),
        choices=TRACK_CHOICES,
        default=Track.STARTER.value,
        validators=[InputRequired(_l("Choose a track."))],
        invalid_choice_message=_l("Choose a track."),
    )

    def values(self) -> dict[str, Any]:
        return {
            "contact_name": self.contact_name.data,
            "contact_email": self.contact_email.data,
            "contact_phone": self.contact_phone.data or "",
            "flag_commitment": bool(self.flag_commitment.data),
            "heroes_planned": self.heroes_planned.data,
            "track": Track(self.track.data),
        }


class RegistrationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    edition = SelectField(_l("Edition"), coerce=int, validators=[Optional()])
    province = SelectField(_l("Province"), coerce=int, validators=[Optional()])
    track = SelectField(
        _l("Track"),
        choices=[
            SelectChoice("", _l("All tracks")),
            SelectChoice(Track.STARTER.value, _l("Starter")),
            SelectChoice(Track.ADVANCED.value, _l("Advanced")),
        ],
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(RegistrationStatus.ACTIVE.value, _l("Registered")),
            SelectChoice(RegistrationStatus.WITHDRAWN.value, _l("Withdrawn")),
            SelectChoice("all", _l("All")),
        ],
        default=RegistrationStatus.ACTIVE.value,
        validators=[Optional()],
    )
    flag = SelectField(
        _l("SDG flag"),
        choices=[SelectChoice("", _l("All")), SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[Optional()],
    )
    q = StringField(_l("Search"), [Optional(), max_length(100)], filters=[strip])


class FlagPhotoForm(FlaskForm):
    photo = FileField(_l("Photo of the raised SDG flag (JPEG, PNG or WebP)"))
