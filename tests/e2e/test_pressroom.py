"""The press room in a real browser: the team marks a hero as a highlight through the forms, the
public press room shows it, and axe-core finds no violation on any of these pages."""

from __future__ import annotations

from campaign.core import uploads
from campaign.extensions import db
from campaign.registrations.models import Registration
from tests import factories
from tests.core import image_corpus
from tests.e2e.conftest import TEAM_EMAIL, assert_accessible, log_in


def test_team_marks_a_highlight_and_the_press_room_is_accessible(new_page, live_app):
    with live_app.app_context():
        registration = db.session.scalar(db.select(Registration))
        photo = uploads.save_image(live_app.config["MEDIA_ROOT"], image_corpus.jpeg_photo((900, 1200)))
        hero = factories.make_hero(registration, name="Mira Verbeke", photo=photo)
        hero.photo_credit = "Foto: Lies Peeters"
        db.session.commit()
        hero_id = hero.id
        db.session.remove()

    team = new_page()
    log_in(team, TEAM_EMAIL)
    team.goto(f"/heroes/{hero_id}")
    team.get_by_role("link", name="In de kijker zetten voor de pers").click()
    team.wait_for_load_state()
    assert_accessible(team)
    team.get_by_label("Titel voor de pers").fill("Mira maakt Gent groener")
    team.get_by_label("Korte perstekst").fill("Mira plantte met haar buren 300 bomen in de Brugse Poort.")
    team.get_by_role("button", name="Opslaan").click()
    team.wait_for_load_state()
    assert "Het verhaal in de kijker is bewaard." in team.locator("main").inner_text()
    assert_accessible(team)
    team.goto("/team/press")
    assert_accessible(team)

    press = new_page()
    press.goto("/pers")
    article = press.get_by_role("article", name="Mira maakt Gent groener")
    assert "300 bomen" in article.inner_text()
    photo = article.locator("img")
    photo.scroll_into_view_if_needed()  # it loads lazily; wait for it rather than racing it
    press.wait_for_function("img => img.complete", arg=photo.element_handle())
    assert photo.evaluate("img => img.naturalWidth > 0")  # loaded, not broken
    assert_accessible(press)
