"""An officer of municipality A reaches nothing of municipality B, by URL or by form."""

from campaign.registrations import services
from tests import factories


def test_officer_gets_404_on_another_municipalitys_registration(client, auth, officer, other_officer, edition):
    theirs = factories.make_registration(edition, "11002", by=other_officer)
    auth.login(officer)
    for url in (
        f"/registrations/{theirs.id}",
        f"/registrations/{theirs.id}/edit",
        f"/registrations/{theirs.id}/withdraw",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert theirs.contact_email not in response.get_data(as_text=True)
    response = client.post(
        f"/registrations/{theirs.id}/edit",
        data={
            "contact_name": "Overgenomen",
            "contact_email": "x@y.be",
            "heroes_planned": "1",
            "track": "starter",
        },
    )
    assert response.status_code == 404
    assert client.post(f"/registrations/{theirs.id}/withdraw").status_code == 404
    assert theirs.contact_name == "Contact Persoon"
    assert theirs.is_active


def test_officer_cannot_register_another_municipality_by_form(client, auth, officer, edition):
    antwerpen = factories.municipality("11002")
    auth.login(officer)
    client.post(
        "/registrations/new",
        data={
            "contact_name": "X",
            "contact_email": "x@y.be",
            "heroes_planned": "1",
            "track": "starter",
            "municipality": antwerpen.id,
            "municipality_id": antwerpen.id,
        },
    )
    assert services.find(edition, antwerpen.id) is None
    assert services.find(edition, officer.municipality_id) is not None


def test_officer_cannot_see_the_team_overview(client, auth, officer, edition):
    factories.make_registration(edition, "11002")
    auth.login(officer)
    response = client.get("/team/registrations")
    assert response.status_code == 403
    assert "contact@11002.example" not in response.get_data(as_text=True)


def test_ids_of_other_municipalities_cannot_be_told_from_missing_ones(client, auth, officer, edition):
    theirs = factories.make_registration(edition, "11002")
    auth.login(officer)
    assert client.get(f"/registrations/{theirs.id}").status_code == client.get("/registrations/999999").status_code


def test_pending_officer_has_no_access(client, auth, edition):
    from campaign.accounts.models import UserStatus

    pending = factories.make_officer(status=UserStatus.PENDING)
    auth.login(pending)
    assert client.get("/registrations/new").status_code == 302  # to the login page


def test_huge_ids_in_urls_are_404_not_a_database_error(client, auth, team_user):
    auth.login(team_user)
    for url in (
        "/registrations/99999999999999999999",
        "/team/editions/99999999999/edit",
        "/account/approvals/99999999999/approve",
    ):
        response = client.get(url) if "approve" not in url else client.post(url)
        assert response.status_code == 404, url
