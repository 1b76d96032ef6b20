"""Highlights: heroes and actions the campaign team puts forward to the press.

A highlight is published from its ``publish_at`` (the embargo) on, and only while what it
shows may be shown: a hero with valid consent for the press *and* the web (the press room is
a public web page; not withdrawn, not expired, not erased) of an active registration, or a
public action of an active registration. Every list here
checks that on each call, so withdrawing consent takes a hero out of the press room, the
feed and the press export at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.actions.models import Action, ActionSdg
from campaign.core.errors import DomainError
from campaign.core.uploads import Upload
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import Consent, ConsentScope, Hero, consent_allows, hero_sdg
from campaign.press.models import TEXT_MAX, TITLE_MAX, Highlight
from campaign.reference.models import Municipality, Province
from campaign.registrations.models import Registration, RegistrationStatus
from campaign.registrations.services import local_date


class InvalidHighlight(DomainError):
    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Photo:
    upload: Upload
    caption: str
    credit: str


@dataclass(frozen=True)
class Item:
    """A published highlight as the press sees it."""

    highlight: Highlight
    municipality: Municipality
    province: Province
    sdgs: tuple[int, ...]
    photos: tuple[Photo, ...]

    @property
    def kind(self) -> str:
        return "hero" if self.highlight.hero_id else "action"

    @property
    def hero(self) -> Hero | None:
        return self.highlight.hero

    @property
    def action(self) -> Action | None:
        return self.highlight.action


# The team's side --------------------------------------------------------------------------


def _check(title: str, text: str) -> None:
    if not title.strip():
        raise InvalidHighlight(_l("Give the highlight a title."), "title")
    if len(title) > TITLE_MAX:
        raise InvalidHighlight(_l("The title is too long."), "title")
    if not text.strip():
        raise InvalidHighlight(_l("Write a short press text."), "text")
    if len(text) > TEXT_MAX:
        raise InvalidHighlight(_l("The press text is too long."), "text")


PUBLISHED_SCOPES = (ConsentScope.PRESS, ConsentScope.WEB)  # the press room is on the open web


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(text: str) -> str:
    """Without control characters (they have no place in a press text and break XML feeds)."""
    return _CONTROL.sub("", text)


def qualifies(hero: Hero, *, today: date) -> bool:
    """A hero may be a highlight only with valid consent for the press and the web, of an
    active registration."""
    return (
        hero.erased_at is None
        and hero.registration.status == RegistrationStatus.ACTIVE
        and all(hero.allows(scope, today) for scope in PUBLISHED_SCOPES)
    )


def highlight_of(*, hero: Hero | None = None, action: Action | None = None) -> Highlight | None:
    if hero is not None:
        return db.session.scalar(sa.select(Highlight).where(Highlight.hero_id == hero.id))
    if action is not None:
        return db.session.scalar(sa.select(Highlight).where(Highlight.action_id == action.id))
    return None


def save(
    *,
    hero: Hero | None = None,
    action: Action | None = None,
    title: str,
    text: str,
    publish_at: datetime,
    today: date,
    by_id: int | None,
) -> Highlight:
    """Create or change the highlight of ``hero`` or ``action``."""
    _check(title, text)
    if hero is not None and not qualifies(hero, today=today):
        raise InvalidHighlight(
            _l("This hero has not given (valid) consent for the press and the website, so cannot be a highlight.")
        )
    if action is not None and not action.is_public:
        raise InvalidHighlight(_l("This action is not public, so cannot be a highlight."))
    subject = hero or action
    assert subject is not None
    highlight = highlight_of(hero=hero, action=action)
    if highlight is None:
        highlight = Highlight(edition_id=subject.edition_id, hero=hero, action=action, created_by_id=by_id)
        db.session.add(highlight)
    highlight.title = _printable(title).strip()
    highlight.text = _printable(text).strip()
    highlight.publish_at = publish_at
    db.session.flush()
    return highlight


def remove(highlight: Highlight) -> None:
    db.session.delete(highlight)
    db.session.flush()


def for_team(edition: Edition) -> list[Highlight]:
    """Every highlight of the edition, published or not, newest publication first."""
    return list(
        db.session.scalars(
            sa.select(Highlight)
            .where(Highlight.edition_id == edition.id)
            .options(
                sa.orm.joinedload(Highlight.hero).joinedload(Hero.consent),
                sa.orm.joinedload(Highlight.hero).joinedload(Hero.municipality),
                sa.orm.joinedload(Highlight.action).joinedload(Action.municipality),
            )
            .order_by(Highlight.publish_at.desc(), Highlight.id.desc())
        ).unique()
    )


def is_live(highlight: Highlight, *, now: datetime) -> bool:
    """Whether the press sees this highlight now (embargo over, consent or publicity in order)."""
    if highlight.publish_at > now:
        return False
    if highlight.hero is not None:
        return qualifies(highlight.hero, today=local_date(now))
    action = highlight.action
    return action is not None and action.is_public and action.registration.status == RegistrationStatus.ACTIVE


# The press's side -------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Which published highlights: the whole edition, or a province, SDG or municipality."""

    province_id: int | None = None
    sdg: int | None = None
    municipality_id: int | None = None


def _hero_joins(stmt: sa.Select, now: datetime) -> sa.Select:
    """``stmt`` over highlights, narrowed to heroes the press may see now: valid consent for the
    press and the web, not erased (the registration is joined for ``_live``)."""
    return (
        stmt.join(Hero, Hero.id == Highlight.hero_id)
        .join(Consent, Consent.hero_id == Hero.id)
        .join(Registration, Registration.id == Hero.registration_id)
        .where(*(consent_allows(scope, local_date(now)) for scope in PUBLISHED_SCOPES), Hero.erased_at.is_(None))
    )


def _live(stmt: sa.Select, now: datetime) -> sa.Select:
    """Past the embargo, of an active registration."""
    return stmt.where(Highlight.publish_at <= now, Registration.status == RegistrationStatus.ACTIVE)


def _hero_highlights(edition: Edition, now: datetime, selection: Selection) -> sa.Select:
    stmt = _live(_hero_joins(sa.select(Highlight, Hero.municipality_id), now), now)
    if selection.sdg:
        stmt = stmt.where(sa.exists().where(hero_sdg.c.hero_id == Hero.id, hero_sdg.c.sdg_number == selection.sdg))
    return _selected(stmt, Hero.municipality_id, edition, selection)


def _action_highlights(edition: Edition, now: datetime, selection: Selection) -> sa.Select:
    stmt = _live(
        sa.select(Highlight, Action.municipality_id)
        .join(Action, Action.id == Highlight.action_id)
        .join(Registration, Registration.id == Action.registration_id)
        .where(Action.is_public.is_(True)),
        now,
    )
    if selection.sdg:
        stmt = stmt.where(sa.exists().where(ActionSdg.action_id == Action.id, ActionSdg.sdg_number == selection.sdg))
    return _selected(stmt, Action.municipality_id, edition, selection)


def _selected(stmt: sa.Select, municipality_id, edition: Edition, selection: Selection) -> sa.Select:
    stmt = stmt.where(Highlight.edition_id == edition.id)
    if selection.municipality_id:
        stmt = stmt.where(municipality_id == selection.municipality_id)
    if selection.province_id:
        stmt = stmt.where(
            municipality_id.in_(sa.select(Municipality.id).where(Municipality.province_id == selection.province_id))
        )
    return stmt


def published(edition: Edition, *, now: datetime, selection: Selection | None = None) -> list[Item]:
    """The edition's published highlights in the selection, newest first."""
    selection = selection or Selection()
    hero = sa.orm.selectinload(Highlight.hero)
    action = sa.orm.selectinload(Highlight.action)
    rows = [
        *db.session.execute(
            _hero_highlights(edition, now, selection).options(
                hero.selectinload(Hero.sdgs), hero.joinedload(Hero.photo), hero.joinedload(Hero.consent)
            )
        ),
        *db.session.execute(
            _action_highlights(edition, now, selection).options(
                action.selectinload(Action.sdg_links), action.selectinload(Action.photos)
            )
        ),
    ]
    if not rows:
        return []
    places = {
        m.id: (m, p)
        for m, p in db.session.execute(
            sa.select(Municipality, Province)
            .join(Province, Province.id == Municipality.province_id)
            .where(Municipality.id.in_({mid for _, mid in rows}))
        )
    }
    items = []
    for highlight, municipality_id in rows:
        municipality, province = places[municipality_id]
        items.append(Item(highlight, municipality, province, _sdgs(highlight), _photos(highlight)))
    return sorted(items, key=lambda item: (item.highlight.publish_at, item.highlight.id), reverse=True)


def _sdgs(highlight: Highlight) -> tuple[int, ...]:
    if highlight.hero is not None:
        return tuple(sdg.number for sdg in highlight.hero.sdgs)
    assert highlight.action is not None
    return tuple(sorted(link.sdg_number for link in highlight.action.sdg_links))


def _photos(highlight: Highlight) -> tuple[Photo, ...]:
    hero = highlight.hero
    if hero is not None:
        return (Photo(hero.photo, hero.name, hero.photo_credit),) if hero.photo is not None else ()
    assert highlight.action is not None
    return tuple(Photo(p.upload, p.caption, p.credit) for p in highlight.action.photos)


def last_change(edition: Edition) -> datetime | None:
    """When the edition's highlights last changed (for the feed's ``updated``)."""
    return db.session.scalar(sa.select(sa.func.max(Highlight.updated_at)).where(Highlight.edition_id == edition.id))


def forget_erased_heroes() -> int:
    """Delete the highlights of heroes whose personal data was erased (retention): their title
    and press text may name them. Returns how many went."""
    erased = sa.select(Hero.id).where(Hero.erased_at.is_not(None))
    return db.session.execute(sa.delete(Highlight).where(Highlight.hero_id.in_(erased))).rowcount or 0
