"""An officer adds a hero with a photo, sets the focal point and records web consent; the hero
appears on the public page; withdrawing the consent removes the hero. axe-core checks each page."""

from __future__ import annotations

from datetime import date

from tests.core import image_corpus
from tests.e2e.conftest import OFFICER_EMAIL, TEAM_EMAIL, assert_accessible, log_in


def test_hero_with_photo_focal_point_and_consent(new_page, tmp_path):
    photo = tmp_path / "fien.jpg"
    photo.write_bytes(image_corpus.jpeg_photo((900, 1200)))

    officer = new_page()
    log_in(officer, OFFICER_EMAIL)
    assert "Stappenplan" in officer.locator("main").inner_text()
    assert_accessible(officer)

    # 1. A new hero, with a photo and a quote whose counter follows the typing.
    officer.goto("/heroes/new")
    assert_accessible(officer)
    officer.fill("#name", "Fien Claes")
    officer.fill("#role", "vrijwilliger bij het Repair Café")
    officer.fill("#quote", "Wat je herstelt, hoef je niet opnieuw te kopen.")
    officer.wait_for_function("document.getElementById('quote-count').textContent.includes('133')")
    officer.check("input[name=sdgs][value='12']")
    officer.set_input_files("#photo", str(photo))
    officer.get_by_role("button", name="Held opslaan").click()
    officer.wait_for_load_state()
    assert "Fien Claes" in officer.locator("h1").inner_text()
    assert_accessible(officer)

    # 2. The focal point: a click on the photo's upper left quarter.
    image = officer.locator("#focal-image")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.2})
    x = float(officer.input_value("#focal_x"))
    y = float(officer.input_value("#focal_y"))
    assert 0.2 < x < 0.3 and 0.15 < y < 0.25
    officer.get_by_role("button", name="Focuspunt opslaan").click()
    officer.wait_for_load_state()
    assert abs(float(officer.input_value("#focal_x")) - x) < 0.011

    # 3. Web consent only.
    officer.get_by_role("link", name="Toestemming registreren").click()
    officer.wait_for_load_state()
    assert_accessible(officer)
    officer.check("#web")
    officer.get_by_role("button", name="Toestemming opslaan").click()
    officer.wait_for_load_state()
    assert "wordt getoond op de publieke pagina" in officer.locator("main").inner_text()

    # 4. The public page shows the hero, photo included.
    visitor = new_page()
    visitor.goto("/gemeente/44021")
    assert "Fien Claes" in visitor.locator("main").inner_text()
    assert visitor.locator("img.card-photo").count() == 1
    visitor.locator("img.card-photo").scroll_into_view_if_needed()  # lazy: wait for it, never race it
    visitor.wait_for_function("document.querySelector('img.card-photo').complete")
    assert visitor.evaluate("document.querySelector('img.card-photo').naturalWidth") > 0
    assert_accessible(visitor)

    # 5. Withdrawn: gone at once.
    officer.get_by_role("button", name="Toestemming intrekken").click()
    officer.wait_for_load_state()
    assert "ingetrokken" in officer.locator(".flash").inner_text()
    assert_accessible(officer)
    visitor.reload()
    assert "Fien Claes" not in visitor.locator("main").inner_text()
    assert_accessible(visitor)


def test_public_pages_are_accessible(new_page):
    page = new_page()
    for path in ("/deelnemers", "/kalender", "/praktijkbank", "/praktijkbank?q=fiets&sdg=12"):
        page.goto(path)
        assert_accessible(page)


def test_kit_and_visual_pages_are_accessible(new_page, live_app):
    from campaign.extensions import db
    from campaign.kits import services
    from campaign.registrations.models import Registration

    with live_app.app_context():
        registration = db.session.scalar(db.select(Registration))
        services.bring_up_to_date(registration, today=date(2025, 8, 1), media_root=live_app.config["MEDIA_ROOT"])
        edition_id = registration.edition_id
        registration_id = registration.id
        db.session.remove()

    officer = new_page()
    log_in(officer, OFFICER_EMAIL)
    officer.goto(f"/kit/{registration_id}")
    assert "bestanden klaar" in officer.locator("#kit-progress").inner_text()
    assert officer.locator("img.kit-preview").count() >= 4
    assert_accessible(officer)

    team = new_page()
    log_in(team, TEAM_EMAIL)
    team.goto(f"/team/editions/{edition_id}/visual")
    preview = team.locator("img[data-visual-preview]")
    first = preview.get_attribute("src")
    team.fill("#primary", "#19486A")
    team.wait_for_function("document.querySelector('img[data-visual-preview]').src.includes('19486A')")
    assert preview.get_attribute("src") != first
    loaded = "document.querySelector('img[data-visual-preview]').naturalWidth === 1080"
    team.wait_for_function(loaded)
    assert_accessible(team)
