"""Queries for the public pages."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from campaign.actions.models import Action
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.reference.models import Municipality, Province
from campaign.registrations.models import Registration, RegistrationStatus


@dataclass(frozen=True)
class ParticipantRow:
    municipality: Municipality
    province: Province
    public_actions: int


def participants(edition: Edition, *, province_id: int | None) -> list[ParticipantRow]:
    """The municipalities taking part in ``edition``, by name, with their public action count."""
    actions = (
        sa.select(Action.municipality_id, sa.func.count(Action.id).label("n"))
        .where(Action.edition_id == edition.id, Action.is_public.is_(True))
        .group_by(Action.municipality_id)
        .subquery()
    )
    stmt = (
        sa.select(Municipality, Province, sa.func.coalesce(actions.c.n, 0))
        .join(Registration, Registration.municipality_id == Municipality.id)
        .join(Province, Province.id == Municipality.province_id)
        .outerjoin(actions, actions.c.municipality_id == Municipality.id)
        .where(Registration.edition_id == edition.id, Registration.status == RegistrationStatus.ACTIVE)
        .order_by(Municipality.name_nl)
    )
    if province_id:
        stmt = stmt.where(Municipality.province_id == province_id)
    return [ParticipantRow(m, p, n) for m, p, n in db.session.execute(stmt).all()]


def active_registration(edition: Edition, municipality: Municipality) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.edition_id == edition.id,
            Registration.municipality_id == municipality.id,
            Registration.status == RegistrationStatus.ACTIVE,
        )
    )
