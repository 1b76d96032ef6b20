from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from campaign.actions import services
from campaign.actions.models import Action, ActionType
from campaign.core import uploads
from campaign.core.errors import NotAllowed
from campaign.extensions import db
from tests import factories
from tests.core import image_corpus


def form_data(**overrides):
    data = {
        "title": "Repair Café in Gent",
        "description": "Vrijwilligers herstellen kapotte toestellen: minder afval.",
        "type": "public_event",
        "starts_at": "2025-09-20T14:00",
        "ends_at": "2025-09-20T17:00",
        "location": "Sint-Pietersplein 1, Gent",
        "audience": "general_public",
        "expected_reach": "80",
        "is_public": "y",
        "sdgs": ["12", "11"],
        "save": "1",
    }
    data.update(overrides)
    return data


def test_officer_adds_an_action(client, auth, officer, registration):
    auth.login(officer)
    response = client.post("/actions/new", data=form_data())
    assert response.status_code == 302
    action = db.session.scalar(sa.select(Action))
    assert response.headers["Location"].endswith(f"/actions/{action.id}/check")
    assert action.municipality_id == registration.municipality_id
    assert action.edition_id == registration.edition_id
    assert [link.sdg_number for link in action.sdg_links] == [11, 12]
    # Entered in Belgian time (CEST, UTC+2).
    assert action.starts_at == datetime(2025, 9, 20, 12, tzinfo=UTC)
    assert action.expected_reach == 80
    assert "Repair Café in Gent" in client.get("/actions/").get_data(as_text=True)


def test_suggestions_are_shown_but_never_applied(client, auth, officer, registration):
    auth.login(officer)
    response = client.post("/actions/new", data=form_data(sdgs=[], suggest="1", save=None))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "SDG 12" in html
    assert "herstel" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Action)) == 0
    assert 'value="12" checked' not in html and 'checked value="12"' not in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": "2025-09-20T10:00"}, "mag niet vóór het begin vallen"),
        ({"location": ""}, "vink aan dat de actie online"),
        ({"sdgs": []}, "Kies minstens één SDG"),
        ({"starts_at": "morgen"}, "Vul een datum en uur in"),
        ({"expected_reach": "-5"}, "0 of meer"),
        ({"type": "feestje"}, "Kies een soort"),
        ({"sdgs": ["99"]}, "Maak een keuze in de lijst"),
        ({"title": ""}, "Vul een titel in"),
    ],
)
def test_bad_action_input_gets_a_dutch_message(client, auth, officer, registration, changes, message):
    auth.login(officer)
    response = client.post("/actions/new", data=form_data(**changes))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="Repair Café in Gent"' in html or changes.get("title") == ""
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Action)) == 0


def test_online_action_needs_no_address(client, auth, officer, registration):
    auth.login(officer)
    response = client.post("/actions/new", data=form_data(location="", online="y"))
    assert response.status_code == 302


def test_sdg_check_is_stored_and_summarised(client, auth, officer, registration):
    action = factories.make_action(registration, sdgs=(12, 13))
    auth.login(officer)
    response = client.post(
        f"/actions/{action.id}/check",
        data={
            "effect_12": "1",
            "reason_12": "Minder afval",
            "effect_13": "-1",
            "reason_13": "Bezoekers komen met de auto",
        },
    )
    assert response.status_code == 302
    effects = {link.sdg_number: (link.effect, link.reason) for link in action.sdg_links}
    assert effects == {12: (1, "Minder afval"), 13: (-1, "Bezoekers komen met de auto")}
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Negatief effect op SDG 13" in html
    assert "1 positief" in html


def test_changing_sdgs_keeps_the_ratings_of_the_others(app, registration):
    action = factories.make_action(registration, sdgs=(12, 13))
    services.rate_sdgs(action, {12: (1, "goed"), 13: (0, "")})
    values = {k: getattr(action, k) for k in ("title", "description", "type", "starts_at", "ends_at", "location")}
    services.update_action(action, sdgs=[12, 15], **values)
    effects = {link.sdg_number: link.effect for link in action.sdg_links}
    assert effects == {12: 1, 15: None}


def test_an_action_has_at_most_five_photos(app, registration, media_root):
    action = factories.make_action(registration)
    for n in range(5):
        upload = uploads.save_image(media_root, image_corpus.jpeg_photo((320 + n, 240)))
        services.add_photo(action, upload)
    extra = uploads.save_image(media_root, image_corpus.jpeg_photo((400, 300)))
    with pytest.raises(NotAllowed):
        services.add_photo(action, extra)
    assert len(action.photos) == 5


def test_photo_upload_through_the_page(client, auth, officer, registration, media_root):
    action = factories.make_action(registration)
    auth.login(officer)
    response = client.post(
        f"/actions/{action.id}/photos",
        data={
            "photo": (__import__("io").BytesIO(image_corpus.jpeg_with_gps()), "gps.jpg"),
            "caption": "Op de markt",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    [photo] = action.photos
    assert photo.caption == "Op de markt"
    served = client.get(f"/media/{photo.upload.id}/display")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert b"GPS" not in served.data and b"Exif" not in served.data


def test_withdrawn_registration_cannot_get_new_actions(app, registration):
    from campaign.registrations.models import RegistrationStatus

    registration.status = RegistrationStatus.WITHDRAWN
    with pytest.raises(NotAllowed):
        services.create_action(
            registration,
            sdgs=[12],
            title="x",
            type=ActionType.OTHER,
            starts_at=datetime(2025, 9, 20, tzinfo=UTC),
            ends_at=datetime(2025, 9, 20, tzinfo=UTC),
            location="hier",
        )


def test_team_sees_and_edits_every_action(client, auth, team_user, registration, other_registration):
    mine = factories.make_action(registration, title="Actie van Gent")
    theirs = factories.make_action(other_registration, title="Actie van Antwerpen")
    auth.login(team_user)
    html = client.get("/team/actions").get_data(as_text=True)
    assert "Actie van Gent" in html and "Actie van Antwerpen" in html
    html = client.get(f"/team/actions?province={factories.municipality('11002').province_id}").get_data(as_text=True)
    assert "Actie van Antwerpen" in html and "Actie van Gent" not in html
    response = client.post(f"/actions/{theirs.id}/edit", data=form_data(title="Verbeterd door het team"))
    assert response.status_code == 302
    assert theirs.title == "Verbeterd door het team"
    assert mine.title == "Actie van Gent"


def test_officer_deletes_own_action(client, auth, officer, registration):
    action = factories.make_action(registration)
    auth.login(officer)
    assert client.get(f"/actions/{action.id}/delete").status_code == 200
    client.post(f"/actions/{action.id}/delete")
    assert db.session.get(Action, action.id) is None
