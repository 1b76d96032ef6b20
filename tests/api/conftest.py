"""Fixtures of the open-data API tests: a fresh rate limiter with a limit no test reaches by
accident, and a small data set with everything the API must show and must hide."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from campaign.actions.models import Action
from campaign.api.http import RATE_LIMITER
from campaign.heroes.models import Hero
from campaign.registrations.models import Registration, RegistrationStatus
from tests import factories


@pytest.fixture(autouse=True)
def _rate_limit(request, monkeypatch):
    """Tests of the unit app start with fresh buckets and a limit they will not reach by accident.
    (The live-server tests do not use that app; asking for it would open its test transaction.)"""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 100_000)
    app.extensions[RATE_LIMITER].clear()
    yield
    app.extensions[RATE_LIMITER].clear()


@dataclass
class World:
    gent: Registration
    antwerpen: Registration
    withdrawn: Registration
    public_action: Action
    private_action: Action
    withdrawn_action: Action
    hero: Hero
    print_only_hero: Hero
    withdrawn_hero: Hero
    hero_of_withdrawn_registration: Hero


@pytest.fixture
def world(edition, registration, other_registration) -> World:
    """Gent and Antwerpen take part; Leuven withdrew. Each has something public and something not."""
    withdrawn = factories.make_registration(edition, "24062", status=RegistrationStatus.WITHDRAWN)
    public_action = factories.make_action(registration, title="Repair Café", sdgs=(12,))
    return World(
        gent=registration,
        antwerpen=other_registration,
        withdrawn=withdrawn,
        public_action=public_action,
        private_action=factories.make_action(registration, title="Interne opleiding", public=False, sdgs=(4,)),
        withdrawn_action=factories.make_action(withdrawn, title="Afgelaste wandeling"),
        hero=factories.make_hero(registration, name="Fien Claes", action=public_action),
        print_only_hero=factories.make_hero(other_registration, name="Jonas Peeters", scopes=("print",)),
        withdrawn_hero=factories.make_hero(registration, name="Lotte Maes", withdrawn=True),
        hero_of_withdrawn_registration=factories.make_hero(withdrawn, name="Bram Wouters"),
    )
