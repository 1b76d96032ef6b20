from datetime import UTC, datetime

import pytest

from campaign.core.errors import Conflict
from campaign.registrations import services
from campaign.registrations.models import RegistrationStatus, Track
from tests import factories


def form_data(**overrides):
    data = {
        "contact_name": "Lies Van Damme",
        "contact_email": "lies@stad.gent",
        "contact_phone": "09 266 11 11",
        "heroes_planned": "4",
        "track": "advanced",
        "flag_commitment": "y",
    }
    data.update(overrides)
    return data


def test_officer_registers_once_per_edition(client, auth, officer, edition):
    auth.login(officer)
    form = client.get("/registrations/new").get_data(as_text=True)
    assert officer.email in form  # the contact person is filled in from the account
    response = client.post("/registrations/new", data=form_data())
    assert response.status_code == 302
    registration = services.find(edition, officer.municipality_id)
    assert registration.track == Track.ADVANCED
    assert registration.heroes_planned == 4
    assert registration.flag_commitment is True
    assert registration.created_by == officer

    # A second attempt shows the existing registration instead of making another.
    again = client.get("/registrations/new")
    assert again.status_code == 302
    assert f"/registrations/{registration.id}" in again.headers["Location"]
    with pytest.raises(Conflict):
        services.register(
            edition,
            officer.municipality,
            by=officer,
            contact_name="x",
            contact_email="x@y.be",
            flag_commitment=False,
            heroes_planned=1,
            track=Track.STARTER,
            now=datetime(2025, 5, 1, tzinfo=UTC),
        )


def test_officer_edits_and_withdraws_until_the_deadline(client, auth, officer, edition, now):
    registration = factories.make_registration(edition, "44021", by=officer)
    auth.login(officer)
    response = client.post(f"/registrations/{registration.id}/edit", data=form_data(heroes_planned="6"))
    assert response.status_code == 302
    assert registration.heroes_planned == 6

    confirm = client.get(f"/registrations/{registration.id}/withdraw")
    assert "Inschrijving" in confirm.get_data(as_text=True) or "inschrijving" in confirm.get_data(as_text=True)
    client.post(f"/registrations/{registration.id}/withdraw")
    assert registration.status == RegistrationStatus.WITHDRAWN

    # Registering again takes the withdrawn registration up again.
    client.post("/registrations/new", data=form_data())
    assert registration.status == RegistrationStatus.ACTIVE


def test_after_the_deadline_officers_cannot_change_but_the_team_can(client, auth, officer, team_user, edition, now):
    registration = factories.make_registration(edition, "44021", by=officer)
    now("2025-07-01T00:30:00+02:00")  # the day after the deadline of 30 June, Belgian time
    auth.login(officer)
    response = client.post(f"/registrations/{registration.id}/edit", data=form_data(heroes_planned="9"))
    assert response.status_code == 200
    assert "uiterste datum" in response.get_data(as_text=True).lower()
    assert registration.heroes_planned == 3
    response = client.post(f"/registrations/{registration.id}/withdraw", follow_redirects=True)
    assert registration.status == RegistrationStatus.ACTIVE
    auth.logout()

    auth.login(team_user)
    response = client.post(f"/registrations/{registration.id}/edit", data=form_data(heroes_planned="9"))
    assert response.status_code == 302
    assert registration.heroes_planned == 9


def test_deadline_day_itself_is_still_open(app, edition):
    assert services.registration_open(edition, now=datetime(2025, 6, 30, 21, 59, tzinfo=UTC))  # 23:59 Brussels
    assert not services.registration_open(edition, now=datetime(2025, 6, 30, 22, 0, tzinfo=UTC))


def test_new_registration_after_the_deadline_is_refused(client, auth, officer, edition, now):
    now("2025-08-01T12:00:00+02:00")
    auth.login(officer)
    response = client.post("/registrations/new", data=form_data())
    assert response.status_code == 403
    assert services.find(edition, officer.municipality_id) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("heroes_planned", "0", "van 1 tot 17"),
        ("heroes_planned", "18", "van 1 tot 17"),
        ("heroes_planned", "veel", "van 1 tot 17"),
        ("contact_email", "geen-mail", "geldig e-mailadres"),
        ("contact_name", "", "contactpersoon"),
        ("contact_phone", "bel me", "telefoonnummer"),
        ("track", "expert", "traject"),
    ],
)
def test_bad_input_gets_a_dutch_message(client, auth, officer, edition, field, value, message):
    auth.login(officer)
    response = client.post("/registrations/new", data=form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True).lower()
    assert services.find(edition, officer.municipality_id) is None


def test_team_sees_and_filters_all_registrations(client, auth, team_user, edition):
    factories.make_registration(edition, "44021", track=Track.ADVANCED)  # Gent, Oost-Vlaanderen
    factories.make_registration(edition, "11002")  # Antwerpen
    factories.make_registration(edition, "24062", status=RegistrationStatus.WITHDRAWN)  # Leuven
    auth.login(team_user)

    html = client.get("/team/registrations").get_data(as_text=True)
    assert ">Gent</a>" in html and ">Antwerpen</a>" in html and "Leuven" not in html

    antwerpen = factories.municipality("11002").province
    html = client.get(f"/team/registrations?province={antwerpen.id}").get_data(as_text=True)
    assert ">Antwerpen</a>" in html and ">Gent</a>" not in html

    html = client.get("/team/registrations?track=advanced").get_data(as_text=True)
    assert ">Gent</a>" in html and ">Antwerpen</a>" not in html

    html = client.get("/team/registrations?status=withdrawn").get_data(as_text=True)
    assert "Leuven" in html and ">Gent</a>" not in html

    html = client.get("/team/registrations?q=gen").get_data(as_text=True)
    assert ">Gent</a>" in html and ">Antwerpen</a>" not in html

    # Nonsense filters are ignored, never a 500.
    response = client.get("/team/registrations?province=abc&track=x&status=y&edition=zz")
    assert response.status_code == 200


def test_staff_home_shows_the_count(client, auth, team_user, edition):
    factories.make_registration(edition, "44021")
    auth.login(team_user)
    html = client.get("/").get_data(as_text=True)
    assert "1 <span>/ 285</span>" in html


def test_team_filters_on_the_flag_commitment(client, auth, team_user, edition):
    with_flag = factories.make_registration(edition, "44021")
    without = factories.make_registration(edition, "11002")
    without.flag_commitment = False
    assert with_flag.flag_commitment
    auth.login(team_user)
    html = client.get("/team/registrations?flag=no").get_data(as_text=True)
    assert ">Antwerpen</a>" in html and ">Gent</a>" not in html
    html = client.get("/team/registrations?flag=yes").get_data(as_text=True)
    assert ">Gent</a>" in html and ">Antwerpen</a>" not in html
