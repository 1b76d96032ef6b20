"""Consent that expires, and heroes' personal data erased after the retention period: run as
the jobs process runs them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import sqlalchemy as sa

from campaign.core import media, uploads
from campaign.core.mail import MailStatus, OutboxMail
from campaign.core.uploads import Upload
from campaign.extensions import db
from campaign.heroes import services as hero_services
from campaign.heroes.models import Hero
from campaign.jobs import runner
from tests import factories
from tests.core import image_corpus


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_expired_consent_is_unpublished_and_the_officers_are_told_once(app, edition, officer, mail_dir):
    registration = factories.make_registration(edition, "44021", by=officer)
    hero = factories.make_hero(registration, name="Fien Claes")
    hero.consent.expires_on = date(2026, 3, 31)
    db.session.flush()
    assert hero_services.is_public(hero, today=date(2026, 3, 31))

    run = runner.run_job("consent-expiry", at("2026-04-01T02:00:00+02:00"))
    assert run.outcome == "done", run.error
    assert json.loads(run.summary)["consents_expired"] == 1
    assert not hero_services.is_public(hero, today=date(2026, 4, 1))
    [notice] = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "consent-expired")).all()
    assert notice.to_address == officer.email and notice.status == MailStatus.SENT
    assert notice.subject == "De toestemming van Fien Claes is verlopen"
    assert "31 maart 2026" in notice.body_text and f"/heroes/{hero.id}/consent" in notice.body_text

    runner.run_job("consent-expiry", at("2026-04-02T02:00:00+02:00"))  # the next night: not again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 1


def test_retention_erases_old_heroes_personal_data_and_keeps_the_figures(app, edition, media_root, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_YEARS", 5)
    old = factories.make_edition(2019)
    recent = factories.make_edition(2022)
    photo = uploads.save_image(media_root, image_corpus.jpeg_photo((300, 400)))
    shared = uploads.save_image(media_root, image_corpus.jpeg_photo((310, 400)))
    old_hero = factories.make_hero(factories.make_registration(old, "44021"), name="Oud Held", photo=photo)
    old_hero.consent.expires_on = date(2030, 12, 31)  # still in force: it must end with the erasure
    other_old = factories.make_hero(factories.make_registration(old, "11002"), name="Ander", photo=shared)
    keeper = factories.make_hero(factories.make_registration(recent, "44021"), name="Blijft", photo=shared)
    photo_file = media.resolve(media_root, photo.path)
    assert photo_file.is_file()

    run = runner.run_job("retention", at("2025-01-10T03:45:00+01:00"))
    assert run.outcome == "done", run.error
    assert json.loads(run.summary) == {
        "editions_before": 2020,
        "heroes_erased": 2,
        "highlights_removed": 0,
        "press_archives_removed": 0,
    }

    for hero in (old_hero, other_old):
        assert hero.erased_at is not None
        assert (hero.name, hero.role, hero.quote, hero.photo_id) == ("—", "", "", None)
        assert [s.number for s in hero.sdgs] == [12]  # the figures per SDG stay
        assert hero.consent.withdrawn_at is not None
        assert not hero_services.is_public(hero, today=date(2025, 1, 10))
    # The photo only the erased hero used is gone, file and all; the shared one stays for the keeper.
    assert db.session.get(Upload, photo.id) is None and not photo_file.exists()
    assert db.session.get(Upload, shared.id) is not None
    assert keeper.name == "Blijft" and keeper.photo_id == shared.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Hero).where(Hero.edition_id == old.id)) == 2

    again = runner.run_job("retention", at("2025-01-11T03:45:00+01:00"))
    assert json.loads(again.summary)["heroes_erased"] == 0


def test_retention_can_be_switched_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_YEARS", None)
    run = runner.run_job("retention", at("2025-01-10T03:45:00+01:00"))
    assert json.loads(run.summary) == {"skipped": "RETENTION_YEARS is not set"}
