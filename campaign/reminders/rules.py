"""The reminder rules: when each is due, relative to the edition's dates, and whom it targets
by step-plan status. Each rule sends on its day and, if the jobs process was down then, on the
following days until its last day; the outbox's idempotency keys make every mail go once.

Targets come from the monitoring figures (``figures.progress``, ``services.not_registered``),
so a reminder's audience and the dashboard's gap list always agree. Recipients are the active
officers of the municipality who did not opt out of reminders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.accounts.models import User, UserStatus
from campaign.core.auth import Role
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import Consent, Hero
from campaign.monitoring import figures
from campaign.monitoring import services as monitoring_services
from campaign.reference.models import Municipality
from campaign.registrations.models import Registration
from campaign.reminders.models import ReminderSetting

CATCH_UP_DAYS = 3  # a rule missed on its day (jobs process down) still goes out this many days later


@dataclass(frozen=True)
class Target:
    """A municipality a rule speaks to, with what the mail lists (hero names, say)."""

    municipality_id: int
    municipality: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    key: str
    title: object  # lazy string, for the team page
    audience: object  # lazy string: whom it targets
    day: Callable[[Edition], date]  # the day it is due
    last_day: Callable[[Edition], date]  # the last day it may still go out
    subject: object  # lazy string with %(year)s, %(deadline)s
    lead: object  # lazy string with %(municipality)s, %(year)s, %(deadline)s, %(start)s
    deadline: Callable[[Edition], date]  # the date the mail names
    link_endpoint: str
    link_label: object
    targets: Callable[[Edition, date], list[Target]] = field(repr=False)

    def window(self, edition: Edition) -> tuple[date, date]:
        first = self.day(edition)
        return first, min(self.last_day(edition), first + timedelta(days=CATCH_UP_DAYS))

    def due(self, edition: Edition, today: date) -> bool:
        first, last = self.window(edition)
        return first <= today <= last


# Targets ----------------------------------------------------------------------------------------


def _returning_not_registered(edition: Edition, today: date) -> list[Target]:
    """Municipalities that took part in an earlier edition but have not registered (yet)."""
    return [
        Target(_id_of(absent.municipality.nis_code), absent.municipality.name)
        for absent in monitoring_services.not_registered(edition)
        if absent.editions_before > 0
    ]


def _progress_targets(edition: Edition, today: date, wanted: Callable[[figures.Progress], bool]) -> list[Target]:
    rows = [row for row in figures.progress(edition, today=today) if wanted(row)]
    names = _names([row.municipality_id for row in rows])
    return [Target(row.municipality_id, names[row.municipality_id]) for row in rows]


def _without_heroes(edition: Edition, today: date) -> list[Target]:
    return _progress_targets(edition, today, lambda row: row.heroes == 0)


def _every_registered(edition: Edition, today: date) -> list[Target]:
    return _progress_targets(edition, today, lambda row: True)


def _not_evaluated(edition: Edition, today: date) -> list[Target]:
    """Registered municipalities that have not submitted the evaluation (reports.survey sets
    ``evaluation_submitted_at`` on the registration)."""
    ids = list(
        db.session.scalars(
            sa.select(Registration.municipality_id).where(
                figures.active_in(edition.id), Registration.evaluation_submitted_at.is_(None)
            )
        )
    )
    names = _names(ids)
    return [Target(mid, names[mid]) for mid in ids]


def _consent_missing(edition: Edition, today: date) -> list[Target]:
    """Registered municipalities with heroes whose consent is not complete, with their names."""
    rows = [r for r in figures.progress(edition, today=today) if r.heroes and r.heroes_complete < r.heroes]
    if not rows:
        return []
    complete = sa.select(Consent.hero_id).where(figures.complete_consent(today))
    missing: dict[int, list[str]] = {}
    stmt = (
        sa.select(Hero.municipality_id, Hero.name)
        .where(Hero.registration_id.in_([r.registration_id for r in rows]), Hero.id.not_in(complete))
        .order_by(Hero.name)
    )
    for municipality_id, name in db.session.execute(stmt):
        missing.setdefault(municipality_id, []).append(name)
    names = _names(list(missing))
    return [Target(mid, names[mid], tuple(heroes)) for mid, heroes in missing.items()]


def _names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    stmt = sa.select(Municipality.id, Municipality.name_nl).where(Municipality.id.in_(ids))
    return {municipality_id: name for municipality_id, name in db.session.execute(stmt)}


def _id_of(nis_code: str) -> int:
    return db.session.scalar(sa.select(Municipality.id).where(Municipality.nis_code == nis_code))


# Rules ------------------------------------------------------------------------------------------

_REGISTRATION_LEAD = _l(
    "%(municipality)s took part in the Week of the Sustainable Municipality before. Registration "
    "for %(year)s closes on %(deadline)s: register your municipality in time."
)
_EVALUATION_LEAD = _l(
    "Thank you for taking part with %(municipality)s. Tell us how the week went: your answers "
    "shape the next edition and VVSG's policy report. You can answer until %(deadline)s."
)

RULES: tuple[Rule, ...] = (
    Rule(
        key="registration-14",
        title=_l("Registration, 14 days before the deadline"),
        audience=_l("Municipalities that took part before and have not registered"),
        day=lambda e: e.registration_deadline - timedelta(days=14),
        last_day=lambda e: e.registration_deadline - timedelta(days=4),
        subject=_l("Register for the Week of the Sustainable Municipality %(year)s"),
        lead=_REGISTRATION_LEAD,
        deadline=lambda e: e.registration_deadline,
        link_endpoint="registrations.new",
        link_label=_l("Register your municipality"),
        targets=_returning_not_registered,
    ),
    Rule(
        key="registration-3",
        title=_l("Registration, 3 days before the deadline"),
        audience=_l("Municipalities that took part before and have not registered"),
        day=lambda e: e.registration_deadline - timedelta(days=3),
        last_day=lambda e: e.registration_deadline,
        subject=_l("Three days left to register for the Week of the Sustainable Municipality %(year)s"),
        lead=_REGISTRATION_LEAD,
        deadline=lambda e: e.registration_deadline,
        link_endpoint="registrations.new",
        link_label=_l("Register your municipality"),
        targets=_returning_not_registered,
    ),
    Rule(
        key="hero-intake",
        title=_l("Heroes, 7 days before the hero deadline"),
        audience=_l("Registered municipalities without heroes"),
        day=lambda e: e.hero_deadline - timedelta(days=7),
        last_day=lambda e: e.hero_deadline,
        subject=_l("Add your sustainable heroes before %(deadline)s"),
        lead=_l(
            "%(municipality)s is registered, but no hero has been entered yet. Enter your sustainable "
            "heroes before %(deadline)s, so that their posters and social-media images are ready in time."
        ),
        deadline=lambda e: e.hero_deadline,
        link_endpoint="heroes.new",
        link_label=_l("Add a hero"),
        targets=_without_heroes,
    ),
    Rule(
        key="consent-missing",
        title=_l("Consent, 3 days before the hero deadline"),
        audience=_l("Registered municipalities with heroes whose consent is not complete"),
        day=lambda e: e.hero_deadline - timedelta(days=3),
        last_day=lambda e: e.week_start - timedelta(days=1),
        subject=_l("Consent missing for some of your heroes"),
        lead=_l(
            "For these heroes of %(municipality)s the consent is not complete yet. Without it, their "
            "posters and images cannot be made or published:"
        ),
        deadline=lambda e: e.hero_deadline,
        link_endpoint="heroes.index",
        link_label=_l("Complete the consent"),
        targets=_consent_missing,
    ),
    Rule(
        key="kits-ready",
        title=_l("Kits ready, 7 days before the week"),
        audience=_l("Every registered municipality"),
        day=lambda e: e.week_start - timedelta(days=7),
        last_day=lambda e: e.week_start - timedelta(days=1),
        subject=_l("Your campaign kit is ready"),
        lead=_l(
            "The Week of the Sustainable Municipality starts on %(start)s. The kit of %(municipality)s, "
            "with hero posters and social-media images, is ready to download."
        ),
        deadline=lambda e: e.week_start,
        link_endpoint="kits.mine",
        link_label=_l("Download your kit"),
        targets=_every_registered,
    ),
    Rule(
        key="evaluation",
        title=_l("Evaluation, the day after the week"),
        audience=_l("Registered municipalities that have not submitted the evaluation"),
        day=lambda e: e.week_end + timedelta(days=1),
        last_day=lambda e: e.evaluation_deadline,
        subject=_l("How did the Week of the Sustainable Municipality go?"),
        lead=_EVALUATION_LEAD,
        deadline=lambda e: e.evaluation_deadline,
        link_endpoint="reports.mine",
        link_label=_l("Fill in the evaluation"),
        targets=_not_evaluated,
    ),
    Rule(
        key="evaluation-reminder",
        title=_l("Evaluation, 7 days before its deadline"),
        audience=_l("Registered municipalities that have not submitted the evaluation"),
        day=lambda e: e.evaluation_deadline - timedelta(days=7),
        last_day=lambda e: e.evaluation_deadline,
        subject=_l("Reminder: the evaluation closes on %(deadline)s"),
        lead=_EVALUATION_LEAD,
        deadline=lambda e: e.evaluation_deadline,
        link_endpoint="reports.mine",
        link_label=_l("Fill in the evaluation"),
        targets=_not_evaluated,
    ),
)
BY_KEY = {rule.key: rule for rule in RULES}


def paused_rules() -> set[str]:
    return set(db.session.scalars(sa.select(ReminderSetting.rule).where(ReminderSetting.paused)))


def recipients(municipality_ids: list[int]) -> dict[int, list[User]]:
    """Active officers who take reminders, by municipality."""
    if not municipality_ids:
        return {}
    found: dict[int, list[User]] = {}
    stmt = (
        sa.select(User)
        .where(
            User.municipality_id.in_(municipality_ids),
            User.role == Role.OFFICER,
            User.status == UserStatus.ACTIVE,
            User.reminders_opt_out.is_(False),
        )
        .order_by(User.id)
    )
    for user in db.session.scalars(stmt):
        found.setdefault(user.municipality_id, []).append(user)
    return found
