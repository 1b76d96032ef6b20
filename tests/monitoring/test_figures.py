"""The campaign figures, checked against a small hand-built campaign, and the team pages that
show them: access, query counts, charts, the map, the gap list."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from campaign.extensions import db
from campaign.kits.models import KitDownload
from campaign.monitoring import figures, services
from campaign.monitoring.map import geometry
from campaign.monitoring.models import DailySnapshot
from campaign.reference.models import Municipality, Province, Sdg
from campaign.registrations.models import Registration
from tests import factories

TODAY = date(2025, 5, 15)  # conftest's OPEN_MOMENT: 126 days before the 2025 week


def test_key_figures(campaign, edition):
    key = figures.key_figures(edition, campaign["previous"], today=TODAY)
    assert (key.registered, key.total) == (3, 285)  # Brugge withdrew
    assert key.previous_same_day == 2 and key.difference == 1  # Aalst registered after 15 May 2024
    assert key.heroes == 3
    assert key.actions == 3
    assert key.heroes_complete_consent == 2  # Fien and Lotte; Jonas only gave web consent
    assert key.kits_downloaded == 1


def test_per_province(campaign, edition):
    rows = {row.province.nis_code: row for row in figures.per_province(edition)}
    assert sum(row.municipalities for row in rows.values()) == 285
    oost = rows["40000"]
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Municipality).join(Province).where(Province.nis_code == "40000")
    )
    assert (oost.registered, oost.municipalities) == (2, total)
    assert oost.rate == pytest.approx(2 / total)
    assert rows["10000"].registered == 1
    assert rows["30000"].registered == 0  # Brugge withdrew


def test_per_sdg_and_pillar(campaign, edition):
    rows = {row.sdg.number: row for row in figures.per_sdg(edition)}
    assert len(rows) == 17
    assert (rows[12].actions, rows[12].heroes) == (2, 2)
    assert (rows[13].actions, rows[13].heroes) == (1, 1)
    assert (rows[7].actions, rows[7].heroes) == (1, 0)
    assert rows[11].focus and not rows[12].focus  # the edition's focus SDG
    pillars = {row.pillar: row for row in figures.sdg_figures(edition)[1]}
    # "Zonnepanelen" (7 and 13) counts once in a pillar holding both.
    expected_actions = {p: 0 for p in pillars}
    for numbers in ({12}, {7, 13}, {12}):
        for pillar in {db.session.get(Sdg, n).pillar for n in numbers}:
            expected_actions[pillar] += 1
    assert {p: row.actions for p, row in pillars.items()} == expected_actions


def test_funnel_follows_the_step_plan(campaign, edition):
    funnel = figures.funnel(figures.progress(edition, today=TODAY))
    assert funnel == {"registered": 3, "hero": 2, "consent": 1, "kit": 1, "flag": 0}


def test_a_merged_municipality_returns(campaign, edition):
    turnover = figures.turnover(edition, campaign["previous"])
    nis = {m.id: m.nis_code for m in db.session.scalars(sa.select(Municipality))}
    # Kruibeke took part in 2024; Beveren-Kruibeke-Zwijndrecht registering in 2025 returns.
    assert {nis[i] for i in turnover.returning} == {"46030", "44021"}
    assert {nis[i] for i in turnover.first_time} == {"11002"}
    assert {nis[i] for i in turnover.dropped} == {"41002"}


def test_timeline_prefers_snapshots_over_counting_back(campaign, edition):
    timeline = services.timeline(edition, campaign["previous"], today=TODAY)
    assert timeline.days_before[0] == services.TIMELINE_DAYS and timeline.days_before[-1] == 1
    today_index = timeline.days_before.index((edition.week_start - TODAY).days)
    assert timeline.current[today_index] == 3  # counted back from the registration dates
    assert timeline.current[today_index + 1] is None  # still to come
    assert timeline.previous[today_index] == 2  # 2024, same day: Aalst came later
    assert timeline.previous[-1] == 3

    db.session.add(
        DailySnapshot(
            edition_id=edition.id,
            day=TODAY,
            registered=7,
            heroes=0,
            actions=0,
            heroes_complete_consent=0,
            kits_downloaded=0,
        )
    )
    db.session.flush()
    assert services.timeline(edition, campaign["previous"], today=TODAY).current[today_index] == 7


def test_take_snapshot_records_and_refreshes_the_day(campaign, edition):
    def snapshots():
        db.session.expire_all()
        return db.session.scalars(sa.select(DailySnapshot).where(DailySnapshot.edition_id == edition.id)).all()

    services.take_snapshot(edition, today=TODAY)
    (first,) = snapshots()
    assert (first.day, first.registered, first.heroes, first.actions, first.kits_downloaded) == (TODAY, 3, 3, 3, 1)
    factories.make_registration(edition, "12002")
    services.take_snapshot(edition, today=TODAY)
    (again,) = snapshots()
    assert again.id == first.id and again.registered == 4


def test_gap_list(campaign, edition):
    gaps = {g.municipality.nis_code: g for g in services.gaps(edition, today=TODAY)}
    assert gaps["46030"].step == "hero" and gaps["46030"].deadline == edition.hero_deadline
    assert gaps["46030"].days_left == (edition.hero_deadline - TODAY).days
    assert gaps["44021"].step == "consent"  # Jonas's consent is incomplete
    assert gaps["11002"].step == "kit"
    assert gaps["44021"].last_activity is not None
    only_heroes = services.gaps(edition, today=TODAY, step="hero")
    assert [g.municipality.nis_code for g in only_heroes] == ["46030"]
    absent = services.not_registered(edition)
    assert len(absent) == 285 - 3
    # Aalst took part before (2024) and comes first; Brugge, who withdrew, counts as not registered.
    assert absent[0].municipality.nis_code == "41002" and absent[0].editions_before == 1
    assert "31005" in {a.municipality.nis_code for a in absent}


def test_map_has_285_shapes_with_names():
    shapes = geometry().shapes
    assert len(shapes) == 285
    assert len({s.nis_code for s in shapes}) == 285
    assert all(s.path.startswith("M") and s.path.endswith("Z") for s in shapes)
    assert {s.name for s in shapes} >= {"Beveren-Kruibeke-Zwijndrecht", "Gent", "Antwerpen"}


# Pages ---------------------------------------------------------------------------------------

TEAM_PAGES = ["/team/dashboard", "/team/map", "/team/gaps", "/team/gaps.csv", "/team/municipalities/44021"]


@pytest.mark.parametrize("url", TEAM_PAGES)
def test_officers_get_nothing(client, auth, officer, campaign, url):
    auth.login(officer)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", TEAM_PAGES)
def test_anonymous_users_are_sent_to_log_in(client, campaign, url):
    response = client.get(url)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


class QueryCounter:
    """Counts SQL statements; the SAVEPOINTs that stand in for COMMIT in these tests do not count."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, conn, cursor, statement, *args) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            self.count += 1


@pytest.mark.parametrize("url", ["/team/dashboard", "/team/map", "/team/gaps"])
def test_team_pages_run_at_most_10_queries(client, auth, team_user, campaign, url):
    auth.login(team_user)
    client.get(url)  # warm: the first request may load the map and translations
    counter = QueryCounter()
    sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        response = client.get(url)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200
    assert counter.count <= 10, counter.count


def test_dashboard_shows_the_figures_with_charts_and_tables(client, auth, team_user, campaign):
    auth.login(team_user)
    html = client.get("/team/dashboard").get_data(as_text=True)
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # charts hold no script
    assert html.count('<svg role="img"') == 5
    key = re.search(r"Registered municipalities</dt>\s*<dd><strong>(\d+)</strong>", html) or re.search(
        r"Ingeschreven gemeenten</dt>\s*<dd><strong>(\d+)</strong>", html
    )
    assert key and key.group(1) == "3"
    assert "Aalst" in html  # dropped out
    assert "+1" in html  # one more than on the same day last year
    # The official SDG colour of SDG 12 colours its bar.
    assert db.session.get(Sdg, 12).color_hex.lower() in html.lower()
    # Earlier editions can be shown.
    assert client.get("/team/dashboard?edition=2024").status_code == 200


def test_dashboard_takes_todays_snapshot(client, auth, team_user, campaign, edition):
    auth.login(team_user)
    client.get("/team/dashboard")
    snapshot = db.session.scalar(sa.select(DailySnapshot).where(DailySnapshot.edition_id == edition.id))
    assert snapshot is not None and snapshot.day == TODAY and snapshot.registered == 3
    factories.make_registration(edition, "12002")  # a change: the next view refreshes the snapshot
    client.get("/team/dashboard")
    db.session.expire_all()
    snapshots = db.session.scalars(sa.select(DailySnapshot).where(DailySnapshot.edition_id == edition.id)).all()
    assert [(s.day, s.registered) for s in snapshots] == [(TODAY, 4)]


def test_map_page_links_every_municipality(client, auth, team_user, campaign):
    auth.login(team_user)
    html = client.get("/team/map").get_data(as_text=True)
    assert html.count('class="map-link"') == 285
    assert html.count("<path ") == 285
    assert 'href="/team/municipalities/44021?edition=2025"' in html
    assert "status-kit" in html  # Gent downloaded its kit


def test_public_map_shows_only_who_takes_part(client, campaign):
    html = client.get("/deelnemers").get_data(as_text=True)
    assert html.count('class="map-link"') == 285
    assert "status-kit" not in html and "status-heroes" not in html
    assert html.count('class="map-shape status-registered"') == 3


def test_gap_list_csv_opens_in_excel(client, auth, team_user, campaign):
    auth.login(team_user)
    response = client.get("/team/gaps.csv?step=consent")
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["nis_code", "gemeente", "provincie", "stap"]
    assert rows[1][:4] == ["44021", "Gent", "Oost-Vlaanderen", "toestemming"]
    assert rows[1][7] == "contact@44021.example"
    # Without a step filter, the municipalities not registered yet follow.
    everything = list(
        csv.reader(io.StringIO(client.get("/team/gaps.csv").get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert sum(1 for row in everything if row[3] == "niet ingeschreven") == 285 - 3


def test_municipality_detail_shows_history_across_the_merger(client, auth, team_user, campaign):
    auth.login(team_user)
    html = client.get("/team/municipalities/46030").get_data(as_text=True)
    assert "Kruibeke" in html
    assert "2024" in html and "2025" in html
    assert client.get("/team/municipalities/99999").status_code == 404


def test_cumulative_counts_agree_with_counting_each_day():
    """The one-pass timeline gives, for every day, what counting that day's registrations gives."""
    import random
    from datetime import timedelta
    from types import SimpleNamespace

    edition = SimpleNamespace(week_start=date(2025, 9, 18))
    rng = random.Random(2025)
    for _ in range(100):
        days = []
        for _ in range(rng.randint(0, 30)):
            start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))
            days.append((start, None if rng.random() < 0.7 else start + timedelta(days=rng.randint(0, 90))))
        span = rng.choice([1, 30, 150, 300])
        expected = [figures.registered_on(edition, days, days_before=b) for b in range(span, 0, -1)]
        assert figures.cumulative(edition, days, span=span) == expected


@pytest.mark.parametrize(
    "url",
    [
        "/team/gaps?province=99999999999999999999",
        "/team/gaps.csv?province=-4&step=nonsense",
        "/team/audit?user=99999999999999999999&municipality=xyz&type=hero",
        "/team/dashboard?edition=99999999999999999999",
        "/team/map?edition=abc",
        "/team/exports/actions.csv?edition=0",
    ],
)
def test_odd_query_strings_are_ignored_not_errors(client, auth, team_user, campaign, url):
    auth.login(team_user)
    assert client.get(url).status_code == 200


def test_progress_agrees_with_the_officers_step_plan(campaign, edition):
    from campaign.stepplan.services import step_plan

    for row in figures.progress(edition, today=TODAY):
        registration = db.session.get(Registration, row.registration_id)
        plan = {step.key: step.done for step in step_plan(registration, today=TODAY)}
        assert row.done == {key: plan[key] for key in figures.FUNNEL_STEPS}, registration.municipality.name_nl


def test_municipality_detail_follows_the_chosen_edition(client, auth, team_user, campaign):
    auth.login(team_user)
    html = client.get("/team/municipalities/41002?edition=2024").get_data(as_text=True)
    assert "Week van de Duurzame Gemeente 2024" in html and "Contact Persoon" in html  # Aalst took part in 2024
    html = client.get("/team/municipalities/41002").get_data(as_text=True)
    assert "Contact Persoon" not in html  # not in 2025


def test_pages_are_reused_until_the_data_changes(client, auth, team_user, campaign, edition):
    auth.login(team_user)
    client.get("/team/dashboard")  # takes today's snapshot: a change, so the next view builds again
    first = client.get("/team/dashboard").get_data(as_text=True)
    counter = QueryCounter()
    sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        again = client.get("/team/dashboard").get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter)
    assert counter.count <= 4  # the user, the editions and the data version: the figures are reused
    assert again.split("<main", 1)[1] == first.split("<main", 1)[1]

    # A new hero (audited) and a kit download (counted) each show at once.
    factories.make_hero(campaign["bkz"], name="Nieuw")
    assert (
        "<strong>4</strong>" in client.get("/team/dashboard").get_data(as_text=True).split("Helden", 1)[1][:400] or True
    )
    html = client.get("/team/dashboard").get_data(as_text=True)
    heroes = re.search(r"(?:Heroes|Helden)</dt><dd><strong>(\d+)</strong>", html)
    assert heroes and heroes.group(1) == "4"
    db.session.add(
        KitDownload(registration=campaign["antwerpen"], kind="zip", downloaded_at=datetime(2025, 5, 11, tzinfo=UTC))
    )
    db.session.flush()
    html = client.get("/team/dashboard").get_data(as_text=True)
    kits = re.search(r"(?:Kits downloaded|Kits gedownload)</dt><dd><strong>(\d+)</strong>", html)
    assert kits and kits.group(1) == "2"
    # The gap list too.
    assert "Beveren-Kruibeke-Zwijndrecht" in client.get("/team/gaps?step=kit").get_data(as_text=True)  # heroes now
