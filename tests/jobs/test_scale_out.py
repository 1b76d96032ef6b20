"""Scale-out on PostgreSQL: three jobs processes at once. Every schedule tick runs once, every
render request and every mail is done once, and leadership moves when the leader is killed."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from campaign.app import create_app
from campaign.core.mail import MailStatus, OutboxMail
from campaign.extensions import db
from campaign.jobs.models import JobRun
from campaign.kits import services as kit_services
from campaign.kits.models import KitFile, RenderRequest, RenderStatus
from campaign.reference.services import load_reference
from tests import factories
from tests.conftest import TEST_DATABASE_URL, base_config, database_url
from tests.jobs.test_jobs import ROOT, _env, _flask

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL, reason="several jobs processes need PostgreSQL")

SCHEDULES = {
    "snapshot": {"type": "cron", "second": "*/2"},  # a tick every 2 s, the same grid in every process
    "purge": None,
    "reminders": None,
    "consent-expiry": None,
    "retention": None,
    "monitoring": None,  # builds pages ahead for seconds at a time: not what this test is about
    "render": {"type": "interval", "seconds": 0.5},
    "outbox": {"type": "interval", "seconds": 0.5},
}
NIS_CODES = ("44021", "11002", "24062", "31005", "41002", "46030")


def _prepare(tmp_path: Path, url: str) -> dict[str, int]:
    app = create_app({**base_config(tmp_path, url), "MEDIA_ROOT": str(tmp_path / "media")})
    with app.app_context():
        load_reference()
        edition = factories.make_edition(2025, current=True)
        requests = [
            kit_services.request_render(factories.make_registration(edition, nis), by=None).id for nis in NIS_CODES
        ]
        with app.test_request_context():
            mails = [factories.queue_reset(factories.make_officer("44021")).id for _ in range(20)]
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return {"requests": len(requests), "mails": len(mails)}


def _status(env) -> dict:
    return json.loads(_flask(env, "jobs", "status").stdout)


def test_three_jobs_processes_share_the_work_and_hand_over_leadership(tmp_path):
    url = database_url(tmp_path, "scaleout")
    env = {
        **_env(url, tmp_path),
        "CAMPAIGN_JOBS_SCHEDULES": json.dumps(SCHEDULES),
        "CAMPAIGN_MAIL_DELIVERY": "outbox",
    }
    assert _flask(env, "db", "upgrade").returncode == 0
    made = _prepare(tmp_path, url)
    logs = [tmp_path / f"jobs-{n}.log" for n in range(3)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "jobs", "run", "--processes", "0"],
            env=env,
            cwd=ROOT,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    check = create_app({**base_config(tmp_path, url), "MEDIA_ROOT": str(tmp_path / "media")})
    try:
        with check.app_context():
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                db.session.rollback()
                done = db.session.scalar(
                    sa.select(sa.func.count())
                    .select_from(RenderRequest)
                    .where(RenderRequest.status == RenderStatus.DONE)
                )
                sent = db.session.scalar(
                    sa.select(sa.func.count()).select_from(OutboxMail).where(OutboxMail.status == MailStatus.SENT)
                )
                if done == made["requests"] and sent == made["mails"]:
                    break
                time.sleep(0.5)
            assert (done, sent) == (made["requests"], made["mails"])

            # Each mail went once: one attempt each, one file each.
            assert set(db.session.scalars(sa.select(OutboxMail.attempts))) == {1}
            assert len(list((tmp_path / "mail").glob("*.eml"))) == made["mails"]
            # Each render request was carried out by one process: its id is in one log, once. (A
            # process logs a run's requests when the run ends, just after the last one is done.)
            deadline = time.monotonic() + 15
            while True:
                handled = re.findall(r'"request": (\d+)', "".join(log.read_text() for log in logs))
                if len(set(handled)) >= made["requests"] or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert sorted(handled) == sorted(set(handled)) and len(handled) == made["requests"]
            # 4 files per kit (two posters, banner, frame), each slot recorded once.
            slots = db.session.execute(sa.select(KitFile.registration_id, KitFile.slot)).all()
            assert len(slots) == len(set(slots)) == 4 * made["requests"]

            # One leader runs the schedule, once per tick.
            report = _status(env)
            assert len(report["processes"]) == 3
            leader = report["leader"]
            assert leader is not None
            time.sleep(5)
            db.session.rollback()
            runs = db.session.execute(sa.select(JobRun.due_at, JobRun.process).where(JobRun.name == "snapshot")).all()
            assert len(runs) >= 2
            assert len({due for due, _ in runs}) == len(runs)  # never twice for one tick

            # The leader dies: another takes over within 30 s, and the ticks go on.
            victim = next(p for p in processes if leader.endswith(f":{p.pid}"))
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            killed_at = time.monotonic()
            new_leader = None
            while time.monotonic() - killed_at < 30:
                new_leader = _status(env)["leader"]
                if new_leader and new_leader != leader:
                    break
                time.sleep(0.5)
            assert new_leader and new_leader != leader
            time.sleep(5)
            db.session.rollback()
            later = db.session.execute(
                sa.select(JobRun.process).where(JobRun.name == "snapshot", JobRun.process == new_leader)
            ).all()
            assert later, "the new leader runs the schedule"
            runs = db.session.scalars(sa.select(JobRun.due_at).where(JobRun.name == "snapshot")).all()
            assert len(set(runs)) == len(runs)
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        with check.app_context():
            db.session.remove()
            db.engine.dispose()
