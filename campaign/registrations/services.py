"""Registering a municipality for an edition, and the team's overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.accounts.models import User
from campaign.core.db import utcnow
from campaign.core.errors import Conflict, NotAllowed
from campaign.core.uploads import Upload
from campaign.editions.models import Edition
from campaign.editions.services import current_edition
from campaign.extensions import db
from campaign.reference.models import Municipality, Province
from campaign.registrations.models import Registration, RegistrationStatus, Track

BRUSSELS = ZoneInfo("Europe/Brussels")

FIELDS = ("contact_name", "contact_email", "contact_phone", "flag_commitment", "heroes_planned", "track")


class DeadlinePassed(NotAllowed):
    pass


def local_date(moment: datetime) -> date:
    return moment.astimezone(BRUSSELS).date()


def registration_open(edition: Edition, *, now: datetime | None = None) -> bool:
    """Registration is open up to and including the deadline day, Belgian time."""
    return local_date(now or utcnow()) <= edition.registration_deadline


def _check_deadline(edition: Edition, now: datetime, enforce: bool) -> None:
    if enforce and not registration_open(edition, now=now):
        raise DeadlinePassed(
            _l(
                "The registration deadline (%(deadline)s) has passed. Contact the campaign team.",
                deadline=edition.registration_deadline.strftime("%d/%m/%Y"),
            )
        )


def find(edition: Edition, municipality_id: int) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.edition_id == edition.id, Registration.municipality_id == municipality_id
        )
    )


def register(
    edition: Edition,
    municipality: Municipality,
    *,
    by: User,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    flag_commitment: bool,
    heroes_planned: int,
    track: Track,
    enforce_deadline: bool = True,
    now: datetime | None = None,
) -> Registration:
    """Register ``municipality`` for ``edition``, or take a withdrawn registration up again.

    Raises DeadlinePassed after the deadline, Conflict when it is registered already.
    """
    now = now or utcnow()
    _check_deadline(edition, now, enforce_deadline)
    registration = find(edition, municipality.id)
    if registration is not None and registration.is_active:
        raise Conflict(_l("%(name)s is already registered for this edition.", name=municipality.name_nl))
    if registration is None:
        registration = Registration(edition=edition, municipality=municipality, created_by=by)
        db.session.add(registration)
    registration.status = RegistrationStatus.ACTIVE
    registration.registered_at = now
    registration.withdrawn_at = None
    _set_fields(
        registration,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        flag_commitment=flag_commitment,
        heroes_planned=heroes_planned,
        track=track,
    )
    db.session.flush()
    return registration


def _set_fields(registration: Registration, **values: object) -> None:
    for key in FIELDS:
        if key in values:
            value = values[key]
            if isinstance(value, str):
                value = value.strip()
            if key == "contact_email":
                value = str(value).lower()
            setattr(registration, key, value)


def update(
    registration: Registration, *, enforce_deadline: bool = True, now: datetime | None = None, **values: object
) -> None:
    """Change a registration. Raises DeadlinePassed after the deadline, NotAllowed when withdrawn."""
    _check_deadline(registration.edition, now or utcnow(), enforce_deadline)
    if not registration.is_active:
        raise NotAllowed(_l("This registration was withdrawn. Register again to take part."))
    _set_fields(registration, **values)
    db.session.flush()


def withdraw(registration: Registration, *, enforce_deadline: bool = True, now: datetime | None = None) -> None:
    now = now or utcnow()
    _check_deadline(registration.edition, now, enforce_deadline)
    if not registration.is_active:
        raise NotAllowed(_l("This registration was already withdrawn."))
    registration.status = RegistrationStatus.WITHDRAWN
    registration.withdrawn_at = now
    db.session.flush()


@dataclass(frozen=True)
class RegistrationFilter:
    province_id: int | None = None
    track: Track | None = None
    status: RegistrationStatus | None = RegistrationStatus.ACTIVE
    query: str = ""
    flag_commitment: bool | None = None


def list_registrations(edition: Edition, filters: RegistrationFilter) -> list[Registration]:
    """The edition's registrations matching ``filters``, by municipality name."""
    stmt = (
        sa.select(Registration)
        .join(Registration.municipality)
        .join(Municipality.province)
        .where(Registration.edition_id == edition.id)
        .options(sa.orm.contains_eager(Registration.municipality).contains_eager(Municipality.province))
        .order_by(Municipality.name_nl)
    )
    if filters.province_id:
        stmt = stmt.where(Municipality.province_id == filters.province_id)
    if filters.track:
        stmt = stmt.where(Registration.track == filters.track)
    if filters.status:
        stmt = stmt.where(Registration.status == filters.status)
    if filters.flag_commitment is not None:
        stmt = stmt.where(Registration.flag_commitment.is_(filters.flag_commitment))
    if filters.query.strip():
        term = f"%{filters.query.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Municipality.name_nl).like(term),
                Municipality.nis_code.like(term),
                sa.func.lower(Registration.contact_name).like(term),
            )
        )
    return list(db.session.scalars(stmt))


def count_active(edition: Edition) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.edition_id == edition.id, Registration.status == RegistrationStatus.ACTIVE)
    )


def provinces() -> list[Province]:
    return list(db.session.scalars(sa.select(Province).order_by(Province.name_nl)))


def set_flag_photo(registration: Registration, upload: Upload, *, now: datetime | None = None) -> None:
    """Store the photo of the raised SDG flag (step 5 of the step plan)."""
    if not registration.is_active:
        raise NotAllowed(_l("This registration was withdrawn."))
    registration.flag_photo = upload
    registration.flag_photo_at = now or utcnow()
    db.session.flush()


def current_registration_of(municipality_id: int | None) -> Registration | None:
    """The municipality's active registration for the current edition, if any."""
    edition = current_edition()
    if edition is None or municipality_id is None:
        return None
    registration = find(edition, municipality_id)
    return registration if registration is not None and registration.is_active else None
