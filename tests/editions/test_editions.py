from datetime import date

import pytest
import sqlalchemy as sa

from campaign.core.errors import Conflict
from campaign.editions import services
from campaign.editions.models import Edition
from campaign.extensions import db
from tests import factories


def form_data(**overrides):
    data = {
        "year": "2026",
        "title": "Week van de Duurzame Gemeente 2026",
        "theme": "Water – SDG 6",
        "focus_sdgs": ["6", "14"],
        "week_start": "2026-09-18",
        "week_end": "2026-09-25",
        "registration_deadline": "2026-06-30",
        "hero_deadline": "2026-08-31",
        "evaluation_deadline": "2026-10-31",
    }
    data.update(overrides)
    return data


def test_default_dates_follow_the_campaign_calendar():
    dates = services.default_dates(2026)
    assert dates["week_start"] == date(2026, 9, 18)
    assert dates["week_end"] == date(2026, 9, 25)
    assert services.date_problems(dates, year=2026) == {}


@pytest.mark.parametrize(
    ("field", "value", "problem_field"),
    [
        ("registration_deadline", date(2026, 9, 30), "registration_deadline"),
        ("hero_deadline", date(2026, 10, 1), "hero_deadline"),
        ("week_end", date(2026, 9, 10), "week_end"),
        ("evaluation_deadline", date(2026, 9, 20), "evaluation_deadline"),
        ("week_start", date(2025, 9, 18), "week_start"),
    ],
)
def test_inconsistent_dates_are_reported_per_field(field, value, problem_field):
    dates = {**services.default_dates(2026), field: value}
    assert problem_field in services.date_problems(dates, year=2026)


def test_team_creates_an_edition(client, auth, team_user):
    auth.login(team_user)
    new_form = client.get("/team/editions/new").get_data(as_text=True)
    assert 'value="2026-09-18"' in new_form
    response = client.post("/team/editions/new", data=form_data(is_current="y"))
    assert response.status_code == 302
    edition = services.get_by_year(2026)
    assert edition.theme == "Water – SDG 6"
    assert [s.number for s in edition.focus_sdgs] == [6, 14]
    assert edition.is_current


def test_deadline_after_the_week_is_a_form_error(client, auth, team_user):
    auth.login(team_user)
    response = client.post("/team/editions/new", data=form_data(registration_deadline="2026-09-30"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "na het einde van de week" in html
    assert db.session.scalar(sa.select(Edition).where(Edition.year == 2026)) is None


def test_bad_date_text_is_a_form_error_not_a_500(client, auth, team_user):
    auth.login(team_user)
    response = client.post("/team/editions/new", data=form_data(week_start="31-02-2026", year="twintig"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "dd/mm/jjjj" in html


def test_duplicate_year_is_refused(client, auth, team_user):
    factories.make_edition(2026)
    auth.login(team_user)
    response = client.post("/team/editions/new", data=form_data())
    assert response.status_code == 200
    assert "bestaat al" in response.get_data(as_text=True)
    with pytest.raises(Conflict):
        services.create_edition(year=2026, focus_sdgs=[], title="x", **services.default_dates(2026))


def test_only_one_edition_is_current(client, auth, team_user):
    first = factories.make_edition(2024, current=True)
    second = factories.make_edition(2025)
    auth.login(team_user)
    client.post(f"/team/editions/{second.id}/current")
    db.session.refresh(first)
    assert second.is_current and not first.is_current
    assert services.current_edition() == second


def test_team_edits_an_edition(client, auth, team_user):
    edition = factories.make_edition(2026)
    auth.login(team_user)
    page = client.get(f"/team/editions/{edition.id}/edit").get_data(as_text=True)
    assert 'value="Thema 2026"' in page
    response = client.post(f"/team/editions/{edition.id}/edit", data=form_data(theme="Nieuw thema"))
    assert response.status_code == 302
    assert edition.theme == "Nieuw thema"


def test_officers_cannot_manage_editions(client, auth, officer):
    edition = factories.make_edition(2026)
    auth.login(officer)
    assert client.get("/team/editions/").status_code == 403
    assert client.post("/team/editions/new", data=form_data(year="2027")).status_code == 403
    assert client.post(f"/team/editions/{edition.id}/edit", data=form_data(theme="x")).status_code == 403
    assert edition.theme == "Thema 2026"
