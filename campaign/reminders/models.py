"""The team's switches on the reminder rules: a paused rule sends nothing until it is resumed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.db import UTCDateTime, utcnow
from campaign.extensions import db


class ReminderSetting(db.Model):
    __tablename__ = "reminder_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(sa.String(40), unique=True)
    paused: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))


class Mailing(db.Model):
    """A one-off mail from the campaign team to the officers of a group of municipalities."""

    __tablename__ = "mailing"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"))
    audience: Mapped[str] = mapped_column(sa.String(20))
    province_id: Mapped[int | None] = mapped_column(sa.ForeignKey("province.id"))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    recipients: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
