"""The monitoring pages the team opens most are built ahead by the jobs process after each
change and shared through the database, so that every web process serves the first view after
a change ready-made, in the reader's language, and never for data it was not made from."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest

from campaign.core import clock
from campaign.core.i18n import LANGUAGE_COOKIE
from campaign.extensions import db
from campaign.jobs import tasks
from campaign.monitoring import cache, exports, services
from campaign.monitoring.models import PageFragment
from tests import factories

USUAL = 3 * 2 + 1 + len(exports.EXPORTS) * len(exports.FORMATS)  # pages in nl and en, the gap CSV, exports


def _nothing_computed(monkeypatch):
    """Every builder fails from now on: what is served must come ready-made."""

    def refuse(*args, **kwargs):
        raise AssertionError("computed in the web request")

    for name in ("dashboard", "map_statuses", "gaps", "not_registered"):
        monkeypatch.setattr(services, name, refuse)
    monkeypatch.setattr(exports, "export", refuse)


def _heroes_on(html: str) -> str:
    return re.search(r"(?:Heroes|Helden)</dt><dd><strong>(\d+)</strong>", html).group(1)


def test_after_a_change_the_jobs_process_builds_the_usual_pages_ahead(
    app,
    client,
    auth,
    team_user,
    campaign,
    monkeypatch,
):
    assert tasks.monitoring(clock.now())["built"] == USUAL
    assert db.session.query(PageFragment).count() == USUAL
    assert tasks.monitoring(clock.now())["built"] == 0  # nothing changed: nothing to do

    factories.make_hero(campaign["bkz"], name="Nieuw")  # a change (audited): 4 heroes now
    db.session.commit()
    assert tasks.monitoring(clock.now())["built"] == USUAL

    cache.clear()  # as in a web process that never saw these pages
    _nothing_computed(monkeypatch)
    auth.login(team_user)
    dutch = client.get("/team/dashboard").get_data(as_text=True)
    assert "Ingeschreven gemeenten" in dutch and _heroes_on(dutch) == "4"
    client.set_cookie(LANGUAGE_COOKIE, "en")
    english = client.get("/team/dashboard").get_data(as_text=True)
    assert "Registered municipalities" in english and _heroes_on(english) == "4"
    assert "Beveren-Kruibeke-Zwijndrecht" in client.get("/team/map").get_data(as_text=True)
    assert client.get("/team/gaps").status_code == 200
    rows = list(
        csv.reader(io.StringIO(client.get("/team/gaps.csv").get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert any("Antwerpen" in row for row in rows)
    actions = json.loads(client.get("/team/exports/actions.json").get_data())
    assert sorted(a["titel"] for a in actions) == ["Repair Café", "Ruilbeurs", "Zonnepanelen"]


def test_a_change_not_yet_built_ahead_is_computed_in_the_request(client, auth, team_user, campaign):
    tasks.monitoring(clock.now())
    factories.make_hero(campaign["gent"], name="Later")  # the jobs process has not run since
    db.session.commit()
    cache.clear()
    auth.login(team_user)
    assert _heroes_on(client.get("/team/dashboard").get_data(as_text=True)) == "4"  # never the old figure


def test_filtered_views_are_computed_in_the_request(client, auth, team_user, campaign):
    tasks.monitoring(clock.now())
    cache.clear()
    auth.login(team_user)
    stuck_at_kit = client.get("/team/gaps?step=kit").get_data(as_text=True)
    assert "Antwerpen" in stuck_at_kit and "Beveren-Kruibeke-Zwijndrecht" not in stuck_at_kit.split("<tbody", 1)[1]


def test_superseded_fragments_are_removed_after_ten_minutes(app, campaign, now):
    tasks.monitoring(clock.now())
    first = {row.key for row in db.session.query(PageFragment)}
    factories.make_hero(campaign["gent"], name="Later")
    db.session.commit()
    tasks.monitoring(clock.now())  # the old ones may still be read by a request: kept
    assert first < {row.key for row in db.session.query(PageFragment)}
    now((clock.now() + timedelta(minutes=11)).isoformat())
    factories.make_hero(campaign["gent"], name="Nog later")
    db.session.commit()
    summary = tasks.monitoring(clock.now())
    assert summary["removed"] == 2 * USUAL  # both earlier sets
    assert db.session.query(PageFragment).count() == USUAL


def test_fragments_of_earlier_data_go_even_when_nothing_changes_after(app, campaign, now):
    """Say a hero's personal data was erased: the fragments made before it go within minutes,
    whether or not anything changes afterwards."""
    tasks.monitoring(clock.now())
    factories.make_hero(campaign["gent"], name="Later")
    db.session.commit()
    tasks.monitoring(clock.now())
    assert db.session.query(PageFragment).count() == 2 * USUAL
    now((clock.now() + timedelta(minutes=11)).isoformat())
    assert tasks.monitoring(clock.now()) == {"built": 0, "removed": USUAL}
    assert db.session.query(PageFragment).count() == USUAL


@pytest.mark.parametrize("url", ["/team/dashboard", "/team/exports/heroes.json"])
def test_officers_get_no_prebuilt_page(client, auth, officer, campaign, url):
    tasks.monitoring(clock.now())
    auth.login(officer)
    assert client.get(url).status_code == 403


def test_the_dashboard_built_ahead_is_the_one_built_in_a_request(client, auth, team_user, campaign, edition):
    """The dashboard records today's snapshot as it is built, and its timeline reads that
    snapshot: what is shared must be built after the snapshot, not before."""
    tasks.monitoring(clock.now())
    factories.make_registration(edition, "12002")  # a registration: today's timeline point moves
    db.session.commit()
    tasks.monitoring(clock.now())
    cache.clear()
    auth.login(team_user)
    served = client.get("/team/dashboard").get_data(as_text=True)
    cache.clear()
    db.session.query(PageFragment).delete()
    db.session.commit()
    fresh = client.get("/team/dashboard").get_data(as_text=True)
    assert served.split("<main", 1)[1] == fresh.split("<main", 1)[1]


def test_a_fragment_made_by_another_release_is_not_served(client, auth, team_user, campaign, monkeypatch):
    tasks.monitoring(clock.now())
    monkeypatch.setattr(cache, "code_version", lambda: "the next release")
    cache.clear()
    _nothing_computed(monkeypatch)
    auth.login(team_user)
    with pytest.raises(AssertionError, match="computed in the web request"):
        client.get("/team/dashboard")


def test_two_processes_may_publish_the_same_fragment(app, campaign):
    now = clock.now()
    cache.publish(("page", 1), "<p>een</p>", now=now)
    db.session.commit()
    cache.publish(("page", 1), "<p>een</p>", now=now)  # another jobs process, same data: no error
    db.session.commit()
    assert cache.shared(("page", 1)) == "<p>een</p>"


def test_only_the_leading_jobs_process_builds_ahead(app, campaign):
    assert tasks.monitoring(clock.now(), leader=False) == {}
    assert db.session.query(PageFragment).count() == 0


def test_retention_forgets_every_fragment_built_ahead(app, campaign):
    tasks.monitoring(clock.now())
    app.config["RETENTION_YEARS"] = 1
    tasks.retention_purge(clock.now())
    assert db.session.query(PageFragment).count() == 0
