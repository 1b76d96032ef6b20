"""Reminder rules over a simulated campaign: who gets which mail on which day, each once."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from campaign.core.mail import MailStatus, OutboxMail
from campaign.extensions import db
from campaign.jobs import runner
from campaign.reference.models import FormerMunicipality, Province
from campaign.reminders import services
from campaign.reminders.rules import BY_KEY
from tests import factories


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.fixture
def campaign(app, edition):
    """2024: Kruibeke (46013, merged into 46030) and Aalst took part. 2025: Gent registered without
    heroes, Antwerpen with a hero whose consent is partial, Leuven with a fully consenting hero.
    Aalst and Beveren-Kruibeke-Zwijndrecht have not registered."""
    previous = factories.make_edition(2024)
    factories.make_registration(previous, "41002")  # Aalst
    kruibeke = factories.make_registration(previous, "46030")  # as stored after the merger import
    kruibeke.former_municipalities = [
        db.session.scalar(sa.select(FormerMunicipality).where(FormerMunicipality.nis_code == "46013"))
    ]
    people = {
        "aalst": factories.make_officer("41002", email="aalst@example.be"),
        "bkz": factories.make_officer("46030", email="bkz@example.be"),
        "gent": factories.make_officer("44021", email="gent@example.be"),
        "antwerpen": factories.make_officer("11002", email="antwerpen@example.be", locale="en"),
        "leuven": factories.make_officer("24062", email="leuven@example.be"),
        "leuven_quiet": factories.make_officer("24062", email="quiet@example.be"),
        "brugge": factories.make_officer("31005", email="brugge@example.be"),  # never took part
    }
    people["leuven_quiet"].reminders_opt_out = True
    factories.make_registration(edition, "44021")
    antwerpen = factories.make_registration(edition, "11002")
    factories.make_hero(antwerpen, name="Jonas Peeters", scopes=("web",))
    factories.make_hero(antwerpen, name="Ann Maes")
    leuven = factories.make_registration(edition, "24062")
    factories.make_hero(leuven, name="Lotte Wouters")
    db.session.flush()
    return people


def run(moment: str) -> dict:
    record = runner.run_job("reminders", at(moment))
    assert record.outcome == "done", record.error
    return record


def sent_to(kind: str) -> list[str]:
    return sorted(
        db.session.scalars(
            sa.select(OutboxMail.to_address).where(
                OutboxMail.kind == f"reminder-{kind}", OutboxMail.status == MailStatus.SENT
            )
        )
    )


def test_a_campaign_timeline_sends_each_reminder_to_whom_it_concerns_once(app, campaign, mail_dir):
    run("2025-06-10T09:00:00+02:00")  # nothing is due yet
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0

    # 14 days before the registration deadline (30 June): those who took part before, across the
    # merger (Kruibeke's part in 2024 counts for Beveren-Kruibeke-Zwijndrecht); not Brugge.
    run("2025-06-16T09:00:00+02:00")
    assert sent_to("registration-14") == ["aalst@example.be", "bkz@example.be"]
    run("2025-06-16T15:00:00+02:00")  # the same day again: nothing twice
    run("2025-06-17T09:00:00+02:00")  # catching up stays idempotent too
    assert sent_to("registration-14") == ["aalst@example.be", "bkz@example.be"]

    run("2025-06-27T09:00:00+02:00")
    assert sent_to("registration-3") == ["aalst@example.be", "bkz@example.be"]

    run("2025-08-24T09:00:00+02:00")  # 7 days before the hero deadline (31 August)
    assert sent_to("hero-intake") == ["gent@example.be"]

    run("2025-08-28T09:00:00+02:00")
    assert sent_to("consent-missing") == ["antwerpen@example.be"]
    consent = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "reminder-consent-missing"))
    assert "Jonas Peeters" in consent.body_text and "Ann Maes" not in consent.body_text
    assert consent.locale == "en" and consent.subject == "Consent missing for some of your heroes"

    run("2025-09-11T09:00:00+02:00")  # a week before the week: every registered municipality
    assert sent_to("kits-ready") == ["antwerpen@example.be", "gent@example.be", "leuven@example.be"]
    kits = db.session.scalar(
        sa.select(OutboxMail).where(
            OutboxMail.to_address == "gent@example.be", OutboxMail.kind == "reminder-kits-ready"
        )
    )
    assert kits.subject == "Uw campagnekit staat klaar"
    # Absolute links (built outside any request), to the kit and to the reminder switch.
    assert re.search(r"https?://[^/\s]+/kit\n", kits.body_text)
    assert re.search(r"https?://[^/\s]+/account/profile", kits.body_text)
    assert re.search(r'<a href="https?://[^/"]+/kit">Uw kit downloaden</a>', kits.body_html)

    run("2025-09-26T09:00:00+02:00")  # the day after the week
    assert sent_to("evaluation") == ["antwerpen@example.be", "gent@example.be", "leuven@example.be"]
    run("2025-10-24T09:00:00+02:00")
    assert sent_to("evaluation-reminder") == ["antwerpen@example.be", "gent@example.be", "leuven@example.be"]

    # The officer who opted out got nothing; everything else arrived in the mail folder once.
    assert db.session.scalar(sa.select(OutboxMail).where(OutboxMail.to_address == "quiet@example.be")) is None
    total = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail))
    assert total == 2 + 2 + 1 + 1 + 3 + 3 + 3
    assert len(list(mail_dir.glob("*.eml"))) == total


def test_a_paused_rule_sends_nothing_until_resumed(app, campaign, team_user):
    services.set_paused(BY_KEY["hero-intake"], True, by=team_user)
    run("2025-08-24T09:00:00+02:00")
    assert sent_to("hero-intake") == []
    services.set_paused(BY_KEY["hero-intake"], False, by=team_user)
    run("2025-08-25T09:00:00+02:00")  # still within the rule's days
    assert sent_to("hero-intake") == ["gent@example.be"]


def test_team_sees_rules_previews_and_pauses_them(client, auth, campaign, team_user, now):
    now("2025-08-20T09:00:00+02:00")
    auth.login(team_user)
    page = client.get("/team/reminders").get_data(as_text=True)
    assert "Helden, 7 dagen vóór de heldendeadline" in page
    assert "Ingeschreven gemeenten zonder helden" in page

    preview = client.get("/team/reminders/consent-missing/preview").get_data(as_text=True)
    assert "Toestemming ontbreekt nog voor enkele helden" in preview
    assert "Jonas Peeters" in preview and "Antwerpen" in preview

    response = client.post("/team/reminders/hero-intake/pause")
    assert response.status_code == 302
    assert "Gepauzeerd" in client.get("/team/reminders").get_data(as_text=True)
    assert client.get("/team/reminders/nonsense/preview").status_code == 404
    assert client.post("/team/reminders/nonsense/pause").status_code == 404


def test_team_sees_failed_mail_with_its_error(client, auth, team_user, app):
    with app.test_request_context():
        mail = factories.queue_reset(factories.make_officer())
    mail.status, mail.attempts, mail.last_error = MailStatus.FAILED, 2, "SMTPRecipientsRefused: 550 no such user"
    db.session.flush()
    auth.login(team_user)
    page = client.get("/team/mail/failed").get_data(as_text=True)
    assert "550 no such user" in page and mail.to_address in page


def test_team_decides_on_unconfirmed_and_failed_mail(client, auth, team_user, app, now, mail_dir):
    with app.test_request_context():
        unsure, arrived, failed, sent = (factories.queue_reset(factories.make_officer()) for _ in range(4))
    handed = datetime(2025, 8, 20, 7, 0, tzinfo=UTC)
    for mail in (unsure, arrived):
        mail.status, mail.sent_at, mail.attempts = MailStatus.SENDING, handed, 1
        mail.last_error = "SMTPServerDisconnected: Connection unexpectedly closed: timed out"
    failed.status, failed.attempts, failed.last_error = MailStatus.FAILED, 6, "SMTPRecipientsRefused: 550"
    sent.status = MailStatus.SENT
    db.session.commit()
    auth.login(team_user)
    now("2025-08-20T09:00:30+02:00")  # 90 seconds after handing over: its process may still be at it
    page = client.get("/team/mail/failed").get_data(as_text=True)
    assert unsure.to_address not in page and failed.to_address in page
    assert client.post(f"/team/mail/{unsure.id}/resend").status_code == 302
    assert db.session.get(OutboxMail, unsure.id).status == MailStatus.SENDING  # too early to decide

    now("2025-08-20T09:30:00+02:00")
    page = client.get("/team/mail/failed").get_data(as_text=True)
    assert "Verzonden, maar niet bevestigd door de mailserver" in page
    assert unsure.to_address in page and arrived.to_address in page

    client.post(f"/team/mail/{arrived.id}/arrived")
    assert db.session.get(OutboxMail, arrived.id).status == MailStatus.SENT
    response = client.post(f"/team/mail/{unsure.id}/resend", follow_redirects=True)
    assert "wordt opnieuw verstuurd" in response.get_data(as_text=True)
    assert db.session.get(OutboxMail, unsure.id).status == MailStatus.SENT  # immediate delivery: sent at once
    client.post(f"/team/mail/{failed.id}/resend")
    assert db.session.get(OutboxMail, failed.id).status == MailStatus.SENT
    assert len(list(mail_dir.glob("*.eml"))) == 2

    response = client.post(f"/team/mail/{sent.id}/resend", follow_redirects=True)  # already sent: no second copy
    assert "niets gewijzigd" in response.get_data(as_text=True)
    client.post(f"/team/mail/{sent.id}/arrived")
    assert len(list(mail_dir.glob("*.eml"))) == 2
    assert client.post("/team/mail/999999/resend").status_code == 404
    assert client.post("/team/mail/99999999999/resend").status_code == 404


def test_officers_get_none_of_the_reminder_pages(client, auth, officer, edition):
    auth.login(officer)
    for url in ("/team/reminders", "/team/reminders/kits-ready/preview", "/team/mail/failed"):
        assert client.get(url).status_code == 403, url
    assert client.post("/team/reminders/kits-ready/pause").status_code == 403
    with client.application.test_request_context():
        queued = factories.queue_reset(factories.make_officer())
    queued.status = MailStatus.FAILED
    db.session.commit()
    assert client.post(f"/team/mail/{queued.id}/resend").status_code == 403
    assert db.session.get(OutboxMail, queued.id).status == MailStatus.FAILED


def test_officer_switches_reminders_off_and_on(client, auth, officer):
    auth.login(officer)
    assert "Stuur mij herinneringen" in client.get("/account/profile").get_data(as_text=True)
    client.post("/account/profile", data={"csrf_token": ""})  # the box unticked (the form always sends its token)
    assert officer.reminders_opt_out is True
    client.post("/account/profile", data={"reminders": "y"})
    assert officer.reminders_opt_out is False


def test_team_previews_a_mailing_with_its_reach_then_sends_it_once(client, auth, campaign, team_user, now):
    now("2025-08-20T09:00:00+02:00")
    auth.login(team_user)
    antwerp = db.session.scalar(sa.select(Province.id).where(Province.name_nl == "Antwerpen"))
    form = {
        "audience": "registered",
        "province": str(antwerp),
        "subject": "Vlaggen ophalen",
        "body": "Beste collega,\n\nDe vlaggen liggen klaar in het provinciehuis.",
    }
    page = client.post("/team/mailings", data={**form, "action": "preview"}).get_data(as_text=True)
    assert "Deze mailing bereikt 1 persoon" in page and "in 1 gemeente" in page  # Antwerpen only
    assert "De vlaggen liggen klaar in het provinciehuis." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0  # a preview sends nothing

    response = client.post("/team/mailings", data={**form, "action": "send"})
    assert response.status_code == 302
    [queued] = db.session.scalars(sa.select(OutboxMail).where(OutboxMail.kind == "mailing")).all()
    assert queued.to_address == "antwerpen@example.be" and queued.subject == "Vlaggen ophalen"
    assert "De vlaggen liggen klaar" in queued.body_text and "<p" in queued.body_html
    assert "Vlaggen ophalen" in client.get("/team/mailings").get_data(as_text=True)

    # Everyone registered, all of Flanders: the officer who opted out is left out.
    page = client.post("/team/mailings", data={**form, "province": "", "action": "preview"}).get_data(as_text=True)
    assert "Deze mailing bereikt 3 personen" in page


def test_a_mailing_without_subject_or_message_says_what_is_missing(client, auth, campaign, team_user, now):
    now("2025-08-20T09:00:00+02:00")
    auth.login(team_user)
    response = client.post("/team/mailings", data={"audience": "registered", "province": "", "action": "send"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vul een onderwerp in." in page and "Schrijf het bericht." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0
    bad = client.post(
        "/team/mailings", data={"audience": "nonsense", "province": "999999", "subject": "x", "body": "y"}
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Ongeldige keuze." in page
    assert 'id="audience-error"' in page and 'id="province-error"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0
