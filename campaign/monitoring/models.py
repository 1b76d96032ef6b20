"""Daily snapshots of an edition's key figures (the registration timeline) and the monitoring
pages' shared, prebuilt fragments."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.db import UTCDateTime, utcnow
from campaign.extensions import db


class DailySnapshot(db.Model):
    """The key figures of an edition at the end of a day (Belgian time). Taken on demand when
    the dashboard is opened, and by the jobs process once it exists."""

    __tablename__ = "daily_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"))
    day: Mapped[date]
    registered: Mapped[int]
    heroes: Mapped[int]
    actions: Mapped[int]
    heroes_complete_consent: Mapped[int]
    kits_downloaded: Mapped[int]
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("edition_id", "day", name="uq_daily_snapshot_edition_day"),)


class PageFragment(db.Model):
    """A rendered monitoring page part or export, shared by every process: the jobs process
    builds the usual ones after each change (``monitoring.views.refresh``) and the web
    processes serve them. ``key`` is a hash of everything the fragment depends on, including
    the data version, so a fragment is never served for data it was not made from."""

    __tablename__ = "page_fragment"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    is_text: Mapped[bool]
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
