"""The press room: highlights marked by the team, published after their embargo and only within
consent, in the press room, the Atom feed and the press export (read back)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from campaign.actions import services as action_services
from campaign.core import uploads
from campaign.extensions import db
from campaign.heroes import services as hero_services
from campaign.monitoring import figures
from campaign.press.models import RELEASE_MAX, Highlight
from tests import factories
from tests.core import image_corpus

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def scene(app, edition, registration, media_root, officer):
    """Gent (registered, with the officer) and Hasselt (Limburg): a hero with every consent and a
    photo, a hero without press consent, a public action with two photos and a private one."""
    hasselt = factories.make_registration(edition, "71072")
    photo = uploads.save_image(media_root, image_corpus.jpeg_photo((900, 1200)))
    star = factories.make_hero(registration, name="Fien Claes", photo=photo)
    star.photo_credit = "Foto: Jan Peeters"
    shy = factories.make_hero(registration, name="Karel Stil", scopes=("web", "print", "social"))
    action = factories.make_action(hasselt, title="Repair Café Hasselt", sdgs=(12, 13))
    for n in range(2):
        picture = uploads.save_image(media_root, image_corpus.jpeg_photo((800 + 10 * n, 600)))
        action_services.add_photo(action, picture, caption=f"Herstellers aan het werk {n + 1}", credit="Stad Hasselt")
    private = factories.make_action(hasselt, title="Interne opleiding", public=False)
    db.session.commit()
    return {"star": star, "shy": shy, "action": action, "private": private, "officer": officer}


def _mark(client, kind: str, subject_id: int, *, title: str, when: str = "2025-05-15T09:00", text: str = "Persklaar."):
    return client.post(f"/team/highlights/{kind}/{subject_id}", data={"title": title, "text": text, "publish_at": when})


def _published(client) -> tuple[str, str, set[str]]:
    """The press room page, the feed's entry titles and the press export's file names."""
    page = client.get("/pers").get_data(as_text=True)
    feed = ElementTree.fromstring(client.get("/pers/feed.atom").data)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    archive = zipfile.ZipFile(io.BytesIO(client.get("/pers/persmap.zip").data))
    return page, " | ".join(titles), set(archive.namelist())


def test_team_marks_highlights_and_the_press_sees_them(client, auth, team_user, scene):
    auth.login(team_user)
    assert _mark(client, "hero", scene["star"].id, title="Fien herstelt alles").status_code == 302
    assert _mark(client, "action", scene["action"].id, title="Hasselt repareert").status_code == 302
    team_page = client.get("/team/highlights").get_data(as_text=True)
    assert "Fien herstelt alles" in team_page and "Gepubliceerd" in team_page
    auth.logout()

    page, feed, files = _published(client)
    assert "Fien herstelt alles" in page and "Hasselt repareert" in page
    assert "Elke dag een beetje beter." in page  # the hero's quote
    assert feed.count("|") == 1 and "Fien herstelt alles" in feed and "Hasselt repareert" in feed
    assert any(name.startswith("foto's/") and "fien-claes" in name for name in files)
    # The hero's photo may be fetched by the press (press consent), in high resolution.
    upload_id = scene["star"].photo_id
    assert client.get(f"/media/{upload_id}/original").status_code == 200


def test_a_hero_without_press_consent_is_refused_and_never_published(client, auth, team_user, scene, now):
    auth.login(team_user)
    form = client.get(f"/team/highlights/hero/{scene['shy'].id}").get_data(as_text=True)
    assert "geen (geldige) toestemming voor de pers en de website" in form
    response = _mark(client, "hero", scene["shy"].id, title="Karel")
    assert "geen (geldige) toestemming voor de pers en de website" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Highlight)) == 0
    # Even a highlight stored while the consent allowed it stays out once it no longer does.
    db.session.add(
        Highlight(
            edition_id=scene["shy"].edition_id,
            hero_id=scene["shy"].id,
            title="Karel",
            text="x",
            publish_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
    )
    db.session.commit()
    auth.logout()
    page, feed, files = _published(client)
    assert "Karel" not in page and "Karel" not in feed and not any("karel" in name for name in files)


def test_withdrawing_consent_removes_the_hero_at_once_everywhere(client, auth, team_user, scene):
    auth.login(team_user)
    _mark(client, "hero", scene["star"].id, title="Fien herstelt alles")
    auth.logout()
    page, feed, files = _published(client)
    assert "Fien" in page and "Fien" in feed and any("fien-claes" in name for name in files)

    hero_services.withdraw_consent(scene["star"], by=scene["officer"])
    db.session.commit()
    page, feed, files = _published(client)
    assert "Fien" not in page and "Fien" not in feed and not any("fien" in name for name in files)
    assert client.get(f"/media/{scene['star'].photo_id}/original").status_code == 404
    auth.login(team_user)
    assert "geen geldige toestemming voor de pers en de website" in client.get("/team/highlights").get_data(
        as_text=True
    )


def test_an_embargoed_highlight_stays_invisible_until_its_time(client, auth, team_user, scene, now):
    now("2025-09-10T09:00:00+02:00")
    auth.login(team_user)
    _mark(client, "action", scene["action"].id, title="Hasselt repareert", when="2025-09-18T10:00")
    assert "Onder embargo" in client.get("/team/highlights").get_data(as_text=True)
    auth.logout()
    for moment in ("2025-09-10T09:00:00+02:00", "2025-09-18T09:59:00+02:00"):
        now(moment)
        page, feed, files = _published(client)
        assert "Hasselt repareert" not in page and "Hasselt repareert" not in feed
        assert not any(name.startswith("teksten/") for name in files)
    now("2025-09-18T10:00:00+02:00")
    page, feed, files = _published(client)
    assert "Hasselt repareert" in page and "Hasselt repareert" in feed
    assert any(name.startswith("teksten/") for name in files)


def test_press_room_filters_by_province_sdg_and_municipality(client, auth, team_user, scene):
    auth.login(team_user)
    _mark(client, "hero", scene["star"].id, title="Fien herstelt alles")
    _mark(client, "action", scene["action"].id, title="Hasselt repareert")
    auth.logout()
    limburg = factories.municipality("71072").province_id
    page = client.get(f"/pers?province={limburg}").get_data(as_text=True)
    assert "Hasselt repareert" in page and "Fien herstelt alles" not in page
    page = client.get("/pers?sdg=13").get_data(as_text=True)
    assert "Hasselt repareert" in page and "Fien herstelt alles" not in page
    page = client.get("/pers?municipality=44021").get_data(as_text=True)
    assert "Fien herstelt alles" in page and "Hasselt repareert" not in page
    assert client.get("/pers?province=abc&sdg=99&municipality=x").status_code == 200  # ignored, not a 500


def test_key_figures_are_the_dashboards(client, scene, edition):
    page = client.get("/pers").get_data(as_text=True)
    key = figures.key_figures(edition, None, today=datetime(2025, 5, 15).date())
    assert f"<strong>{key.registered}</strong>" in page
    assert f"<strong>{key.heroes}</strong>" in page and f"<strong>{key.actions}</strong>" in page


def test_the_press_export_holds_exactly_the_photos_it_lists(client, auth, team_user, scene):
    auth.login(team_user)
    _mark(client, "hero", scene["star"].id, title="Fien herstelt alles")
    _mark(client, "action", scene["action"].id, title="Hasselt repareert")
    client.post(
        "/team/press",
        data={
            "contact_name": "Persdienst VVSG",
            "contact_email": "pers@vvsg.example",
            "contact_phone": "02 211 55 00",
            "release_text": ("In {provincie} doen {deelnemers} van de {gemeenten} gemeenten mee in {jaar}. " * 40)[
                :RELEASE_MAX
            ],
        },
    )
    auth.logout()
    response = client.get("/pers/persmap.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    captions = list(csv.DictReader(io.StringIO(archive.read("captions.csv").decode("utf-8-sig")), delimiter=";"))
    assert list(captions[0]) == ["file", "caption", "credit", "municipality", "sdg", "consent_scope"]
    photos = {name for name in names if name.startswith("foto's/")}
    assert {row["file"] for row in captions} == photos and len(photos) == 3  # every listed photo, nothing else
    hero_row = next(row for row in captions if "fien-claes" in row["file"])
    assert hero_row["credit"] == "Foto: Jan Peeters" and "press" in hero_row["consent_scope"]
    assert hero_row["municipality"] == "Gent"
    assert sorted(photos) == sorted(photos, key=lambda n: (int(n.split("/")[1].split("-")[0]), n))  # they sort
    text = archive.read(next(n for n in names if n.startswith("teksten/") and "fien" in n)).decode()
    assert text.startswith("# Fien herstelt alles") and "Persklaar." in text
    figures_rows = json.loads(archive.read("kerncijfers.json"))
    assert figures_rows[0]["gebied"] == "Vlaanderen" and figures_rows[0]["deelnemers"] == 2
    assert "kerncijfers.csv" in names
    releases = sorted(n for n in names if n.startswith("persberichten/"))
    assert len(releases) == 5  # one per province
    limburg = PdfReader(io.BytesIO(archive.read("persberichten/persbericht-limburg.pdf")))
    assert len(limburg.pages) == 1  # the longest template text still fits one page
    page_text = limburg.pages[0].extract_text()
    assert "Limburg" in page_text and "Hasselt repareert" in page_text and "pers@vvsg.example" in page_text

    # Cached: the same content gives the same file and ETag; a change gives a new one.
    again = client.get("/pers/persmap.zip")
    assert again.headers["ETag"] == response.headers["ETag"]
    assert client.get("/pers/persmap.zip", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    auth.login(team_user)
    _mark(client, "action", scene["action"].id, title="Hasselt repareert alles")
    assert client.get("/pers/persmap.zip").headers["ETag"] != response.headers["ETag"]


def test_a_province_or_municipality_export_holds_only_its_own(client, auth, team_user, scene):
    auth.login(team_user)
    _mark(client, "hero", scene["star"].id, title="Fien herstelt alles")
    _mark(client, "action", scene["action"].id, title="Hasselt repareert")
    auth.logout()
    limburg = factories.municipality("71072").province_id
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/pers/persmap.zip?province={limburg}").data)).namelist()
    assert any("hasselt" in n for n in names) and not any("gent" in n for n in names)
    assert [n for n in names if n.startswith("persberichten/")] == ["persberichten/persbericht-limburg.pdf"]
    names = zipfile.ZipFile(io.BytesIO(client.get("/pers/persmap.zip?municipality=44021").data)).namelist()
    assert any("fien" in n for n in names) and not any("hasselt" in n for n in names)
    assert client.get("/pers/persmap.zip?municipality=99999").status_code == 404


def test_cli_writes_the_press_export(app, scene, tmp_path):
    db.session.add(
        Highlight(
            edition_id=scene["action"].edition_id,
            action_id=scene["action"].id,
            title="Hasselt repareert",
            text="Persklaar.",
            publish_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
    )
    db.session.commit()
    out = tmp_path / "pers.zip"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["press", "export", "--edition", "2025", "--province", "Limburg", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(out).namelist()
    assert "captions.csv" in names and any("hasselt-repareert" in n or "repair-cafe" in n for n in names)
    result = runner.invoke(args=["press", "export", "--edition", "2025", "--province", "Atlantis", "--out", str(out)])
    assert result.exit_code != 0 and "Limburg" in result.output


def test_officers_and_strangers_get_none_of_the_team_pages(client, auth, scene):
    for url in ("/team/highlights", f"/team/highlights/hero/{scene['star'].id}", "/team/press"):
        assert client.get(url).status_code == 302, url  # to the login page
    auth.login(scene["officer"])
    for url in ("/team/highlights", f"/team/highlights/hero/{scene['star'].id}", "/team/press"):
        assert client.get(url).status_code == 403, url
    assert _mark(client, "hero", scene["star"].id, title="x").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Highlight)) == 0


def test_bad_highlight_input_is_explained_and_nothing_is_lost(client, auth, team_user, scene):
    auth.login(team_user)
    _mark(client, "action", scene["action"].id, title="Hasselt repareert")
    response = client.post(
        f"/team/highlights/action/{scene['action'].id}",
        data={"title": "", "text": "x" * 5000, "publish_at": "morgen"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Geef het verhaal een titel." in body and "18/09/2025 14:00" in body
    assert db.session.scalar(sa.select(Highlight.title)) == "Hasselt repareert"
    assert client.get(f"/team/highlights/action/{scene['private'].id}").status_code == 200
    response = _mark(client, "action", scene["private"].id, title="Intern")
    assert "niet openbaar" in response.get_data(as_text=True)
    assert client.get("/team/highlights/hero/99999999999").status_code == 404


def test_press_consent_without_web_consent_keeps_a_hero_out_of_the_public_press_room(
    client, auth, team_user, scene, registration, media_root
):
    """The press room is an open web page: a hero who allowed the press but not the website is
    not published, nor is the photo served to the public."""
    photo = uploads.save_image(media_root, image_corpus.jpeg_photo((700, 900)))
    press_only = factories.make_hero(registration, name="Lotte Pers", scopes=("press", "print"), photo=photo)
    db.session.add(
        Highlight(
            edition_id=press_only.edition_id,
            hero_id=press_only.id,
            title="Lotte",
            text="x",
            publish_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
    )
    db.session.commit()
    auth.login(team_user)
    assert "de pers en de website" in _mark(client, "hero", press_only.id, title="Lotte").get_data(as_text=True)
    auth.logout()
    page, feed, files = _published(client)
    assert "Lotte" not in page and "Lotte" not in feed and not any("lotte" in name for name in files)
    assert client.get(f"/media/{photo.id}/original").status_code == 404


def test_answers_with_personal_data_are_checked_again_on_every_use(client, auth, team_user, scene):
    auth.login(team_user)
    _mark(client, "hero", scene["star"].id, title="Fien herstelt alles")
    auth.logout()
    for url in ("/pers/feed.atom", "/pers/persmap.zip", f"/media/{scene['star'].photo_id}/original"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "public, no-cache", url
        assert response.headers.get("ETag"), url


def test_retention_removes_highlights_of_erased_heroes_and_old_archives(app, scene, media_root):
    from campaign.jobs.tasks import retention_purge
    from campaign.press import room

    db.session.add(
        Highlight(
            edition_id=scene["star"].edition_id,
            hero_id=scene["star"].id,
            title="Fien Claes",
            text="Fien herstelt alles.",
            publish_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
    )
    db.session.commit()
    client = app.test_client()
    archive_response = client.get("/pers/persmap.zip")
    [archive] = (media_root / "press").glob("*.zip")
    assert zipfile.ZipFile(io.BytesIO(archive_response.data)).namelist()
    scene["star"].erased_at = datetime(2031, 1, 1, tzinfo=UTC)
    db.session.commit()
    app.config["RETENTION_YEARS"] = 5
    summary = retention_purge(datetime(2031, 3, 1, 3, 45, tzinfo=UTC))
    assert summary["highlights_removed"] == 1 and summary["press_archives_removed"] == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Highlight)) == 0
    assert not archive.exists()
    assert room.prune_archives(media_root, now=datetime(2031, 3, 1, tzinfo=UTC)) == 0
