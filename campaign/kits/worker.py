"""A pool of render worker processes. Each process keeps its own renderers (one WeasyPrint
FontConfiguration, decoded images, loaded fonts) for its whole life. Workers render and write
each file to its content-addressed path and send back only its size; the parent process
records the database rows, so workers never touch the database."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import queue
import resource
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from campaign.kits.cards import FileSpec, HeroCard, PosterSize, SdgBadge, SocialSize, Visual
from campaign.kits.render import render_and_store

_SAMPLE = HeroCard(
    name="Duurzame held",
    role="Vrijwilliger",
    quote="Samen één stap per dag.",
    municipality="Gemeente",
    sdgs=(SdgBadge(number=11, title="Duurzame steden en gemeenschappen", colour="#FD9D24"),),
    visual=Visual(),
)


def _warm_up(media_root: str | None) -> None:
    """Load fonts, templates and stylesheets once, by drawing a sample poster and image, so that
    a worker's first real file is as fast as the rest, whatever it is."""
    from campaign.kits import render_print, render_social

    if media_root:
        render_print.use_media_root(media_root)
    render_print.render_hero_poster(_SAMPLE, size=PosterSize.A3)
    render_social.render_hero_image(_SAMPLE, size=SocialSize.SQUARE)
    # What is loaded now lives as long as the process: keep it out of the garbage collector's
    # scans, which otherwise walk the fonts, templates and caches again during every render.
    gc.freeze()


def _render_group(group: list[tuple[int, FileSpec]]) -> tuple[list[tuple[int, int]], float]:
    """Render and store a group; returns (index, size) of each file and this worker's peak RSS in MB."""
    global _groups_done
    done = [(index, render_and_store(spec)[1]) for index, spec in group]
    _groups_done += 1
    if _groups_done % TRIM_EVERY == 0:
        _trim()
    return done, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


TRIM_EVERY = 16  # groups rendered between handing freed memory back to the system
_groups_done = 0
try:
    _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc
    _malloc_trim = None


def _trim() -> None:
    """Give the heap's free pages back: each social image allocates and frees megabytes of pixels,
    and glibc keeps the freed memory (some 40 MB of a worker's resident memory) unless asked."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def _groups(specs: Iterable[FileSpec]) -> Iterator[list[tuple[int, FileSpec]]]:
    """The tasks: the posters of one card together (its sizes share one layout, see
    ``render_print``), and the images and captions of one card together (one worker decodes a
    hero's photo once and draws all its images from it). ``plan`` lists a card's files one after
    the other."""
    group: list[tuple[int, FileSpec]] = []
    for index, spec in enumerate(specs):
        if group and (spec.card, _is_pdf(spec)) != (group[-1][1].card, _is_pdf(group[-1][1])):
            yield group
            group = []
        group.append((index, spec))
    if group:
        yield group


def _is_pdf(spec: FileSpec) -> bool:
    return spec.content_type == "application/pdf"


class Pool:
    """``pool(specs)`` renders and stores in the worker processes and yields (spec, size) as
    each file is written, in the order they finish."""

    def __init__(self, processes: int, *, media_root: str | None = None) -> None:
        self.peak_rss_mb = 0.0  # the largest peak resident memory a worker reported
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["campaign.kits.render"])
        self._pool = context.Pool(processes=processes, initializer=_warm_up, initargs=(media_root,))

    def __call__(self, specs: Iterable[FileSpec]) -> Iterator[tuple[FileSpec, int]]:
        """Hand every group of ``specs`` to the workers, reading ``specs`` here, in the caller's
        thread (a generator that plans kits with the caller's database session is fine), and
        workers start on the first group at once. Then yield each file as it is written."""
        finished: queue.SimpleQueue = queue.SimpleQueue()
        own: dict[int, FileSpec] = {}  # the caller's own spec objects are handed back, found by index
        submitted = 0
        for group in _groups(specs):
            own.update(group)
            self._pool.apply_async(_render_group, (group,), callback=finished.put, error_callback=finished.put)
            submitted += 1
        for _ in range(submitted):
            outcome = finished.get()
            if isinstance(outcome, BaseException):
                raise outcome
            done, peak_rss_mb = outcome
            self.peak_rss_mb = max(self.peak_rss_mb, peak_rss_mb)
            for index, size in done:
                yield own.pop(index), size

    def close(self) -> None:
        self._pool.close()
        self._pool.join()


@contextmanager
def pool(processes: int, *, media_root: str | None = None) -> Iterator[Pool]:
    """A pool of ``processes`` render workers that serve media from ``media_root`` (the app's
    MEDIA_ROOT; the files' own specs name it too, but a worker warmed up with it keeps its
    fonts and stylesheets)."""
    workers = Pool(processes, media_root=media_root)
    try:
        yield workers
    finally:
        workers.close()
