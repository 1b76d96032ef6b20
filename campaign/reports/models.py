"""The evaluation survey's answers: one per registration, saved as a draft until submitted."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import User
from campaign.core.db import TimestampMixin, UTCDateTime
from campaign.extensions import db
from campaign.registrations.models import Registration

TEXT_MAX = 2000


class Evaluation(TimestampMixin, db.Model):
    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    participants: Mapped[int | None]  # people reached by the municipality's actions
    channels: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # keys of survey.CHANNELS
    ratings: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)  # survey.MATERIALS key → 1..5
    effects: Mapped[list[str]] = mapped_column(sa.JSON, default=list)  # keys of survey.EFFECTS
    again: Mapped[str | None] = mapped_column(sa.String(10))  # "yes", "maybe" or "no"
    keep: Mapped[str] = mapped_column(sa.Text, default="")
    strengthen: Mapped[str] = mapped_column(sa.Text, default="")
    adjust: Mapped[str] = mapped_column(sa.Text, default="")
    remarks: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))

    registration: Mapped[Registration] = relationship()
    updated_by: Mapped[User | None] = relationship()
