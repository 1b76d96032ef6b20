"""Choices of reference data for forms."""

from __future__ import annotations

import sqlalchemy as sa
from wtforms import SelectChoice

from campaign.extensions import db
from campaign.reference.models import Sdg


def sdg_choices(locale: str) -> list[SelectChoice]:
    """The 17 SDGs as "12. Verantwoorde consumptie en productie" (in ``locale``)."""
    return [
        SelectChoice(sdg.number, f"{sdg.number}. {sdg.name(locale)}")
        for sdg in db.session.scalars(sa.select(Sdg).order_by(Sdg.number))
    ]
