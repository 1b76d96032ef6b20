"""The jobs process (``flask jobs run``): an APScheduler 3 scheduler for the schedules, a render
worker pool, leadership, a heartbeat, and a clean stop on SIGTERM or Ctrl-C.

Web processes never import this module's scheduler: only ``flask jobs run`` starts one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import threading
import time
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask, current_app

from campaign.core import clock, mail
from campaign.core.db import utcnow
from campaign.extensions import db
from campaign.jobs.leader import Leadership
from campaign.jobs.models import JobProcess, JobRun
from campaign.jobs.schedule import TIMEZONE, Schedule, schedules
from campaign.jobs.tasks import JOBS
from campaign.kits import worker
from campaign.kits.models import RenderRequest, RenderStatus
from campaign.reports import document as report_document

log = logging.getLogger("campaign.jobs")


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lock_file(app: Flask) -> Path:
    """The SQLite jobs lock: next to the database file, or in the instance folder."""
    database = db.engine.url.database if db.engine.dialect.name == "sqlite" else None
    if database and database != ":memory:":
        return Path(database).with_suffix(".jobs.lock")
    return Path(app.instance_path) / "jobs.lock"


def run_job(name: str, now: datetime, *, due_at: datetime | None = None, **kwargs: Any) -> JobRun | None:
    """Run job ``name`` for the moment ``now`` and record the run. With ``due_at`` (a schedule's
    tick) the run is claimed first: when another process already has that tick, nothing runs
    and None is returned."""
    run = JobRun(name=name, due_at=due_at, moment=now, process=process_name())
    db.session.add(run)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return None
    run_id = run.id
    try:
        summary = JOBS[name](now, **kwargs)
    except Exception as error:  # a job's failure is recorded and logged; the process goes on
        db.session.rollback()
        log.exception("job %s failed", name)
        run = db.session.get(JobRun, run_id)
        run.outcome, run.error = "failed", f"{type(error).__name__}: {error}"
    else:
        run = db.session.get(JobRun, run_id)
        run.outcome, run.summary = "done", json.dumps(summary, default=str)
    run.finished_at = utcnow()
    db.session.commit()
    return run


def queue_depth() -> dict[str, int]:
    outbox = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(mail.OutboxMail)
        .where(mail.OutboxMail.status.in_(mail.TO_SEND), mail.OutboxMail.attempts < mail.MAX_ATTEMPTS)
    )
    render = db.session.scalar(
        sa.select(sa.func.count()).select_from(RenderRequest).where(RenderRequest.status == RenderStatus.PENDING)
    )
    return {"outbox": outbox or 0, "render": render or 0}


def _alive(now: datetime) -> list[JobProcess]:
    """The jobs processes with a fresh heartbeat (within three polls)."""
    fresh = now - timedelta(seconds=3 * current_app.config["JOBS_LEADER_POLL"])
    return list(
        db.session.scalars(
            sa.select(JobProcess)
            .where(JobProcess.stopped_at.is_(None), JobProcess.heartbeat_at >= fresh)
            .order_by(JobProcess.id)
        )
    )


def alive_processes(now: datetime) -> set[str]:
    return {process.name for process in _alive(now)}


def status(now: datetime | None = None) -> dict[str, Any]:
    """The leader, the live processes, each job's next and last run, and the queue depth."""
    now = now or clock.now()
    alive = _alive(now)
    jobs = {}
    for name, schedule in schedules(current_app.config["JOBS_SCHEDULES"]).items():
        last = db.session.scalar(sa.select(JobRun).where(JobRun.name == name).order_by(JobRun.id.desc()).limit(1))
        next_run = schedule.next_run(now)
        jobs[name] = {
            "next_run": next_run.isoformat() if next_run else None,
            "leader_only": schedule.leader_only,
            "last_run": None
            if last is None
            else {"at": last.started_at.isoformat(), "outcome": last.outcome, "process": last.process},
        }
    depth = queue_depth()
    return {
        "leader": next((p.name for p in alive if p.is_leader), None),
        "processes": [p.name for p in alive],
        "jobs": jobs,
        "queue": depth,
        "queue_depth": sum(depth.values()),
    }


class JobsProcess:
    """One jobs process. ``run()`` blocks until ``stop()`` (SIGTERM, SIGINT)."""

    def __init__(self, app: Flask, *, processes: int = 1) -> None:
        self.app = app
        self.processes = processes
        self.name = process_name()
        self.stopping = threading.Event()
        self.schedules: dict[str, Schedule] = schedules(app.config["JOBS_SCHEDULES"])
        self.leadership: Leadership | None = None
        self.renderer = None
        self.process_id: int | None = None
        # SQLite lets one connection write at a time, and a transaction that read before another
        # connection wrote cannot write at all ("database is locked", whatever the timeout): on
        # SQLite the jobs of this process take turns. PostgreSQL needs no such care.
        self._turns: threading.Lock | contextlib.nullcontext = contextlib.nullcontext()

    def stop(self, *_: object) -> None:
        self.stopping.set()

    def run(self) -> None:
        with self.app.app_context(), ExitStack() as stack:
            self.leadership = Leadership(db.engine, lock_file=lock_file(self.app))  # may refuse (SQLite)
            if not self.leadership.postgres:
                self._turns = threading.Lock()
            stack.callback(self.leadership.release)
            if self.processes > 0 and "render" in self.schedules:
                self.renderer = stack.enter_context(
                    worker.pool(self.processes, media_root=str(self.app.config["MEDIA_ROOT"]))
                )
            process = JobProcess(name=self.name)
            db.session.add(process)
            db.session.commit()
            self.process_id = process.id
            stack.callback(self._sign_off)
            self._heartbeat()
            scheduler = BackgroundScheduler(
                timezone=TIMEZONE,
                executors={"default": ThreadPoolExecutor(max(2, len(self.schedules)))},
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
            )
            for schedule in self.schedules.values():
                scheduler.add_job(self._fire, schedule.trigger, args=[schedule], id=schedule.name, name=schedule.name)
            if "report" in self.schedules:
                self._warm_up_reports()
            poll = self.app.config["JOBS_LEADER_POLL"]
            scheduler.add_job(self._heartbeat_in_context, "interval", seconds=poll, id="heartbeat", name="heartbeat")
            log.info("jobs process %s started (%s)", self.name, ", ".join(self.schedules))
            scheduler.start()
            stack.callback(scheduler.shutdown, wait=True)  # lets running jobs finish
            self.stopping.wait()
            log.info("jobs process %s stopping", self.name)

    def _warm_up_reports(self) -> None:
        """Before any job runs (WeasyPrint's font set-up is not shared between threads): the
        report's one-time set-up, so that no build the team waits for pays it."""
        started = time.perf_counter()
        try:
            report_document.warm_up()
        except Exception:  # the builds will fail and say why; the other jobs must still run
            log.exception("the report renderer could not warm up")
            return
        log.info("report renderer ready in %.1f s", time.perf_counter() - started)

    def _heartbeat_in_context(self) -> None:
        with self._turns, self.app.app_context():
            self._heartbeat()

    def _heartbeat(self) -> None:
        was_leader = self.leadership.is_leader
        leader = self.leadership.poll()
        if leader != was_leader:
            log.info("jobs process %s %s", self.name, "leads" if leader else "no longer leads")
        db.session.execute(
            sa.update(JobProcess)
            .where(JobProcess.id == self.process_id)
            .values(heartbeat_at=utcnow(), is_leader=leader)
        )
        db.session.commit()

    def _sign_off(self) -> None:
        db.session.rollback()
        db.session.execute(
            sa.update(JobProcess).where(JobProcess.id == self.process_id).values(stopped_at=utcnow(), is_leader=False)
        )
        db.session.commit()

    def _fire(self, schedule: Schedule) -> None:
        if self.stopping.is_set():
            return
        with self._turns, self.app.app_context():
            now = clock.now()
            if schedule.leader_only:
                if not self.leadership.is_leader:
                    return
                run = run_job(schedule.name, now, due_at=schedule.due_tick(now))
                if run is not None:
                    log.info("%s: %s %s", schedule.name, run.outcome, run.summary or run.error)
                return
            try:
                summary = JOBS[schedule.name](
                    now,
                    renderer=self.renderer,
                    worker=self.name,
                    alive=alive_processes(now),
                    leader=self.leadership.is_leader,
                )
            except Exception:
                db.session.rollback()
                log.exception("job %s failed", schedule.name)
                return
            if any(value for value in summary.values() if isinstance(value, int | list) and value):
                log.info("%s: %s", schedule.name, json.dumps(summary, default=str))


def run_forever(app: Flask, *, processes: int = 1) -> None:
    """``flask jobs run``: the process, stopped by SIGTERM or Ctrl-C."""
    process = JobsProcess(app, processes=processes)
    signal.signal(signal.SIGTERM, process.stop)
    signal.signal(signal.SIGINT, process.stop)
    process.run()
