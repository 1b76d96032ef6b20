"""Kit jobs: build an edition's kits (the CLI), and work through render requests.
Jobs take ids and years, not ORM objects, and commit per unit of work."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from campaign.core import clock, media
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.kits import services, worker
from campaign.reference.models import Municipality
from campaign.registrations.models import Registration, RegistrationStatus
from campaign.registrations.services import local_date


def _renderer(processes: int):
    return worker.pool(processes, media_root=str(current_app.config["MEDIA_ROOT"])) if processes > 0 else _InProcess()


class _InProcess:
    def __enter__(self):
        return services.in_process

    def __exit__(self, *exc: object) -> None:
        return None


def build_edition(year: int, *, nis_code: str | None = None, out_dir: str | None = None, processes: int = 2) -> dict:
    """Bring every kit of the edition (or one municipality's) up to date. Raises EditionNotFound."""
    started = time.perf_counter()
    edition = edition_services.get_by_year(year)
    media_root = current_app.config["MEDIA_ROOT"]
    today = local_date(clock.now())
    stmt = (
        sa.select(Registration.id)
        .join(Municipality, Municipality.id == Registration.municipality_id)
        .where(Registration.edition_id == edition.id, Registration.status == RegistrationStatus.ACTIVE)
        .order_by(Municipality.name_nl)
    )
    if nis_code:
        stmt = stmt.where(Municipality.nis_code == nis_code)
    ids = list(db.session.scalars(stmt))
    with _renderer(processes) as renderer:
        summary = services.bring_all_up_to_date(
            [db.session.get(Registration, registration_id) for registration_id in ids],
            today=today,
            media_root=media_root,
            renderer=renderer,
        )
        worker_rss = getattr(renderer, "peak_rss_mb", None)
    if out_dir:
        for registration_id in ids:
            _export(
                db.session.get(Registration, registration_id), today=today, media_root=media_root, out_dir=Path(out_dir)
            )
    return {
        "municipalities": len(ids),
        "files_rendered": summary.rendered,
        "files_cached": summary.cached,
        "files_removed": summary.removed,
        "seconds": round(time.perf_counter() - started, 2),
        **({"worker_peak_rss_mb": round(worker_rss, 1)} if worker_rss else {}),
    }


def _export(registration: Registration, *, today, media_root: str, out_dir: Path) -> None:
    kit = services.state(registration, today=today, media_root=media_root)
    name = services.zip_name(registration)
    for spec in kit.planned:
        kit_file = kit.ready.get(spec.slot)
        if kit_file is not None:
            media.write_atomic(
                out_dir, f"{name}/{spec.filename}", media.resolve(media_root, kit_file.path).read_bytes()
            )
    media.write_atomic(out_dir, f"{name}.zip", services.build_zip(registration, kit, media_root=media_root))


def work(*, once: bool, processes: int, interval: float, echo: Callable[[str], None]) -> None:
    """Carry out pending render requests; with ``once``, stop when none is left."""
    media_root = current_app.config["MEDIA_ROOT"]
    with _renderer(processes) as renderer:
        while True:
            request_id = services.claim_request(now=clock.now())
            if request_id is None:
                if once:
                    return
                time.sleep(interval)
                continue
            summary = services.run_request(
                request_id, today=local_date(clock.now()), media_root=media_root, renderer=renderer
            )
            echo(f"render request {request_id}: {summary}")
