"""Database helpers shared by every model: aware UTC times and a timestamp mixin."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored in UTC that always comes back timezone-aware.

    SQLite keeps no zone, so naive values read back are taken to be UTC.
    Naive values written are refused: they hide bugs.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_connect(dbapi_connection: object, connection_record: object) -> None:
    """On SQLite: enforce foreign keys as PostgreSQL does, and let SQLAlchemy (not the
    driver) open transactions, so that savepoints and rollbacks behave as documented. The
    write-ahead log lets the web server and the jobs process read while the other writes, and
    a writer waits up to 10 s for another instead of failing at once."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; "memory" for :memory:
        cursor.close()


@sa.event.listens_for(sa.Engine, "begin")
def _sqlite_begin(connection: sa.Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Alembic autogenerate: write UTCDateTime as the plain type it stores."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def analyze(session) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load (the demo data, say): without
    them it takes every table for empty and picks nested loops that cost tens of milliseconds.
    Autovacuum does the same later on its own; SQLite needs nothing."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE"))
        session.commit()
