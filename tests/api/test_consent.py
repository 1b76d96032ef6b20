"""Heroes appear in the API only with valid web consent, and leave it at once: a validator a
client kept from before (ETag or date) never earns a 304 for the old answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from campaign.core.audit import AuditEntry
from campaign.extensions import db
from campaign.heroes import services as hero_services
from tests import factories


def hero_names(client, **headers) -> tuple[int, list[str], object]:
    response = client.get("/api/v1/heroes", headers=headers)
    names = [h["name"] for h in response.get_json()["items"]] if response.status_code == 200 else []
    return response.status_code, names, response


def backdate_changes(to: datetime) -> None:
    """Make every change so far happen at ``to``, as if the clock had moved on since."""
    db.session.execute(sa.update(AuditEntry).values(at=to))


def test_only_heroes_with_valid_web_consent(client, world):
    no_consent = factories.make_hero(world.gent, name="Zonder Toestemming", scopes=None)
    status, names, _ = hero_names(client)
    assert status == 200 and names == ["Fien Claes"]
    for hidden in (world.print_only_hero, world.withdrawn_hero, world.hero_of_withdrawn_registration, no_consent):
        assert client.get(f"/api/v1/heroes/{hidden.id}").status_code == 404
        for query in ("", "?municipality=11002", "?municipality=24062", "?sdg=12", "?edition=2025"):
            body = client.get("/api/v1/heroes" + query).get_data(as_text=True)
            assert hidden.name not in body


def test_the_api_shows_the_heroes_the_public_pages_show(client, world, media_root):
    factories.make_hero(world.antwerpen, name="Sara Janssens")
    today = date(2025, 5, 15)
    shown = {h["id"] for h in client.get("/api/v1/heroes").get_json()["items"]}
    assert shown == {hero.id for hero in hero_services.public_heroes(today=today)}


def test_withdrawn_consent_leaves_the_api_at_once(client, world, officer):
    _, names, before = hero_names(client)
    detail = client.get(f"/api/v1/heroes/{world.hero.id}")
    assert names == ["Fien Claes"] and detail.status_code == 200
    assert before.headers["Cache-Control"] == "public, no-cache"  # caches must ask every time
    assert client.get("/api/v1/heroes", headers={"If-None-Match": before.headers["ETag"]}).status_code == 304

    hero_services.withdraw_consent(world.hero, by=officer)

    status, names, after = hero_names(client, **{"If-None-Match": before.headers["ETag"]})
    assert status == 200 and names == [] and after.headers["ETag"] != before.headers["ETag"]
    gone = client.get(f"/api/v1/heroes/{world.hero.id}", headers={"If-None-Match": detail.headers["ETag"]})
    assert gone.status_code == 404 and gone.mimetype == "application/problem+json"


def test_withdrawal_also_defeats_if_modified_since(client, world, officer):
    backdate_changes(datetime(2025, 5, 1, tzinfo=UTC))
    first = client.get("/api/v1/heroes")
    stamp = first.headers["Last-Modified"]
    assert client.get("/api/v1/heroes", headers={"If-Modified-Since": stamp}).status_code == 304

    hero_services.withdraw_consent(world.hero, by=officer)

    status, names, _ = hero_names(client, **{"If-Modified-Since": stamp})
    assert status == 200 and names == []


def test_expired_consent_leaves_the_api_the_next_day(client, world, now):
    assert world.hero.consent.expires_on == date(2026, 12, 31)
    backdate_changes(datetime(2025, 7, 1, tzinfo=UTC))
    now("2026-12-31T23:30:00+01:00")
    status, names, last_day = hero_names(client)
    assert status == 200 and names == ["Fien Claes"]
    validators = {"If-None-Match": last_day.headers["ETag"]}
    assert client.get("/api/v1/heroes", headers=validators).status_code == 304

    now("2027-01-01T00:30:00+01:00")  # nothing was written: only the date moved

    for headers in (validators, {"If-Modified-Since": last_day.headers["Last-Modified"]}):
        status, names, _ = hero_names(client, **headers)
        assert status == 200 and names == [], headers
    assert client.get(f"/api/v1/heroes/{world.hero.id}", headers=validators).status_code == 404


def test_an_erased_hero_never_shows(client, world):
    world.hero.erased_at = datetime(2025, 5, 1, tzinfo=UTC)  # even if its consent were left in force
    db.session.flush()
    assert hero_names(client)[1] == []
    assert client.get(f"/api/v1/heroes/{world.hero.id}").status_code == 404
