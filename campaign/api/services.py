"""What the open-data API publishes, as plain JSON-ready dicts.

The privacy rules of the API live here, in one place:

- registrations: active ones only, and only the municipality, the edition, the day of
  registration and the track; never the contact person, their e-mail or phone, or the officer;
- actions: the public actions of active registrations, as on the public pages
  (``actions.services._public``);
- heroes: only those whose consent includes the web and is neither withdrawn nor expired on
  ``today``, of active registrations, never erased ones; never the consent itself or its proof.

Statistics come from ``monitoring.figures``, so they agree with the team's dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from campaign.actions import services as action_services
from campaign.actions.models import Action, ActionSdg
from campaign.api.params import ListQuery, province_slug
from campaign.core.audit import AuditEntry
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import Consent, ConsentScope, Hero, consent_allows, hero_sdg
from campaign.monitoring import figures
from campaign.reference.models import Municipality, Province
from campaign.registrations.models import Registration, RegistrationStatus
from campaign.registrations.services import BRUSSELS

Json = dict[str, Any]
MediaUrl = Callable[[int, str], str]  # (upload id, variant) → absolute URL of the public media route


@dataclass(frozen=True)
class Page:
    items: list[Json]
    total: int
    has_next: bool


def _page(statement: sa.Select, query: ListQuery, present: Callable[[Any], Json]) -> Page:
    """One page of ``statement`` (ordered by a unique key, so pages never overlap). A page
    past the end is empty."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    offset = (query.page - 1) * query.per_page
    rows = db.session.scalars(statement.limit(query.per_page).offset(offset)).unique().all() if offset < total else []
    return Page([present(row) for row in rows], total, offset + len(rows) < total)


def _local(moment: datetime) -> str:
    return moment.astimezone(BRUSSELS).isoformat()


def _in_province(municipality_id: Any, province_nis: str) -> sa.ColumnElement[bool]:
    return municipality_id.in_(
        sa.select(Municipality.id)
        .join(Province, Province.id == Municipality.province_id)
        .where(Province.nis_code == province_nis)
    )


def _filtered(statement: sa.Select, query: ListQuery, *, edition_id: Any, municipality_id: Any) -> sa.Select:
    """``statement`` narrowed by the query's edition, province and municipality filters."""
    if query.edition is not None:
        statement = statement.where(edition_id.in_(sa.select(Edition.id).where(Edition.year == query.edition)))
    if query.province is not None:
        statement = statement.where(_in_province(municipality_id, query.province))
    if query.municipality is not None:
        statement = statement.where(
            municipality_id.in_(sa.select(Municipality.id).where(Municipality.nis_code == query.municipality))
        )
    return statement


# Municipalities ------------------------------------------------------------------------------


def _province(province: Province) -> Json:
    return {
        "nis_code": province.nis_code,
        "slug": province_slug(province.name_nl),
        "name_nl": province.name_nl,
        "name_en": province.name_en,
    }


def _municipality_ref(municipality: Municipality) -> Json:
    return {"nis_code": municipality.nis_code, "name_nl": municipality.name_nl}


def _municipality(municipality: Municipality) -> Json:
    return {
        **_municipality_ref(municipality),
        "province": _province(municipality.province),
        "population_2020": municipality.population_2020,
        "merged_2025": municipality.merged_2025,
    }


def _municipalities() -> sa.Select:
    return sa.select(Municipality).options(sa.orm.joinedload(Municipality.province)).order_by(Municipality.nis_code)


def municipalities(query: ListQuery) -> Page:
    """The 285 municipalities of 2025, by NIS code."""
    statement = _municipalities()
    if query.province is not None:
        statement = statement.where(_in_province(Municipality.id, query.province))
    return _page(statement, query, _municipality)


def municipality(nis_code: str) -> Json | None:
    found = db.session.scalar(_municipalities().where(Municipality.nis_code == nis_code))
    return _municipality(found) if found else None


# Editions ---------------------------------------------------------------------------------------


def _edition(edition: Edition) -> Json:
    return {
        "year": edition.year,
        "title": edition.title,
        "theme": edition.theme,
        "week_start": edition.week_start.isoformat(),
        "week_end": edition.week_end.isoformat(),
        "registration_deadline": edition.registration_deadline.isoformat(),
        "current": edition.is_current,
        "focus_sdgs": [sdg.number for sdg in edition.focus_sdgs],
    }


def _editions() -> sa.Select:
    return sa.select(Edition).options(sa.orm.selectinload(Edition.focus_sdgs)).order_by(Edition.year.desc())


def editions(query: ListQuery) -> Page:
    """Every edition, newest first."""
    return _page(_editions(), query, _edition)


def edition(year: int) -> Json | None:
    found = db.session.scalar(_editions().where(Edition.year == year))
    return _edition(found) if found else None


# Registrations -------------------------------------------------------------------------------------


def _registration(registration: Registration) -> Json:
    return {
        "id": registration.id,
        "edition": registration.edition.year,
        "municipality": _municipality_ref(registration.municipality),
        "registered_on": registration.registered_at.astimezone(BRUSSELS).date().isoformat(),
        "track": registration.track.value,
    }


def _registrations() -> sa.Select:
    return (
        sa.select(Registration)
        .where(Registration.status == RegistrationStatus.ACTIVE)
        .options(sa.orm.joinedload(Registration.edition), sa.orm.joinedload(Registration.municipality))
        .order_by(Registration.id)
    )


def registrations(query: ListQuery) -> Page:
    """Active registrations (as the public participants page and the dashboard count them)."""
    statement = _filtered(
        _registrations(), query, edition_id=Registration.edition_id, municipality_id=Registration.municipality_id
    )
    return _page(statement, query, _registration)


def registration(registration_id: int) -> Json | None:
    found = db.session.scalar(_registrations().where(Registration.id == registration_id))
    return _registration(found) if found else None


# Actions -----------------------------------------------------------------------------------------


def _action(action: Action, media_url: MediaUrl) -> Json:
    return {
        "id": action.id,
        "edition": action.edition.year,
        "municipality": _municipality_ref(action.municipality),
        "title": action.title,
        "description": action.description,
        "type": action.type.value,
        "audience": action.audience.value,
        "starts_at": _local(action.starts_at),
        "ends_at": _local(action.ends_at),
        "online": action.online,
        "location": action.location,
        "actual_reach": action.actual_reach,
        "sdgs": [link.sdg_number for link in action.sdg_links],
        "photos": [
            {
                "url": media_url(photo.upload_id, "display"),
                "thumbnail_url": media_url(photo.upload_id, "thumb"),
                "caption": photo.caption,
                "credit": photo.credit,
            }
            for photo in action.photos
        ],
    }


def _actions() -> sa.Select:
    return (
        action_services.public_query()
        .options(
            sa.orm.joinedload(Action.edition),
            sa.orm.joinedload(Action.municipality),
            sa.orm.selectinload(Action.sdg_links),
            sa.orm.selectinload(Action.photos),
        )
        .order_by(Action.starts_at, Action.id)
    )


def actions(query: ListQuery, *, media_url: MediaUrl) -> Page:
    """Public actions of active registrations, by start."""
    statement = _filtered(_actions(), query, edition_id=Action.edition_id, municipality_id=Action.municipality_id)
    if query.sdg is not None:
        statement = statement.where(Action.sdg_links.any(ActionSdg.sdg_number == query.sdg))
    return _page(statement, query, lambda action: _action(action, media_url))


def action(action_id: int, *, media_url: MediaUrl) -> Json | None:
    found = db.session.scalar(_actions().where(Action.id == action_id))
    return _action(found, media_url) if found else None


# Heroes --------------------------------------------------------------------------------------------


def _hero(hero: Hero, media_url: MediaUrl) -> Json:
    photo = None
    if hero.photo_id is not None:
        photo = {
            "url": media_url(hero.photo_id, "display"),
            "thumbnail_url": media_url(hero.photo_id, "thumb"),
            "credit": hero.photo_credit,
            "focal_point": {"x": hero.focal_x, "y": hero.focal_y},
        }
    return {
        "id": hero.id,
        "edition": hero.edition.year,
        "municipality": _municipality_ref(hero.municipality),
        "name": hero.name,
        "role": hero.role,
        "quote": hero.quote,
        "story": hero.story,
        "sdgs": [sdg.number for sdg in hero.sdgs],
        # A hero's action is one of its own registration's, which is active: it is public when
        # it is marked so.
        "action_id": hero.action_id if hero.action is not None and hero.action.is_public else None,
        "photo": photo,
    }


def _heroes(today: date) -> sa.Select:
    """Heroes the public may see on ``today`` (the rule of ``heroes.services.public_heroes``),
    never one whose personal data was erased."""
    return (
        sa.select(Hero)
        .join(Consent, Consent.hero_id == Hero.id)
        .join(Registration, Registration.id == Hero.registration_id)
        .where(
            consent_allows(ConsentScope.WEB, today),
            Registration.status == RegistrationStatus.ACTIVE,
            Hero.erased_at.is_(None),
        )
        .options(
            sa.orm.joinedload(Hero.edition),
            sa.orm.joinedload(Hero.municipality),
            sa.orm.joinedload(Hero.action),
            sa.orm.selectinload(Hero.sdgs),
        )
        .order_by(Hero.id)
    )


def heroes(query: ListQuery, *, today: date, media_url: MediaUrl) -> Page:
    """Heroes with web consent valid on ``today``, by id."""
    statement = _filtered(_heroes(today), query, edition_id=Hero.edition_id, municipality_id=Hero.municipality_id)
    if query.sdg is not None:
        statement = statement.where(
            Hero.id.in_(sa.select(hero_sdg.c.hero_id).where(hero_sdg.c.sdg_number == query.sdg))
        )
    return _page(statement, query, lambda hero: _hero(hero, media_url))


def hero(hero_id: int, *, today: date, media_url: MediaUrl) -> Json | None:
    found = db.session.scalar(_heroes(today).where(Hero.id == hero_id))
    return _hero(found, media_url) if found else None


# Statistics ----------------------------------------------------------------------------------------


def statistics(year: int, *, today: date) -> Json | None:
    """The edition's figures, as the dashboard shows them (``monitoring.figures``): heroes and
    actions are counted over every active registration, whatever their consent or visibility."""
    found = db.session.scalar(sa.select(Edition).where(Edition.year == year))
    if found is None:
        return None
    key = figures.key_figures(found, None, today=today)
    sdg_rows, pillar_rows = figures.sdg_figures(found)
    return {
        "edition": found.year,
        "municipalities": key.total,
        "registered": key.registered,
        "heroes": key.heroes,
        "actions": key.actions,
        "per_province": [
            {"province": _province(row.province), "municipalities": row.municipalities, "registered": row.registered}
            for row in figures.per_province(found)
        ],
        "per_sdg": [
            {
                "sdg": row.sdg.number,
                "name_nl": row.sdg.name_nl,
                "name_en": row.sdg.name_en,
                "pillar": row.sdg.pillar.value,
                "focus": row.focus,
                "actions": row.actions,
                "heroes": row.heroes,
            }
            for row in sdg_rows
        ],
        "per_pillar": [
            {"pillar": row.pillar.value, "actions": row.actions, "heroes": row.heroes} for row in pillar_rows
        ],
    }


# Freshness -----------------------------------------------------------------------------------------


def last_change(*, now: datetime) -> datetime | None:
    """When the published data last changed, to the second, for ``Last-Modified``; None when
    that cannot be told safely.

    Every create, change or delete of a registration, action, hero, consent or edition writes
    an audit entry (``core.audit``). Consent also ends by date, without any write, so the answer
    is never earlier than the start of today (Belgian time). A moment less than a second before
    ``now`` is no safe validator (HTTP dates have whole seconds: a second change within the
    same second would look unchanged), so then there is none."""
    newest = db.session.scalar(sa.select(sa.func.max(AuditEntry.at)))
    local_now = now.astimezone(BRUSSELS)
    start_of_today = datetime.combine(local_now.date(), datetime.min.time(), tzinfo=BRUSSELS)
    changed = max(newest, start_of_today) if newest is not None else start_of_today
    if changed > now - timedelta(seconds=1):
        return None
    return changed.replace(microsecond=0)
