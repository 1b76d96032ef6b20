"""The campaign team's dashboard and participation map in a real browser: axe-core finds no
violation, the charts are drawn, and the map is reachable by keyboard."""

from __future__ import annotations

from datetime import UTC, datetime

from campaign.core.mail import MailStatus
from campaign.extensions import db
from tests import factories
from tests.e2e.conftest import OFFICER_EMAIL, TEAM_EMAIL, assert_accessible, log_in


def test_dashboard_and_map_are_accessible(new_page):
    page = new_page()
    log_in(page, TEAM_EMAIL)
    page.goto("/team/dashboard")
    assert page.locator("h1").inner_text().startswith("Dashboard")
    assert page.locator("svg[role=img]").count() == 5
    assert_accessible(page)

    page.goto("/team/map")
    assert page.locator("a.map-link").count() == 285
    assert_accessible(page)
    # Keyboard: Tab reaches the municipalities, each with its name and status.
    first = page.locator("a.map-link").first
    first.focus()
    assert page.evaluate("document.activeElement.classList.contains('map-link')")
    label = page.evaluate("document.activeElement.querySelector('title').textContent")
    assert ": " in label  # "Aalst: Niet ingeschreven"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('map-link')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/team/municipalities/" in page.url
    assert_accessible(page)

    for path in (
        "/team/gaps",
        "/team/exports",
        "/team/history",
        "/team/audit",
        "/team/reminders",
        "/team/reminders/consent-missing/preview",
        "/team/mail/failed",
        "/team/mailings",
        "/account/profile",
    ):
        page.goto(path)
        assert_accessible(page)
    page.goto("/deelnemers")
    assert page.locator("a.map-link").count() == 285
    assert_accessible(page)
    # A skip link leads past the 285 map links to the list.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-map")
    skip.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "participants-list"


def test_officer_reminder_switch_is_accessible(new_page):
    page = new_page()
    log_in(page, OFFICER_EMAIL)
    page.goto("/account/profile")
    box = page.get_by_label("Stuur mij herinneringen over deadlines en de campagnekit")
    assert box.is_checked()
    assert_accessible(page)
    box.uncheck()
    page.locator("main").get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert not page.get_by_label("Stuur mij herinneringen over deadlines en de campagnekit").is_checked()
    assert_accessible(page)
    page.get_by_label("Stuur mij herinneringen over deadlines en de campagnekit").check()
    page.locator("main").get_by_role("button", name="Opslaan").click()


def test_team_decides_on_unconfirmed_mail_in_an_accessible_page(new_page, live_app):
    with live_app.test_request_context():
        unsure, failed = (factories.queue_reset(factories.make_officer()) for _ in range(2))
        unsure.status, unsure.sent_at = MailStatus.SENDING, datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
        failed.status, failed.attempts, failed.last_error = MailStatus.FAILED, 6, "SMTPRecipientsRefused: 550"
        db.session.commit()
        addresses = unsure.to_address, failed.to_address
        db.session.remove()
    page = new_page()
    log_in(page, TEAM_EMAIL)
    page.goto("/team/mail/failed")
    assert page.get_by_role("heading", name="Verzonden, maar niet bevestigd door de mailserver").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Is aangekomen bij {addresses[0]}").click()
    page.wait_for_load_state()
    assert f"De mail aan {addresses[0]} staat nu als aangekomen genoteerd." in page.locator("main").inner_text()
    assert page.get_by_role("button", name=f"Opnieuw versturen aan {addresses[1]}").is_visible()
    assert_accessible(page)
