from campaign.actions.models import ActionType
from tests import factories


def test_participants_are_listed_and_filtered_by_province(client, edition, registration, other_registration):
    html = client.get("/deelnemers").get_data(as_text=True)
    assert ">Gent</a>" in html and ">Antwerpen</a>" in html
    province = factories.municipality("11002").province_id
    html = client.get(f"/deelnemers?province={province}").get_data(as_text=True)
    assert ">Antwerpen</a>" in html and ">Gent</a>" not in html
    assert client.get("/deelnemers?province=zzz").status_code == 200


def test_municipality_page_shows_only_public_actions(client, edition, registration):
    factories.make_action(registration, title="Open fietsdag")
    factories.make_action(registration, title="Interne opleiding", public=False)
    html = client.get("/gemeente/44021").get_data(as_text=True)
    assert "Open fietsdag" in html and "Interne opleiding" not in html
    assert client.get("/gemeente/99999").status_code == 404
    assert "neemt niet deel" in client.get("/gemeente/24062").get_data(as_text=True)


def test_calendar_lists_public_actions_by_day(client, edition, registration):
    factories.make_action(registration, title="Klimaatwandeling", day=21)
    factories.make_action(registration, title="Verborgen", day=21, public=False)
    html = client.get("/kalender").get_data(as_text=True)
    assert html.count("<section") == 8  # 18 to 25 September
    day = html.split('id="day-2025-09-21"')[1].split("<section")[0]
    assert "Klimaatwandeling" in day and "Verborgen" not in html


def test_practice_bank_searches_every_edition(client, edition, registration):
    older = factories.make_edition(2023)
    old_registration = factories.make_registration(older, "11002")
    factories.make_action(registration, title="Repair Café", sdgs=(12,))
    factories.make_action(old_registration, title="Bijenhotels bouwen", sdgs=(15,), description="Natuur en bijen")
    hidden = factories.make_action(registration, title="Niet publiek", public=False)
    html = client.get("/praktijkbank").get_data(as_text=True)
    assert "Repair Café" in html and "Bijenhotels bouwen" in html and "Niet publiek" not in html
    html = client.get("/praktijkbank?sdg=15").get_data(as_text=True)
    assert "Bijenhotels bouwen" in html and "Repair Café" not in html
    html = client.get("/praktijkbank?q=bijen").get_data(as_text=True)
    assert "Bijenhotels bouwen" in html and "Repair Café" not in html
    html = client.get(f"/praktijkbank?province={factories.municipality('44021').province_id}").get_data(as_text=True)
    assert "Repair Café" in html and "Bijenhotels bouwen" not in html
    html = client.get(f"/praktijkbank?type={ActionType.PUBLIC_EVENT.value}&edition={older.id}").get_data(as_text=True)
    assert "Bijenhotels bouwen" in html and "Repair Café" not in html
    assert client.get(f"/praktijkbank/{hidden.id}").status_code == 404
    for odd in ("?sdg=abc", "?page=-3", "?page=99999999999", "?type=x&province=%20", "?q=" + "%25" * 40):
        assert client.get("/praktijkbank" + odd).status_code == 200, odd


def test_practice_bank_is_paginated(client, edition, registration):
    for n in range(25):
        factories.make_action(registration, title=f"Actie nummer {n:02d}")
    first = client.get("/praktijkbank").get_data(as_text=True)
    assert first.count('class="card"') == 20
    assert "Pagina 1 van 2" in first
    second = client.get("/praktijkbank?page=2").get_data(as_text=True)
    assert second.count('class="card"') == 5


def test_public_pages_in_english(client, edition, registration):
    client.post("/language", data={"language": "en", "next": "/praktijkbank"})
    html = client.get("/praktijkbank").get_data(as_text=True)
    assert "Practice bank" in html
    assert 'lang="en"' in html
