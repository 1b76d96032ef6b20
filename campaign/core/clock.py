"""The current time, injectable through config for tests and demos (``NOW``, ISO 8601)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, has_app_context

from campaign.core.db import utcnow


def now() -> datetime:
    fixed = current_app.config.get("NOW") if has_app_context() else None
    if not fixed:
        return utcnow()
    moment = fixed if isinstance(fixed, datetime) else datetime.fromisoformat(str(fixed))
    if moment.tzinfo is None:
        raise ValueError("NOW must carry a timezone, e.g. 2025-08-20T09:00:00+02:00")
    return moment.astimezone(UTC)
