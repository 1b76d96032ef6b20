"""The schedules of the jobs process, defined in code and configurable.

``JOBS_SCHEDULES`` in the configuration overrides a schedule by name with APScheduler trigger
arguments (``{"snapshot": {"type": "cron", "hour": 1}}``) or switches it off (``None``).
Times are Brussels time. Scheduled jobs (``leader_only``) run on the leader, once per tick;
queue jobs (outbox, render, report) run in every jobs process and claim their work row by row;
so does ``monitoring``, which claims nothing: it builds what is missing for the data as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

TIMEZONE = ZoneInfo("Europe/Brussels")

DEFAULT_SCHEDULES: dict[str, dict[str, Any]] = {
    "snapshot": {"type": "cron", "hour": 0, "minute": 15},  # the day's participation figures
    "purge": {"type": "cron", "hour": 3, "minute": 30},  # old failed-login records
    "reminders": {"type": "cron", "hour": 9, "minute": 0},  # the reminder rules (campaign/reminders)
    "consent-expiry": {"type": "cron", "hour": 2, "minute": 0},  # expired consent: kit files, officers told
    "retention": {"type": "cron", "hour": 3, "minute": 45},  # heroes' personal data after RETENTION_YEARS
    "outbox": {"type": "interval", "seconds": 10},  # mail waiting to be sent
    "render": {"type": "interval", "seconds": 2},  # kit render requests
    "report": {"type": "interval", "seconds": 3},  # policy report builds the team asked for
    "monitoring": {"type": "interval", "seconds": 5},  # after a change: the monitoring pages, built ahead
}
QUEUE_JOBS = frozenset({"outbox", "render", "report", "monitoring"})


@dataclass(frozen=True)
class Schedule:
    name: str
    trigger: BaseTrigger
    leader_only: bool

    def next_run(self, now: datetime) -> datetime | None:
        return self.trigger.get_next_fire_time(None, now.astimezone(TIMEZONE))

    def due_tick(self, now: datetime) -> datetime | None:
        """The latest tick at or before ``now`` (within the last two days)."""
        moment = now.astimezone(TIMEZONE)
        tick = self.trigger.get_next_fire_time(None, moment - timedelta(days=2))
        latest = None
        while tick is not None and tick <= moment:
            latest = tick
            tick = self.trigger.get_next_fire_time(tick, tick + timedelta(microseconds=1))
        return latest


def trigger_of(arguments: dict[str, Any]) -> BaseTrigger:
    arguments = dict(arguments)
    kind = arguments.pop("type")
    if kind == "cron":
        return CronTrigger(timezone=TIMEZONE, **arguments)
    if kind == "interval":
        return IntervalTrigger(timezone=TIMEZONE, **arguments)
    raise ValueError(f"unknown trigger type {kind!r} (cron or interval)")


def schedules(overrides: dict[str, Any] | None = None) -> dict[str, Schedule]:
    """The schedules in force: the defaults, with ``overrides`` (JOBS_SCHEDULES) applied."""
    merged: dict[str, Any] = {**DEFAULT_SCHEDULES, **(overrides or {})}
    unknown = set(merged) - set(DEFAULT_SCHEDULES)
    if unknown:
        raise ValueError(f"JOBS_SCHEDULES names unknown jobs: {', '.join(sorted(unknown))}")
    return {
        name: Schedule(name, trigger_of(arguments), leader_only=name not in QUEUE_JOBS)
        for name, arguments in merged.items()
        if arguments is not None
    }
