import io
from datetime import date

from campaign.kits import services as kit_services
from campaign.registrations.models import Track
from campaign.stepplan.services import step_plan
from tests import factories
from tests.core import image_corpus

TODAY = date(2025, 8, 1)


def states(registration):
    return {step.key: step.done for step in step_plan(registration, today=TODAY)}


def test_steps_follow_the_data(app, registration, officer, media_root):
    assert states(registration) == {
        "registered": True,
        "hero": False,
        "consent": False,
        "kit": False,
        "flag": False,
        "evaluation": False,
    }
    hero = factories.make_hero(registration, scopes=("web", "print"))
    assert states(registration)["hero"] is True
    assert states(registration)["consent"] is False  # partial consent
    hero.consent.social = hero.consent.press = True
    assert states(registration)["consent"] is True
    factories.make_hero(registration, scopes=None, name="Tweede held")
    assert states(registration)["consent"] is False  # every hero needs complete consent
    kit_services.record_download(registration, by=officer)
    assert states(registration)["kit"] is True


def test_steps_carry_deadlines_and_track_tips(app, registration):
    steps = {step.key: step for step in step_plan(registration, today=TODAY)}
    assert steps["registered"].deadline == registration.edition.registration_deadline
    assert steps["hero"].deadline == registration.edition.hero_deadline
    assert steps["evaluation"].deadline == registration.edition.evaluation_deadline
    assert steps["hero"].days_left(TODAY) == 30
    assert steps["kit"].available and not steps["evaluation"].available
    starter_tip = steps["hero"].tip
    registration.track = Track.ADVANCED
    assert {s.key: s for s in step_plan(registration, today=TODAY)}["hero"].tip != starter_tip


def test_officer_home_shows_the_step_plan_and_takes_the_flag_photo(client, auth, officer, registration, media_root):
    auth.login(officer)
    html = client.get("/").get_data(as_text=True)
    assert "Stappenplan" in html
    assert "nog niet beschikbaar" in html
    response = client.post(
        f"/registrations/{registration.id}/flag-photo",
        data={"photo": (io.BytesIO(image_corpus.jpeg_photo()), "vlag.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert registration.flag_photo is not None
    assert states(registration)["flag"] is True
    bad = client.post(
        f"/registrations/{registration.id}/flag-photo",
        data={"photo": (io.BytesIO(image_corpus.svg_as_jpg()), "vlag.jpg")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Kies een foto in JPEG" in bad.get_data(as_text=True)


def test_flag_photo_of_another_municipality_cannot_be_set(client, auth, officer, other_registration, media_root):
    auth.login(officer)
    response = client.post(
        f"/registrations/{other_registration.id}/flag-photo",
        data={"photo": (io.BytesIO(image_corpus.jpeg_photo()), "vlag.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    assert other_registration.flag_photo is None
