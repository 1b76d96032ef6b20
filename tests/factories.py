"""Plain factory functions for tests. They flush, like services, and return the object."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from campaign.accounts.models import User, UserStatus
from campaign.actions.models import Action, ActionSdg, ActionType
from campaign.core.auth import Role
from campaign.core.uploads import Upload
from campaign.editions.models import Edition
from campaign.editions.services import default_dates
from campaign.extensions import db
from campaign.heroes.models import Consent, Hero
from campaign.reference.models import Municipality, Sdg
from campaign.registrations.models import Registration, RegistrationStatus, Track

PASSWORD = "correct horse battery"
# Hashed once with a cheap method: the tests need many users, not slow hashing.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_sequence = itertools.count(1)


def municipality(nis_code: str) -> Municipality:
    return db.session.scalar(sa.select(Municipality).where(Municipality.nis_code == nis_code))


def make_edition(year: int = 2025, *, current: bool = False, focus: tuple[int, ...] = (11,), **dates: date) -> Edition:
    values = {**default_dates(year), **dates}
    edition = Edition(
        year=year, title=f"Week van de Duurzame Gemeente {year}", theme=f"Thema {year}", is_current=current, **values
    )
    edition.focus_sdgs = list(db.session.scalars(sa.select(Sdg).where(Sdg.number.in_(focus))))
    db.session.add(edition)
    db.session.flush()
    return edition


def make_officer(
    nis_code: str = "44021", *, status: UserStatus = UserStatus.ACTIVE, email: str | None = None, locale: str = "nl"
) -> User:
    n = next(_sequence)
    user = User(
        email=email or f"officer{n}@{nis_code}.example",
        name=f"Officer {n}",
        password_hash=PASSWORD_HASH,
        role=Role.OFFICER,
        status=status,
        municipality=municipality(nis_code),
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_staff(role: Role = Role.TEAM) -> User:
    n = next(_sequence)
    user = User(
        email=f"staff{n}@vvsg.example",
        name=f"Team {n}",
        password_hash=PASSWORD_HASH,
        role=role,
        status=UserStatus.ACTIVE,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_registration(
    edition: Edition,
    nis_code: str,
    *,
    by: User | None = None,
    track: Track = Track.STARTER,
    status: RegistrationStatus = RegistrationStatus.ACTIVE,
) -> Registration:
    registration = Registration(
        edition=edition,
        municipality=municipality(nis_code),
        contact_name="Contact Persoon",
        contact_email=f"contact@{nis_code}.example",
        contact_phone="09 123 45 67",
        flag_commitment=True,
        heroes_planned=3,
        track=track,
        status=status,
        registered_at=datetime(edition.year, 5, 1, 10, tzinfo=UTC),
        created_by=by,
    )
    db.session.add(registration)
    db.session.flush()
    return registration


def make_action(
    registration: Registration,
    *,
    title: str = "Repair Café",
    sdgs: tuple[int, ...] = (12,),
    public: bool = True,
    day: int = 20,
    description: str = "Samen herstellen.",
) -> Action:
    start = datetime(registration.edition.year, 9, day, 14, tzinfo=UTC)
    action = Action(
        registration=registration,
        edition_id=registration.edition_id,
        municipality_id=registration.municipality_id,
        title=title,
        description=description,
        type=ActionType.PUBLIC_EVENT,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Markt 1",
        is_public=public,
    )
    action.sdg_links = [ActionSdg(sdg_number=n) for n in sdgs]
    db.session.add(action)
    db.session.flush()
    return action


def make_hero(
    registration: Registration,
    *,
    name: str = "Fien Claes",
    scopes: tuple[str, ...] = ("web", "print", "social", "press"),
    given_on: date | None = None,
    withdrawn: bool = False,
    photo: Upload | None = None,
    action: Action | None = None,
) -> Hero:
    hero = Hero(
        registration=registration,
        edition_id=registration.edition_id,
        municipality_id=registration.municipality_id,
        name=name,
        role="vrijwilliger",
        quote="Elke dag een beetje beter.",
        photo=photo,
        action=action,
    )
    hero.sdgs = list(db.session.scalars(sa.select(Sdg).where(Sdg.number == 12)))
    if scopes is not None:
        given_on = given_on or date(registration.edition.year, 7, 1)
        hero.consent = Consent(
            **{scope: scope in scopes for scope in ("web", "print", "social", "press")},
            given_on=given_on,
            expires_on=date(given_on.year + 1, 12, 31),
            recorded_at=datetime(given_on.year, given_on.month, given_on.day, tzinfo=UTC),
            withdrawn_at=datetime(given_on.year, 8, 1, tzinfo=UTC) if withdrawn else None,
        )
    db.session.add(hero)
    db.session.flush()
    return hero


def queue_reset(user: User):
    """A password-reset mail for ``user`` in the outbox (needs a request context)."""
    from campaign.core import mail

    return mail.queue(
        "password_reset",
        to=user.email,
        locale=user.locale,
        kind="password-reset",
        subject="Kies een nieuw wachtwoord",
        user=user,
        link="http://localhost/x",
        hours=2,
    )
