"""Rendered parts of the monitoring pages and the exports, reused while their data is unchanged.

A fragment is keyed by everything it depends on: the page and its filters, the language, the
day (consent expires and the timeline moves with it) and ``data_version``, one cheap query
over what changes whenever a figure can change. Every create, change or delete of a
registration, action, hero, consent, user or edition writes an audit entry (``core.audit``),
so the newest audit entry's id moves with all of them; kit downloads and snapshots, which are
not audited, are counted as well. The cache lives in each process and holds at most
``MAX_FRAGMENTS`` fragments, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import sqlalchemy as sa

from campaign.core.audit import AuditEntry
from campaign.extensions import db
from campaign.kits.models import KitDownload
from campaign.monitoring.models import DailySnapshot

MAX_FRAGMENTS = 64  # an export of all actions as JSON is about 200 kB
T = TypeVar("T", str, bytes)

_fragments: OrderedDict[Hashable, str | bytes] = OrderedDict()
_lock = threading.Lock()


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
    """The fragment for the key that ``key_of`` gives now, built once. After a build the key is
    asked again and the fragment kept under it: building may itself change the data (the
    dashboard records today's snapshot), and the next request sees that new version."""
    key = key_of()
    with _lock:
        if key in _fragments:
            _fragments.move_to_end(key)
            return _fragments[key]
    text = build()
    key = key_of()
    with _lock:
        _fragments[key] = text
        while len(_fragments) > MAX_FRAGMENTS:
            _fragments.popitem(last=False)
    return text


def clear() -> None:
    with _lock:
        _fragments.clear()
