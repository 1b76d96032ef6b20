"""Editions: creating, editing and choosing the current one."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.core.db import utcnow
from campaign.core.errors import Conflict, NotFound
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.reference.models import Sdg

DATE_FIELDS = ("week_start", "week_end", "registration_deadline", "hero_deadline", "evaluation_deadline")


class EditionNotFound(NotFound):
    pass


def default_dates(year: int) -> dict[str, date]:
    """The usual calendar: the week runs 18–25 September, deadlines around it."""
    return {
        "week_start": date(year, 9, 18),
        "week_end": date(year, 9, 25),
        "registration_deadline": date(year, 6, 30),
        "hero_deadline": date(year, 8, 31),
        "evaluation_deadline": date(year, 10, 31),
    }


MAX_WEEK_DAYS = 31


def date_problems(values: dict[str, date | None], *, year: int | None) -> dict[str, list[object]]:
    """Return the field errors of a set of edition dates (empty when they are consistent)."""
    problems: dict[str, list[object]] = {}

    def add(field: str, message: object) -> None:
        problems.setdefault(field, []).append(message)

    start, end = values.get("week_start"), values.get("week_end")
    for field in ("week_start", "week_end"):
        value = values.get(field)
        if year is not None and value is not None and value.year != year:
            add(field, _l("The week must fall in the edition's year (%(year)s).", year=year))
    if start and end and end < start:
        add("week_end", _l("The week cannot end before it starts."))
    elif start and end and (end - start).days >= MAX_WEEK_DAYS:
        add("week_end", _l("The campaign week can last at most %(n)d days.", n=MAX_WEEK_DAYS))
    if year is not None:
        for field in ("registration_deadline", "hero_deadline", "evaluation_deadline"):
            value = values.get(field)
            if value is not None and not (year - 1 <= value.year <= year + 1):
                add(field, _l("Choose a date close to the edition's year (%(year)s).", year=year))
    for field, label in (
        ("registration_deadline", _l("The registration deadline")),
        ("hero_deadline", _l("The hero intake deadline")),
    ):
        deadline = values.get(field)
        if deadline and end and deadline > end:
            add(field, _l("%(label)s cannot fall after the week ends.", label=label))
    registration, heroes = values.get("registration_deadline"), values.get("hero_deadline")
    if registration and heroes and heroes < registration:
        add("hero_deadline", _l("The hero intake deadline cannot fall before the registration deadline."))
    evaluation = values.get("evaluation_deadline")
    if evaluation and end and evaluation <= end:
        add("evaluation_deadline", _l("The evaluation deadline must fall after the week."))
    return problems


def get_by_year(year: int) -> Edition:
    """Return the edition of ``year``. Raises EditionNotFound."""
    edition = db.session.scalar(sa.select(Edition).where(Edition.year == year))
    if edition is None:
        raise EditionNotFound(_l("There is no edition for %(year)s.", year=year))
    return edition


def current_edition() -> Edition | None:
    """The edition marked current, or else the most recent one."""
    return db.session.scalar(sa.select(Edition).order_by(Edition.is_current.desc(), Edition.year.desc()).limit(1))


def all_editions() -> list[Edition]:
    return list(db.session.scalars(sa.select(Edition).order_by(Edition.year.desc())))


def _apply(edition: Edition, *, focus_sdgs: list[int], **values: object) -> None:
    for key, value in values.items():
        setattr(edition, key, value)
    edition.focus_sdgs = list(db.session.scalars(sa.select(Sdg).where(Sdg.number.in_(focus_sdgs)).order_by(Sdg.number)))


def create_edition(*, year: int, focus_sdgs: list[int], make_current: bool = False, **values: object) -> Edition:
    """Create an edition. Raises Conflict when the year exists already."""
    if db.session.scalar(sa.select(Edition.id).where(Edition.year == year)) is not None:
        raise Conflict(_l("An edition for %(year)s already exists.", year=year))
    edition = Edition(year=year)
    _apply(edition, focus_sdgs=focus_sdgs, **values)
    db.session.add(edition)
    db.session.flush()
    if make_current:
        set_current(edition)
    return edition


def update_edition(edition: Edition, *, year: int, focus_sdgs: list[int], **values: object) -> None:
    if year != edition.year and db.session.scalar(sa.select(Edition.id).where(Edition.year == year)):
        raise Conflict(_l("An edition for %(year)s already exists.", year=year))
    edition.year = year
    _apply(edition, focus_sdgs=focus_sdgs, **values)
    db.session.flush()


def set_current(edition: Edition) -> None:
    """Make ``edition`` the only current one."""
    db.session.execute(sa.update(Edition).where(Edition.id != edition.id).values(is_current=False))
    edition.is_current = True
    db.session.flush()


M = TypeVar("M")


def save_edition_texts(model: type[M], edition: Edition, **values: str) -> M:
    """Create or change the one row of ``model`` for ``edition`` (primary key ``edition_id``,
    with ``updated_at``): the press room's settings, the report's narrative sections."""
    row = db.session.get(model, edition.id)
    if row is None:
        row = model(edition_id=edition.id)
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, (value or "").strip())
    row.updated_at = utcnow()  # type: ignore[attr-defined]
    db.session.flush()
    return row
