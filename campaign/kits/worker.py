"""A pool of render worker processes. Each process keeps its own renderers (one WeasyPrint
FontConfiguration, decoded images, loaded fonts) for its whole life; the parent process
writes the files and the database rows, so workers never touch the database."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager

from campaign.kits.cards import FileSpec
from campaign.kits.render import render_pair


def _warm_up() -> None:
    from campaign.kits import render_print, render_social  # noqa: F401 - loads fonts and templates once


class Pool:
    """``pool(specs)`` renders in the worker processes and yields (spec, bytes) as they finish."""

    def __init__(self, processes: int) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["campaign.kits.render"])
        self._pool = context.Pool(processes=processes, initializer=_warm_up)

    def __call__(self, specs: list[FileSpec]) -> Iterator[tuple[FileSpec, bytes]]:
        if not specs:
            return iter(())
        return self._pool.imap_unordered(render_pair, specs, chunksize=4)

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
