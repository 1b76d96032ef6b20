"""What the jobs processes record: each run of a scheduled job, and each process with its
heartbeat (which one leads, when it was last seen)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.db import UTCDateTime, utcnow
from campaign.extensions import db


class JobRun(db.Model):
    """One run of a job. A scheduled run carries the tick it is due for (``due_at``); the unique
    (name, due_at) makes each tick run once, however many processes think they lead. Runs started
    by hand (``flask jobs run-once``) have no tick."""

    __tablename__ = "job_run"
    __table_args__ = (sa.UniqueConstraint("name", "due_at", name="uq_job_run_tick"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moment: Mapped[datetime] = mapped_column(UTCDateTime())  # the "now" the job ran for
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    process: Mapped[str] = mapped_column(sa.String(160))  # host:pid
    outcome: Mapped[str] = mapped_column(sa.String(20), default="running")  # running, done, failed
    summary: Mapped[str | None] = mapped_column(sa.Text)  # JSON
    error: Mapped[str | None] = mapped_column(sa.Text)


class JobProcess(db.Model):
    """A jobs process, seen through its heartbeat."""

    __tablename__ = "job_process"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))  # host:pid
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_leader: Mapped[bool] = mapped_column(default=False)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
