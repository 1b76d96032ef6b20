"""Kit planning, caching, consent, ZIP, downloads and authorization.

Caching tests use a counting fake renderer (the renderers have their own tests); the
view tests render for real."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
import sqlalchemy as sa

from campaign.core import uploads
from campaign.extensions import db
from campaign.kits import services
from campaign.kits.models import KitDownload, KitFile, RenderRequest, RenderStatus
from campaign.kits.render import store
from tests import factories
from tests.core import image_corpus

TODAY = date(2025, 8, 1)
MUNICIPALITY_FILES = {
    "municipality/participation-a3",
    "municipality/participation-a4",
    "municipality/banner",
    "municipality/frame",
}


class CountingRenderer:
    def __init__(self) -> None:
        self.rendered: list[str] = []

    def __call__(self, specs):
        for spec in specs:
            self.rendered.append(spec.slot)
            yield spec, store(spec, f"{spec.slot}:{spec.key}".encode())


def hero_slots(hero):
    return {f"hero-{hero.id}/poster-{s}" for s in ("a3", "a4")} | {
        f"hero-{hero.id}/{kind}-{size}"
        for kind in ("social", "caption")
        for size in ("1080x1080", "1080x1350", "1080x1920", "1200x630")
    }


@pytest.fixture
def photo(media_root):
    return uploads.save_image(media_root, image_corpus.jpeg_photo((900, 1200)))


def test_the_plan_follows_consent(app, registration, media_root, photo):
    full = factories.make_hero(registration, name="Alles", photo=photo)
    print_only = factories.make_hero(registration, name="Enkel print", scopes=("web", "print"))
    social_only = factories.make_hero(registration, name="Enkel sociaal", scopes=("social",))
    factories.make_hero(registration, name="Geen", scopes=None)
    factories.make_hero(registration, name="Ingetrokken", withdrawn=True)
    slots = {spec.slot for spec in services.plan(registration, today=TODAY, media_root=media_root)}
    expected = MUNICIPALITY_FILES | hero_slots(full)
    expected |= {f"hero-{print_only.id}/poster-a3", f"hero-{print_only.id}/poster-a4"}
    expected |= {s for s in hero_slots(social_only) if "poster" not in s}
    assert slots == expected


def test_only_what_changed_is_rendered_again(app, registration, media_root, photo):
    first = factories.make_hero(registration, name="Eerste", photo=photo)
    second = factories.make_hero(registration, name="Tweede", photo=photo)
    renderer = CountingRenderer()
    summary = services.bring_up_to_date(registration, today=TODAY, media_root=media_root, renderer=renderer)
    assert summary.rendered == 4 + 2 * 10 and summary.cached == 0

    again = CountingRenderer()
    summary = services.bring_up_to_date(registration, today=TODAY, media_root=media_root, renderer=again)
    assert (summary.rendered, summary.cached) == (0, 24)
    assert again.rendered == []

    first.quote = "Een nieuw citaat."
    db.session.flush()
    changed = CountingRenderer()
    services.bring_up_to_date(registration, today=TODAY, media_root=media_root, renderer=changed)
    assert set(changed.rendered) == hero_slots(first)
    assert not any(f"hero-{second.id}/" in slot for slot in changed.rendered)

    first.focal_x = 0.2
    db.session.flush()
    focal = CountingRenderer()
    services.bring_up_to_date(registration, today=TODAY, media_root=media_root, renderer=focal)
    assert set(focal.rendered) == hero_slots(first)

    registration.edition.visual_primary = "#19486A"
    db.session.flush()
    visual = CountingRenderer()
    services.bring_up_to_date(registration, today=TODAY, media_root=media_root, renderer=visual)
    assert len(visual.rendered) == 24


def test_withdrawing_consent_deletes_the_files(client, auth, officer, registration, media_root, photo):
    hero = factories.make_hero(registration, name="Fien", photo=photo)
    services.bring_up_to_date(registration, today=TODAY, media_root=media_root, renderer=CountingRenderer())
    paths = [media_root / f.path for f in db.session.scalars(sa.select(KitFile).where(KitFile.hero_id == hero.id))]
    assert len(paths) == 10 and all(p.is_file() for p in paths)

    auth.login(officer)
    client.post(f"/heroes/{hero.id}/consent/withdraw")
    assert db.session.scalars(sa.select(KitFile).where(KitFile.hero_id == hero.id)).all() == []
    assert not any(p.exists() for p in paths)
    kit = services.state(registration, today=TODAY, media_root=media_root)
    archive = zipfile.ZipFile(io.BytesIO(services.build_zip(registration, kit, media_root=media_root)))
    assert not any("Fien" in name for name in archive.namelist())


def test_narrowing_consent_keeps_what_is_still_allowed(client, auth, officer, registration, media_root, photo):
    hero = factories.make_hero(registration, name="Fien", photo=photo)
    services.bring_up_to_date(registration, today=TODAY, media_root=media_root, renderer=CountingRenderer())
    auth.login(officer)
    client.post(f"/heroes/{hero.id}/consent", data={"web": "y", "print": "y", "given_on": "2025-07-01"})
    left = {f.slot for f in db.session.scalars(sa.select(KitFile).where(KitFile.hero_id == hero.id))}
    assert left == {f"hero-{hero.id}/poster-a3", f"hero-{hero.id}/poster-a4"}


def test_the_zip_has_folders_a_person_understands(app, registration, media_root, photo):
    factories.make_hero(registration, name="Fien Claës", photo=photo)
    services.bring_up_to_date(registration, today=TODAY, media_root=media_root, renderer=CountingRenderer())
    kit = services.state(registration, today=TODAY, media_root=media_root)
    names = zipfile.ZipFile(io.BytesIO(services.build_zip(registration, kit, media_root=media_root))).namelist()
    root = "Kit Gent 2025"
    assert f"{root}/LEESMIJ.txt" in names
    assert f"{root}/Helden/Fien Claes/Heldenaffiche A3 - Fien Claes.pdf" in names
    assert f"{root}/Helden/Fien Claes/Sociale media/Fien Claes 1080x1080.jpg" in names
    assert f"{root}/Helden/Fien Claes/Sociale media/Fien Claes 1080x1080.txt" in names
    assert f"{root}/Gemeente/Wij doen mee - affiche A3.pdf" in names
    assert f"{root}/Gemeente/Profielkader 1080x1080.png" in names
    assert len(names) == 1 + 4 + 10


def test_officer_makes_and_downloads_the_kit(client, auth, officer, registration, media_root, photo, app):
    hero = factories.make_hero(registration, name="Fien", photo=photo)
    auth.login(officer)
    page = client.get(f"/kit/{registration.id}").get_data(as_text=True)
    assert "0 van 14 bestanden klaar" in page
    assert client.post(f"/kit/{registration.id}/render").status_code == 302
    [request] = db.session.scalars(sa.select(RenderRequest)).all()
    assert request.status == RenderStatus.PENDING
    assert services.run_pending(today=TODAY, media_root=media_root) == 1
    assert request.status == RenderStatus.DONE
    progress = client.get(f"/kit/{registration.id}/progress").get_json()
    assert progress == {
        "ready": 14,
        "total": 14,
        "status": "done",
        "complete": True,
        "message": "14 van 14 bestanden klaar",
    }

    poster = db.session.scalar(sa.select(KitFile).where(KitFile.slot == f"hero-{hero.id}/poster-a3"))
    response = client.get(f"/kit/{registration.id}/files/{poster.id}")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert response.headers["ETag"].strip('"') == poster.cache_key
    assert (
        client.get(
            f"/kit/{registration.id}/files/{poster.id}", headers={"If-None-Match": f'"{poster.cache_key}"'}
        ).status_code
        == 304
    )
    preview = client.get(f"/kit/{registration.id}/files/{poster.id}/preview")
    assert preview.status_code == 200 and preview.mimetype == "image/png"

    assert db.session.scalar(sa.select(sa.func.count()).select_from(KitDownload)) == 0
    archive = client.get(f"/kit/{registration.id}/download.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(archive.data)).namelist()) == 15
    assert (
        client.get(
            f"/kit/{registration.id}/download.zip", headers={"If-None-Match": archive.headers["ETag"]}
        ).status_code
        == 304
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KitDownload)) == 1
    home = client.get("/").get_data(as_text=True)
    assert "Campagnekit downloaden" in home


def test_another_municipality_cannot_reach_the_kit(client, auth, officer, other_registration, media_root, photo):
    factories.make_hero(other_registration, name="Held van Antwerpen", photo=photo)
    services.bring_up_to_date(other_registration, today=TODAY, media_root=media_root, renderer=CountingRenderer())
    kit_file = db.session.scalar(sa.select(KitFile))
    auth.login(officer)
    rid = other_registration.id
    for url in (
        f"/kit/{rid}",
        f"/kit/{rid}/progress",
        f"/kit/{rid}/download.zip",
        f"/kit/{rid}/files/{kit_file.id}",
        f"/kit/{rid}/files/{kit_file.id}/preview",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/kit/{rid}/render").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RenderRequest)) == 0


def test_cli_builds_an_editions_kits(runner, app, registration, media_root, photo, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "in_process", CountingRenderer())
    factories.make_hero(registration, name="Fien", photo=photo)
    out = tmp_path / "out"
    result = runner.invoke(
        args=["kits", "build", "--edition", "2025", "--municipality", "44021", "--out", str(out), "--processes", "0"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["files_rendered"] == 14 and summary["files_cached"] == 0
    assert (out / "Kit Gent 2025.zip").is_file()
    assert (out / "Kit Gent 2025" / "Helden" / "Fien" / "Heldenaffiche A4 - Fien.pdf").is_file()
    again = json.loads(runner.invoke(args=["kits", "build", "--edition", "2025", "--processes", "0"]).output)
    assert again["files_rendered"] == 0 and again["files_cached"] == 14
    bad = runner.invoke(args=["kits", "build", "--edition", "1999"])
    assert bad.exit_code != 0 and "1999" in bad.output


def test_worker_processes_build_several_kits_in_one_stream(app, registration, other_registration, media_root, photo):
    """Real render workers: they write every file themselves; the rows point at those files."""
    from campaign.kits import jobs

    factories.make_hero(registration, name="Fien", photo=photo)
    factories.make_hero(other_registration, name="Jonas", photo=photo, scopes=("print",))
    summary = jobs.build_edition(2025, processes=2)
    assert summary["municipalities"] == 2, summary
    # Gent: 4 municipality files and the hero's 10; Antwerpen: 4 and two posters (print only).
    # The profile frame shows only the edition's visual: rendered once, recorded for both kits.
    assert summary["files_rendered"] == (4 + 10) + (4 + 2) - 1 and summary["files_cached"] == 1
    frames = {f.path for f in db.session.scalars(sa.select(KitFile).where(KitFile.slot == "municipality/frame"))}
    assert len(frames) == 1

    for reg in (registration, other_registration):
        kit = services.state(reg, today=TODAY, media_root=media_root)
        assert kit.complete, reg.municipality.name_nl
        for spec in kit.planned:
            kit_file = kit.ready[spec.slot]
            data = (media_root / kit_file.path).read_bytes()
            assert kit_file.size == len(data)
            signature = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}
            assert data.startswith(signature.get(spec.content_type, b"")), spec.slot
    again = jobs.build_edition(2025, processes=2)
    assert again["files_rendered"] == 0 and again["files_cached"] == 20


def test_render_workers_start_on_the_first_files_while_the_caller_still_plans(app, registration, media_root, photo):
    """The pool reads the specs as it goes: a campaign build plans the next kits while the workers
    render the first ones. Here the caller does not hand over the rest of its plan until the
    workers have written the first poster."""
    import time

    from campaign.kits import worker

    factories.make_hero(registration, name="Fien", photo=photo)
    specs = services.plan(registration, today=TODAY, media_root=media_root)
    first = specs[0]
    assert first.slot == "municipality/participation-a3" and specs[2].kind == "banner"

    def planned():
        yield from specs[:3]  # the two posters of one card, and the next file: the first task is whole
        deadline = time.monotonic() + 60
        while not (media_root / first.storage_path).is_file():
            assert time.monotonic() < deadline, "the workers waited for the whole plan"
            time.sleep(0.02)
        yield from specs[3:]

    with worker.pool(2, media_root=str(media_root)) as workers:
        done = list(workers(planned()))
    assert sorted(spec.slot for spec, _ in done) == sorted(spec.slot for spec in specs)
    assert all(size == (media_root / spec.storage_path).stat().st_size for spec, size in done)


def test_a_request_whose_worker_died_does_not_block_new_ones(app, registration, officer):
    from datetime import UTC, datetime, timedelta

    started = datetime(2025, 8, 1, 10, tzinfo=UTC)
    first = services.request_render(registration, by=officer, now=started)
    first.status = RenderStatus.RUNNING
    first.started_at = started
    assert services.request_render(registration, by=officer, now=started + timedelta(minutes=5)) is first
    later = services.request_render(registration, by=officer, now=started + timedelta(minutes=30))
    assert later is not first and later.status == RenderStatus.PENDING
    assert first.status == RenderStatus.FAILED and first.error
