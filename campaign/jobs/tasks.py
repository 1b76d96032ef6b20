"""The jobs: plain functions of the moment they run for (``now``, aware). Each commits its own
work and returns a small summary for the log and the job record."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app

from campaign.core import mail, ratelimit
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.heroes import retention
from campaign.kits import services as kit_services
from campaign.monitoring import cache as monitoring_cache
from campaign.monitoring import services as monitoring_services
from campaign.monitoring import views as monitoring_views
from campaign.press import highlights as press_highlights
from campaign.press import room as press_room
from campaign.registrations.services import local_date
from campaign.reminders import services as reminder_services
from campaign.reports import services as report_services

FAILED_ATTEMPTS_KEPT = timedelta(days=1)


def snapshot(now: datetime, **_: Any) -> dict[str, Any]:
    """Record the current edition's key figures for the day (the dashboard's timeline)."""
    edition = edition_services.current_edition()
    if edition is None:
        return {"skipped": "no current edition"}
    day = local_date(now)
    monitoring_services.take_snapshot(edition, today=day)
    db.session.commit()
    return {"edition": edition.year, "day": day.isoformat()}


def purge(now: datetime, **_: Any) -> dict[str, Any]:
    """Delete failed login and mail-request records older than a day."""
    removed = ratelimit.purge_before(now - FAILED_ATTEMPTS_KEPT)
    db.session.commit()
    return {"failed_attempts_removed": removed}


def outbox(now: datetime, **_: Any) -> dict[str, Any]:
    """Send the mail that is due, one claimed row at a time."""
    return mail.deliver_due(now=now)


def render(
    now: datetime, *, renderer=None, worker: str | None = None, alive: set[str] = frozenset(), **_: Any
) -> dict[str, Any]:
    """Carry out pending kit render requests, each claimed by one process (``worker``); first
    put back those of jobs processes that are no longer ``alive``."""
    media_root = current_app.config["MEDIA_ROOT"]
    renderer = renderer or kit_services.in_process
    requeued = kit_services.requeue_abandoned(set(alive)) if worker else []
    done = []
    while (request_id := kit_services.claim_request(now=now, worker=worker)) is not None:
        summary = kit_services.run_request(
            request_id, today=local_date(now), media_root=media_root, now=now, renderer=renderer
        )
        done.append({"request": request_id, "rendered": summary.rendered if summary else 0})
    return {"requests": done, "requeued": requeued}


def _links():
    """A request context for the absolute links in mails, on PUBLIC_URL (or SERVER_NAME)."""
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"])


def reminders(now: datetime, **_: Any) -> dict[str, Any]:
    """Queue the reminders due on ``now``'s day (each mail once), then send them."""
    with _links():
        queued = reminder_services.send_due(now)
        sent = mail.deliver([mail_id for ids in queued.values() for mail_id in ids])
    return {"queued": {rule: len(ids) for rule, ids in queued.items()}, **sent}


def consent_expiry(now: datetime, **_: Any) -> dict[str, Any]:
    """Drop the kit files of consent that expired and tell the officers (once per consent)."""
    with _links():
        result = retention.expire_consents(today=local_date(now))
        db.session.commit()
        sent = mail.deliver(result.mails)
    return {"consents_expired": result.heroes, **sent}


def retention_purge(now: datetime, **_: Any) -> dict[str, Any]:
    """Erase the personal data of heroes of editions older than RETENTION_YEARS."""
    years = current_app.config["RETENTION_YEARS"]
    if not years:
        return {"skipped": "RETENTION_YEARS is not set"}
    before = local_date(now).year - int(years)
    erased = retention.erase_before(before, now=now, media_root=current_app.config["MEDIA_ROOT"])
    highlights_removed = press_highlights.forget_erased_heroes()
    monitoring_cache.forget_shared()  # the exports built ahead may name erased heroes
    db.session.commit()
    archives = press_room.prune_archives(Path(current_app.config["MEDIA_ROOT"]), now=now)
    return {
        "editions_before": before,
        "heroes_erased": erased,
        "highlights_removed": highlights_removed,
        "press_archives_removed": archives,
    }


def monitoring(now: datetime, *, leader: bool = True, **_: Any) -> dict[str, Any]:
    """After a change, build the monitoring pages and exports the team opens most, ahead (in
    the leading jobs process only: the others would build the same)."""
    if not leader:
        return {}
    with _links():
        return monitoring_views.refresh(now)


def report(now: datetime, *, worker: str | None = None, alive: set[str] = frozenset(), **_: Any) -> dict[str, Any]:
    """Build the policy reports the team asked for, each claimed by one process; first mark as
    failed the builds of jobs processes that are no longer ``alive``."""
    abandoned = report_services.fail_abandoned(set(alive)) if worker else 0
    built = report_services.build_pending(
        now=now, media_root=Path(current_app.config["MEDIA_ROOT"]), worker=worker or "run-once"
    )
    return {**built, "abandoned": abandoned}


JOBS = {
    "snapshot": snapshot,
    "purge": purge,
    "reminders": reminders,
    "consent-expiry": consent_expiry,
    "retention": retention_purge,
    "outbox": outbox,
    "render": render,
    "report": report,
    "monitoring": monitoring,
}
