"""The resources of the open-data API as a user sees them: shapes, filters, pages, figures."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from campaign.actions import services as action_services
from campaign.core import uploads
from campaign.extensions import db
from campaign.monitoring import figures
from campaign.reference.models import Municipality, Province, Sdg
from campaign.registrations.models import Track
from tests import factories
from tests.core import image_corpus


def get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    return response.get_json()


def every_item(client, url: str) -> tuple[list[dict], int]:
    """Follow ``next`` from ``url`` to the last page: every item, and the total the first page gave."""
    first = get(client, url)
    items, answer = list(first["items"]), first
    while answer["next"] is not None:
        assert answer["next"].startswith("http://localhost/api/v1/")
        answer = get(client, answer["next"])
        assert answer["total"] == first["total"]
        items += answer["items"]
    return items, first["total"]


def test_municipalities_with_their_province(client):
    answer = get(client, "/api/v1/municipalities?per_page=100")
    assert answer["total"] == 285 and len(answer["items"]) == 100
    assert answer["next"] == "http://localhost/api/v1/municipalities?page=2&per_page=100"
    gent = get(client, "/api/v1/municipalities/44021")
    assert gent == {
        "nis_code": "44021",
        "name_nl": "Gent",
        "province": {
            "nis_code": "40000",
            "slug": "oost-vlaanderen",
            "name_nl": "Oost-Vlaanderen",
            "name_en": "East Flanders",
        },
        "population_2020": gent["population_2020"],
        "merged_2025": False,
    }
    assert gent["population_2020"] > 250_000


def test_municipalities_by_province_by_code_or_name(client):
    limburg = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Municipality)
        .join(Province, Province.id == Municipality.province_id)
        .where(Province.nis_code == "70000")
    )
    by_name, total = every_item(client, "/api/v1/municipalities?province=limburg&per_page=7")
    assert total == limburg == len(by_name)
    assert {m["province"]["nis_code"] for m in by_name} == {"70000"}
    by_code, _ = every_item(client, "/api/v1/municipalities?province=70000&per_page=100")
    assert by_code == by_name


def test_following_next_gives_every_item_once(client, edition, registration):
    for n in range(7):
        factories.make_action(registration, title=f"Actie {n}", day=18 + n)
    factories.make_action(factories.make_registration(factories.make_edition(2024), "44021"), title="Vorig jaar")
    items, total = every_item(client, "/api/v1/actions?edition=2025&per_page=3")
    assert total == 7 and len(items) == 7
    assert len({item["id"] for item in items}) == 7
    assert [item["starts_at"] for item in items] == sorted(item["starts_at"] for item in items)
    third = get(client, "/api/v1/actions?edition=2025&per_page=3&page=3")
    assert len(third["items"]) == 1 and third["next"] is None
    second = get(client, "/api/v1/actions?edition=2025&per_page=3&page=2")
    assert second["next"] == "http://localhost/api/v1/actions?edition=2025&page=3&per_page=3"
    past_the_end = get(client, "/api/v1/actions?edition=2025&per_page=3&page=9")
    assert past_the_end == {"items": [], "next": None, "total": 7}


def test_editions_newest_first_with_their_dates(client, edition):
    factories.make_edition(2023, focus=(6, 13))
    answer = get(client, "/api/v1/editions")
    assert [e["year"] for e in answer["items"]] == [2025, 2023] and answer["total"] == 2
    assert get(client, "/api/v1/editions/2023") == {
        "year": 2023,
        "title": "Week van de Duurzame Gemeente 2023",
        "theme": "Thema 2023",
        "week_start": "2023-09-18",
        "week_end": "2023-09-25",
        "registration_deadline": "2023-06-30",
        "current": False,
        "focus_sdgs": [6, 13],
    }


def test_registrations_show_only_public_fields_of_active_registrations(client, world):
    items, total = every_item(client, "/api/v1/registrations")
    assert total == 2
    assert {r["municipality"]["nis_code"] for r in items} == {"44021", "11002"}  # Leuven withdrew
    world.antwerpen.track = Track.ADVANCED
    db.session.flush()
    assert get(client, f"/api/v1/registrations/{world.antwerpen.id}") == {
        "id": world.antwerpen.id,
        "edition": 2025,
        "municipality": {"nis_code": "11002", "name_nl": "Antwerpen"},
        "registered_on": "2025-05-01",
        "track": "advanced",
    }
    assert client.get(f"/api/v1/registrations/{world.withdrawn.id}").status_code == 404


def test_registrations_by_edition_province_and_municipality(client, world):
    older = factories.make_edition(2023)
    factories.make_registration(older, "44021")
    factories.make_registration(older, "71016")  # Genk, Limburg

    def municipalities(query: str) -> list[str]:
        return sorted(r["municipality"]["nis_code"] for r in every_item(client, "/api/v1/registrations" + query)[0])

    assert municipalities("?edition=2025") == ["11002", "44021"]
    assert municipalities("?edition=2023") == ["44021", "71016"]
    assert municipalities("?edition=2019") == []
    assert municipalities("?province=oost-vlaanderen") == ["44021", "44021"]
    assert municipalities("?province=70000&edition=2023") == ["71016"]
    assert municipalities("?municipality=44021&edition=2023") == ["44021"]


def test_actions_only_public_ones_of_active_registrations(client, world):
    photo = uploads.save_image(client.application.config["MEDIA_ROOT"], image_corpus.jpeg_photo((320, 400)))
    action_services.add_photo(world.public_action, photo, caption="Aan de werkbank", credit="Stad Gent")
    items, total = every_item(client, "/api/v1/actions")
    assert total == 1 and [a["title"] for a in items] == ["Repair Café"]
    action = get(client, f"/api/v1/actions/{world.public_action.id}")
    assert action == items[0]
    assert action["municipality"] == {"nis_code": "44021", "name_nl": "Gent"}
    assert action["starts_at"] == "2025-09-20T16:00:00+02:00" and action["sdgs"] == [12]
    assert action["photos"] == [
        {
            "url": f"http://localhost/media/{photo.id}/display",
            "thumbnail_url": f"http://localhost/media/{photo.id}/thumb",
            "caption": "Aan de werkbank",
            "credit": "Stad Gent",
        }
    ]
    assert client.get(f"/media/{photo.id}/display").status_code == 200  # the link works without login
    for hidden in (world.private_action, world.withdrawn_action):
        assert client.get(f"/api/v1/actions/{hidden.id}").status_code == 404


def test_actions_by_sdg_and_province(client, world):
    factories.make_action(world.antwerpen, title="Bijenhotels", sdgs=(15, 12))
    factories.make_action(world.antwerpen, title="Fietsstraat", sdgs=(11,))

    def titles(query: str) -> list[str]:
        return sorted(a["title"] for a in every_item(client, "/api/v1/actions" + query)[0])

    assert titles("?sdg=12") == ["Bijenhotels", "Repair Café"]
    assert titles("?sdg=15") == ["Bijenhotels"]
    assert titles("?sdg=4") == []  # only the private action has SDG 4
    assert titles("?province=antwerpen") == ["Bijenhotels", "Fietsstraat"]
    assert titles("?municipality=44021&sdg=12&edition=2025") == ["Repair Café"]


def test_heroes_with_web_consent_and_their_photo(client, world, media_root):
    photo = uploads.save_image(media_root, image_corpus.jpeg_photo((300, 400)))
    world.hero.photo, world.hero.photo_credit, world.hero.story = photo, "Foto: An Peeters", "Herstelt al tien jaar."
    world.hero.focal_x, world.hero.focal_y = 0.4, 0.3
    db.session.flush()
    items, total = every_item(client, "/api/v1/heroes")
    assert total == 1
    detail = get(client, f"/api/v1/heroes/{world.hero.id}")
    assert items == [detail]
    assert detail == {
        "id": world.hero.id,
        "edition": 2025,
        "municipality": {"nis_code": "44021", "name_nl": "Gent"},
        "name": "Fien Claes",
        "role": "vrijwilliger",
        "quote": "Elke dag een beetje beter.",
        "story": "Herstelt al tien jaar.",
        "sdgs": [12],
        "action_id": world.public_action.id,
        "photo": {
            "url": f"http://localhost/media/{photo.id}/display",
            "thumbnail_url": f"http://localhost/media/{photo.id}/thumb",
            "credit": "Foto: An Peeters",
            "focal_point": {"x": 0.4, "y": 0.3},
        },
    }
    assert client.get(detail["photo"]["url"]).status_code == 200  # public without login


def test_a_heroes_private_action_is_not_linked(client, world):
    world.hero.action = world.private_action
    db.session.flush()
    assert get(client, f"/api/v1/heroes/{world.hero.id}")["action_id"] is None


def test_heroes_by_sdg_and_municipality(client, world):
    other = factories.make_hero(world.antwerpen, name="Sara Janssens")
    other.sdgs = list(db.session.scalars(sa.select(Sdg).where(Sdg.number.in_((7, 13)))))
    db.session.flush()

    def names(query: str) -> list[str]:
        return sorted(h["name"] for h in every_item(client, "/api/v1/heroes" + query)[0])

    assert names("") == ["Fien Claes", "Sara Janssens"]
    assert names("?sdg=13") == ["Sara Janssens"]
    assert names("?sdg=12&edition=2025") == ["Fien Claes"]
    assert names("?municipality=11002") == ["Sara Janssens"]
    assert names("?province=40000") == ["Fien Claes"]
    assert names("?edition=2024") == []


def test_statistics_are_the_dashboards_figures(client, world):
    factories.make_action(world.antwerpen, title="Bijenhotels", sdgs=(15, 13))
    edition = world.gent.edition
    answer = get(client, "/api/v1/editions/2025/statistics")
    key = figures.key_figures(edition, None, today=date(2025, 5, 15))  # the `now` fixture's day
    assert (answer["registered"], answer["heroes"], answer["actions"]) == (key.registered, key.heroes, key.actions)
    assert (answer["registered"], answer["heroes"], answer["actions"]) == (2, 3, 3)  # hidden ones count too
    assert answer["municipalities"] == 285
    assert [(p["province"]["nis_code"], p["municipalities"], p["registered"]) for p in answer["per_province"]] == [
        (row.province.nis_code, row.municipalities, row.registered) for row in figures.per_province(edition)
    ]
    sdg_rows, pillar_rows = figures.sdg_figures(edition)
    assert [(s["sdg"], s["actions"], s["heroes"], s["focus"]) for s in answer["per_sdg"]] == [
        (row.sdg.number, row.actions, row.heroes, row.focus) for row in sdg_rows
    ]
    assert [(p["pillar"], p["actions"], p["heroes"]) for p in answer["per_pillar"]] == [
        (row.pillar.value, row.actions, row.heroes) for row in pillar_rows
    ]
    assert get(client, "/api/v1/registrations?edition=2025")["total"] == answer["registered"]
    assert client.get("/api/v1/editions/2031/statistics").status_code == 404


def test_no_contact_or_consent_data_anywhere(client, world, officer, other_officer):
    urls = [
        "/api/v1/municipalities?province=40000",
        "/api/v1/editions",
        "/api/v1/editions/2025",
        "/api/v1/editions/2025/statistics",
        "/api/v1/registrations",
        "/api/v1/actions",
        "/api/v1/heroes",
        "/api/v1/municipalities/44021",
        f"/api/v1/registrations/{world.gent.id}",
        f"/api/v1/actions/{world.public_action.id}",
        f"/api/v1/heroes/{world.hero.id}",
    ]
    bodies = [client.get(url).get_data(as_text=True) for url in urls]
    secrets = [
        officer.email,
        other_officer.email,
        officer.name,
        world.gent.contact_email,
        world.gent.contact_name,
        world.gent.contact_phone,
        "@",
        "consent",
        "given_on",
        "expires_on",
        "withdrawn",
        "proof",
        "Lotte Maes",  # consent withdrawn
        "Jonas Peeters",  # consent for print only
        "Bram Wouters",  # registration withdrawn
        "Interne opleiding",  # a private action
    ]
    for url, body in zip(urls, bodies, strict=True):
        for secret in secrets:
            assert secret not in body, (url, secret)
