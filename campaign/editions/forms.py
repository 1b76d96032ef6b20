from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from campaign.core.forms import (
    DATE_MESSAGE,
    CheckboxListField,
    LocalDateField,
    WholeNumberField,
    add_errors,
    max_length,
    strip,
)
from campaign.editions.services import DATE_FIELDS, date_problems


def _date(label: Any) -> LocalDateField:
    return LocalDateField(label, [InputRequired(DATE_MESSAGE)])


class EditionForm(FlaskForm):
    year = WholeNumberField(
        _l("Year"),
        [
            InputRequired(_l("Fill in the year, for example 2026.")),
            NumberRange(2015, 2100, _l("Fill in a year between 2015 and 2100.")),
        ],
        invalid_message=_l("Fill in the year, for example 2026."),
    )
    title = StringField(_l("Title"), [DataRequired(_l("Fill in a title.")), max_length(200)], filters=[strip])
    theme = StringField(_l("Theme"), [max_length(300)], filters=[strip])
    focus_sdgs = CheckboxListField(_l("Focus SDGs"), coerce=int)
    week_start = _date(_l("First day of the week"))
    week_end = _date(_l("Last day of the week"))
    registration_deadline = _date(_l("Registration deadline"))
    hero_deadline = _date(_l("Hero intake deadline"))
    evaluation_deadline = _date(_l("Evaluation deadline"))
    is_current = BooleanField(_l("This is the current edition"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        problems = date_problems(
            {name: getattr(self, name).data for name in DATE_FIELDS},
            year=self.year.data if not self.year.errors else None,
        )
        add_errors(self, problems)
        return valid and not problems

    def values(self) -> dict[str, Any]:
        return {
            "year": self.year.data,
            "title": self.title.data,
            "theme": self.theme.data or "",
            "focus_sdgs": self.focus_sdgs.data or [],
            **{name: getattr(self, name).data for name in DATE_FIELDS},
        }
