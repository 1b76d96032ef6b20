"""Actions: what a municipality does during the week, with its SDG check."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.db import TimestampMixin, UTCDateTime
from campaign.core.uploads import Upload
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.reference.models import Municipality, Sdg
from campaign.registrations.models import Registration

MAX_PHOTOS = 5


def _enum(cls: type[enum.Enum]) -> sa.Enum:
    return sa.Enum(cls, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class ActionType(enum.StrEnum):
    PUBLIC_EVENT = "public_event"
    AWARENESS_CAMPAIGN = "awareness_campaign"
    INTERNAL_ACTION = "internal_action"
    POLICY_MEASURE = "policy_measure"
    EDUCATION = "education"
    PARTNERSHIP = "partnership"
    OTHER = "other"


class Audience(enum.StrEnum):
    GENERAL_PUBLIC = "general_public"
    FAMILIES = "families"
    YOUTH = "youth"
    SCHOOLS = "schools"
    SENIORS = "seniors"
    BUSINESSES = "businesses"
    ASSOCIATIONS = "associations"
    STAFF = "staff"
    POLICY_MAKERS = "policy_makers"


class Effect(enum.IntEnum):
    NEGATIVE = -1
    NEUTRAL = 0
    POSITIVE = 1


class Action(TimestampMixin, db.Model):
    __audit__ = "action"  # see core.audit
    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    # Copied from the registration so that public lists filter without joins.
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    type: Mapped[ActionType] = mapped_column(_enum(ActionType))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    online: Mapped[bool] = mapped_column(default=False)
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    audience: Mapped[Audience] = mapped_column(_enum(Audience), default=Audience.GENERAL_PUBLIC)
    expected_reach: Mapped[int | None]
    actual_reach: Mapped[int | None]
    is_public: Mapped[bool] = mapped_column(default=True)

    registration: Mapped[Registration] = relationship()
    edition: Mapped[Edition] = relationship()
    municipality: Mapped[Municipality] = relationship()
    sdg_links: Mapped[list[ActionSdg]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionSdg.sdg_number"
    )
    photos: Mapped[list[ActionPhoto]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionPhoto.position"
    )

    __table_args__ = (
        sa.Index("ix_action_edition_public_start", "edition_id", "is_public", "starts_at"),
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        sa.CheckConstraint("expected_reach IS NULL OR expected_reach >= 0", name="expected_reach_positive"),
        sa.CheckConstraint("actual_reach IS NULL OR actual_reach >= 0", name="actual_reach_positive"),
    )

    @property
    def sdgs(self) -> list[Sdg]:
        return [link.sdg for link in self.sdg_links]


class ActionSdg(db.Model):
    """An SDG the action contributes to, with its SDG-check rating."""

    __tablename__ = "action_sdg"

    action_id: Mapped[int] = mapped_column(sa.ForeignKey("action.id", ondelete="CASCADE"), primary_key=True)
    sdg_number: Mapped[int] = mapped_column(sa.ForeignKey("sdg.number"), primary_key=True, index=True)
    effect: Mapped[int | None] = mapped_column(sa.SmallInteger)
    reason: Mapped[str] = mapped_column(sa.String(500), default="")

    action: Mapped[Action] = relationship(back_populates="sdg_links")
    sdg: Mapped[Sdg] = relationship(lazy="joined")

    __table_args__ = (sa.CheckConstraint("effect IS NULL OR effect IN (-1, 0, 1)", name="effect_values"),)


class ActionPhoto(db.Model):
    __tablename__ = "action_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("action.id", ondelete="CASCADE"), index=True)
    upload_id: Mapped[int] = mapped_column(sa.ForeignKey("upload.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    caption: Mapped[str] = mapped_column(sa.String(300), default="")
    credit: Mapped[str] = mapped_column(sa.String(200), default="")

    action: Mapped[Action] = relationship(back_populates="photos")
    upload: Mapped[Upload] = relationship(lazy="joined")

    @property
    def municipality_id(self) -> int:
        return self.action.municipality_id
