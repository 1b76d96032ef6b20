"""The evaluation survey and its results in a real browser, with axe-core on every page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import OFFICER_EMAIL, TEAM_EMAIL, assert_accessible, log_in


@pytest.fixture
def after_the_week(live_app):
    before = live_app.config["NOW"]
    live_app.config["NOW"] = "2025-09-30T10:00:00+02:00"
    yield
    live_app.config["NOW"] = before


def test_officer_saves_resumes_and_submits_the_evaluation(new_page, after_the_week):
    page = new_page()
    log_in(page, OFFICER_EMAIL)
    page.goto("/evaluation")
    assert page.locator("h1").inner_text().startswith("Evaluatie van de Week van de Duurzame Gemeente 2025")
    assert_accessible(page)
    page.get_by_label("Hoeveel mensen bereikten jullie acties?").fill("250")
    page.get_by_label("Lokale pers").check()
    page.get_by_role("button", name="Bewaren en later afwerken").click()
    page.wait_for_load_state()
    assert "Je antwoorden zijn bewaard." in page.locator("main").inner_text()
    assert page.get_by_label("Hoeveel mensen bereikten jullie acties?").input_value() == "250"

    page.get_by_role("button", name="Evaluatie indienen").click()  # not complete yet
    page.wait_for_load_state()
    assert "Vertel ons of je opnieuw meedoet." in page.locator("main").inner_text()
    assert_accessible(page)

    for group in page.locator("fieldset").all():
        if group.locator("input[type=radio][value='4']").count():
            group.locator("input[type=radio][value='4']").check()
    page.locator("fieldset", has_text="Doet jullie gemeente volgend jaar opnieuw mee?").get_by_label("Ja").check()
    page.get_by_label("Wat moet VVSG behouden?").fill("De heldenaffiches.")
    page.get_by_role("button", name="Evaluatie indienen").click()
    page.wait_for_load_state()
    assert "je evaluatie is ingediend" in page.locator("main").inner_text()
    assert_accessible(page)

    team = new_page()
    log_in(team, TEAM_EMAIL)
    team.goto("/team/evaluation")
    assert "De heldenaffiches." in team.locator("main").inner_text()
    assert_accessible(team)


def test_report_page_and_preview_are_accessible(new_page):
    team = new_page()
    log_in(team, TEAM_EMAIL)
    team.goto("/team/report")
    assert team.locator("h1").inner_text().startswith("Beleidsrapport")
    assert_accessible(team)
    team.get_by_label("Inleiding").fill("Een jaar vol duurzame helden.")
    team.get_by_role("button", name="Teksten bewaren").click()
    team.wait_for_load_state()
    assert "De teksten zijn bewaard." in team.locator("main").inner_text()
    team.goto("/team/report/2025/preview")
    assert "Een jaar vol duurzame helden." in team.locator("body").inner_text()
    assert team.locator("svg[role=img]").count() >= 8
    assert_accessible(team)
