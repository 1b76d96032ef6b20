"""Kit services: render requests, the cached files, the ZIP, downloads and consent.

A renderer renders and stores each file at its content-addressed path (``FileSpec.storage_path``)
and yields (spec, size); the services record the rows. Services flush; `run_request` commits once
per rendered file, so that progress shows, and `bring_all_up_to_date` commits in batches. A crash
loses at most the files being rendered (written atomically, so never half a file); a file written
before it is found again by its key and not rendered again.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from campaign.accounts.models import User
from campaign.core import media
from campaign.core.db import utcnow
from campaign.extensions import db
from campaign.heroes import services as hero_services
from campaign.heroes.models import Hero
from campaign.kits.cards import FileSpec
from campaign.kits.models import KitDownload, KitFile, RenderRequest, RenderStatus
from campaign.kits.plan import plan_kit, slug
from campaign.kits.render import render_and_store
from campaign.registrations.models import Registration

# A renderer reads the specs as it goes (in the caller's thread), so they may come from a generator.
Renderer = Callable[[Iterable[FileSpec]], Iterable[tuple[FileSpec, int]]]
STALE_AFTER = timedelta(minutes=15)
COMMIT_EVERY = 200  # rows recorded between commits when many kits are built at once


def in_process(specs: Iterable[FileSpec]) -> Iterator[tuple[FileSpec, int]]:
    """Render and store one after the other in this process (tests, small kits)."""
    return (render_and_store(spec) for spec in specs)


@dataclass(frozen=True)
class KitState:
    """What the officer sees: the planned files, which are ready, and the latest request."""

    planned: list[FileSpec]
    ready: dict[str, KitFile]  # by slot, only files whose key matches the plan
    request: RenderRequest | None

    @property
    def ready_count(self) -> int:
        return len(self.ready)

    @property
    def complete(self) -> bool:
        return bool(self.planned) and len(self.ready) == len(self.planned)

    @property
    def zip_etag(self) -> str:
        return media.sha256_hex("|".join(sorted(f.cache_key for f in self.ready.values())).encode())[:32]


def plan(registration: Registration, *, today: date, media_root: Path | str) -> list[FileSpec]:
    return plan_kit(registration, hero_services.heroes_of(registration), today=today, media_root=Path(media_root))


def _files(registration: Registration) -> dict[str, KitFile]:
    return {f.slot: f for f in db.session.scalars(sa.select(KitFile).where(KitFile.registration_id == registration.id))}


def state(registration: Registration, *, today: date, media_root: Path | str) -> KitState:
    planned = plan(registration, today=today, media_root=media_root)
    files = _files(registration)
    ready = {
        spec.slot: files[spec.slot]
        for spec in planned
        if spec.slot in files
        and files[spec.slot].cache_key == spec.key
        and media.resolve(media_root, files[spec.slot].path).is_file()
    }
    latest = db.session.scalar(
        sa.select(RenderRequest)
        .where(RenderRequest.registration_id == registration.id)
        .order_by(RenderRequest.id.desc())
        .limit(1)
    )
    return KitState(planned=planned, ready=ready, request=latest)


def ready_file(
    registration: Registration, file_id: int, *, today: date, media_root: Path | str
) -> tuple[KitFile, FileSpec] | None:
    """One ready file of the kit with its spec, if the current plan (and so the current
    consent) still holds it unchanged; None otherwise."""
    kit_file = db.session.get(KitFile, file_id)
    if kit_file is None or kit_file.registration_id != registration.id:
        return None
    spec = next((s for s in plan(registration, today=today, media_root=media_root) if s.slot == kit_file.slot), None)
    if spec is None or spec.key != kit_file.cache_key or not media.resolve(media_root, kit_file.path).is_file():
        return None
    return kit_file, spec


def request_render(registration: Registration, *, by: User | None, now: datetime | None = None) -> RenderRequest:
    """Record that the kit must be brought up to date; a pending request is reused. A request
    that has been running for longer than STALE_AFTER lost its worker: it is marked failed."""
    now = now or utcnow()
    pending = db.session.scalar(
        sa.select(RenderRequest).where(
            RenderRequest.registration_id == registration.id,
            RenderRequest.status.in_([RenderStatus.PENDING, RenderStatus.RUNNING]),
        )
    )
    stale = (
        pending is not None
        and pending.status == RenderStatus.RUNNING
        and pending.started_at is not None
        and now - pending.started_at > STALE_AFTER
    )
    if stale:  # a kit takes seconds, not minutes: its worker died
        pending.status = RenderStatus.FAILED
        pending.error = "the render worker stopped before it finished"
        pending.finished_at = now
    elif pending is not None:
        return pending
    request = RenderRequest(registration=registration, requested_by_id=by.id if by else None, requested_at=now)
    db.session.add(request)
    db.session.flush()
    return request


def _unlink_unused(media_root: Path | str, paths: Iterable[str]) -> None:
    for path in set(paths):
        still_used = db.session.scalar(sa.select(KitFile.id).where(KitFile.path == path).limit(1))
        if still_used is None:
            media.resolve(media_root, path).unlink(missing_ok=True)


@dataclass(frozen=True)
class RenderSummary:
    rendered: int
    cached: int
    removed: int


@dataclass
class _Work:
    """One kit's reconciliation: the files to render, and what was kept or removed."""

    registration: Registration
    registration_id: int  # read once: the registration expires at every commit
    files: dict[str, KitFile]
    todo: list[FileSpec]
    total: int
    cached: int
    removed: int


def _reconcile(registration: Registration, *, today: date, media_root: Path | str) -> _Work:
    """Remove the files the plan no longer holds; keep those whose key still matches; record
    files whose content already exists for another slot or kit; the rest is to be rendered."""
    planned = plan(registration, today=today, media_root=media_root)
    files = _files(registration)
    wanted = {spec.slot for spec in planned}
    stale = [f for slot, f in files.items() if slot not in wanted]
    for kit_file in stale:
        db.session.delete(kit_file)
    db.session.flush()
    _unlink_unused(media_root, [f.path for f in stale])

    todo = []
    cached = 0
    for spec in planned:
        current = files.get(spec.slot)
        target = media.resolve(media_root, spec.storage_path)
        if current is not None and current.cache_key == spec.key and media.resolve(media_root, current.path).is_file():
            cached += 1
        elif target.is_file():  # the same file exists for another slot or kit
            files[spec.slot] = _record(registration, spec, target.stat().st_size, current)
            cached += 1
        else:
            todo.append(spec)
    return _Work(registration, registration.id, files, todo, total=len(planned), cached=cached, removed=len(stale))


def bring_up_to_date(
    registration: Registration,
    *,
    today: date,
    media_root: Path | str,
    renderer: Renderer = in_process,
    progress: RenderRequest | None = None,
) -> RenderSummary:
    """Render what changed, keep what did not, remove what is no longer allowed or planned."""
    work = _reconcile(registration, today=today, media_root=media_root)
    if progress is not None:
        progress.total = work.total
        progress.done = work.cached
        db.session.commit()

    rendered = 0
    for spec, size in renderer(work.todo):
        work.files[spec.slot] = _record(registration, spec, size, work.files.get(spec.slot))
        rendered += 1
        if progress is not None:  # the officer watches: show every file as it is ready
            progress.done += 1
            progress.rendered += 1
            db.session.commit()
    db.session.commit()
    return RenderSummary(rendered=rendered, cached=work.cached, removed=work.removed)


def bring_all_up_to_date(
    registrations: Iterable[Registration], *, today: date, media_root: Path | str, renderer: Renderer = in_process
) -> RenderSummary:
    """``bring_up_to_date`` for many kits at once: every file to render goes to the renderer in one
    stream, so that a pool of workers never waits for one kit to finish before the next starts. The
    kits are planned as the renderer reads that stream: workers render the first kit's files while
    the next kits are planned (planning 285 kits takes seconds)."""
    works: list[_Work] = []
    # Files with the same key have the same content (the profile frame of every kit, say):
    # render each key once and record it for every slot that wants it.
    waiting: dict[str, list[tuple[_Work, FileSpec]]] = {}

    def to_render() -> Iterator[FileSpec]:
        for registration in registrations:
            work = _reconcile(registration, today=today, media_root=media_root)
            works.append(work)
            for spec in work.todo:
                if spec.key in waiting:
                    waiting[spec.key].append((work, spec))
                else:
                    waiting[spec.key] = [(work, spec)]
                    yield spec
        db.session.commit()

    rendered = shared = 0
    new_rows: list[dict] = []  # files a kit did not have yet: inserted in batches, without the ORM
    for spec, size in renderer(to_render()):
        rendered += 1
        shared += len(waiting[spec.key]) - 1
        for work, wanted in waiting[spec.key]:
            current = work.files.get(wanted.slot)
            if current is not None:
                _record(work.registration, wanted, size, current)
            else:
                new_rows.append(_row(work.registration_id, wanted, size))
            if len(new_rows) >= COMMIT_EVERY:
                db.session.execute(sa.insert(KitFile), new_rows)
                db.session.commit()
                new_rows = []
    if new_rows:
        db.session.execute(sa.insert(KitFile), new_rows)
    db.session.commit()
    cached = sum(w.cached for w in works) + shared
    return RenderSummary(rendered=rendered, cached=cached, removed=sum(w.removed for w in works))


def _row(registration_id: int, spec: FileSpec, size: int) -> dict:
    return {
        "registration_id": registration_id,
        "hero_id": spec.hero_id,
        "slot": spec.slot,
        "kind": spec.kind,
        "cache_key": spec.key,
        "path": spec.storage_path,
        "content_type": spec.content_type,
        "size": size,
        "rendered_at": utcnow(),
    }


def _record(registration: Registration, spec: FileSpec, size: int, current: KitFile | None) -> KitFile:
    kit_file = current or KitFile(registration=registration, slot=spec.slot)
    kit_file.hero_id = spec.hero_id
    kit_file.kind = spec.kind
    kit_file.cache_key = spec.key
    kit_file.path = spec.storage_path
    kit_file.content_type = spec.content_type
    kit_file.size = size
    kit_file.rendered_at = utcnow()
    db.session.add(kit_file)
    return kit_file


def claim_request(*, now: datetime | None = None, worker: str | None = None) -> int | None:
    """Take the oldest pending render request for this process: marked running (by ``worker``)
    and committed, so no other process takes it (``FOR UPDATE SKIP LOCKED`` on PostgreSQL).
    Returns its id."""
    request = db.session.scalar(
        sa.select(RenderRequest)
        .where(RenderRequest.status == RenderStatus.PENDING)
        .order_by(RenderRequest.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if request is None:
        db.session.rollback()
        return None
    request.status = RenderStatus.RUNNING
    request.started_at = now or utcnow()
    request.worker = worker
    db.session.commit()
    return request.id


def requeue_abandoned(alive: set[str]) -> list[int]:
    """Put back in the queue the running requests whose jobs process is gone (not in ``alive``,
    the processes with a fresh heartbeat): it died mid-render. The files it finished stay, each
    complete (written atomically, recorded after it exists); the rest are rendered again."""
    stmt = sa.select(RenderRequest).where(
        RenderRequest.status == RenderStatus.RUNNING, RenderRequest.worker.is_not(None)
    )
    if alive:
        stmt = stmt.where(RenderRequest.worker.not_in(alive))
    requeued = []
    for request in db.session.scalars(stmt.with_for_update(skip_locked=True)):
        request.status, request.worker, request.started_at = RenderStatus.PENDING, None, None
        requeued.append(request.id)
    db.session.commit()
    return requeued


def run_request(
    request_id: int,
    *,
    today: date,
    media_root: Path | str,
    renderer: Renderer = in_process,
    now: datetime | None = None,
) -> RenderSummary | None:
    """Carry out one render request. A failure is stored on the request, not raised."""
    request = db.session.get(RenderRequest, request_id)
    if request is None or request.status not in (RenderStatus.PENDING, RenderStatus.RUNNING):
        return None
    request.status = RenderStatus.RUNNING
    request.started_at = now or utcnow()
    db.session.commit()
    try:
        summary = bring_up_to_date(
            request.registration, today=today, media_root=media_root, renderer=renderer, progress=request
        )
    except Exception as error:
        db.session.rollback()
        request = db.session.get(RenderRequest, request_id)
        request.status = RenderStatus.FAILED
        request.error = f"{type(error).__name__}: {error}"
        request.finished_at = utcnow()
        db.session.commit()
        return None
    request.status = RenderStatus.DONE
    request.finished_at = utcnow()
    db.session.commit()
    return summary


def run_pending(*, today: date, media_root: Path | str, renderer: Renderer = in_process, limit: int = 100) -> int:
    """The small in-process runner: carry out pending requests, oldest first."""
    ids = list(
        db.session.scalars(
            sa.select(RenderRequest.id)
            .where(RenderRequest.status == RenderStatus.PENDING)
            .order_by(RenderRequest.id)
            .limit(limit)
        )
    )
    for request_id in ids:
        run_request(request_id, today=today, media_root=media_root, renderer=renderer)
    return len(ids)


def zip_name(registration: Registration) -> str:
    return f"Kit {slug(registration.municipality.name_nl)} {registration.edition.year}"


README_TEXT = """Campagnekit {municipality} – {title}

Helden/          per held: heldenaffiches A3 en A4 (drukklaar, met 3 mm afloop en snijtekens)
                 en beelden voor sociale media, elk met een tekstbestand: de tekst bij het
                 bericht en een alternatieve tekst voor de afbeelding.
Gemeente/        de affiche "Wij doen mee" (A3 en A4), een e-mailbanner en een profielkader.

Alleen bestanden waarvoor de held toestemming gaf, zitten in deze kit.
Vragen? Mail het campagneteam.
"""


def build_zip(registration: Registration, kit: KitState, *, media_root: Path | str) -> bytes:
    """The ZIP of the ready files, in folders a person understands. Only files that the
    current plan (and so the current consent) still holds are included."""
    root = zip_name(registration)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            f"{root}/LEESMIJ.txt",
            README_TEXT.format(municipality=registration.municipality.name_nl, title=registration.edition.title),
        )
        for spec in kit.planned:
            kit_file = kit.ready.get(spec.slot)
            if kit_file is None:
                continue
            data = media.resolve(media_root, kit_file.path).read_bytes()
            compress = zipfile.ZIP_STORED if spec.content_type in ("image/jpeg", "image/png") else zipfile.ZIP_DEFLATED
            archive.writestr(
                zipfile.ZipInfo(f"{root}/{spec.filename}", date_time=(2025, 1, 1, 0, 0, 0)),
                data,
                compress_type=compress,
            )
    return buffer.getvalue()


def record_download(
    registration: Registration, *, by: User | None, kind: str = "zip", now: datetime | None = None
) -> KitDownload:
    download = KitDownload(registration=registration, user=by, kind=kind, downloaded_at=now or utcnow())
    db.session.add(download)
    db.session.flush()
    return download


def first_download(registration: Registration) -> datetime | None:
    return db.session.scalar(
        sa.select(sa.func.min(KitDownload.downloaded_at)).where(KitDownload.registration_id == registration.id)
    )


def drop_files_of(hero: Hero, *, today: date, media_root: Path | str) -> int:
    """Remove the hero's kit files that the current consent no longer allows."""
    allowed = {spec.slot for spec in plan_kit(hero.registration, [hero], today=today, media_root=Path(media_root))}
    files = list(db.session.scalars(sa.select(KitFile).where(KitFile.hero_id == hero.id)))
    gone = [f for f in files if f.slot not in allowed]
    for kit_file in gone:
        db.session.delete(kit_file)
    db.session.flush()
    _unlink_unused(media_root, [f.path for f in gone])
    return len(gone)
