"""Kits react to consent: files the consent no longer allows are deleted at once."""

from __future__ import annotations

from flask import current_app

from campaign.core import clock, signals
from campaign.heroes.models import Hero
from campaign.kits import services
from campaign.registrations.services import local_date


def drop_disallowed_files(hero: Hero, **_: object) -> None:
    services.drop_files_of(hero, today=local_date(clock.now()), media_root=current_app.config["MEDIA_ROOT"])


def connect() -> None:
    signals.consent_changed.connect(drop_disallowed_files, weak=False)
