"""Editions: one campaign year each."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.db import TimestampMixin
from campaign.core.uploads import Upload
from campaign.extensions import db
from campaign.reference.models import Sdg

edition_focus_sdg = sa.Table(
    "edition_focus_sdg",
    db.metadata,
    sa.Column("edition_id", sa.ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sdg_number", sa.ForeignKey("sdg.number"), primary_key=True),
)


class Edition(TimestampMixin, db.Model):
    __audit__ = "edition"  # see core.audit
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
    # The kit visual: colours, headline, hashtags and campaign logo of this edition.
    visual_primary: Mapped[str] = mapped_column(sa.String(7), default="#1F4E3D")
    visual_accent: Mapped[str] = mapped_column(sa.String(7), default="#FCC30B")
    visual_headline: Mapped[str] = mapped_column(sa.String(120), default="Week van de Duurzame Gemeente")
    visual_hashtags: Mapped[str] = mapped_column(sa.String(200), default="#DuurzameGemeente #SDGs")
    visual_logo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("upload.id"))

    focus_sdgs: Mapped[list[Sdg]] = relationship(secondary=edition_focus_sdg, order_by=Sdg.number)
    visual_logo: Mapped[Upload | None] = relationship()

    def __repr__(self) -> str:
        return f"<Edition {self.year}>"
