"""Heroes, their photo and focal point, and their consent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.accounts.models import User
from campaign.actions.models import Action
from campaign.core import signals
from campaign.core.db import utcnow
from campaign.core.errors import DomainError, NotAllowed
from campaign.core.pagination import Page, paginate
from campaign.core.uploads import Upload
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import QUOTE_MAX, Consent, ConsentScope, Hero, consent_allows
from campaign.reference.models import Municipality, Sdg
from campaign.registrations.models import Registration, RegistrationStatus

FIELDS = ("name", "role", "quote", "story", "photo_credit")

# The photo on an A3 hero poster fills the top 57 % of the page, bleed included (in inches).
A3_PHOTO_BOX = ((297 + 2 * 3) / 25.4, (420 * 0.57 + 3) / 25.4)
MIN_PRINT_PPI = 150


def print_ppi(upload: Upload) -> int | None:
    """The resolution the photo gets on an A3 poster, cropped to cover the photo area."""
    if not upload.width or not upload.height:
        return None
    box_w, box_h = A3_PHOTO_BOX
    return int(min(upload.width / box_w, upload.height / box_h))


def min_print_size() -> tuple[int, int]:
    """The smallest photo (width, height) in pixels that prints sharp on an A3 poster."""
    box_w, box_h = A3_PHOTO_BOX
    return round(box_w * MIN_PRINT_PPI + 0.5), round(box_h * MIN_PRINT_PPI + 0.5)


class InvalidHero(DomainError):
    def __init__(self, message: object, field: str) -> None:
        super().__init__(message)
        self.field = field


def default_expiry(given_on: date) -> date:
    """Consent runs to the end of the year after it was given, unless agreed otherwise."""
    return date(given_on.year + 1, 12, 31)


def _sdgs(numbers: Iterable[int]) -> list[Sdg]:
    return list(db.session.scalars(sa.select(Sdg).where(Sdg.number.in_(set(numbers))).order_by(Sdg.number)))


def _action_of(registration: Registration, action_id: int | None) -> Action | None:
    if not action_id:
        return None
    action = db.session.get(Action, action_id)
    if action is None or action.registration_id != registration.id:
        raise InvalidHero(_l("Choose one of your own actions."), "action")
    return action


def _apply(hero: Hero, values: dict, sdgs: list[int], action_id: int | None) -> None:
    quote = (values.get("quote") or "").strip()
    if len(quote) > QUOTE_MAX:
        raise InvalidHero(
            _l("The quote is at most %(n)d characters, so that it fits on the poster.", n=QUOTE_MAX), "quote"
        )
    if not sdgs:
        raise InvalidHero(_l("Choose at least one SDG."), "sdgs")
    for key in FIELDS:
        if key in values:
            value = values[key]
            setattr(hero, key, value.strip() if isinstance(value, str) else value)
    hero.sdgs = _sdgs(sdgs)
    hero.action = _action_of(hero.registration, action_id)


def create_hero(registration: Registration, *, sdgs: list[int], action_id: int | None = None, **values: object) -> Hero:
    """Add a hero to ``registration``. Raises InvalidHero, NotAllowed when withdrawn."""
    if registration.status != RegistrationStatus.ACTIVE:
        raise NotAllowed(_l("This registration was withdrawn. Register again to add heroes."))
    hero = Hero(
        registration=registration, edition_id=registration.edition_id, municipality_id=registration.municipality_id
    )
    _apply(hero, values, sdgs, action_id)
    db.session.add(hero)
    db.session.flush()
    return hero


def update_hero(hero: Hero, *, sdgs: list[int], action_id: int | None = None, **values: object) -> None:
    _apply(hero, values, sdgs, action_id)
    db.session.flush()


def delete_hero(hero: Hero) -> None:
    db.session.delete(hero)
    db.session.flush()


def set_photo(hero: Hero, upload: Upload, *, credit: str | None = None) -> None:
    """Use ``upload`` as the hero's photo; the focal point goes back to the centre."""
    hero.photo = upload
    hero.focal_x = hero.focal_y = 0.5
    if credit is not None:
        hero.photo_credit = credit.strip()
    db.session.flush()


def set_focal_point(hero: Hero, x: float, y: float) -> None:
    """Store the point of the photo that crops keep in view, as fractions from 0 to 1."""
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise InvalidHero(_l("Click inside the photo to choose the focal point."), "focal")
    hero.focal_x, hero.focal_y = round(x, 4), round(y, 4)
    db.session.flush()


def record_consent(
    hero: Hero,
    *,
    scopes: Iterable[ConsentScope],
    given_on: date,
    expires_on: date | None = None,
    by: User,
    proof: Upload | None = None,
    now: datetime | None = None,
) -> Consent:
    """Record (or replace) the hero's consent. Raises InvalidHero for impossible dates."""
    scopes = set(scopes)
    expires_on = expires_on or default_expiry(given_on)
    if expires_on < given_on:
        raise InvalidHero(_l("The consent cannot expire before it was given."), "expires_on")
    consent = hero.consent or Consent(hero=hero)
    for scope in ConsentScope:
        setattr(consent, scope.value, scope in scopes)
    consent.given_on = given_on
    consent.expires_on = expires_on
    consent.recorded_by = by
    consent.recorded_at = now or utcnow()
    if proof is not None:
        consent.proof = proof
    consent.withdrawn_at = None
    consent.withdrawn_by = None
    db.session.add(consent)
    db.session.flush()
    signals.consent_changed.send(hero)
    return consent


def withdraw_consent(hero: Hero, *, by: User, now: datetime | None = None) -> None:
    """Withdraw every scope at once. Public pages check consent on every request, so the
    hero disappears from them immediately. Raises NotAllowed when there is none."""
    if hero.consent is None or hero.consent.is_withdrawn:
        raise NotAllowed(_l("There is no consent to withdraw."))
    hero.consent.withdrawn_at = now or utcnow()
    hero.consent.withdrawn_by = by
    db.session.flush()
    signals.consent_changed.send(hero)


def heroes_of(registration: Registration) -> list[Hero]:
    return list(
        db.session.scalars(
            sa.select(Hero)
            .where(Hero.registration_id == registration.id)
            .options(sa.orm.selectinload(Hero.sdgs), sa.orm.joinedload(Hero.consent), sa.orm.joinedload(Hero.photo))
            .order_by(Hero.name)
        ).unique()
    )


def public_heroes(
    *,
    today: date,
    edition: Edition | None = None,
    municipality: Municipality | None = None,
    action: Action | None = None,
) -> list[Hero]:
    """Heroes whose valid consent includes the web, of active registrations."""
    stmt = (
        sa.select(Hero)
        .join(Consent, Consent.hero_id == Hero.id)
        .join(Registration, Registration.id == Hero.registration_id)
        .where(consent_allows(ConsentScope.WEB, today), Registration.status == RegistrationStatus.ACTIVE)
        .options(sa.orm.selectinload(Hero.sdgs), sa.orm.joinedload(Hero.photo))
        .order_by(Hero.name)
    )
    if edition is not None:
        stmt = stmt.where(Hero.edition_id == edition.id)
    if municipality is not None:
        stmt = stmt.where(Hero.municipality_id == municipality.id)
    if action is not None:
        stmt = stmt.where(Hero.action_id == action.id)
    return list(db.session.scalars(stmt).unique())


def is_public(hero: Hero, *, today: date) -> bool:
    return hero.registration.status == RegistrationStatus.ACTIVE and hero.allows(ConsentScope.WEB, today)


def photo_usage_is_public(upload_id: int, *, today: date) -> bool:
    """True when a public page shows this image as a hero's photo."""
    return (
        db.session.scalar(
            sa.select(Hero.id)
            .join(Consent, Consent.hero_id == Hero.id)
            .join(Registration, Registration.id == Hero.registration_id)
            .where(
                Hero.photo_id == upload_id,
                consent_allows(ConsentScope.WEB, today),
                Registration.status == RegistrationStatus.ACTIVE,
            )
            .limit(1)
        )
        is not None
    )


def team_heroes(edition: Edition | None, *, province_id: int | None, text: str, page: int) -> Page[Hero]:
    """Every hero of an edition with its consent, for the campaign team."""
    stmt = (
        sa.select(Hero)
        .options(sa.orm.joinedload(Hero.municipality), sa.orm.joinedload(Hero.consent))
        .order_by(Hero.municipality_id, Hero.name)
    )
    if edition is not None:
        stmt = stmt.where(Hero.edition_id == edition.id)
    if province_id:
        stmt = stmt.where(
            Hero.municipality_id.in_(sa.select(Municipality.id).where(Municipality.province_id == province_id))
        )
    if text.strip():
        term = f"%{text.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Hero.name).like(term),
                Hero.municipality_id.in_(
                    sa.select(Municipality.id).where(sa.func.lower(Municipality.name_nl).like(term))
                ),
            )
        )
    return paginate(stmt, page=page, per_page=50)
