"""What happens to heroes over time: consent that expires, and personal data that is kept only
so long. Both run in the jobs process (``consent-expiry`` nightly, ``retention`` nightly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _l

from campaign.accounts.models import User, UserStatus
from campaign.core import mail, signals, uploads
from campaign.core.auth import Role
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import Consent, Hero

ERASED_NAME = "—"
EXPIRY_CATCH_UP = timedelta(days=7)  # consent that expired while the jobs process was down


@dataclass(frozen=True)
class ExpiryResult:
    heroes: int
    mails: list[int]


def expire_consents(*, today: date) -> ExpiryResult:
    """Consent that expired in the last days (``expires_on`` before ``today``): public pages and
    the API already check the date, so here the kit files it covered are dropped and the
    municipality's officers are told, once per consent and expiry date. Needs a request context
    for the links in the mail."""
    consents = db.session.scalars(
        sa.select(Consent)
        .join(Hero, Hero.id == Consent.hero_id)
        .where(
            Consent.withdrawn_at.is_(None),
            Consent.expires_on < today,
            Consent.expires_on >= today - EXPIRY_CATCH_UP,
            Hero.erased_at.is_(None),
        )
        .order_by(Consent.id)
    ).all()
    queued: list[int] = []
    for consent in consents:
        hero = consent.hero
        signals.consent_changed.send(hero)
        for officer in _officers(hero.municipality_id):
            with force_locale(officer.locale):
                expired_on = format_date(consent.expires_on, "d MMMM yyyy")
            queued.append(
                mail.queue(
                    "consent_expired",
                    to=officer.email,
                    locale=officer.locale,
                    subject=_l("The consent of %(name)s has expired", name=hero.name),
                    kind="consent-expired",
                    idempotency_key=f"consent-expired:{consent.id}:{consent.expires_on.isoformat()}:{officer.id}",
                    user=officer,
                    hero=hero,
                    expired_on=expired_on,
                    link=url_for("heroes.consent", hero_id=hero.id, _external=True),
                ).id
            )
    db.session.flush()
    return ExpiryResult(heroes=len(consents), mails=queued)


def _officers(municipality_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User).where(
                User.municipality_id == municipality_id, User.role == Role.OFFICER, User.status == UserStatus.ACTIVE
            )
        )
    )


def erase_before(year: int, *, now: datetime, media_root: str) -> int:
    """Erase the personal data of the heroes of editions before ``year``: name, role, quote,
    story, photo and its credit, the consent's proof. The hero rows stay, with their edition,
    municipality, SDGs and consent scopes, so aggregate figures do not change; consent still in
    force is withdrawn, so nothing of them is published again. Returns how many were erased."""
    heroes = db.session.scalars(
        sa.select(Hero)
        .join(Edition, Edition.id == Hero.edition_id)
        .where(Edition.year < year, Hero.erased_at.is_(None))
        .order_by(Hero.id)
    ).all()
    uploads_to_check: set[int] = set()
    for hero in heroes:
        uploads_to_check |= {hero.photo_id} - {None}
        hero.name, hero.role, hero.quote, hero.story, hero.photo_credit = ERASED_NAME, "", "", "", ""
        hero.photo = None
        hero.focal_x = hero.focal_y = 0.5
        hero.erased_at = now
        if hero.consent is not None:
            uploads_to_check |= {hero.consent.proof_id} - {None}
            hero.consent.proof = None
            if hero.consent.withdrawn_at is None:
                hero.consent.withdrawn_at = now
        signals.consent_changed.send(hero)  # their kit files go
    db.session.flush()
    uploads.delete_unreferenced(media_root, uploads_to_check)
    return len(heroes)
