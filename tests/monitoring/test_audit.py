"""The audit log: every create, change and delete of the audited models, by whom, filterable."""

from __future__ import annotations

import sqlalchemy as sa

from campaign.core import audit
from campaign.core.audit import AuditEntry
from campaign.extensions import db
from tests import factories


def entries(**where) -> list[AuditEntry]:
    stmt = sa.select(AuditEntry).order_by(AuditEntry.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, key) == value)
    return list(db.session.scalars(stmt))


def test_changes_are_recorded_with_fields_not_values(registration):
    hero = factories.make_hero(registration, name="Fien Claes")
    created = entries(entity="hero", entity_id=hero.id)
    # People appear by id only: the log keeps no name once the hero is gone.
    assert [(e.action, e.label, e.municipality_id) for e in created] == [("create", "", registration.municipality_id)]
    (consent,) = entries(entity="consent", action="create")  # the consent came with the hero
    assert consent.municipality_id == registration.municipality_id

    hero.quote = "Iets nieuws"
    hero.role = "Vrijwilliger"
    db.session.flush()
    (update,) = entries(entity="hero", action="update")
    assert set(update.fields.split(", ")) == {"quote", "role"}
    assert "Iets nieuws" not in update.fields  # names of fields, never their values

    db.session.delete(hero)
    db.session.flush()
    assert entries(entity="hero", action="delete")[0].entity_id == hero.id


def test_nothing_is_recorded_for_a_flush_without_real_changes(registration):
    before = len(entries())
    registration.contact_name = registration.contact_name  # the same value
    db.session.flush()
    assert len(entries()) == before


def test_the_actor_is_recorded(registration, team_user):
    audit.set_actor(team_user.id)
    try:
        factories.make_action(registration, title="Repair Café")
    finally:
        audit.set_actor(None)
    (entry,) = entries(entity="action")
    assert entry.user_id == team_user.id and entry.label == "Repair Café"


def test_web_changes_name_the_logged_in_user(client, auth, officer, registration):
    auth.login(officer)
    response = client.post(
        f"/registrations/{registration.id}/edit",
        data={
            "contact_name": "Nieuwe Contactpersoon",
            "contact_email": "nieuw@gent.be",
            "contact_phone": "",
            "heroes_planned": "2",
            "track": "starter",
            "flag_commitment": "y",
        },
    )
    assert response.status_code in (200, 302)
    changes = entries(entity="registration", action="update")
    assert changes and changes[-1].user_id == officer.id
    assert "contact_name" in changes[-1].fields


def test_team_filters_the_log_and_officers_cannot_see_it(
    client, auth, team_user, officer, registration, other_registration
):
    fien = factories.make_hero(registration, name="Fien")
    jonas = factories.make_hero(other_registration, name="Jonas")
    factories.make_action(registration, title="Repair Café")
    auth.login(officer)
    assert client.get("/team/audit").status_code == 403
    auth.logout()
    auth.login(team_user)
    html = client.get("/team/audit?municipality=44021&type=hero").get_data(as_text=True)
    assert f"(#{fien.id})" in html and f"(#{jonas.id})" not in html
    assert "Fien" not in html  # no names in the log
    html = client.get("/team/audit?type=action").get_data(as_text=True)
    assert "Repair Caf" in html and "Fien" not in html
    assert client.get("/team/audit?type=nonsense&user=abc&page=-3").status_code == 200


def test_a_changed_collection_is_recorded(registration):
    action = factories.make_action(registration, sdgs=(12,))
    from campaign.actions.models import ActionSdg

    action.sdg_links.append(ActionSdg(sdg_number=13))
    db.session.flush()
    (update,) = entries(entity="action", action="update")
    assert "sdg_links" in update.fields


def test_the_log_names_fields_in_the_readers_language(client, auth, team_user, registration):
    hero = factories.make_hero(registration, name="Fien")
    hero.quote = "Nieuw citaat"
    db.session.flush()
    auth.login(team_user)
    html = client.get("/team/audit?type=hero").get_data(as_text=True)
    assert "citaat" in html and ">quote<" not in html
