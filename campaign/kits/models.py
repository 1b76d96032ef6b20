"""Kits. For now: the record that a municipality downloaded its kit (a step of the step plan)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import User
from campaign.core.db import UTCDateTime, utcnow
from campaign.extensions import db
from campaign.registrations.models import Registration


class KitDownload(db.Model):
    __tablename__ = "kit_download"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(40), default="zip")
    downloaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    registration: Mapped[Registration] = relationship()
    user: Mapped[User | None] = relationship()
