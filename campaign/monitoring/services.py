"""Monitoring services: the dashboard's figures put together, snapshots, the map's statuses and
the gap list. The figures themselves are defined in ``figures``."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from campaign.accounts.models import User
from campaign.actions.models import Action
from campaign.core.audit import AuditEntry
from campaign.core.db import utcnow
from campaign.core.pagination import Page, paginate
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import Hero
from campaign.monitoring import figures
from campaign.monitoring.models import DailySnapshot
from campaign.reference.models import Municipality, Province
from campaign.registrations.models import Registration
from campaign.stepplan import services as stepplan

TIMELINE_DAYS = 150  # the timeline runs from this many days before the week (mid-April) to the day before


def previous_of(edition: Edition, editions: list[Edition]) -> Edition | None:
    """The edition before ``edition`` among ``editions``."""
    return max((e for e in editions if e.year < edition.year), key=lambda e: e.year, default=None)


# Snapshots and the timeline -------------------------------------------------------------------


SNAPSHOT_FIGURES = ("registered", "heroes", "actions", "heroes_complete_consent", "kits_downloaded")


def take_snapshot(edition: Edition, *, today: date, key: figures.KeyFigures | None = None) -> None:
    """Record (or refresh) today's key figures of the edition, in one statement."""
    key = key or figures.key_figures(edition, None, today=today)
    values: dict[str, object] = {name: getattr(key, name) for name in SNAPSHOT_FIGURES}
    values["taken_at"] = utcnow()
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(DailySnapshot).values(edition_id=edition.id, day=today, **values)
    db.session.execute(
        statement.on_conflict_do_update(index_elements=[DailySnapshot.edition_id, DailySnapshot.day], set_=values)
    )


def keep_snapshot(data: Dashboard, *, today: date) -> bool:
    """Take today's snapshot of the current edition if its figures changed since the last one
    (until the jobs process takes them daily). True when one was written; the caller commits."""
    figures_now = tuple(getattr(data.key, name) for name in SNAPSHOT_FIGURES)
    if not data.edition.is_current or data.timeline.today_snapshot == figures_now:
        return False
    take_snapshot(data.edition, today=today, key=data.key)
    return True


@dataclass(frozen=True)
class Timeline:
    days_before: list[int]  # TIMELINE_DAYS … 1
    current: list[int | None]  # None for days still to come
    previous: list[int] | None
    today_snapshot: tuple[int, ...] | None = None  # SNAPSHOT_FIGURES of today's snapshot, if taken


def timeline(
    edition: Edition,
    previous: Edition | None,
    *,
    today: date,
    days: dict[int, list[tuple[date, date | None]]] | None = None,
) -> Timeline:
    """Registered municipalities by day before the week: the snapshot of a day where one was
    taken, else counted back from the registrations' dates (for days before the platform)."""
    rows = db.session.execute(
        sa.select(DailySnapshot.day, *(getattr(DailySnapshot, name) for name in SNAPSHOT_FIGURES)).where(
            DailySnapshot.edition_id == edition.id
        )
    ).all()
    snapshots = {row[0]: row[1] for row in rows}
    today_snapshot = next((tuple(row[1:]) for row in rows if row[0] == today), None)
    editions = [edition] + ([previous] if previous is not None else [])
    days = days if days is not None else figures.registration_days_of(editions)
    counted = figures.cumulative(edition, days[edition.id], span=TIMELINE_DAYS)
    befores = list(range(TIMELINE_DAYS, 0, -1))
    current: list[int | None] = []
    for before, count in zip(befores, counted, strict=True):
        day = edition.week_start - timedelta(days=before)
        current.append(None if day > today else snapshots.get(day, count))
    earlier = figures.cumulative(previous, days[previous.id], span=TIMELINE_DAYS) if previous is not None else None
    return Timeline(befores, current, earlier, today_snapshot)


# The dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    edition: Edition
    previous: Edition | None
    key: figures.KeyFigures
    provinces: list[figures.ProvinceRow]
    sdgs: list[figures.SdgRow]
    pillars: list[figures.PillarRow]
    funnel: dict[str, int]
    timeline: Timeline
    turnover: figures.Turnover


def dashboard(edition: Edition, editions: list[Edition], *, today: date) -> Dashboard:
    """Everything on the dashboard, in seven queries."""
    previous = previous_of(edition, editions)
    rows = figures.progress(edition, today=today)
    sdgs, pillars = figures.sdg_figures(edition)
    days = figures.registration_days_of([edition] + ([previous] if previous is not None else []))
    return Dashboard(
        edition=edition,
        previous=previous,
        key=figures.key_figures(
            edition, previous, today=today, rows=rows, previous_days=days[previous.id] if previous else None
        ),
        provinces=figures.per_province(edition),
        sdgs=sdgs,
        pillars=pillars,
        funnel=figures.funnel(rows),
        timeline=timeline(edition, previous, today=today, days=days),
        turnover=figures.turnover(edition, previous),
    )


# The map ------------------------------------------------------------------------------------


class MapStatus(enum.StrEnum):
    NOT_REGISTERED = "not-registered"
    REGISTERED = "registered"
    HEROES = "heroes"
    KIT = "kit"


def map_statuses(edition: Edition | None, *, today: date) -> dict[int, MapStatus]:
    """Each registered municipality's furthest status, by municipality id (missing: not registered)."""
    if edition is None:
        return {}
    statuses = {}
    for row in figures.progress(edition, today=today):
        if row.downloaded:
            statuses[row.municipality_id] = MapStatus.KIT
        elif row.heroes:
            statuses[row.municipality_id] = MapStatus.HEROES
        else:
            statuses[row.municipality_id] = MapStatus.REGISTERED
    return statuses


def municipality_names() -> dict[int, str]:
    return dict(db.session.execute(sa.select(Municipality.id, Municipality.name_nl)).all())


def nis_codes() -> dict[int, str]:
    """NIS code by municipality id."""
    return dict(db.session.execute(sa.select(Municipality.id, Municipality.nis_code)).all())


def municipality_by_nis(nis_code: str) -> Municipality | None:
    return db.session.scalar(sa.select(Municipality).where(Municipality.nis_code == nis_code))


def municipalities_by_nis() -> dict[str, Municipality]:
    return {m.nis_code: m for m in db.session.scalars(sa.select(Municipality))}


# The gap list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A municipality as the lists show it."""

    nis_code: str
    name: str
    province_nl: str
    province_en: str

    def province(self, locale: str) -> str:
        return self.province_en if locale == "en" else self.province_nl


@dataclass(frozen=True)
class Gap:
    municipality: Place
    contact_name: str
    contact_email: str
    step: str
    deadline: date | None
    days_left: int | None
    last_activity: datetime | None


_PLACE = (Municipality.nis_code, Municipality.name_nl, Province.name_nl, Province.name_en)


def gaps(edition: Edition, *, today: date, province_id: int | None = None, step: str | None = None) -> list[Gap]:
    """Active registrations that have not completed every step, most urgent first."""
    rows = {row.registration_id: row for row in figures.progress(edition, today=today) if row.next_step}
    if not rows:
        return []
    stmt = (
        sa.select(Registration.id, Registration.contact_name, Registration.contact_email, *_PLACE)
        .join(Municipality, Municipality.id == Registration.municipality_id)
        .join(Province, Province.id == Municipality.province_id)
        .where(Registration.id.in_(rows))
    )
    if province_id:
        stmt = stmt.where(Municipality.province_id == province_id)
    deadlines = stepplan.deadlines(edition)
    result = []
    for rid, contact_name, contact_email, *place in db.session.execute(stmt):
        row = rows[rid]
        if step and row.next_step != step:
            continue
        deadline = deadlines[row.next_step]
        result.append(
            Gap(
                Place(*place),
                contact_name,
                contact_email,
                row.next_step,
                deadline,
                (deadline - today).days,
                row.last_activity,
            )
        )
    return sorted(result, key=lambda g: (g.days_left if g.days_left is not None else 10**6, g.municipality.name))


@dataclass(frozen=True)
class Absent:
    municipality: Place
    editions_before: int


def not_registered(edition: Edition, *, province_id: int | None = None) -> list[Absent]:
    """Municipalities without an active registration, those that took part most often first."""
    registered = sa.select(Registration.municipality_id).where(figures.active_in(edition.id))
    stmt = (
        sa.select(Municipality.id, *_PLACE)
        .join(Province, Province.id == Municipality.province_id)
        .where(Municipality.id.not_in(registered))
    )
    if province_id:
        stmt = stmt.where(Municipality.province_id == province_id)
    counts = figures.participation_counts(edition.year)
    absent = [Absent(Place(*place), counts.get(mid, 0)) for mid, *place in db.session.execute(stmt)]
    return sorted(absent, key=lambda a: (-a.editions_before, a.municipality.name))


# A municipality for the team ------------------------------------------------------------------


@dataclass(frozen=True)
class MunicipalityDetail:
    municipality: Municipality
    edition: Edition | None
    history: list[tuple[Edition, Registration | None]]  # every edition, newest first
    officers: list[User]
    current: Registration | None
    progress: figures.Progress | None
    actions: list[Action]
    heroes: list[Hero]


def municipality_detail(municipality: Municipality, edition: Edition | None, *, today: date) -> MunicipalityDetail:
    registrations = {
        r.edition_id: r
        for r in db.session.scalars(sa.select(Registration).where(Registration.municipality_id == municipality.id))
    }
    editions = db.session.scalars(sa.select(Edition).order_by(Edition.year.desc())).all()
    current = registrations.get(edition.id) if edition else None
    progress = None
    if current is not None and current.is_active:
        progress = next((p for p in figures.progress(edition, today=today) if p.registration_id == current.id), None)
    return MunicipalityDetail(
        municipality=municipality,
        edition=edition,
        history=[(e, registrations.get(e.id)) for e in editions],
        officers=list(
            db.session.scalars(sa.select(User).where(User.municipality_id == municipality.id).order_by(User.name))
        ),
        current=current,
        progress=progress,
        actions=list(
            db.session.scalars(sa.select(Action).where(Action.registration_id == current.id).order_by(Action.starts_at))
        )
        if current
        else [],
        heroes=list(db.session.scalars(sa.select(Hero).where(Hero.registration_id == current.id).order_by(Hero.name)))
        if current
        else [],
    )


# The audit log --------------------------------------------------------------------------------


def audit_entries(*, nis_code: str | None, user_id: int | None, entity: str | None, page: int) -> Page:
    stmt = (
        sa.select(AuditEntry)
        .options(sa.orm.joinedload(AuditEntry.user), sa.orm.joinedload(AuditEntry.municipality))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if nis_code:
        stmt = stmt.join(Municipality, Municipality.id == AuditEntry.municipality_id).where(
            Municipality.nis_code == nis_code
        )
    if user_id:
        stmt = stmt.where(AuditEntry.user_id == user_id)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    return paginate(stmt, page=page, per_page=50)


def audit_users() -> list[User]:
    """The users who appear in the audit log, by name."""
    return list(
        db.session.scalars(
            sa.select(User).where(User.id.in_(sa.select(AuditEntry.user_id).distinct())).order_by(User.name)
        )
    )
