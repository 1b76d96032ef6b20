"""Rendered parts of the monitoring pages and the exports, reused while their data is unchanged.

A fragment is keyed by everything it depends on: the page and its filters, the language, the
day (consent expires and the timeline moves with it) and ``data_version``, one cheap query
over what changes whenever a figure can change. Every create, change or delete of a
registration, action, hero, consent, user or edition writes an audit entry (``core.audit``),
so the newest audit entry's id moves with all of them; kit downloads and snapshots, which are
not audited, are counted as well.

Two tiers. Each process keeps the fragments it used in memory, at most ``MAX_FRAGMENTS``, least
recently used first out. Behind that, the database holds the fragments the jobs process built
ahead (``page_fragment``; ``monitoring.views.refresh`` runs a few seconds after each change), so
the first view after a change is a lookup too, in every web process. A fragment neither tier
has is built in the request, as before.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from campaign.core.audit import AuditEntry
from campaign.extensions import db
from campaign.kits.models import KitDownload
from campaign.monitoring.models import DailySnapshot, PageFragment

MAX_FRAGMENTS = 64  # an export of all actions as JSON is about 200 kB
SHARED_KEPT = timedelta(minutes=10)  # superseded shared fragments: a request may still be reading one
T = TypeVar("T", str, bytes)

_fragments: OrderedDict[Hashable, str | bytes] = OrderedDict()
_lock = threading.Lock()
_refreshed: dict[str, Hashable] = {}  # what this process last built ahead for (see monitoring.views.refresh)


def data_version() -> tuple:
    """What changes whenever a figure on a monitoring page can change (one query)."""
    return tuple(
        db.session.execute(
            sa.select(
                sa.select(sa.func.max(AuditEntry.id)).scalar_subquery(),
                sa.select(sa.func.count(KitDownload.id)).scalar_subquery(),
                sa.select(sa.func.count(DailySnapshot.id)).scalar_subquery(),
                sa.select(sa.func.max(DailySnapshot.taken_at)).scalar_subquery(),
            )
        ).one()
    )


def fragment(key_of: Callable[[], Hashable], build: Callable[[], T]) -> T:
    """The fragment for the key that ``key_of`` gives now: from memory, else as the jobs process
    built it, else built here, and kept under that key. What is built reflects the data as of
    that key or later (a commit by another process during the build), so it is never kept
    under a key it is older than; and a key that moved on is never asked again. A build that
    changes the data itself (the dashboard records today's snapshot) is therefore built once
    more by the next request, from the data as it is then."""
    key = key_of()
    with _lock:
        if key in _fragments:
            _fragments.move_to_end(key)
            return _fragments[key]
    text = shared(key)
    if text is None:
        text = build()
    _remember(key, text)
    return text


def _remember(key: Hashable, text: str | bytes) -> None:
    with _lock:
        _fragments[key] = text
        _fragments.move_to_end(key)
        while len(_fragments) > MAX_FRAGMENTS:
            _fragments.popitem(last=False)


@cache
def code_version() -> str:
    """A digest of the package's code, templates and translations: a shared fragment made by
    an earlier release is never served by a later one (the database outlives deploys)."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".mo", ".css", ".json") and path.is_file():
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def digest(key: Hashable) -> str:
    """The shared tier's name for ``key`` (its parts are ids, strings, dates and tuples)."""
    return hashlib.sha256(f"{code_version()} {key!r}".encode()).hexdigest()


def shared(key: Hashable):
    """The fragment the jobs process built for ``key``, or None."""
    row = db.session.execute(
        sa.select(PageFragment.body, PageFragment.is_text).where(PageFragment.key == digest(key))
    ).first()
    if row is None:
        return None
    return row.body.decode() if row.is_text else row.body


def publish(key: Hashable, text: str | bytes, *, now: datetime) -> str:
    """Share ``text`` under ``key`` with every process (the caller commits). Another process
    that published the same key first made the same fragment: its row stays."""
    name = digest(key)
    is_text = isinstance(text, str)
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(
        insert(PageFragment)
        .values(key=name, body=text.encode() if is_text else text, is_text=is_text, built_at=now)
        .on_conflict_do_nothing(index_elements=[PageFragment.key])
    )
    return name


def prune(keep: Iterable[str], *, now: datetime) -> int:
    """Delete the shared fragments other than ``keep`` built over SHARED_KEPT ago."""
    return db.session.execute(
        sa.delete(PageFragment).where(PageFragment.built_at < now - SHARED_KEPT, PageFragment.key.not_in(list(keep)))
    ).rowcount


def refreshed(state: Hashable) -> tuple[str, ...] | None:
    """The shared keys this process built ahead for ``state`` (data version, day, editions), or
    None when it did not."""
    return _refreshed.get("keys") if _refreshed.get("state") == state else None


def mark_refreshed(state: Hashable, keys: Iterable[str]) -> None:
    _refreshed["state"], _refreshed["keys"] = state, tuple(keys)


def forget_shared() -> int:
    """Delete every shared fragment (after personal data was erased; the caller commits)."""
    return db.session.execute(sa.delete(PageFragment)).rowcount


def clear() -> None:
    """Forget the fragments in this process's memory and what it built ahead for (the shared
    fragments are keyed by the data version, so they are never served for other data)."""
    with _lock:
        _fragments.clear()
        _refreshed.clear()
