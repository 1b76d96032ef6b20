"""Team page benchmark. Prints one JSON object with p50 and p95 per page, in milliseconds.

    python benchmarks/pages.py [--quick] [--database-url URL]

Without --database-url it starts a throwaway PostgreSQL 15 on 127.0.0.1 (as scripts/test.sh
does; as root it runs the server as the postgres user) and stops it at the end. It loads the
full demo data, logs in as the campaign team and requests every page with Flask's test client:
the dashboard, the participation map, the gap list and the exports. Each page is timed three
ways:

- ``p50_ms``/``p95_ms``: repeat views; the data did not change, so the process reuses the
  rendered page parts (campaign/monitoring/cache.py);
- ``changed_p50_ms``/``changed_p95_ms``: the first view after a change (an action's title edited
  and committed), once the jobs process has built the page ahead (``monitoring.views.refresh``,
  run here as the jobs process runs it, a few seconds after the change); the web process has
  not seen the page before;
- ``cold_p50_ms``/``cold_p95_ms``: the worst case, a first view with nothing built ahead (no jobs
  process, or the view comes before it caught up): every figure, chart and table computed in
  the request.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaign.actions.models import Action  # noqa: E402
from campaign.app import create_app  # noqa: E402
from campaign.core import clock  # noqa: E402
from campaign.core.db import analyze  # noqa: E402
from campaign.demo import seed as demo  # noqa: E402
from campaign.extensions import db  # noqa: E402
from campaign.monitoring import cache as monitoring_cache  # noqa: E402
from campaign.monitoring import charts  # noqa: E402
from campaign.monitoring import views as monitoring_views  # noqa: E402
from campaign.monitoring.models import PageFragment  # noqa: E402
from campaign.reference.services import load_reference  # noqa: E402

PAGES = {
    "dashboard": "/team/dashboard",
    "map": "/team/map",
    "gaps": "/team/gaps",
    "gaps_csv": "/team/gaps.csv",
    "export_registrations_csv": "/team/exports/registrations.csv",
    "export_actions_xlsx": "/team/exports/actions.xlsx",
    "export_actions_json": "/team/exports/actions.json",
    "export_heroes_xlsx": "/team/exports/heroes.xlsx",
    "export_municipalities_csv": "/team/exports/municipalities.csv",
    "export_sdgs_json": "/team/exports/sdgs.json",
}


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or max(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), default=None)
    if not found:
        raise SystemExit(f"PostgreSQL's {name} not found; pass --database-url")
    return found


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="campaign-bench-pg.")
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = f"{folder}/data"
    subprocess.run(
        [*as_pg, _pg_bin("initdb"), "-D", data, "-A", "trust", "-U", "campaign", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    subprocess.run(
        [*as_pg, _pg_bin("pg_ctl"), "-D", data, "-l", f"{folder}/log", "-w", "-o", options, "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://campaign@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_pg, _pg_bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def percentile(times: list[float], p: int) -> float:
    ordered = sorted(times)
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 1)


def measure(url: str | None, runs: int) -> dict:
    with contextlib.ExitStack() as stack:
        url = url or stack.enter_context(throwaway_postgres())
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        app = create_app(
            {
                "SECRET_KEY": "benchmark",
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "SQLALCHEMY_DATABASE_URI": url,
                "MEDIA_ROOT": str(tmp / "media"),
                "NOW": "2025-08-01T10:00:00+02:00",
                "MAIL_DELIVERY": "outbox",
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            load_reference()
            summary = demo.seed_demo(media_root=str(tmp / "media"))
            db.session.commit()
            analyze(db.session)  # as `flask seed demo` does
        client = app.test_client()
        response = client.post("/account/login", data={"email": "team@vvsg.example", "password": demo.DEMO_PASSWORD})
        assert response.status_code == 302, "the demo team account could not log in"
        results: dict[str, dict] = {}
        for name, path in PAGES.items():
            client.get(path)  # warm: the map geometry, the translations
            client.get(path)  # the dashboard's first view records today's snapshot, a change
            warm, cold = [], []
            for _ in range(runs):  # repeat views: the page's data did not change
                started = time.perf_counter()
                response = client.get(path)
                warm.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            for _ in range(runs):  # nothing built ahead: everything computed in the request
                _forget_everything(app)
                started = time.perf_counter()
                response = client.get(path)
                cold.append((time.perf_counter() - started) * 1000)
            results[name] = {
                "p50_ms": percentile(warm, 50),
                "p95_ms": percentile(warm, 95),
                "cold_p50_ms": percentile(cold, 50),
                "cold_p95_ms": percentile(cold, 95),
                "bytes": len(response.get_data()),
            }
        changed: dict[str, list[float]] = {name: [] for name in PAGES}
        for run in range(runs):  # a change, the jobs process's refresh, then each page's first view
            _change_and_refresh(app, run)
            for name, path in PAGES.items():
                monitoring_cache.clear()  # this web process has not seen the page since the change
                started = time.perf_counter()
                response = client.get(path)
                changed[name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, response.status_code)
        for name, times in changed.items():
            results[name]["changed_p50_ms"] = percentile(times, 50)
            results[name]["changed_p95_ms"] = percentile(times, 95)
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
        results["_demo"] = {
            "registrations": summary.registrations,
            "actions": summary.actions,
            "heroes": summary.heroes,
        }
        return results


def _forget_everything(app) -> None:
    monitoring_cache.clear()
    charts.bars.cache_clear()  # data that changed needs new charts as well
    charts.lines.cache_clear()
    with app.app_context():
        db.session.execute(sa.delete(PageFragment))
        db.session.commit()


def _change_and_refresh(app, run: int) -> None:
    with app.app_context():
        action = db.session.scalar(sa.select(Action).order_by(Action.id).limit(1))
        action.title = action.title.rstrip("!") + ("!" if run % 2 == 0 else "")
        db.session.commit()
        with app.test_request_context():
            monitoring_views.refresh(clock.now())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5 requests per page instead of 30")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    print(json.dumps(measure(args.database_url, 5 if args.quick else 30)))


if __name__ == "__main__":
    main()
