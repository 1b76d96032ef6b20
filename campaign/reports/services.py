"""Building the policy report: the figures gathered once, then the PDF and the XLSX written to the
media folder and recorded as a ``ReportBuild`` (the archive). The team asks for a build on its
page; the jobs process carries it out (``build_pending``) and records its progress, so the page
can show it. ``flask report build`` runs the same steps at once."""

from __future__ import annotations

import gc
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from campaign.core import media
from campaign.core.db import utcnow
from campaign.editions.models import Edition
from campaign.editions.services import save_edition_texts
from campaign.extensions import db
from campaign.kits.print_layout import ASSET_ROOT
from campaign.registrations.services import local_date
from campaign.reports import data, document
from campaign.reports.models import BuildStatus, ReportBuild, ReportText

FOLDER = "reports"
DEFAULT_LOGO = ASSET_ROOT / "print" / "campaign-logo.png"


def save_texts(edition: Edition, **values: str) -> ReportText:
    return save_edition_texts(ReportText, edition, **values)


def request_build(edition: Edition, *, by_id: int | None) -> ReportBuild:
    build = ReportBuild(edition_id=edition.id, requested_by_id=by_id, step="In de wachtrij")
    db.session.add(build)
    db.session.flush()
    return build


def builds(edition: Edition) -> list[ReportBuild]:
    return list(
        db.session.scalars(
            sa.select(ReportBuild).where(ReportBuild.edition_id == edition.id).order_by(ReportBuild.id.desc())
        )
    )


def publish(build: ReportBuild) -> None:
    """Make ``build`` the edition's published version (only one is)."""
    db.session.execute(sa.update(ReportBuild).where(ReportBuild.edition_id == build.edition_id).values(published=False))
    build.published = True
    db.session.flush()


def _logo(edition: Edition, media_root: Path) -> Path:
    if edition.visual_logo is not None:
        path = media.resolve(media_root, edition.visual_logo.path)
        if path.is_file():
            return path
    return DEFAULT_LOGO


def run(build: ReportBuild, *, now: datetime, media_root: Path, progress=lambda build: None) -> ReportBuild:
    """Carry out ``build``: gather, render the PDF and the XLSX, store both. ``progress`` is
    called (after a commit where the caller wants one) at each step."""
    edition = db.session.get(Edition, build.edition_id)
    assert edition is not None

    def step(percent: int, label: str) -> None:
        build.progress, build.step = percent, label
        progress(build)

    build.status, build.started_at = BuildStatus.RUNNING, utcnow()
    step(5, "Cijfers verzamelen")
    report = data.gather(edition, now=now, today=local_date(now))
    step(35, "PDF opmaken")
    pdf, pages = document.render_pdf(report, media_root=media_root, logo_path=_logo(edition, media_root))
    step(85, "Gegevens voor Excel")
    xlsx = document.render_xlsx(report)
    stamp = f"{edition.year}-{now:%Y%m%d-%H%M%S}-{build.id}"
    build.pdf_path = f"{FOLDER}/beleidsrapport-{stamp}.pdf"
    build.xlsx_path = f"{FOLDER}/beleidsrapport-{stamp}.xlsx"
    media.write_atomic(media_root, build.pdf_path, pdf)
    media.write_atomic(media_root, build.xlsx_path, xlsx)
    build.pages = pages
    build.pdf_size = len(pdf)
    build.status, build.finished_at = BuildStatus.DONE, utcnow()
    step(100, "Klaar")
    return build


def claim_pending(*, worker: str) -> ReportBuild | None:
    """The oldest pending build, claimed for ``worker`` (``FOR UPDATE SKIP LOCKED``)."""
    build = db.session.scalar(
        sa.select(ReportBuild)
        .where(ReportBuild.status == BuildStatus.PENDING)
        .order_by(ReportBuild.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if build is not None:
        build.status, build.worker, build.step = BuildStatus.RUNNING, worker, "Gestart"
        db.session.commit()
    return build


def fail_abandoned(alive: set[str]) -> int:
    """Mark as failed the running builds of jobs processes that are gone (killed mid-build), so
    the team's page stops showing their progress; the team asks for a new build."""
    stale = list(
        db.session.scalars(
            sa.select(ReportBuild).where(
                ReportBuild.status == BuildStatus.RUNNING,
                ReportBuild.worker.is_not(None),
                ReportBuild.worker.not_in(alive or {""}),
            )
        )
    )
    for build in stale:
        build.status, build.finished_at = BuildStatus.FAILED, utcnow()
        build.error = "Het jobsproces stopte tijdens het opmaken; vraag een nieuwe versie."
    db.session.commit()
    return len(stale)


def build_pending(*, now: datetime, media_root: Path, worker: str) -> dict[str, int]:
    """The jobs process's task: every pending build, one after the other, with its progress
    committed at each step. A build that fails is marked failed with its error. Once a build is
    recorded (the team's page shows it done), the garbage of its layout is collected: the PDF is
    laid out with the collector paused (``document.render_pdf``)."""
    done = failed = 0
    while (build := claim_pending(worker=worker)) is not None:
        try:
            run(build, now=now, media_root=media_root, progress=lambda _: db.session.commit())
        except Exception as error:
            db.session.rollback()
            build = db.session.get(ReportBuild, build.id)
            build.status, build.error, build.finished_at = (
                BuildStatus.FAILED,
                f"{type(error).__name__}: {error}",
                utcnow(),
            )
            failed += 1
        else:
            done += 1
        db.session.commit()
        gc.collect()
    return {"built": done, "failed": failed}
