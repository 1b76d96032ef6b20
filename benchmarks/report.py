"""Policy report benchmark. Prints one JSON object: {"build_s", "repeat_build_s", "startup_s",
"peak_rss_mb", "pages", "charts", "annex_rows", "machine_loop_s"}.

    python benchmarks/report.py

It loads the demo data into a temporary SQLite database (all editions since 2018, 181
registrations in 2025, survey answers for about two thirds of them) and builds the 2025 report
(figures, PDF/UA-1 and XLSX) in a fresh process, which reports its own time and peak memory:
``build_s`` is the first build, as the running jobs process does it, until the build is
recorded (the jobs process then collects its garbage, untimed: the team's page already shows
it done); ``repeat_build_s`` the next one in the same process (charts drawn again);
``startup_s`` the process's imports, app and the report renderer's warm-up
(``reports.document.warm_up``), paid once when the jobs process starts. Target: build_s ≤ 5 and peak_rss_mb ≤ 300.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = "2025-10-20T10:00:00+02:00"


def _app(folder: Path):
    from campaign.app import create_app

    return create_app(
        {
            "SECRET_KEY": "benchmark",
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "MEDIA_ROOT": str(folder / "media"),
            "NOW": NOW,
        }
    )


def _prepare(folder: Path) -> None:
    import sqlalchemy as sa

    from campaign.demo import seed as demo
    from campaign.editions.models import Edition
    from campaign.extensions import db
    from campaign.reference.services import load_reference
    from campaign.registrations.models import Registration
    from campaign.reports import survey

    app = _app(folder)
    with app.app_context():
        db.create_all()
        load_reference()
        demo.seed_demo(media_root=str(folder / "media"))
        edition = db.session.scalar(sa.select(Edition).where(Edition.year == 2025))
        rng = random.Random(2025)
        now = datetime.fromisoformat(NOW)
        for registration in db.session.scalars(sa.select(Registration).where(Registration.edition_id == edition.id)):
            if rng.random() < 0.67:
                answers = survey.Answers(
                    participants=rng.randint(20, 3000),
                    channels=rng.sample(list(survey.CHANNELS), 3),
                    ratings={key: rng.choice([0, 3, 4, 4, 5]) for key in survey.MATERIALS},
                    effects=rng.sample(list(survey.EFFECTS), 2),
                    again=rng.choice(["yes", "yes", "maybe", "no"]),
                    keep="De heldenaffiches.",
                    strengthen="",
                    adjust="Het stappenplan vroeger.",
                    remarks="",
                )
                survey.save(registration, answers, submit=True, by_id=None, now=now, today=now.date())
        db.session.commit()


def _build(folder: str, queue) -> None:
    """In a fresh process, as the jobs process does: start (imports, app, the report renderer's
    warm-up), then build; then build again, as the next build in the same process."""
    started = time.perf_counter()
    import sqlalchemy as sa

    from campaign.core import clock
    from campaign.editions.models import Edition
    from campaign.extensions import db
    from campaign.monitoring import charts
    from campaign.reports import data, document, services

    app = _app(Path(folder))
    document.warm_up()  # what JobsProcess.run does before its first job
    ready = time.perf_counter()
    times = []
    with app.app_context():
        edition = db.session.scalar(sa.select(Edition).where(Edition.year == 2025))
        for _ in range(2):
            charts.bars.cache_clear()  # the next build draws its charts again, as after a change
            charts.lines.cache_clear()
            began = time.perf_counter()
            build = services.request_build(edition, by_id=None)
            services.run(build, now=clock.now(), media_root=Path(folder) / "media")
            db.session.commit()
            times.append(time.perf_counter() - began)
            if len(times) == 1:
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            gc.collect()  # as build_pending does once a build is recorded
        pages = build.pages
        annex_rows = len(data.gather(edition, now=clock.now(), today=clock.now().date()).annex)  # the workload
    queue.put(
        {
            "build_s": round(times[0], 2),  # what the team waits for: the jobs process is running
            "repeat_build_s": round(times[1], 2),  # the next build in the same process
            "startup_s": round(ready - started, 2),  # imports, app and warm-up, once per jobs process
            "peak_rss_mb": round(peak, 1),  # of the process, up to the end of its first build
            "pages": pages,
            "annex_rows": annex_rows,
        }
    )


def main() -> None:
    from machine import loop_seconds

    from campaign.reports import document

    speed = loop_seconds()

    with tempfile.TemporaryDirectory() as tmp:
        _prepare(Path(tmp))
        context = multiprocessing.get_context("spawn")  # a fresh process: its memory is the build's
        queue = context.Queue()
        child = context.Process(target=_build, args=(tmp, queue))
        child.start()
        result = queue.get(timeout=600)
        child.join()
    result["charts"] = len(document.CHART_NAMES)
    result["machine_loop_s"] = speed  # see benchmarks/machine.py: about 0.6 when the machine is not slowed
    print(json.dumps(result))


if __name__ == "__main__":
    main()
