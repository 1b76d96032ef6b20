"""Kits: the generated files of a registration, render requests, and downloads."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import User
from campaign.core.db import UTCDateTime, utcnow
from campaign.extensions import db
from campaign.heroes.models import Hero
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


class KitFile(db.Model):
    """One rendered file of a kit. ``cache_key`` hashes everything it was made from; the file
    under ``path`` is named after that key, so unchanged inputs are never rendered again."""

    __tablename__ = "kit_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    hero_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hero.id", ondelete="CASCADE"), index=True)
    slot: Mapped[str] = mapped_column(sa.String(80))  # e.g. "hero-12/poster-a3", "municipality/banner"
    kind: Mapped[str] = mapped_column(sa.String(40))
    cache_key: Mapped[str] = mapped_column(sa.String(64))
    path: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(60))
    size: Mapped[int]
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    registration: Mapped[Registration] = relationship()
    hero: Mapped[Hero | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("registration_id", "slot"),)

    @property
    def municipality_id(self) -> int:
        return self.registration.municipality_id


class RenderStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class RenderRequest(db.Model):
    """A request to bring a registration's kit up to date, carried out by a render worker."""

    __tablename__ = "render_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    status: Mapped[RenderStatus] = mapped_column(
        sa.Enum(RenderStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=RenderStatus.PENDING,
        index=True,
    )
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    rendered: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    worker: Mapped[str | None] = mapped_column(sa.String(160))  # the jobs process (host:pid) carrying it out

    registration: Mapped[Registration] = relationship()

    @property
    def municipality_id(self) -> int:
        return self.registration.municipality_id
