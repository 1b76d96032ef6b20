"""Failed-attempt counting in the database, so every web worker sees the same counts."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.db import UTCDateTime, utcnow
from campaign.extensions import db


class FailedAttempt(db.Model):
    __tablename__ = "failed_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(320))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.Index("ix_failed_attempt_scope_key_at", "scope", "key", "at"),)


def record_failure(scope: str, key: str, *, now: datetime | None = None) -> None:
    db.session.add(FailedAttempt(scope=scope, key=key.lower(), at=now or utcnow()))
    db.session.flush()


def count_failures(scope: str, key: str, *, window: int, now: datetime | None = None) -> int:
    since = (now or utcnow()) - timedelta(seconds=window)
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FailedAttempt)
        .where(FailedAttempt.scope == scope, FailedAttempt.key == key.lower())
        .where(FailedAttempt.at >= since)
    )


def clear_failures(scope: str, key: str) -> None:
    db.session.execute(sa.delete(FailedAttempt).where(FailedAttempt.scope == scope, FailedAttempt.key == key.lower()))


def purge_before(moment: datetime) -> int:
    result = db.session.execute(sa.delete(FailedAttempt).where(FailedAttempt.at < moment))
    return result.rowcount or 0
