"""The press room's data: highlights (a hero or an action the campaign team puts forward, with
a short press text and an embargo) and, per edition, the press room's settings (contact and
the press-release template)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import User
from campaign.actions.models import Action
from campaign.core.db import TimestampMixin, UTCDateTime
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import Hero

TITLE_MAX = 160
TEXT_MAX = 1200
RELEASE_MAX = 2400


class Highlight(TimestampMixin, db.Model):
    """A hero or an action put forward to the press; published from ``publish_at`` on."""

    __tablename__ = "highlight"
    __table_args__ = (sa.CheckConstraint("(hero_id IS NULL) <> (action_id IS NULL)", name="one_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), index=True)
    hero_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hero.id", ondelete="CASCADE"), unique=True)
    action_id: Mapped[int | None] = mapped_column(sa.ForeignKey("action.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    text: Mapped[str] = mapped_column(sa.Text)
    publish_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    edition: Mapped[Edition] = relationship()
    hero: Mapped[Hero | None] = relationship()
    action: Mapped[Action | None] = relationship()
    created_by: Mapped[User | None] = relationship()


class PressRoom(db.Model):
    """Per edition: who the press contacts, and the text every province's press release
    starts from (placeholders filled in from the figures)."""

    __tablename__ = "press_room"

    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    contact_name: Mapped[str] = mapped_column(sa.String(160), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(320), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    release_text: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
