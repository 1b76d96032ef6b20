from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from campaign.actions.labels import ACTION_TYPES, AUDIENCES
from campaign.actions.models import ActionType, Audience
from campaign.core.forms import CheckboxListField, WholeNumberField, max_length, strip

BRUSSELS = ZoneInfo("Europe/Brussels")
_moment_message = _l("Fill in a date and time, for example 18/09/2025 14:00.")


class LocalDateTimeField(DateTimeLocalField):
    """A date and time in Belgian time; ``data`` is an aware datetime."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_moment_message)) from error
        if self.data is not None:
            self.data = self.data.replace(tzinfo=BRUSSELS)

    def _value(self) -> str:
        if isinstance(self.data, datetime):
            moment = self.data.astimezone(BRUSSELS) if self.data.tzinfo else self.data
            return moment.strftime("%Y-%m-%dT%H:%M")
        return super()._value()


def _reach(label: Any) -> WholeNumberField:
    return WholeNumberField(
        label,
        [Optional(), NumberRange(0, 10_000_000, _l("Fill in a number of people, 0 or more."))],
        invalid_message=_l("Fill in a number of people, 0 or more."),
    )


class ActionForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(_l("Fill in a title.")), max_length(200)], filters=[strip])
    description = TextAreaField(
        _l("Description"),
        [max_length(5000)],
        filters=[strip],
        description=_l("What happens, for whom, and what it changes. The SDG suggestions read this text."),
    )
    type = SelectField(
        _l("Type of action"),
        choices=[SelectChoice(value.value, label) for value, label in ACTION_TYPES.items()],
        invalid_choice_message=_l("Choose a type from the list."),
    )
    starts_at = LocalDateTimeField(_l("Starts"), [InputRequired(_moment_message)])
    ends_at = LocalDateTimeField(_l("Ends"), [InputRequired(_moment_message)])
    online = BooleanField(_l("The action takes place online"))
    location = StringField(
        _l("Address"),
        [max_length(300)],
        filters=[strip],
        description=_l("Street, number and municipality. Leave empty for an online action."),
    )
    audience = SelectField(
        _l("Audience"),
        choices=[SelectChoice(value.value, label) for value, label in AUDIENCES.items()],
        invalid_choice_message=_l("Choose an audience from the list."),
    )
    expected_reach = _reach(_l("Expected number of people reached (optional)"))
    actual_reach = _reach(_l("Actual number of people reached (optional, after the action)"))
    is_public = BooleanField(_l("Show this action on the public pages and in the practice bank"), default=True)
    sdgs = CheckboxListField(_l("SDGs"), coerce=int, description=_l("Choose the SDGs the action contributes to."))
    suggest = SubmitField(_l("Suggest SDGs from the text"))
    save = SubmitField(_l("Save the action"))

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title.data,
            "description": self.description.data or "",
            "type": ActionType(self.type.data),
            "starts_at": self.starts_at.data,
            "ends_at": self.ends_at.data,
            "online": bool(self.online.data),
            "location": self.location.data or "",
            "audience": Audience(self.audience.data),
            "expected_reach": self.expected_reach.data,
            "actual_reach": self.actual_reach.data,
            "is_public": bool(self.is_public.data),
        }


EFFECT_CHOICES = [SelectChoice("1", "+"), SelectChoice("0", "0"), SelectChoice("-1", "−")]


def sdg_check_form(sdg_numbers: list[int], data: dict | None = None) -> FlaskForm:
    """A form with an effect (+, 0, −) and a reason for each of the action's SDGs."""

    class SdgCheckForm(FlaskForm):
        pass

    for number in sdg_numbers:
        setattr(
            SdgCheckForm,
            f"effect_{number}",
            RadioField(
                _l("Effect on SDG %(number)d", number=number),
                choices=EFFECT_CHOICES,
                validators=[Optional()],
                invalid_choice_message=_l("Choose +, 0 or −."),
            ),
        )
        setattr(
            SdgCheckForm,
            f"reason_{number}",
            StringField(
                _l("Why? (SDG %(number)d)", number=number),
                [max_length(500)],
                filters=[strip],
            ),
        )
    return SdgCheckForm(data=data)


class PhotoForm(FlaskForm):
    photo = FileField(_l("Photo (JPEG, PNG or WebP, at most 15 MB)"))
    caption = StringField(_l("Caption (optional)"), [max_length(300)], filters=[strip])
    credit = StringField(_l("Photographer (optional)"), [max_length(200)], filters=[strip])


class ActionFilterForm(FlaskForm):
    """The team's filter on its lists of actions and heroes: edition, province, search text."""

    class Meta:
        csrf = False

    edition = SelectField(_l("Edition"), coerce=int, validators=[Optional()])
    province = SelectField(_l("Province"), coerce=int, validators=[Optional()])
    q = StringField(_l("Search"), [Optional(), max_length(100)], filters=[strip])

    def resolve(self, *, editions: list, current: Any, provinces: list, locale: str, all_provinces: str) -> Filters:
        """Fill the choices, validate, and return what to filter on; odd values are ignored."""
        self.edition.choices = [SelectChoice(e.id, str(e.year)) for e in editions]
        self.province.choices = [SelectChoice(0, all_provinces)] + [
            SelectChoice(p.id, p.name(locale)) for p in provinces
        ]
        self.validate()
        edition = next((e for e in editions if e.id == self.edition.data), current)
        if edition is not None:
            self.edition.data = edition.id
        return Filters(
            edition=edition,
            province_id=self.province.data if not self.province.errors else None,
            text=(self.q.data or "") if not self.q.errors else "",
        )


@dataclass(frozen=True)
class Filters:
    edition: Any
    province_id: int | None
    text: str
