"""The evaluation survey: officers only, open from the day after the week until the deadline,
saved and resumed, submitted when complete; the team sees the response rate and results."""

from __future__ import annotations

import re

import sqlalchemy as sa

from campaign.extensions import db
from campaign.registrations.models import Registration
from campaign.reminders.rules import BY_KEY
from campaign.reports.models import Evaluation
from campaign.reports.survey import MATERIALS
from tests import factories

OPEN = "2025-09-30T10:00:00+02:00"

COMPLETE = {
    "participants": "450",
    "channels": ["website", "social"],
    "effects": ["reflexes", "agenda"],
    "again": "yes",
    **{f"rating_{key}": "4" for key in MATERIALS},
    "rating_flag": "0",
    "keep": "De affiches met onze eigen helden.",
    "strengthen": "",
    "adjust": "Het stappenplan vroeger versturen.",
    "remarks": "",
}


def _url(registration) -> str:
    return f"/registrations/{registration.id}/evaluation"


def test_only_the_municipalitys_officers_answer_it(client, auth, registration, other_officer, team_user, now):
    now(OPEN)
    assert client.get(_url(registration)).status_code == 302  # to the login page
    auth.login(other_officer)
    assert client.get(_url(registration)).status_code == 404
    assert client.post(_url(registration), data={**COMPLETE, "action": "submit"}).status_code == 404
    auth.logout()
    auth.login(team_user)
    assert client.get(_url(registration)).status_code == 403
    assert client.get("/evaluation").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)) == 0


def test_it_opens_the_day_after_the_week_and_closes_after_its_deadline(client, auth, officer, registration, now):
    auth.login(officer)
    now("2025-09-25T18:00:00+02:00")  # the last day of the week
    page = client.get(_url(registration)).get_data(as_text=True)
    assert "De evaluatie opent op 26 september 2025" in page and 'value="submit"' not in page
    response = client.post(_url(registration), data={**COMPLETE, "action": "submit"})
    assert response.status_code == 409 and "opent op de dag na de week" in response.get_data(as_text=True)
    now("2025-09-26T08:00:00+02:00")
    assert client.get("/evaluation").headers["Location"].endswith(_url(registration))
    assert 'name="action" value="submit"' in client.get(_url(registration)).get_data(as_text=True)
    now("2025-11-01T08:00:00+01:00")  # the day after the deadline (31 October)
    page = client.get(_url(registration)).get_data(as_text=True)
    assert "De evaluatie sloot op 31 oktober 2025" in page
    response = client.post(_url(registration), data={**COMPLETE, "action": "submit"})
    assert response.status_code == 409 and "deadline is voorbij" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)) == 0


def test_answers_are_saved_resumed_and_submitted_when_complete(client, auth, officer, registration, now):
    now(OPEN)
    auth.login(officer)
    draft = {"participants": "120", "channels": ["press"], "rating_posters": "5", "keep": "Alles!", "action": "save"}
    response = client.post(_url(registration), data=draft, follow_redirects=True)
    assert "Je antwoorden zijn bewaard" in response.get_data(as_text=True)
    stored = db.session.scalar(sa.select(Evaluation))
    assert stored.participants == 120 and stored.submitted_at is None and stored.ratings == {"posters": 5}

    page = client.get(_url(registration)).get_data(as_text=True)  # resumed later: the answers are back
    assert 'value="120"' in page and "Alles!</textarea>" in page
    assert re.search(r'<input checked[^>]*value="press"', page)

    response = client.post(_url(registration), data={**draft, "action": "submit"})  # incomplete
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vertel ons of je opnieuw meedoet." in body and "Geef een score van 1 tot 5" in body
    assert db.session.scalar(sa.select(Evaluation.submitted_at)) is None
    assert db.session.scalar(sa.select(Evaluation.keep)) == "Alles!"  # the draft is kept

    response = client.post(_url(registration), data={**COMPLETE, "action": "submit"}, follow_redirects=True)
    assert "je evaluatie is ingediend" in response.get_data(as_text=True)
    stored = db.session.scalar(sa.select(Evaluation))
    assert stored.submitted_at is not None and stored.ratings["flag"] == 0 and stored.again == "yes"
    assert db.session.get(Registration, registration.id).evaluation_submitted_at == stored.submitted_at
    home = client.get("/").get_data(as_text=True)
    assert "Onze evaluatie bekijken of wijzigen" in home

    client.post(_url(registration), data={**COMPLETE, "participants": "500", "action": "submit"})
    assert db.session.scalar(sa.select(Evaluation.participants)) == 500  # still open: it can change
    page = client.get(_url(registration)).get_data(as_text=True)
    assert "Wijzigingen opslaan" in page and 'value="save"' not in page  # submitted: no draft any more
    response = client.post(_url(registration), data={"action": "save"})  # emptied by hand: refused
    assert response.status_code == 400
    assert db.session.scalar(sa.select(Evaluation.participants)) == 500


def test_bad_input_is_explained_and_nothing_is_lost(client, auth, officer, registration, now):
    now(OPEN)
    auth.login(officer)
    client.post(_url(registration), data={"participants": "80", "keep": "Behouden", "action": "save"})
    response = client.post(
        _url(registration),
        data={"participants": "heel veel", "channels": ["telepathie"], "rating_posters": "9", "action": "save"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vul een aantal mensen in: 0 of meer." in body and "Maak een keuze in de lijst." in body
    assert "Ongeldige keuze" not in body
    stored = db.session.scalar(sa.select(Evaluation))
    assert stored.participants == 80 and stored.keep == "Behouden"


def test_the_team_sees_response_rate_and_results(client, auth, officer, registration, edition, team_user, now):
    now(OPEN)
    other = factories.make_officer("11002")
    factories.make_registration(edition, "11002", by=other)
    factories.make_registration(edition, "71072")
    db.session.commit()
    auth.login(officer)
    client.post(_url(registration), data={**COMPLETE, "action": "submit"})
    auth.logout()
    auth.login(other)
    antwerp = db.session.scalar(sa.select(Registration).where(Registration.created_by_id == other.id))
    client.post(_url(antwerp), data={"participants": "10", "action": "save"})  # a draft only
    page = client.get("/team/evaluation").get_data(as_text=True)
    assert client.get("/team/evaluation").status_code == 403
    auth.logout()
    auth.login(team_user)
    page = client.get("/team/evaluation").get_data(as_text=True)
    assert "Evaluaties ingediend: 1 van 3 ingeschreven gemeenten (33%). Ontwerpen bewaard: 1." in page
    assert "Het stappenplan vroeger versturen." in page and "Gent" in page
    assert page.count('<td class="num">4,0</td>') == len(MATERIALS) - 1  # every material used (not the flag)
    assert client.get("/team/evaluation?edition=1999").status_code == 200


def test_the_evaluation_reminder_skips_municipalities_that_answered(client, auth, officer, registration, edition, now):
    now(OPEN)
    factories.make_registration(edition, "11002")
    db.session.commit()
    rule = BY_KEY["evaluation-reminder"]
    before = {t.municipality for t in rule.targets(edition, edition.evaluation_deadline)}
    assert before == {"Gent", "Antwerpen"}
    auth.login(officer)
    client.post(_url(registration), data={**COMPLETE, "action": "submit"})
    assert {t.municipality for t in rule.targets(edition, edition.evaluation_deadline)} == {"Antwerpen"}
