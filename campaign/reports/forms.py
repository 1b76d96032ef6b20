from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import NumberRange, Optional

from campaign.core.forms import CheckboxListField, WholeNumberField, max_length, strip
from campaign.reports.models import TEXT_MAX
from campaign.reports.survey import AGAIN, CHANNELS, EFFECTS, MATERIALS, MAX_PARTICIPANTS, RATING_LABELS, Answers

NOT_USED = 0


def _text(label: Any, description: Any = None, limit: int = TEXT_MAX) -> TextAreaField:
    return TextAreaField(label, [Optional(), max_length(limit)], filters=[strip], description=description)


class EvaluationForm(FlaskForm):
    participants = WholeNumberField(
        _l("How many people did your actions reach?"),
        [Optional(), NumberRange(0, MAX_PARTICIPANTS, _l("Fill in a number of people, 0 or more."))],
        invalid_message=_l("Fill in a number of people, 0 or more."),
        description=_l("An estimate is fine: participants, visitors and people reached online."),
    )
    channels = CheckboxListField(
        _l("Which channels did you use to announce the campaign?"),
        choices=[SelectChoice(key, label) for key, label in CHANNELS.items()],
        validators=[Optional()],
    )
    effects = CheckboxListField(
        _l("What did the campaign change in your own organisation?"),
        choices=[SelectChoice(key, label) for key, label in EFFECTS.items()],
        validators=[Optional()],
    )
    again = RadioField(
        _l("Will your municipality take part again next year?"),
        choices=[SelectChoice(key, label) for key, label in AGAIN.items()],
        validators=[Optional()],
        invalid_choice_message=_l("Choose from the list."),
    )
    keep = _text(_l("What should VVSG keep?"))
    strengthen = _text(_l("What should VVSG strengthen?"))
    adjust = _text(_l("What should VVSG adjust?"))
    remarks = _text(_l("Anything else you want to tell us?"))

    def answers(self) -> Answers:
        ratings = {}
        for key in MATERIALS:
            value = getattr(self, f"rating_{key}").data
            if value not in (None, ""):
                ratings[key] = int(value)
        return Answers(
            participants=self.participants.data,
            channels=list(self.channels.data or []),
            ratings=ratings,
            effects=list(self.effects.data or []),
            again=self.again.data or None,
            keep=self.keep.data or "",
            strengthen=self.strengthen.data or "",
            adjust=self.adjust.data or "",
            remarks=self.remarks.data or "",
        )

    def rating_fields(self) -> list[Any]:
        return [getattr(self, f"rating_{key}") for key in MATERIALS]


_scores = [SelectChoice(str(score), label) for score, label in RATING_LABELS.items()]
for _key, _label in MATERIALS.items():
    setattr(
        EvaluationForm,
        f"rating_{_key}",
        RadioField(
            _label,
            choices=[*_scores, SelectChoice(str(NOT_USED), _l("Not used"))],
            validators=[Optional()],
            invalid_choice_message=_l("Choose from the list."),
            coerce=str,
        ),
    )


class ReportTextForm(FlaskForm):
    introduction = _text(_l("Introduction"), _l("An empty line starts a new paragraph."), limit=8000)
    keep = _text(_l("Conclusions: what to keep"), limit=8000)
    strengthen = _text(_l("Conclusions: what to strengthen"), limit=8000)
    adjust = _text(_l("Conclusions: what to adjust"), limit=8000)
