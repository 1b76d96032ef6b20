"""Sending reminders, and what the team sees of them: the rules with their days, audiences and
sends, a pause switch, and a preview of every mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import force_locale, format_date

from campaign.accounts.models import User
from campaign.core import mail
from campaign.core.db import utcnow
from campaign.editions import services as edition_services
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.registrations.services import local_date
from campaign.reminders.models import ReminderSetting
from campaign.reminders.rules import BY_KEY, RULES, Rule, Target, paused_rules, recipients


def mail_kind(rule: Rule) -> str:
    return f"reminder-{rule.key}"


def idempotency_key(edition: Edition, rule: Rule, target: Target, user: User) -> str:
    """One mail per edition, rule, municipality and person, however often the job runs."""
    return f"reminder:{edition.year}:{rule.key}:{target.municipality_id}:{user.id}"


def _context(rule: Rule, edition: Edition, target: Target, user: User) -> dict:
    deadline = rule.deadline(edition)
    values = {
        "municipality": target.municipality,
        "year": edition.year,
        "deadline": format_date(deadline, "d MMMM yyyy"),
        "start": format_date(edition.week_start, "d MMMM yyyy"),
    }
    return {
        "subject": str(rule.subject) % values,
        "lead": str(rule.lead) % values,
        "items": target.items,
        "link": url_for(rule.link_endpoint, _external=True),
        "link_label": str(rule.link_label),
        "settings": url_for("accounts.profile", _external=True),
        "user": user,
    }


def _queue(rule: Rule, edition: Edition, target: Target, user: User) -> mail.OutboxMail:
    with force_locale(user.locale):
        context = _context(rule, edition, target, user)
    subject = context.pop("subject")
    return mail.queue(
        "reminder",
        to=user.email,
        locale=user.locale,
        subject=subject,
        kind=mail_kind(rule),
        idempotency_key=idempotency_key(edition, rule, target, user),
        **context,
    )


def send_due(now: datetime) -> dict[str, list[int]]:
    """Queue every reminder that is due on ``now``'s day for the current edition; mails queued
    before (same edition, rule, municipality, person) are not queued again. Returns the ids of
    the new mails per rule. Needs a request context for the links (the jobs process makes one)."""
    edition = edition_services.current_edition()
    if edition is None:
        return {}
    today = local_date(now)
    paused = paused_rules()
    queued: dict[str, list[int]] = {}
    for rule in RULES:
        if rule.key in paused or not rule.due(edition, today):
            continue
        targets = rule.targets(edition, today)
        people = recipients([t.municipality_id for t in targets])
        sent_before = _sent_keys(edition, rule)
        new = [
            _queue(rule, edition, target, user)
            for target in targets
            for user in people.get(target.municipality_id, [])
            if idempotency_key(edition, rule, target, user) not in sent_before
        ]
        db.session.commit()
        queued[rule.key] = [queued_mail.id for queued_mail in new]
    return queued


def _sent_keys(edition: Edition, rule: Rule) -> set[str]:
    prefix = f"reminder:{edition.year}:{rule.key}:"
    return set(
        db.session.scalars(
            sa.select(mail.OutboxMail.idempotency_key).where(
                mail.OutboxMail.idempotency_key.startswith(prefix, autoescape=True)
            )
        )
    )


# The team's view --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    rule: Rule
    first_day: date
    last_day: date
    paused: bool
    state: str  # "planned", "due", "over"
    municipalities: int  # targeted now (for a rule still to come: if it ran today)
    recipients: int
    sent: int
    failed: int


def plans(edition: Edition, *, today: date) -> list[Plan]:
    paused = paused_rules()
    counts = _send_counts(edition)
    result = []
    for rule in RULES:
        first, last = rule.window(edition)
        state = "planned" if today < first else "over" if today > last else "due"
        targets = rule.targets(edition, today) if state != "over" else []
        people = recipients([t.municipality_id for t in targets])
        sent, failed = counts.get(rule.key, (0, 0))
        result.append(
            Plan(
                rule=rule,
                first_day=first,
                last_day=last,
                paused=rule.key in paused,
                state=state,
                municipalities=len(targets),
                recipients=sum(len(people.get(t.municipality_id, [])) for t in targets),
                sent=sent,
                failed=failed,
            )
        )
    return result


def _send_counts(edition: Edition) -> dict[str, tuple[int, int]]:
    """(sent, failed) per rule key for the edition."""
    key = mail.OutboxMail.idempotency_key
    stmt = (
        sa.select(mail.OutboxMail.kind, mail.OutboxMail.status, sa.func.count())
        .where(key.startswith(f"reminder:{edition.year}:", autoescape=True))
        .group_by(mail.OutboxMail.kind, mail.OutboxMail.status)
    )
    counts: dict[str, list[int]] = {}
    for kind, status, number in db.session.execute(stmt):
        entry = counts.setdefault(kind.removeprefix("reminder-"), [0, 0])
        if status in (mail.MailStatus.SENT, mail.MailStatus.SENDING):  # sending: handed to the server
            entry[0] += number
        elif status == mail.MailStatus.FAILED:
            entry[1] += number
    return {rule: (sent, failed) for rule, (sent, failed) in counts.items()}


def set_paused(rule: Rule, paused: bool, *, by: User) -> None:
    setting = db.session.scalar(sa.select(ReminderSetting).where(ReminderSetting.rule == rule.key))
    if setting is None:
        setting = ReminderSetting(rule=rule.key)
        db.session.add(setting)
    setting.paused = paused
    setting.changed_at = utcnow()
    setting.changed_by_id = by.id


@dataclass(frozen=True)
class Preview:
    subject: str
    text: str
    html: str
    target: Target


def preview(rule: Rule, edition: Edition, *, today: date, reader: User) -> Preview:
    """The mail as the first targeted municipality's officer would get it (addressed to
    ``reader``, in ``reader``'s language); a sample municipality when nobody is targeted."""
    targets = rule.targets(edition, today)
    target = (
        targets[0] if targets else Target(0, "Voorbeeldgemeente", ("Voorbeeldheld",) if "consent" in rule.key else ())
    )
    with force_locale(reader.locale):
        context = _context(rule, edition, target, reader)
        subject = context.pop("subject")
        context = {"subject": subject, "locale": reader.locale, **context}
        return Preview(
            subject=subject,
            text=render_template("email/reminder.txt", **context),
            html=render_template("email/reminder.html", **context),
            target=target,
        )


def rule_or_none(key: str) -> Rule | None:
    return BY_KEY.get(key)
