"""Editions: one campaign year each."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.db import TimestampMixin
from campaign.extensions import db
from campaign.reference.models import Sdg

edition_focus_sdg = sa.Table(
    "edition_focus_sdg",
    db.metadata,
    sa.Column("edition_id", sa.ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sdg_number", sa.ForeignKey("sdg.number"), primary_key=True),
)


class Edition(TimestampMixin, db.Model):
    __tablename__ = "edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    theme: Mapped[str] = mapped_column(sa.String(300), default="")
    week_start: Mapped[date]
    week_end: Mapped[date]
    registration_deadline: Mapped[date]
    hero_deadline: Mapped[date]
    evaluation_deadline: Mapped[date]
    is_current: Mapped[bool] = mapped_column(default=False, index=True)

    focus_sdgs: Mapped[list[Sdg]] = relationship(secondary=edition_focus_sdg, order_by=Sdg.number)

    def __repr__(self) -> str:
        return f"<Edition {self.year}>"
