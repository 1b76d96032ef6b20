"""Who runs the schedules: one jobs process, the leader.

On PostgreSQL, leadership is a session-level advisory lock held on a connection of its own:
when the leader dies, its connection closes, the lock is free, and the next process that asks
(every ``JOBS_LEADER_POLL`` seconds) takes over. On SQLite one jobs process is expected: it
holds an exclusive lock on a file next to the database, and a second process refuses to start.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

LOCK_KEY = 7_311_202_518  # pg_advisory_lock key of the campaign's jobs leader


class AnotherJobsProcess(RuntimeError):
    """A second jobs process on SQLite."""


class Leadership:
    """``poll()`` tries to become (or checks it still is) the leader; ``is_leader`` tells."""

    def __init__(self, engine: Engine, *, lock_file: Path) -> None:
        self.engine = engine
        self.is_leader = False
        self._connection = None
        self._file = None
        self.postgres = engine.dialect.name == "postgresql"
        if not self.postgres:
            self._take_file_lock(lock_file)

    def _take_file_lock(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise AnotherJobsProcess(
                f"Er draait al een jobs-proces voor deze SQLite-databank (proces {holder}). Met SQLite "
                f"draait er maar één; gebruik PostgreSQL om er meer te laten draaien. / A jobs process "
                f"already runs for this SQLite database (process {holder}); on SQLite only one may run, "
                f"use PostgreSQL to run several. Lock file: {path}"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        self.is_leader = True

    def poll(self) -> bool:
        """Become the leader if the lock is free; check that a leader still holds it."""
        if not self.postgres:
            return self.is_leader
        try:
            if self._connection is None:
                self._connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if self.is_leader:
                self._connection.execute(sa.text("SELECT 1"))
            else:
                self.is_leader = bool(
                    self._connection.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar()
                )
        except sa.exc.DBAPIError:
            self._drop_connection()
        return self.is_leader

    def _drop_connection(self) -> None:
        self.is_leader = False
        if self._connection is not None:
            try:
                self._connection.invalidate()
                self._connection.close()
            except sa.exc.DBAPIError:
                pass
            self._connection = None

    def release(self) -> None:
        if self._connection is not None:
            try:
                if self.is_leader:
                    self._connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                self._connection.close()
            except sa.exc.DBAPIError:
                pass
            self._connection = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self.is_leader = False
