"""Kit rendering benchmark. Prints one JSON object.

    python benchmarks/kits.py [--quick]

It builds its own SQLite database and media folder in a temporary directory: the reference
data, an edition, every municipality registered with 3 heroes who gave every consent, and
photos of 2000 × 2500 pixels. It measures the platform's renderers and, on the same inputs,
a naive reference (library defaults, a new WeasyPrint FontConfiguration per PDF, a LANCZOS
fit from the stored photo for every image).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2025, 8, 1)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def median_time(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def populate(count: int, media_root: Path) -> None:
    from campaign.core import uploads
    from campaign.demo import photos
    from campaign.editions.models import Edition
    from campaign.editions.services import default_dates
    from campaign.extensions import db
    from campaign.heroes.models import Consent, Hero
    from campaign.reference.models import Municipality, Sdg
    from campaign.reference.services import load_reference
    from campaign.registrations.models import Registration, Track

    load_reference()
    edition = Edition(
        year=2025,
        title="Week van de Duurzame Gemeente 2025",
        theme="10 jaar Agenda 2030 – SDG 11",
        is_current=True,
        **default_dates(2025),
    )
    edition.focus_sdgs = [db.session.get(Sdg, 11)]
    db.session.add(edition)
    pool = []
    for index in range(8):
        data, focus = photos.portrait(index)
        pool.append((uploads.save_image(media_root, data), focus))
    sdgs = [db.session.get(Sdg, n) for n in range(1, 18)]
    municipalities = db.session.scalars(db.select(Municipality).order_by(Municipality.name_nl)).all()
    quote = (
        "Ik geloof in een gemeente waar iedereen meedoet: jong en oud, nieuwkomer én geboren Vlaming. "
        "Geïnspireerd door de SDG's zetten we samen één stap per dag naar een eerlijkere wereld."
    )
    for n, municipality in enumerate(municipalities[:count]):
        registration = Registration(
            edition=edition,
            municipality=municipality,
            contact_name="Contact",
            contact_email="c@example.be",
            flag_commitment=True,
            heroes_planned=3,
            track=Track.STARTER,
            registered_at=datetime(2025, 5, 1, tzinfo=UTC),
        )
        db.session.add(registration)
        for h in range(3):
            upload, focus = pool[(n * 3 + h) % len(pool)]
            hero = Hero(
                registration=registration,
                edition=edition,
                municipality=municipality,
                name=f"Held {h + 1} van {municipality.name_nl}",
                role="vrijwilliger",
                quote=quote[: 60 + 40 * h],
                photo=upload,
                focal_x=focus[0],
                focal_y=focus[1],
            )
            hero.sdgs = [sdgs[(n + h) % 17]]
            hero.consent = Consent(
                web=True,
                print=True,
                social=True,
                press=True,
                given_on=date(2025, 7, 1),
                expires_on=date(2026, 12, 31),
                recorded_at=datetime(2025, 7, 1, tzinfo=UTC),
            )
            db.session.add(hero)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 municipalities for the campaign run, fewer repeats")
    args = parser.parse_args()
    # Imported here, not at the top: each render worker starts by importing this script again
    # (multiprocessing does that with the main module), and under `flask kits build` a worker
    # imports none of the app either.
    from machine import loop_seconds
    from PIL import Image

    from campaign.app import create_app
    from campaign.extensions import db
    from campaign.heroes.models import Hero
    from campaign.kits import jobs, render_print, render_social, services, worker
    from campaign.kits.cards import PosterSize, SocialSize
    from campaign.kits.render import render
    from campaign.registrations.models import Registration

    count = 20 if args.quick else 285
    runs = 5 if args.quick else 20
    speed = loop_seconds()

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        media_root = tmp_path / "media"
        app = create_app(
            {
                "SECRET_KEY": "benchmark",
                "TESTING": True,
                "MEDIA_ROOT": str(media_root),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bench.sqlite'}",
                "NOW": "2025-08-01T10:00:00+02:00",
            }
        )
        with app.app_context():
            db.create_all()
            populate(count, media_root)
            registration = db.session.scalars(db.select(Registration).order_by(Registration.id)).first()
            specs = services.plan(registration, today=TODAY, media_root=media_root)
            hero_spec = next(s for s in specs if s.kind == "social" and s.variant == SocialSize.SQUARE.value)

            # The floor: encoding one 1080 × 1080 JPEG at quality 85.
            canvas = Image.new("RGB", (1080, 1080), (120, 160, 90))
            floor = median_time(lambda: canvas.save(io.BytesIO(), "JPEG", quality=85), runs * 2)

            render(hero_spec)  # warm: fonts loaded, photo decoded
            social = median_time(lambda: render(hero_spec), runs)
            naive_social = median_time(
                lambda: render_social.naive_hero_image(hero_spec.card, size=SocialSize.SQUARE), max(3, runs // 4)
            )

            # A3 posters of the kit's heroes in turn: each is laid out afresh (a renderer keeps only
            # the last layout, which the same poster's A4 file reuses), in a warm process.
            a3_specs = [s for s in specs if s.kind == "poster" and s.variant == PosterSize.A3.value]
            assert len(a3_specs) > 1
            turn = iter(range(10**9))
            for spec in a3_specs:
                render(spec)
            poster = median_time(lambda: render(a3_specs[next(turn) % len(a3_specs)]), runs)
            naive_poster = median_time(
                lambda: render_print.naive_hero_poster(a3_specs[0].card, size=PosterSize.A3), max(3, runs // 4)
            )
            # A renderer lays a poster's bottom band out once for all posters with the same band (a
            # municipality's heroes), so the posters above reuse theirs. Here each A3 poster is the
            # first of another municipality: its band is laid out too.
            others = db.session.scalars(db.select(Registration).order_by(Registration.id).limit(21)).all()[1:]
            firsts = [
                next(s for s in services.plan(r, today=TODAY, media_root=media_root)
                     if s.kind == "poster" and s.variant == PosterSize.A3.value)
                for r in others
            ]  # fmt: skip
            rotation = iter(range(10**9))
            poster_new_band = median_time(lambda: render(firsts[next(rotation) % len(firsts)]), len(firsts))

            def naive(spec):
                if spec.kind == "poster":
                    return render_print.naive_hero_poster(spec.card, size=PosterSize(spec.variant))
                if spec.kind == "social":
                    return render_social.naive_hero_image(spec.card, size=SocialSize(spec.variant))
                return render(spec)

            kit = median_time(lambda: [render(s) for s in specs], 3)
            naive_kit = median_time(lambda: [naive(s) for s in specs], 2)

            # Every kit of the edition with 2 worker processes, from an empty cache.
            started = time.perf_counter()
            summary = jobs.build_edition(2025, processes=2)
            campaign = time.perf_counter() - started
            worker_rss = summary["worker_peak_rss_mb"]  # reported by the workers themselves

            # One hero's quote changes: exactly that hero's files are rendered again, by a warm pool
            # of 2 render workers, as `flask kits work --processes 2` does for an officer's request.
            hero = db.session.scalars(db.select(Hero).where(Hero.registration_id == registration.id)).first()
            with worker.pool(2, media_root=str(media_root)) as workers:
                list(workers([s for s in specs if s.hero_id == hero.id]))  # warm: the same files again
                hero.quote = "Een nieuw citaat, met één accent."
                db.session.commit()
                before = {
                    f.slot: f.cache_key
                    for f in db.session.scalars(
                        db.select(services.KitFile).where(services.KitFile.registration_id == registration.id)
                    )
                }
                started = time.perf_counter()
                rerender = services.bring_up_to_date(registration, today=TODAY, media_root=media_root, renderer=workers)
                rerender_time = time.perf_counter() - started
            after = {
                f.slot: f.cache_key
                for f in db.session.scalars(
                    db.select(services.KitFile).where(services.KitFile.registration_id == registration.id)
                )
            }
            changed = sorted(slot for slot in after if before.get(slot) != after[slot])
            expected = sorted(
                s.slot for s in services.plan(registration, today=TODAY, media_root=media_root) if s.hero_id == hero.id
            )

    print(
        json.dumps(
            {
                "floor_ms": ms(floor),
                "social_ms": ms(social),
                "social_ratio": round(social / floor, 2),
                "naive_social_ms": ms(naive_social),
                "poster_a3_ms": ms(poster),
                "poster_a3_new_band_ms": ms(poster_new_band),  # the first poster of a municipality
                "naive_poster_a3_ms": ms(naive_poster),
                "kit_files": len(specs),
                "kit_ms": ms(kit),
                "naive_kit_ms": ms(naive_kit),
                "kit_speedup": round(naive_kit / kit, 2),
                "campaign_municipalities": count,
                "campaign_files": summary["files_rendered"],
                "campaign_s": round(campaign, 2),
                "rerender_files_after_edit": rerender.rendered,
                "rerender_only_that_hero": changed == expected,
                "rerender_ms_after_edit": ms(rerender_time),
                "worker_peak_rss_mb": worker_rss,
                "cpus": os.cpu_count(),
                "machine_loop_s": speed,  # see benchmarks/machine.py: about 0.6 when the machine is not slowed
            }
        )
    )


if __name__ == "__main__":
    main()
