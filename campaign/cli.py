"""Command-line interface: ``flask seed …``, ``flask stats``, ``flask mail send``, ``flask users …``,
``flask kits …``, ``flask export …``, ``flask jobs …``."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from campaign.accounts import services as account_services
from campaign.accounts.models import User, UserStatus
from campaign.actions.models import Action
from campaign.core import clock, mail, media, ratelimit
from campaign.core.auth import Role
from campaign.core.db import analyze
from campaign.core.errors import DomainError
from campaign.demo import seed as demo
from campaign.editions import services as edition_services
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes import services as hero_services
from campaign.heroes.models import Consent, Hero
from campaign.jobs import runner as jobs_runner
from campaign.jobs.leader import AnotherJobsProcess
from campaign.jobs.tasks import JOBS
from campaign.kits import jobs as kit_jobs
from campaign.kits.models import KitFile
from campaign.monitoring import exports, history
from campaign.press import room as press_room
from campaign.reference.models import Municipality, Province, Sdg
from campaign.reference.services import load_reference
from campaign.registrations import services as registration_services
from campaign.registrations.services import local_date
from campaign.reports import services as report_services

seed = AppGroup("seed", help="Load reference or demo data.")
kits = AppGroup("kits", help="Campaign kits: build them, or work through render requests.")
mail_cli = AppGroup("mail", help="The outbox.")
users = AppGroup("users", help="Accounts.")
import_cli = AppGroup("import", help="Import data.")
jobs = AppGroup("jobs", help="The jobs process: schedules, outbox and render queue.")
press_cli = AppGroup("press", help="The press room.")
report_cli = AppGroup("report", help="The yearly policy report.")


@seed.command("reference")
def seed_reference() -> None:
    """Load municipalities, provinces and SDGs. Running it again changes nothing."""
    result = load_reference()
    db.session.commit()
    click.echo(f"reference data: {result.created} created, {result.updated} updated")


@seed.command("demo")
def seed_demo() -> None:
    """Load the reference data and the deterministic demo data into an empty database."""
    load_reference()
    try:
        summary = demo.seed_demo(media_root=current_app.config["MEDIA_ROOT"])
    except RuntimeError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    analyze(db.session)
    click.echo(
        f"demo data: {summary.editions} editions, {summary.registrations} registrations, "
        f"{summary.users} users, {summary.actions} actions, {summary.heroes} heroes (password: {demo.DEMO_PASSWORD})"
    )


def collect_stats() -> dict[str, int]:
    """Counts of what is stored. ``registrations`` counts the current edition only;
    ``heroes_public`` counts the heroes whose valid consent allows the web today."""

    def count(model: type) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    edition = edition_services.current_edition()
    today = local_date(clock.now())
    return {
        "municipalities": count(Municipality),
        "sdgs": count(Sdg),
        "editions": count(Edition),
        "registrations": registration_services.count_active(edition) if edition else 0,
        "users": count(User),
        "actions": count(Action),
        "heroes": count(Hero),
        "heroes_public": len(hero_services.public_heroes(today=today)),
        "kit_files": count(KitFile),
        "outbox_total": count(mail.OutboxMail),
        "outbox_sent": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(mail.OutboxMail)
            .where(mail.OutboxMail.status == mail.MailStatus.SENT)
        ),
        "outbox_failed": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(mail.OutboxMail)
            .where(mail.OutboxMail.status == mail.MailStatus.FAILED)
        ),
        "outbox_unconfirmed": db.session.scalar(
            sa.select(sa.func.count()).select_from(mail.OutboxMail).where(mail.unconfirmed(clock.now()))
        ),
        "consents_withdrawn": db.session.scalar(
            sa.select(sa.func.count()).select_from(Consent).where(Consent.withdrawn_at.is_not(None))
        ),
    }


@click.command("stats")
@with_appcontext
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(as_json: bool) -> None:
    """Print the counts of what is stored."""
    figures = collect_stats()
    if as_json:
        click.echo(json.dumps(figures))
    else:
        for key, value in figures.items():
            click.echo(f"{key:>16}: {value}")


@mail_cli.command("send")
def mail_send() -> None:
    """Send the mail waiting in the outbox, failed mail included."""
    counts = mail.deliver()
    click.echo(json.dumps(counts))


@click.command("purge")
@click.option("--days", type=int, default=1, show_default=True, help="Keep failed attempts this many days.")
@with_appcontext
def purge(days: int) -> None:
    """Delete old failed login and mail-request records (they only matter for minutes)."""
    removed = ratelimit.purge_before(clock.now() - timedelta(days=days))
    db.session.commit()
    click.echo(json.dumps({"failed_attempts_removed": removed}))


@users.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([Role.TEAM.value, Role.ADMIN.value]), default=Role.TEAM.value)
@click.password_option()
def users_create(email: str, name: str, role: str, password: str) -> None:
    """Create an active campaign-team or admin account."""
    if account_services.find_by_email(email) is not None:
        raise click.ClickException(f"an account for {email} exists already")
    if len(password) < 10:
        raise click.ClickException("choose a password of at least 10 characters")
    db.session.add(
        User(
            email=account_services.normalise_email(email),
            name=name,
            role=Role(role),
            status=UserStatus.ACTIVE,
            password_hash=account_services.hash_password(password),
        )
    )
    db.session.commit()
    click.echo(f"created {role} account {email}")


@kits.command("build")
@click.option("--edition", "year", type=int, required=True, help="The edition's year.")
@click.option("--municipality", "nis_code", help="Only this municipality (NIS code).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Also write the files and ZIPs here.")
@click.option("--processes", type=int, default=2, show_default=True, help="Render worker processes (0: in this one).")
def kits_build(year: int, nis_code: str | None, out_dir: str | None, processes: int) -> None:
    """Bring the kits of an edition up to date and print a JSON summary."""
    try:
        summary = kit_jobs.build_edition(year, nis_code=nis_code, out_dir=out_dir, processes=processes)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(summary))


@kits.command("work")
@click.option("--once", is_flag=True, help="Carry out what is pending, then stop.")
@click.option("--processes", type=int, default=2, show_default=True)
@click.option("--interval", type=float, default=2.0, show_default=True, help="Seconds between looks at the queue.")
def kits_work(once: bool, processes: int, interval: float) -> None:
    """Carry out render requests as officers make them (until Ctrl-C)."""
    kit_jobs.work(once=once, processes=processes, interval=interval, echo=click.echo)


@click.command("export")
@click.argument("name", type=click.Choice(list(exports.EXPORTS)))
@click.option("--edition", "year", type=int, required=True, help="The edition's year.")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="csv", show_default=True)
@click.option("--out", "out_file", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def export(name: str, year: int, fmt: str, out_file: str) -> None:
    """Write an export of an edition (see docs/exports.md)."""
    try:
        edition = edition_services.get_by_year(year)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    data = exports.export(name, edition, fmt, today=local_date(clock.now()))
    with open(out_file, "wb") as out:
        out.write(data)
    click.echo(f"{name} {year}: {len(data)} bytes written to {out_file}")


@import_cli.command("history")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_history(path: str) -> None:
    """Import earlier editions' participation from a CSV file (all rows or none)."""
    with open(path, "rb") as source:
        data = source.read()
    result = history.import_history(data, before_year=history.first_open_year(local_date(clock.now())))
    if result.errors:
        db.session.rollback()
        for error in result.errors:
            click.echo(f"line {error.line}: {error.message}" if error.line else error.message, err=True)
        raise click.ClickException(f"{len(result.errors)} problem(s): nothing was imported")
    db.session.commit()
    created = f"; editions created: {', '.join(map(str, result.editions_created))}" if result.editions_created else ""
    click.echo(f"{result.imported} participations imported{created}")


@jobs.command("run")
@click.option("--processes", type=int, default=1, show_default=True, help="Render worker processes (0: none).")
def jobs_run(processes: int) -> None:
    """Run the jobs process until SIGTERM or Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        jobs_runner.run_forever(current_app._get_current_object(), processes=processes)
    except AnotherJobsProcess as error:
        raise click.ClickException(str(error)) from None


@jobs.command("run-once")
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option("--now", "moment", help="The moment to run for, ISO 8601 with a time zone (default: now).")
def jobs_run_once(name: str, moment: str | None) -> None:
    """Run one job for one moment, and print its record as JSON."""
    if moment:
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            raise click.BadParameter("use ISO 8601, e.g. 2025-08-20T09:00:00+02:00", param_hint="--now") from None
        if parsed.tzinfo is None:
            raise click.BadParameter("add a time zone, e.g. 2025-08-20T09:00:00+02:00", param_hint="--now")
        current_app.config["NOW"] = parsed.isoformat()
    run = jobs_runner.run_job(name, clock.now())
    summary = json.loads(run.summary) if run.summary else None
    click.echo(json.dumps({"job": name, "outcome": run.outcome, "summary": summary, "error": run.error}))
    if run.outcome != "done":
        raise SystemExit(1)


@jobs.command("status")
def jobs_status() -> None:
    """Print the leader, the next run of every job and the queue depth as JSON."""
    click.echo(json.dumps(jobs_runner.status()))


@press_cli.command("export")
@click.option("--edition", "year", type=int, required=True, help="The edition's year.")
@click.option("--province", "province_name", help="A province's name (Dutch or English), e.g. Limburg.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def press_export(year: int, province_name: str | None, out_file: str) -> None:
    """Write the press export (ZIP) of an edition, or of one province."""
    try:
        edition = edition_services.get_by_year(year)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    province_id = None
    if province_name:
        wanted = province_name.strip().casefold()
        province_id = next(
            (
                p.id
                for p in db.session.scalars(sa.select(Province))
                if wanted in (p.name_nl.casefold(), p.name_en.casefold())
            ),
            None,
        )
        if province_id is None:
            names = ", ".join(db.session.scalars(sa.select(Province.name_nl).order_by(Province.name_nl)))
            raise click.ClickException(f"No province {province_name!r}; choose one of: {names}")
    _, path = press_room.press_export(
        press_room.ExportRequest(edition, province_id=province_id),
        now=clock.now(),
        media_root=current_app.config["MEDIA_ROOT"],
        fallback_email=current_app.config["TEAM_CONTACT_EMAIL"],
    )
    db.session.commit()
    data = path.read_bytes()
    with open(out_file, "wb") as out:
        out.write(data)
    click.echo(
        f"press export {year}{' ' + province_name if province_name else ''}: {len(data)} bytes written to {out_file}"
    )


@report_cli.command("build")
@click.argument("year", type=int)
@click.option("--out", "out_file", type=click.Path(dir_okay=False, writable=True), required=True, help="The PDF.")
@click.option("--xlsx", "xlsx_file", type=click.Path(dir_okay=False, writable=True), help="The data behind the charts.")
@with_appcontext
def report_build(year: int, out_file: str, xlsx_file: str | None) -> None:
    """Build the policy report of an edition now (it is also kept in the team's archive)."""
    try:
        edition = edition_services.get_by_year(year)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    media_root = Path(current_app.config["MEDIA_ROOT"])
    build = report_services.request_build(edition, by_id=None)
    report_services.run(build, now=clock.now(), media_root=media_root)
    db.session.commit()
    with open(out_file, "wb") as out:
        out.write(media.resolve(media_root, build.pdf_path).read_bytes())
    if xlsx_file:
        with open(xlsx_file, "wb") as out:
            out.write(media.resolve(media_root, build.xlsx_path).read_bytes())
    click.echo(f"report {year}: {build.pages} pages, {build.pdf_size} bytes written to {out_file}")


def register(app: Flask) -> None:
    for command in (seed, stats, mail_cli, users, kits, purge, export, import_cli, jobs, press_cli, report_cli):
        app.cli.add_command(command)
