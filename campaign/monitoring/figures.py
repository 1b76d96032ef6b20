"""Every campaign figure, defined once. The dashboard, the exports and the policy report all
take their numbers from here, so they always agree.

Definitions:
- *registered*: municipalities with an active (not withdrawn) registration for the edition;
  earlier editions' participation is stored under the 2025 municipality (see
  ``Registration.former_municipalities``), so editions compare across the 2025 mergers.
- *registered on the same day*: of an edition, the registrations made at most as many days
  before its week as today is before the current week, and not withdrawn by then.
- *heroes*, *actions*: those of active registrations.
- *heroes with complete consent*: every scope given, not withdrawn, not expired today.
- *kits downloaded*: active registrations whose kit was downloaded at least once.
- Per SDG, an action or hero counts once for every SDG it is linked to; per pillar, once
  for every pillar among its SDGs.
- The step-plan funnel counts registrations that completed each step, with the same rules
  as the officer's step plan (``stepplan.services``).
- *returning*: registered now and in the previous edition; *first time*: registered now and
  in no earlier edition; *dropped out*: registered in the previous edition, not now.

Each function runs a fixed, small number of queries, whatever the number of municipalities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

import sqlalchemy as sa

from campaign.actions.models import Action, ActionSdg
from campaign.editions.models import Edition, edition_focus_sdg
from campaign.extensions import db
from campaign.heroes.models import Consent, Hero, hero_sdg
from campaign.kits.models import KitDownload
from campaign.reference.models import Municipality, Pillar, Province, Sdg
from campaign.registrations.models import Registration, RegistrationStatus
from campaign.registrations.services import BRUSSELS

TOTAL_MUNICIPALITIES = 285
FUNNEL_STEPS = ("registered", "hero", "consent", "kit", "flag")


def active_in(edition_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(Registration.edition_id == edition_id, Registration.status == RegistrationStatus.ACTIVE)


def complete_consent(today: date) -> sa.ColumnElement[bool]:
    """SQL condition on Consent: every scope given, not withdrawn, not expired on ``today``."""
    return sa.and_(
        Consent.web.is_(True),
        Consent.print.is_(True),
        Consent.social.is_(True),
        Consent.press.is_(True),
        Consent.withdrawn_at.is_(None),
        Consent.expires_on >= today,
    )


def days_before_week(edition: Edition, day: date) -> int:
    return (edition.week_start - day).days


# Key figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    registered: int
    previous_same_day: int | None  # None without a previous edition
    heroes: int
    actions: int
    heroes_complete_consent: int
    kits_downloaded: int
    total: int = TOTAL_MUNICIPALITIES

    @property
    def difference(self) -> int | None:
        return None if self.previous_same_day is None else self.registered - self.previous_same_day


def key_figures(
    edition: Edition,
    previous: Edition | None,
    *,
    today: date,
    rows: list[Progress] | None = None,
    previous_days: list[tuple[date, date | None]] | None = None,
) -> KeyFigures:
    """The key figures, from the registrations' progress (one query, or none when ``rows`` are
    given) and, for the comparison, the previous edition's registration days."""
    rows = progress(edition, today=today) if rows is None else rows
    same_day = None
    if previous is not None:
        days = registration_days(previous) if previous_days is None else previous_days
        # For an edition whose week is over, compare with the previous edition's final count.
        same_day = registered_on(previous, days, days_before=max(days_before_week(edition, today), 0))
    return KeyFigures(
        registered=len(rows),
        previous_same_day=same_day,
        heroes=sum(row.heroes for row in rows),
        actions=sum(row.actions for row in rows),
        heroes_complete_consent=sum(row.heroes_complete for row in rows),
        kits_downloaded=sum(1 for row in rows if row.downloaded),
    )


# Per province ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceRow:
    province: Province
    municipalities: int
    registered: int

    @property
    def rate(self) -> float:
        return self.registered / self.municipalities if self.municipalities else 0.0


def per_province(edition: Edition) -> list[ProvinceRow]:
    registered = sa.select(Registration.municipality_id).where(active_in(edition.id)).subquery()
    rows = db.session.execute(
        sa.select(Province, sa.func.count(Municipality.id), sa.func.count(registered.c.municipality_id))
        .join(Municipality, Municipality.province_id == Province.id)
        .outerjoin(registered, registered.c.municipality_id == Municipality.id)
        .group_by(Province.id)
        .order_by(Province.name_nl)
    ).all()
    return [ProvinceRow(province, total, count) for province, total, count in rows]


# Per SDG and pillar ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SdgRow:
    sdg: Sdg
    actions: int
    heroes: int
    focus: bool


@dataclass(frozen=True)
class PillarRow:
    pillar: Pillar
    actions: int
    heroes: int


def sdg_figures(edition: Edition) -> tuple[list[SdgRow], list[PillarRow]]:
    """Actions and heroes per SDG and per 5P pillar, counted by the database in one query over
    the edition's (SDG, action or hero) links, plus one for the SDGs. Per SDG a link counts
    once; per pillar an action or hero counts once, however many of the pillar's SDGs it has."""
    active = sa.select(Registration.id).where(active_in(edition.id))
    links = sa.union_all(
        sa.select(
            sa.literal("action").label("kind"), ActionSdg.sdg_number.label("sdg"), ActionSdg.action_id.label("owner")
        )
        .join(Action, Action.id == ActionSdg.action_id)
        .where(Action.edition_id == edition.id, Action.registration_id.in_(active)),
        sa.select(sa.literal("hero"), hero_sdg.c.sdg_number, hero_sdg.c.hero_id)
        .join(Hero, Hero.id == hero_sdg.c.hero_id)
        .where(Hero.edition_id == edition.id, Hero.registration_id.in_(active)),
    ).cte("links")
    counts = sa.union_all(
        sa.select(
            links.c.kind, sa.literal("sdg").label("level"), sa.cast(links.c.sdg, sa.String).label("of"), sa.func.count()
        ).group_by(links.c.kind, links.c.sdg),
        sa.select(links.c.kind, sa.literal("pillar"), Sdg.pillar, sa.func.count(sa.distinct(links.c.owner)))
        .join(Sdg, Sdg.number == links.c.sdg)
        .group_by(links.c.kind, Sdg.pillar),
    )
    focus = sa.select(edition_focus_sdg.c.sdg_number).where(edition_focus_sdg.c.edition_id == edition.id)
    sdgs = db.session.execute(sa.select(Sdg, Sdg.number.in_(focus)).order_by(Sdg.number)).all()
    counted = {(kind, level, of): number for kind, level, of, number in db.session.execute(counts)}
    return (
        [
            SdgRow(
                sdg,
                counted.get(("action", "sdg", str(sdg.number)), 0),
                counted.get(("hero", "sdg", str(sdg.number)), 0),
                bool(f),
            )
            for sdg, f in sdgs
        ],
        [
            PillarRow(
                pillar,
                counted.get(("action", "pillar", pillar.value), 0),
                counted.get(("hero", "pillar", pillar.value), 0),
            )
            for pillar in Pillar
        ],
    )


def per_sdg(edition: Edition) -> list[SdgRow]:
    return sdg_figures(edition)[0]


# Step-plan funnel ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Where one active registration stands on the step plan."""

    registration_id: int
    municipality_id: int
    heroes: int
    heroes_complete: int
    actions: int
    downloaded: bool
    flag: bool
    last_activity: datetime | None

    @cached_property
    def done(self) -> dict[str, bool]:
        return {
            "registered": True,
            "hero": self.heroes > 0,
            "consent": self.heroes > 0 and self.heroes_complete == self.heroes,
            "kit": self.downloaded,
            "flag": self.flag,
        }

    @cached_property
    def next_step(self) -> str | None:
        """The first step not done, or None when all are."""
        return next((key for key in FUNNEL_STEPS if not self.done[key]), None)


def progress(edition: Edition, *, today: date) -> list[Progress]:
    """Every active registration's progress, in one query."""
    heroes = (
        sa.select(
            Hero.registration_id.label("rid"),
            sa.func.count(Hero.id).label("heroes"),
            sa.func.count(Consent.id).filter(complete_consent(today)).label("complete"),
            sa.func.max(Hero.updated_at).label("changed"),
        )
        .outerjoin(Consent, Consent.hero_id == Hero.id)
        .where(Hero.edition_id == edition.id)
        .group_by(Hero.registration_id)
        .subquery()
    )
    actions = (
        sa.select(
            Action.registration_id.label("rid"),
            sa.func.count(Action.id).label("actions"),
            sa.func.max(Action.updated_at).label("changed"),
        )
        .where(Action.edition_id == edition.id)
        .group_by(Action.registration_id)
        .subquery()
    )
    downloads = (
        sa.select(KitDownload.registration_id.label("rid"), sa.func.max(KitDownload.downloaded_at).label("at"))
        .group_by(KitDownload.registration_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            Registration.id,
            Registration.municipality_id,
            sa.func.coalesce(heroes.c.heroes, 0),
            sa.func.coalesce(heroes.c.complete, 0),
            sa.func.coalesce(actions.c.actions, 0),
            downloads.c.at,
            Registration.flag_photo_id,
            Registration.updated_at,
            heroes.c.changed,
            actions.c.changed,
        )
        .outerjoin(heroes, heroes.c.rid == Registration.id)
        .outerjoin(actions, actions.c.rid == Registration.id)
        .outerjoin(downloads, downloads.c.rid == Registration.id)
        .where(active_in(edition.id))
    ).all()
    result = []
    for rid, mid, hero_count, complete, action_count, downloaded_at, flag, *moments in rows:
        known = [m for m in (*moments, downloaded_at) if m is not None]
        result.append(
            Progress(
                rid,
                mid,
                hero_count,
                complete,
                action_count,
                downloaded_at is not None,
                flag is not None,
                max(known, default=None),
            )
        )
    return result


def funnel(rows: list[Progress]) -> dict[str, int]:
    """How many registrations completed each step."""
    return {key: sum(1 for row in rows if row.done[key]) for key in FUNNEL_STEPS}


# Timeline -----------------------------------------------------------------------------------


def registration_days_of(editions: list[Edition]) -> dict[int, list[tuple[date, date | None]]]:
    """(day registered, day withdrawn or None) of every registration of each edition, in
    Belgium, by edition id (one query). A withdrawn registration without a date never counts."""
    result: dict[int, list[tuple[date, date | None]]] = {edition.id: [] for edition in editions}
    rows = db.session.execute(
        sa.select(
            Registration.edition_id, Registration.registered_at, Registration.withdrawn_at, Registration.status
        ).where(Registration.edition_id.in_(list(result)))
    ).all()
    for edition_id, registered, withdrawn, status in rows:
        if status != RegistrationStatus.ACTIVE and withdrawn is None:
            withdrawn = registered
        result[edition_id].append(
            (registered.astimezone(BRUSSELS).date(), withdrawn.astimezone(BRUSSELS).date() if withdrawn else None)
        )
    return result


def registration_days(edition: Edition) -> list[tuple[date, date | None]]:
    return registration_days_of([edition])[edition.id]


def registered_on(edition: Edition, days: list[tuple[date, date | None]], *, days_before: int) -> int:
    """Municipalities registered at the end of the day ``days_before`` days before the week."""
    day = edition.week_start - timedelta(days=days_before)
    return sum(1 for start, end in days if start <= day and (end is None or end > day))


def cumulative(edition: Edition, days: list[tuple[date, date | None]], *, span: int) -> list[int]:
    """``registered_on`` for each day from ``span`` days before the week to the day before it:
    index i is ``span - i`` days before the week. One pass over the registrations."""
    first = edition.week_start - timedelta(days=span)
    changes = [0] * (span + 1)  # index: days after ``first``
    for start, end in days:
        begin = max((start - first).days, 0)
        if begin < span:
            changes[begin] += 1
            if end is not None:
                stop = max((end - first).days, 0)
                if stop < span:
                    changes[stop] -= 1
    counts, running = [], 0
    for index in range(span):
        running += changes[index]
        counts.append(running)
    return counts


# Returning, first-time, dropped out --------------------------------------------------------------


@dataclass(frozen=True)
class Turnover:
    returning: set[int]
    first_time: set[int]
    dropped: set[int]
    names: dict[int, str]

    def names_of(self, ids: set[int]) -> list[str]:
        return sorted(self.names[i] for i in ids)


def turnover(edition: Edition, previous: Edition | None) -> Turnover:
    """Municipalities (2025 map) by id, with their names: one grouped query, a row per
    municipality that ever took part up to this edition."""

    def took_part(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.max(sa.case((condition, 1), else_=0))

    previous_year = previous.year if previous is not None else -1
    rows = db.session.execute(
        sa.select(
            Registration.municipality_id,
            Municipality.name_nl,
            took_part(Edition.year == edition.year),
            took_part(Edition.year == previous_year),
            took_part(Edition.year < edition.year),
        )
        .join(Edition, Edition.id == Registration.edition_id)
        .join(Municipality, Municipality.id == Registration.municipality_id)
        .where(Registration.status == RegistrationStatus.ACTIVE, Edition.year <= edition.year)
        .group_by(Registration.municipality_id, Municipality.name_nl)
    ).all()
    now = {mid for mid, _, current, _, _ in rows if current}
    last = {mid for mid, _, _, in_previous, _ in rows if in_previous}
    before = {mid for mid, _, _, _, earlier in rows if earlier}
    names = {mid: name for mid, name, *_ in rows}
    return Turnover(returning=now & last, first_time=now - before, dropped=last - now, names=names)


def participation_counts(until_year: int) -> dict[int, int]:
    """How many editions before ``until_year`` each municipality took part in."""
    rows = db.session.execute(
        sa.select(Registration.municipality_id, sa.func.count(sa.distinct(Registration.edition_id)))
        .join(Edition, Edition.id == Registration.edition_id)
        .where(Registration.status == RegistrationStatus.ACTIVE, Edition.year < until_year)
        .group_by(Registration.municipality_id)
    ).all()
    return dict(rows)
