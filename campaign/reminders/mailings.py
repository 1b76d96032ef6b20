"""One-off mailings: the team writes to the officers of a filtered group of municipalities,
sees how many people it reaches and how the mail reads, then sends it through the outbox."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from campaign.accounts.models import User
from campaign.core import mail
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.monitoring import figures
from campaign.reference.models import Municipality
from campaign.registrations.models import Registration
from campaign.reminders.models import Mailing
from campaign.reminders.rules import recipients

AUDIENCES = {
    "registered": _l("Registered municipalities"),
    "returning": _l("Municipalities that took part before and have not registered"),
    "everyone": _l("Every municipality with an officer"),
}


def audience_ids(edition: Edition, audience: str, province_id: int | None) -> list[int]:
    """The municipalities of ``audience`` (see AUDIENCES), in one province or all of Flanders."""
    registered = sa.select(Registration.municipality_id).where(figures.active_in(edition.id))
    stmt = sa.select(Municipality.id).order_by(Municipality.name_nl)
    if audience == "registered":
        stmt = stmt.where(Municipality.id.in_(registered))
    elif audience == "returning":
        before = figures.participation_counts(edition.year)
        stmt = stmt.where(Municipality.id.not_in(registered), Municipality.id.in_([m for m, n in before.items() if n]))
    if province_id:
        stmt = stmt.where(Municipality.province_id == province_id)
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class Reach:
    municipalities: int
    people: list[User]


def reach(edition: Edition, audience: str, province_id: int | None) -> Reach:
    """Who a mailing to this group reaches: the active officers who take reminders and mailings."""
    ids = audience_ids(edition, audience, province_id)
    people = [user for users in recipients(ids).values() for user in users]
    return Reach(municipalities=len({u.municipality_id for u in people}), people=people)


def render(subject: str, body: str, reader: User) -> tuple[str, str]:
    """The text and HTML of the mailing as ``reader`` gets it."""
    context = _context(subject, body, reader)
    with force_locale(reader.locale):
        return render_template("email/mailing.txt", **context), render_template("email/mailing.html", **context)


def _context(subject: str, body: str, user: User) -> dict:
    return {
        "subject": subject,
        "locale": user.locale,
        "user": user,
        "paragraphs": [part.strip() for part in body.replace("\r\n", "\n").split("\n\n") if part.strip()],
        "settings": url_for("accounts.profile", _external=True),
    }


def send(edition: Edition, *, audience: str, province_id: int | None, subject: str, body: str, by: User) -> Mailing:
    """Record the mailing and queue one mail per recipient (the outbox sends them, each once)."""
    people = reach(edition, audience, province_id).people
    mailing = Mailing(
        edition_id=edition.id,
        audience=audience,
        province_id=province_id,
        subject=subject,
        body=body,
        recipients=len(people),
        created_by_id=by.id,
    )
    db.session.add(mailing)
    db.session.flush()
    for person in people:
        context = _context(subject, body, person)
        context.pop("subject")
        context.pop("locale")
        mail.queue(
            "mailing",
            to=person.email,
            locale=person.locale,
            subject=subject,
            kind="mailing",
            idempotency_key=f"mailing:{mailing.id}:{person.id}",
            **context,
        )
    return mailing


def recent(limit: int = 20) -> list[Mailing]:
    return list(db.session.scalars(sa.select(Mailing).order_by(Mailing.id.desc()).limit(limit)))
