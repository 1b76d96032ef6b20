"""The jobs process: schedules, one run per tick, leadership, status, a clean stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from campaign.cli import collect_stats
from campaign.core import mail
from campaign.core.mail import MailStatus, OutboxMail
from campaign.extensions import db
from campaign.jobs import runner
from campaign.jobs.leader import AnotherJobsProcess, Leadership
from campaign.jobs.models import JobRun
from campaign.jobs.schedule import schedules
from tests import factories
from tests.conftest import TEST_DATABASE_URL, database_url

ROOT = Path(__file__).resolve().parents[2]


def brussels(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_schedules_are_defined_in_code_and_configurable():
    default = schedules()
    assert {"snapshot", "purge", "outbox", "render"} <= set(default)
    assert default["snapshot"].leader_only and not default["outbox"].leader_only
    # The daily snapshot runs at 00:15 Brussels time, summer or winter.
    assert default["snapshot"].next_run(brussels("2025-08-20T09:00:00+02:00")) == brussels("2025-08-21T00:15:00+02:00")
    assert default["snapshot"].due_tick(brussels("2025-08-20T09:00:00+02:00")) == brussels("2025-08-20T00:15:00+02:00")
    changed = schedules({"snapshot": {"type": "cron", "hour": 6, "minute": 0}, "purge": None})
    assert "purge" not in changed
    assert changed["snapshot"].due_tick(brussels("2025-12-01T05:59:00+01:00")) == brussels("2025-11-30T06:00:00+01:00")
    with pytest.raises(ValueError, match="unknown jobs"):
        schedules({"nonsense": {"type": "cron", "hour": 1}})


def test_a_tick_runs_once_whoever_asks(app, edition):
    moment = brussels("2025-08-20T00:15:05+02:00")
    tick = schedules()["snapshot"].due_tick(moment)
    first = runner.run_job("snapshot", moment, due_at=tick)
    assert first is not None and first.outcome == "done"
    assert json.loads(first.summary) == {"edition": 2025, "day": "2025-08-20"}
    assert runner.run_job("snapshot", moment, due_at=tick) is None  # another process had it
    runs = db.session.scalars(sa.select(JobRun).where(JobRun.name == "snapshot")).all()
    assert len(runs) == 1


def test_a_failing_job_is_recorded_not_raised(app, monkeypatch):
    def broken(now, **_):
        raise RuntimeError("disk full")

    monkeypatch.setitem(runner.JOBS, "purge", broken)
    run = runner.run_job("purge", brussels("2025-08-20T03:30:00+02:00"))
    assert run.outcome == "failed" and "disk full" in run.error


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the SQLite lock; PostgreSQL leadership is tested below")
def test_sqlite_allows_one_jobs_process(app, tmp_path):
    with app.app_context():
        first = Leadership(db.engine, lock_file=tmp_path / "jobs.lock")
        assert first.poll()
        with pytest.raises(AnotherJobsProcess, match="Er draait al een jobs-proces"):
            Leadership(db.engine, lock_file=tmp_path / "jobs.lock")
        first.release()
        again = Leadership(db.engine, lock_file=tmp_path / "jobs.lock")
        assert again.is_leader
        again.release()


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="advisory locks are PostgreSQL's; SQLite is tested above")
def test_postgres_leadership_moves_when_the_leader_goes(app, tmp_path):
    with app.app_context():
        first = Leadership(db.engine, lock_file=tmp_path / "unused")
        second = Leadership(db.engine, lock_file=tmp_path / "unused")
        assert first.poll() is True
        assert second.poll() is False
        assert first.poll() is True  # still holds it
        first._connection.invalidate()  # its connection dies, as when the process is killed
        first._connection = None
        # The server frees the lock once it sees the session end; the next polls take it.
        deadline = time.monotonic() + 20
        while not second.poll() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert second.is_leader
        second.release()


def test_status_lists_jobs_and_queue_depth(app, now):
    with app.test_request_context():
        user = factories.make_officer()
        factories.queue_reset(user)
        report = runner.status(brussels("2025-08-20T09:00:00+02:00"))
    assert report["leader"] is None  # no jobs process runs
    assert report["jobs"]["snapshot"]["next_run"] == "2025-08-21T00:15:00+02:00"
    assert report["queue"]["outbox"] >= 1
    assert report["queue_depth"] == report["queue"]["outbox"] + report["queue"]["render"]


def test_due_mail_is_claimed_and_retried_with_backoff(app, monkeypatch):
    with app.test_request_context():
        user = factories.make_officer()
        queued = factories.queue_reset(user)
        monkeypatch.setitem(app.config, "MAIL_DELIVERY", "outbox")  # the jobs process sends it all
        monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "smtp")
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # nothing listens: connection refused
        moment = brussels("2025-08-20T09:00:00+02:00")
        assert mail.deliver_due(now=moment) == {"sent": 0, "failed": 1, "unconfirmed": 0}
        assert queued.status == MailStatus.FAILED and queued.attempts == 1
        assert queued.next_attempt_at > moment
        assert mail.deliver_due(now=moment) == {"sent": 0, "failed": 0, "unconfirmed": 0}  # not due yet
        figures = collect_stats()
        assert figures["outbox_failed"] == 1 and figures["outbox_sent"] == 0
        assert figures["outbox_total"] >= 1
        monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "file")
        assert mail.deliver_due(now=queued.next_attempt_at) == {"sent": 1, "failed": 0, "unconfirmed": 0}
        assert db.session.get(OutboxMail, queued.id).status == MailStatus.SENT
        assert collect_stats()["outbox_sent"] == 1 and collect_stats()["outbox_failed"] == 0


def _env(url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": url,
        "CAMPAIGN_SECRET_KEY": "test",
        "CAMPAIGN_MEDIA_ROOT": str(tmp_path / "media"),
        "CAMPAIGN_MAIL_TRANSPORT": "file",
        "CAMPAIGN_MAIL_FILE_DIR": str(tmp_path / "mail"),
        "CAMPAIGN_JOBS_LEADER_POLL": "1",
    }


def _flask(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "flask", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, **kwargs
    )


def test_jobs_process_leads_reports_and_stops_cleanly_on_sigterm(tmp_path):
    url = database_url(tmp_path, "jobsproc")
    env = _env(url, tmp_path)
    assert _flask(env, "db", "upgrade").returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "jobs", "run", "--processes", "0"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        report = {}
        while time.monotonic() < deadline:
            report = json.loads(_flask(env, "jobs", "status").stdout)
            if report["leader"]:
                break
            time.sleep(0.3)
        assert report["leader"] and report["leader"].endswith(f":{process.pid}")
        assert set(report["jobs"]) >= {"snapshot", "purge", "outbox", "render"}
        if not TEST_DATABASE_URL:  # SQLite: a second process refuses to start
            second = _flask(env, "jobs", "run", "--processes", "0")
            assert second.returncode != 0
            assert "Er draait al een jobs-proces" in second.stderr + second.stdout
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, output
        assert "stopping" in output
        assert "report renderer ready" in output  # warmed up before its first job (reports.document.warm_up)
        assert json.loads(_flask(env, "jobs", "status").stdout)["leader"] is None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
