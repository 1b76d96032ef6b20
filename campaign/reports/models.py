"""The evaluation survey's answers (one per registration, a draft until submitted), the report's
narrative sections per edition, and every build of the report."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import User
from campaign.core.db import TimestampMixin, UTCDateTime, utcnow
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


class ReportText(db.Model):
    """The narrative sections the campaign team writes for an edition's policy report."""

    __tablename__ = "report_text"

    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True)
    introduction: Mapped[str] = mapped_column(sa.Text, default="")
    keep: Mapped[str] = mapped_column(sa.Text, default="")
    strengthen: Mapped[str] = mapped_column(sa.Text, default="")
    adjust: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class BuildStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ReportBuild(db.Model):
    """One build of an edition's report, kept with its date: drafts to compare, one published."""

    __tablename__ = "report_build"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id", ondelete="CASCADE"), index=True)
    status: Mapped[BuildStatus] = mapped_column(
        sa.Enum(BuildStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=BuildStatus.PENDING,
        index=True,
    )
    progress: Mapped[int] = mapped_column(default=0)  # percent
    step: Mapped[str] = mapped_column(sa.String(80), default="")
    error: Mapped[str | None] = mapped_column(sa.Text)
    pdf_path: Mapped[str | None] = mapped_column(sa.String(255))
    xlsx_path: Mapped[str | None] = mapped_column(sa.String(255))
    pages: Mapped[int | None]
    pdf_size: Mapped[int | None]
    published: Mapped[bool] = mapped_column(default=False)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"))
    worker: Mapped[str | None] = mapped_column(sa.String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    requested_by: Mapped[User | None] = relationship()
