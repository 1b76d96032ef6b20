"""The evaluation survey: open to the officers of a registered municipality from the day after
the week until the evaluation deadline. Answers are saved as a draft and submitted when the
required questions are answered; until the deadline a submitted evaluation can still change.
The registration carries ``evaluation_submitted_at`` so that the step plan and the reminders
can see it without importing this feature."""

from __future__ import annotations

import enum
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.core.errors import DomainError
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.reference.models import Municipality
from campaign.registrations.models import Registration, RegistrationStatus
from campaign.reports.models import Evaluation

CHANNELS = {
    "website": _l("Municipal website"),
    "magazine": _l("Municipal magazine"),
    "social": _l("Social media"),
    "posters": _l("Posters and banners"),
    "press": _l("Local press"),
    "newsletter": _l("E-mail newsletter"),
    "events": _l("Events and activities"),
    "schools": _l("Schools and associations"),
}
MATERIALS = {
    "stepplan": _l("Step-by-step plan"),
    "posters": _l("Hero posters"),
    "social": _l("Social-media images"),
    "flag": _l("SDG flag"),
    "press": _l("Press work by VVSG"),
    "platform": _l("This platform"),
}
EFFECTS = {
    "reflexes": _l("More sustainability reflexes among staff"),
    "agenda": _l("The SDGs on the agenda of the management team"),
    "council": _l("The SDGs discussed in the council or the college"),
    "partners": _l("New partnerships with local organisations"),
    "policy": _l("SDGs linked to the policy plan or budget"),
    "citizens": _l("More citizen involvement in sustainability"),
}
AGAIN = {"yes": _l("Yes"), "maybe": _l("Maybe"), "no": _l("No")}
RATING_LABELS = {
    1: _l("1 – very poor"),
    2: _l("2 – poor"),
    3: _l("3 – fair"),
    4: _l("4 – good"),
    5: _l("5 – very good"),
}
MAX_PARTICIPANTS = 10_000_000


class Window(enum.StrEnum):
    NOT_YET = "not-yet"
    OPEN = "open"
    CLOSED = "closed"


def opens_on(edition: Edition) -> date:
    return edition.week_end + timedelta(days=1)


def window(edition: Edition, today: date) -> Window:
    if today < opens_on(edition):
        return Window.NOT_YET
    return Window.OPEN if today <= edition.evaluation_deadline else Window.CLOSED


class SurveyClosed(DomainError):
    pass


class Incomplete(DomainError):
    def __init__(self, missing: dict[str, object]) -> None:
        super().__init__(_l("Answer the questions marked below to submit the evaluation."))
        self.missing = missing  # field → message


def evaluation_of(registration: Registration) -> Evaluation | None:
    return db.session.scalar(sa.select(Evaluation).where(Evaluation.registration_id == registration.id))


@dataclass(frozen=True)
class Answers:
    participants: int | None
    channels: list[str]
    ratings: dict[str, int]
    effects: list[str]
    again: str | None
    keep: str
    strengthen: str
    adjust: str
    remarks: str


def _missing(answers: Answers) -> dict[str, object]:
    missing: dict[str, object] = {}
    if answers.participants is None:
        missing["participants"] = _l("Fill in how many people you reached (an estimate is fine).")
    if not answers.channels:
        missing["channels"] = _l("Choose at least one channel.")
    for key in MATERIALS:
        if key not in answers.ratings:
            missing[f"rating_{key}"] = _l("Give a score from 1 to 5, or choose “not used”.")
    if answers.again is None:
        missing["again"] = _l("Tell us whether you will take part again.")
    return missing


def save(
    registration: Registration, answers: Answers, *, submit: bool, by_id: int | None, now: datetime, today: date
) -> Evaluation:
    """Store the answers as a draft, or submit them (every required question answered).
    Raises SurveyClosed outside the survey's window and Incomplete when submitting too early."""
    edition = registration.edition
    state = window(edition, today)
    if state is Window.NOT_YET:
        raise SurveyClosed(_l("The evaluation opens on the day after the week."))
    if state is Window.CLOSED:
        raise SurveyClosed(_l("The evaluation is closed: its deadline has passed."))
    if registration.status != RegistrationStatus.ACTIVE:
        raise SurveyClosed(_l("This registration was withdrawn."))
    evaluation = evaluation_of(registration)
    # A submitted evaluation stays complete: a later save is checked as a submission.
    submit = submit or (evaluation is not None and evaluation.submitted_at is not None)
    if submit:
        missing = _missing(answers)
        if missing:
            raise Incomplete(missing)
    if evaluation is None:
        evaluation = Evaluation(registration=registration)
        db.session.add(evaluation)
    evaluation.participants = answers.participants
    evaluation.channels = [key for key in CHANNELS if key in answers.channels]
    evaluation.ratings = {key: answers.ratings[key] for key in MATERIALS if key in answers.ratings}
    evaluation.effects = [key for key in EFFECTS if key in answers.effects]
    evaluation.again = answers.again
    evaluation.keep, evaluation.strengthen = answers.keep, answers.strengthen
    evaluation.adjust, evaluation.remarks = answers.adjust, answers.remarks
    evaluation.updated_by_id = by_id
    if submit:
        evaluation.submitted_at = evaluation.submitted_at or now
        registration.evaluation_submitted_at = evaluation.submitted_at
    db.session.flush()
    return evaluation


# Results for the campaign team ------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    registered: int
    submitted: int
    drafts: int
    participants_total: int
    participants_median: float | None
    channels: dict[str, int]
    ratings: dict[str, dict[int, int]]  # material → score (0 = not used) → answers
    averages: dict[str, float | None]  # material → mean of the scores 1..5
    effects: dict[str, int]
    again: dict[str, int]
    texts: list[tuple[str, Evaluation]]  # (municipality name, evaluation) of submitted ones with text

    @property
    def response_rate(self) -> float:
        return self.submitted / self.registered if self.registered else 0.0


def results(edition: Edition) -> Results:
    """Response rate and the submitted answers of the edition, counted per question."""
    registered = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.edition_id == edition.id, Registration.status == RegistrationStatus.ACTIVE)
    )
    rows = db.session.execute(
        sa.select(Evaluation, Municipality.name_nl)
        .join(Registration, Registration.id == Evaluation.registration_id)
        .join(Municipality, Municipality.id == Registration.municipality_id)
        .where(Registration.edition_id == edition.id, Registration.status == RegistrationStatus.ACTIVE)
        .order_by(Municipality.name_nl)
    ).all()
    done = [(name, e) for e, name in rows if e.submitted_at is not None]
    answers = [e for _, e in done]
    reach = [e.participants for e in answers if e.participants is not None]
    ratings = {key: {score: 0 for score in range(6)} for key in MATERIALS}
    for e in answers:
        for key, score in e.ratings.items():
            if key in ratings and score in ratings[key]:
                ratings[key][score] += 1
    averages = {}
    for key, counts in ratings.items():
        scored = sum(counts[s] for s in range(1, 6))
        averages[key] = round(sum(s * counts[s] for s in range(1, 6)) / scored, 2) if scored else None
    return Results(
        registered=registered or 0,
        submitted=len(answers),
        drafts=len(rows) - len(answers),
        participants_total=sum(reach),
        participants_median=statistics.median(reach) if reach else None,
        channels={key: sum(key in e.channels for e in answers) for key in CHANNELS},
        ratings=ratings,
        averages=averages,
        effects={key: sum(key in e.effects for e in answers) for key in EFFECTS},
        again={key: sum(e.again == key for e in answers) for key in AGAIN},
        texts=[(name, e) for name, e in done if e.keep or e.strengthen or e.adjust or e.remarks],
    )
