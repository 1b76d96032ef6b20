import io
from datetime import date

import pytest
import sqlalchemy as sa

from campaign.core import uploads
from campaign.extensions import db
from campaign.heroes import services
from campaign.heroes.models import ConsentScope, Hero
from tests import factories
from tests.core import image_corpus

QUOTE_180 = (
    "Ik geloof in een gemeente waar iedereen meedoet: jong en oud, nieuwkomer én geboren Vlaming. "
    "Geïnspireerd door de SDG's zetten we samen één stap per dag naar een eerlijkere wereld."
)


def hero_data(**overrides):
    data = {
        "name": "Fien Claes",
        "role": "vrijwilliger bij het Repair Café",
        "quote": "Herstellen is de toekomst.",
        "story": "Fien herstelt al tien jaar fietsen.",
        "sdgs": ["12"],
        "action": "0",
    }
    data.update(overrides)
    return data


def test_officer_adds_a_hero_with_photo(client, auth, officer, registration, media_root):
    auth.login(officer)
    data = hero_data(quote=QUOTE_180)
    data["photo"] = (io.BytesIO(image_corpus.jpeg_photo((800, 1000))), "fien.jpg")
    response = client.post("/heroes/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    hero = db.session.scalar(sa.select(Hero))
    assert hero.quote == QUOTE_180
    assert hero.photo is not None and hero.photo.width == 800
    assert (hero.focal_x, hero.focal_y) == (0.5, 0.5)
    assert hero.consent is None


def test_quote_longer_than_180_characters_is_refused(client, auth, officer, registration):
    auth.login(officer)
    response = client.post("/heroes/new", data=hero_data(quote=QUOTE_180 + "!"))
    assert response.status_code == 200
    assert "zodat het op de affiche past" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Hero)) == 0


def test_hero_can_only_link_own_actions(client, auth, officer, registration, other_registration):
    theirs = factories.make_action(other_registration)
    auth.login(officer)
    response = client.post("/heroes/new", data=hero_data(action=str(theirs.id)))
    assert response.status_code == 200
    assert "Kies een van je eigen acties" in response.get_data(as_text=True)


def test_focal_point_is_stored_between_0_and_1(client, auth, officer, registration, media_root):
    hero = factories.make_hero(registration, photo=uploads.save_image(media_root, image_corpus.jpeg_photo()))
    auth.login(officer)
    assert client.post(f"/heroes/{hero.id}/focal", data={"focal_x": "0.25", "focal_y": "0.3"}).status_code == 302
    assert (hero.focal_x, hero.focal_y) == (0.25, 0.3)
    response = client.post(f"/heroes/{hero.id}/focal", data={"focal_x": "1.5", "focal_y": "abc"})
    assert response.status_code == 400
    assert (hero.focal_x, hero.focal_y) == (0.25, 0.3)


def test_recording_consent_defaults_to_the_end_of_next_year(client, auth, officer, registration, media_root):
    hero = factories.make_hero(registration, scopes=None)
    auth.login(officer)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client.post(
        f"/heroes/{hero.id}/consent",
        data={
            "web": "y",
            "print": "y",
            "given_on": "2025-07-10",
            "proof": (io.BytesIO(pdf), "toestemming.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    consent = hero.consent
    assert consent.scopes == {ConsentScope.WEB, ConsentScope.PRINT}
    assert consent.expires_on == date(2026, 12, 31)
    assert consent.recorded_by == officer
    assert consent.proof.kind == "pdf"
    assert not consent.is_complete(date(2025, 8, 1))
    # The proof is private: the officer may download it, an anonymous visitor not.
    assert client.get(f"/media/{consent.proof.id}/original").status_code == 200
    auth.logout()
    assert client.get(f"/media/{consent.proof.id}/original").status_code == 404


def test_consent_expiring_before_it_was_given_is_refused(client, auth, officer, registration):
    hero = factories.make_hero(registration, scopes=None)
    auth.login(officer)
    response = client.post(
        f"/heroes/{hero.id}/consent", data={"web": "y", "given_on": "2025-07-10", "expires_on": "2025-01-01"}
    )
    assert response.status_code == 200
    assert "mag niet verlopen" in response.get_data(as_text=True)
    assert hero.consent is None


def test_public_pages_respect_consent(client, edition, registration, media_root):
    photo = uploads.save_image(media_root, image_corpus.jpeg_photo((500, 600)))
    public = factories.make_hero(registration, name="Publieke Held", photo=photo)
    factories.make_hero(registration, name="Enkel Print", scopes=("print", "social"))
    factories.make_hero(registration, name="Geen Toestemming", scopes=None)
    factories.make_hero(registration, name="Ingetrokken Held", withdrawn=True)
    factories.make_hero(registration, name="Verlopen Held", given_on=date(2023, 7, 1))
    html = client.get("/gemeente/44021").get_data(as_text=True)
    assert "Publieke Held" in html
    for hidden in ("Enkel Print", "Geen Toestemming", "Ingetrokken Held", "Verlopen Held"):
        assert hidden not in html
    assert client.get(f"/media/{public.photo.id}/thumb").status_code == 200


def test_withdrawal_removes_the_hero_everywhere_at_once(client, auth, officer, edition, registration, media_root):
    action = factories.make_action(registration, title="Fietsherstel op de markt")
    photo = uploads.save_image(media_root, image_corpus.jpeg_photo((500, 600)))
    hero = factories.make_hero(registration, name="Fien Claes", photo=photo, action=action)
    anonymous = client.application.test_client()
    assert "Fien Claes" in anonymous.get("/gemeente/44021").get_data(as_text=True)
    assert "Fien Claes" in anonymous.get(f"/praktijkbank/{action.id}").get_data(as_text=True)
    assert anonymous.get(f"/media/{photo.id}/display").status_code == 200

    auth.login(officer)
    assert client.post(f"/heroes/{hero.id}/consent/withdraw").status_code == 302
    assert hero.consent.is_withdrawn

    assert "Fien Claes" not in anonymous.get("/gemeente/44021").get_data(as_text=True)
    assert "Fien Claes" not in anonymous.get(f"/praktijkbank/{action.id}").get_data(as_text=True)
    assert anonymous.get(f"/media/{photo.id}/display").status_code == 404
    assert services.public_heroes(today=date(2025, 9, 20)) == []
    # The officer still sees the hero and the photo in the back office.
    assert client.get(f"/media/{photo.id}/display").status_code == 200


def test_heroes_of_withdrawn_registrations_are_not_public(client, edition, registration):
    from campaign.registrations.models import RegistrationStatus

    factories.make_hero(registration, name="Fien Claes")
    registration.status = RegistrationStatus.WITHDRAWN
    db.session.flush()
    assert "Fien Claes" not in client.get("/gemeente/44021").get_data(as_text=True)


@pytest.mark.parametrize("name", sorted(image_corpus.BAD))
def test_every_bad_upload_gets_a_clear_message_and_keeps_the_old_photo(
    client, auth, officer, registration, media_root, name
):
    original = uploads.save_image(media_root, image_corpus.jpeg_photo())
    hero = factories.make_hero(registration, photo=original)
    make, _reason = image_corpus.BAD[name]
    auth.login(officer)
    response = client.post(
        f"/heroes/{hero.id}/photo", data={"photo": (io.BytesIO(make()), name)}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="photo-error"' in html
    assert any(
        text in html
        for text in ("Kies een foto in JPEG", "beschadigd", "te veel pixels", "leeg", "Bewegende afbeeldingen")
    )
    db.session.refresh(hero)
    assert hero.photo_id == original.id


def test_a_too_large_upload_is_explained_and_the_form_keeps_its_text(
    client, auth, officer, registration, app, monkeypatch, media_root
):
    monkeypatch.setitem(app.config, "IMAGE_MAX_BYTES", 50_000)
    auth.login(officer)
    data = hero_data(name="Bewaarde Naam")
    data["photo"] = (io.BytesIO(image_corpus.too_large(50_000)), "groot.jpg")
    response = client.post("/heroes/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "groter dan" in html
    assert 'value="Bewaarde Naam"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Hero)) == 0


@pytest.mark.parametrize("name", sorted(image_corpus.GOOD))
def test_good_uploads_are_cleaned(client, auth, officer, registration, media_root, name):
    hero = factories.make_hero(registration)
    auth.login(officer)
    response = client.post(
        f"/heroes/{hero.id}/photo",
        data={"photo": (io.BytesIO(image_corpus.GOOD[name]()), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    served = client.get(f"/media/{hero.photo.id}/original")
    from PIL import Image

    image = Image.open(io.BytesIO(served.data))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert not image.getexif()


def test_low_resolution_photos_get_a_print_warning(client, auth, officer, registration, media_root):
    small = factories.make_hero(
        registration, name="Klein", photo=uploads.save_image(media_root, image_corpus.jpeg_photo((800, 1000)))
    )
    auth.login(officer)
    html = client.get(f"/heroes/{small.id}").get_data(as_text=True)
    assert "ppi" in html and "1790 × 1432" in html
    assert services.print_ppi(small.photo) == 67
    big = factories.make_hero(
        registration, name="Groot", photo=uploads.save_image(media_root, image_corpus.jpeg_photo((2000, 2500)))
    )
    assert services.print_ppi(big.photo) >= 150
    assert "ppi" not in client.get(f"/heroes/{big.id}").get_data(as_text=True)


def test_team_lists_every_hero_with_consent_status(client, auth, team_user, registration, other_registration):
    factories.make_hero(registration, name="Held van Gent")
    factories.make_hero(other_registration, name="Held van Antwerpen", scopes=None)
    auth.login(team_user)
    html = client.get("/heroes/team").get_data(as_text=True)
    assert "Held van Gent" in html and "Held van Antwerpen" in html
    assert "Toestemming volledig" in html and "Geen toestemming geregistreerd" in html
    html = client.get("/heroes/team?q=antwerpen").get_data(as_text=True)
    assert "Held van Antwerpen" in html and "Held van Gent" not in html


def test_officers_cannot_see_the_team_hero_list(client, auth, officer, registration):
    auth.login(officer)
    assert client.get("/heroes/team").status_code == 403
