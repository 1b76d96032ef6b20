"""Sign up → confirm by mail → team approves → log in → register for 2025 → team sees it.

axe-core checks every page on the way.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import TEAM_EMAIL, assert_accessible
from tests.e2e.conftest import log_in as e2e_log_in
from tests.factories import PASSWORD
from tests.mailbox import links, path_of

JOURNEYS = {
    "nl": {
        "municipality": "Brugge",
        "email": "lies@brugge.be",
        "name": "Lies Van Damme",
        "filter_result": "1 gemeente gevonden",
        "create": "Account aanmaken",
        "check_mail": "Kijk in je mailbox",
        "confirmed": "Je e-mailadres is bevestigd",
        "login": "Aanmelden",
        "approve": "Lies Van Damme goedkeuren",
        "register_link": "Brugge inschrijven",
        "registered": "Brugge is ingeschreven",
        "overview": "Inschrijvingen",
    },
    "en": {
        "municipality": "Leuven",
        "email": "jan@leuven.be",
        "name": "Jan Peeters",
        "filter_result": "1 municipality found",
        "create": "Create account",
        "check_mail": "Check your mailbox",
        "confirmed": "Your e-mail address is confirmed",
        "login": "Log in",
        "approve": "Approve Jan Peeters",
        "register_link": "Register Leuven",
        "registered": "Leuven is registered",
        "overview": "Registrations",
    },
}


def choose_language(page, language: str) -> None:
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"


def log_in(page, email: str, password: str, words: dict) -> None:
    e2e_log_in(page, email, password, button=words["login"])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_sign_up_to_registration(new_page, inbox, language):
    words = JOURNEYS[language]
    password = "een-lang-wachtwoord"

    # 1. The officer signs up, finding the municipality in the searchable list.
    officer = new_page()
    officer.goto("/")
    assert_accessible(officer)
    choose_language(officer, language)
    officer.goto("/account/signup")
    assert_accessible(officer)
    officer.fill("#name", words["name"])
    officer.fill("#email", words["email"])
    officer.fill("#municipality-filter", words["municipality"])
    assert officer.locator("#municipality-count").inner_text() == words["filter_result"]
    officer.select_option("#municipality", label=words["municipality"])
    officer.fill("#password", password)
    officer.fill("#password_confirm", password)
    officer.check("#works_for_municipality")
    officer.get_by_role("button", name=words["create"]).click()
    officer.wait_for_load_state()
    assert words["check_mail"] in officer.locator("h1").inner_text()
    assert_accessible(officer)

    # 2. The verification link arrives by SMTP, in the officer's language.
    [mail] = inbox.to(words["email"])
    assert mail["Content-Language"] == language
    link = next(link for link in links(mail) if "/account/verify/" in link)
    officer.goto(path_of(link))
    assert words["confirmed"] in officer.locator("h1").inner_text()
    assert_accessible(officer)

    # 3. The campaign team approves the account.
    team = new_page()
    team.goto("/")
    choose_language(team, language)
    log_in(team, TEAM_EMAIL, PASSWORD, words)
    assert_accessible(team)
    team.goto("/account/approvals")
    assert_accessible(team)
    team.get_by_role("button", name=words["approve"]).click()
    team.wait_for_load_state()
    assert team.locator("button", has_text=words["approve"]).count() == 0

    # 4. The officer logs in and registers the municipality for 2025.
    log_in(officer, words["email"], password, words)
    assert words["municipality"] in officer.locator("h1").inner_text()
    assert_accessible(officer)
    officer.get_by_role("link", name=words["register_link"]).click()
    officer.wait_for_load_state()
    assert_accessible(officer)
    officer.fill("#contact_phone", "016 27 20 00")
    officer.fill("#heroes_planned", "5")
    officer.check("#track-1")
    officer.check("#flag_commitment")
    officer.locator("main form").get_by_role("button", name=words["register_link"]).click()
    officer.wait_for_load_state()
    assert words["registered"] in officer.locator(".flash").inner_text()
    assert re.search(r"/registrations/\d+$", officer.url)
    assert_accessible(officer)

    # 5. The team sees the registration in its overview.
    team.goto("/team/registrations")
    assert_accessible(team)
    row = team.locator("tbody tr", has_text=words["municipality"])
    assert row.count() == 1
    assert "5" in row.inner_text()
    assert words["email"] in row.inner_text() or words["name"] in row.inner_text()


def test_the_accessibility_check_can_fail(new_page):
    """The axe-core harness reports real violations (here: an image without alt text)."""
    page = new_page()
    page.goto("/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\">')")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
