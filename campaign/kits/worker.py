"""A pool of render worker processes. Each process keeps its own renderers (one WeasyPrint
FontConfiguration, decoded images, loaded fonts) for its whole life. Workers render and write
each file to its content-addressed path and send back only its size; the parent process
records the database rows, so workers never touch the database."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from campaign.kits.cards import FileSpec
from campaign.kits.render import render_and_store


def _warm_up() -> None:
    from campaign.kits import render_print, render_social  # noqa: F401 - loads fonts and templates once

    # What is loaded now lives as long as the process: keep it out of the garbage collector's
    # scans, which otherwise walk the fonts, templates and caches again during every render.
    gc.freeze()


def _render_group(group: list[tuple[int, FileSpec]]) -> list[tuple[int, int]]:
    return [(index, render_and_store(spec)[1]) for index, spec in group]


def _groups(specs: list[FileSpec]) -> Iterator[list[tuple[int, FileSpec]]]:
    """The tasks: each PDF on its own (tens of ms each, so a hero's two posters render side by side),
    and the images and captions of one card together, so that one worker decodes a hero's photo
    once and draws all its images from it."""
    group: list[tuple[int, FileSpec]] = []
    for index, spec in enumerate(specs):
        if spec.content_type == "application/pdf":
            yield [(index, spec)]
            continue
        if group and spec.card != group[-1][1].card:
            yield group
            group = []
        group.append((index, spec))
    if group:
        yield group


class Pool:
    """``pool(specs)`` renders and stores in the worker processes and yields (spec, size) as
    each file is written, in the order they finish."""

    def __init__(self, processes: int) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["campaign.kits.render"])
        self._pool = context.Pool(processes=processes, initializer=_warm_up)

    def __call__(self, specs: Iterable[FileSpec]) -> Iterator[tuple[FileSpec, int]]:
        specs = list(specs)  # the parent's own objects are handed back, found by index
        for done in self._pool.imap_unordered(_render_group, _groups(specs)):
            for index, size in done:
                yield specs[index], size

    def close(self) -> None:
        self._pool.close()
        self._pool.join()


@contextmanager
def pool(processes: int) -> Iterator[Pool]:
    workers = Pool(processes)
    try:
        yield workers
    finally:
        workers.close()
