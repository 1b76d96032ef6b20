"""An officer never reads or changes another municipality's action, hero, consent or photo."""

import io

import pytest

from campaign.core import uploads
from tests import factories
from tests.core import image_corpus


@pytest.fixture
def theirs(other_registration, media_root):
    action = factories.make_action(other_registration, title="Geheime actie", public=False)
    photo = uploads.save_image(media_root, image_corpus.jpeg_photo((300, 400)))
    proof = uploads.save_image(media_root, image_corpus.jpeg_photo((310, 400)))
    hero = factories.make_hero(other_registration, name="Held van Antwerpen", scopes=None, photo=photo, action=action)
    from datetime import UTC, date, datetime

    from campaign.heroes.models import Consent

    hero.consent = Consent(
        print=True,
        given_on=date(2025, 7, 1),
        expires_on=date(2026, 12, 31),
        proof=proof,
        recorded_at=datetime(2025, 7, 1, tzinfo=UTC),
    )
    from campaign.actions import services as action_services

    action_photo = action_services.add_photo(
        action, uploads.save_image(media_root, image_corpus.jpeg_photo((320, 400)))
    )
    return {"action": action, "hero": hero, "photo": photo, "proof": proof, "action_photo": action_photo}


def test_other_municipalitys_pages_are_404(client, auth, officer, registration, theirs):
    auth.login(officer)
    action, hero = theirs["action"], theirs["hero"]
    urls = [
        f"/actions/{action.id}",
        f"/actions/{action.id}/edit",
        f"/actions/{action.id}/delete",
        f"/actions/{action.id}/check",
        f"/heroes/{hero.id}",
        f"/heroes/{hero.id}/edit",
        f"/heroes/{hero.id}/delete",
        f"/heroes/{hero.id}/consent",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        body = response.get_data(as_text=True)
        assert "Geheime actie" not in body and "Held van Antwerpen" not in body, url


def test_other_municipalitys_objects_cannot_be_changed(client, auth, officer, registration, theirs):
    auth.login(officer)
    action, hero = theirs["action"], theirs["hero"]
    posts = [
        (f"/actions/{action.id}/edit", {"title": "Gekaapt"}),
        (f"/actions/{action.id}/delete", {}),
        (f"/actions/{action.id}/check", {f"effect_{action.sdg_links[0].sdg_number}": "-1"}),
        (f"/actions/{action.id}/photos", {"photo": (io.BytesIO(image_corpus.jpeg_photo()), "x.jpg")}),
        (f"/actions/{action.id}/photos/{theirs['action_photo'].id}/delete", {}),
        (f"/heroes/{hero.id}/edit", {"name": "Gekaapt", "sdgs": ["1"]}),
        (f"/heroes/{hero.id}/delete", {}),
        (f"/heroes/{hero.id}/photo", {"photo": (io.BytesIO(image_corpus.jpeg_photo()), "x.jpg")}),
        (f"/heroes/{hero.id}/focal", {"focal_x": "0", "focal_y": "0"}),
        (f"/heroes/{hero.id}/consent", {"web": "y", "given_on": "2025-07-01"}),
        (f"/heroes/{hero.id}/consent/withdraw", {}),
    ]
    for url, data in posts:
        response = client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code == 404, url
    assert action.title == "Geheime actie"
    assert hero.name == "Held van Antwerpen"
    assert hero.photo_id == theirs["photo"].id
    assert (hero.focal_x, hero.focal_y) == (0.5, 0.5)
    assert hero.consent.web is False and not hero.consent.is_withdrawn
    assert len(action.photos) == 1
    assert action.sdg_links[0].effect is None


def test_other_municipalitys_private_files_are_404(client, auth, officer, registration, theirs):
    auth.login(officer)
    for upload in (theirs["photo"], theirs["proof"], theirs["action_photo"].upload):
        for variant in ("original", "display", "thumb"):
            assert client.get(f"/media/{upload.id}/{variant}").status_code == 404


def test_the_team_reaches_everything(client, auth, team_user, theirs):
    auth.login(team_user)
    assert client.get(f"/heroes/{theirs['hero'].id}").status_code == 200
    assert client.get(f"/actions/{theirs['action'].id}").status_code == 200
    assert client.get(f"/media/{theirs['proof'].id}/original").status_code == 200


def test_anonymous_visitors_are_sent_to_login(client, theirs):
    response = client.get(f"/heroes/{theirs['hero'].id}")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
    assert client.get(f"/media/{theirs['photo'].id}/thumb").status_code == 404
