"""The audit log: who created, changed or deleted what, and when.

A model takes part by naming its type in ``__audit__`` (registration, action, hero, consent,
user, edition); its ``municipality_id`` (or that of the object it belongs to, such as a
consent's hero) files the entry under a municipality, and an action's title or an edition's
year labels it. Entries name people only by id, so the log keeps no personal data after a
hero or user is gone. Not seen: bulk ``UPDATE``/``DELETE`` statements and rows the database
deletes by ``ON DELETE CASCADE``; the services change audited rows one object at a time. After every flush
the session's new, changed and deleted objects of those models are written to ``audit_entry``
in the same transaction, so an entry exists exactly when the change does. The entry names the
changed fields, never their values: the log holds no more personal data than needed.

The actor is the logged-in user (through the provider the app sets), or whoever a command set
with ``set_actor``; None means the system.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from campaign.core.db import UTCDateTime, utcnow
from campaign.extensions import db

IGNORED = {"created_at", "updated_at", "last_login_at"}
LABELS = ("title", "year")  # an action's title, an edition's year: never a person's name or address
_actor: ContextVar[int | None] = ContextVar("audit_actor", default=None)
_provider: list[Callable[[], int | None]] = []


def set_actor(user_id: int | None) -> None:
    """The actor for this thread or task (a CLI command acting for a user, say)."""
    _actor.set(user_id)


def set_actor_provider(provider: Callable[[], int | None]) -> None:
    """How to find the actor when none was set: the app passes the logged-in user's id. Asked
    only when something audited is flushed."""
    _provider[:] = [provider]


def current_actor() -> int | None:
    actor = _actor.get()
    if actor is None and _provider:
        actor = _provider[0]()
    return actor


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(10))  # create, update, delete
    entity: Mapped[str] = mapped_column(sa.String(20), index=True)
    entity_id: Mapped[int | None]
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    fields: Mapped[str] = mapped_column(sa.String(500), default="")  # the changed fields, comma-separated

    user = sa.orm.relationship("User", foreign_keys=[user_id])
    municipality = sa.orm.relationship("Municipality")


def _changed_fields(obj: object) -> list[str]:
    state = sa.inspect(obj)
    fields = []
    for attr in state.mapper.column_attrs:
        if attr.key in IGNORED:
            continue
        if state.attrs[attr.key].history.has_changes():
            fields.append("password" if attr.key == "password_hash" else attr.key)
    for rel in state.mapper.relationships:
        if rel.uselist and state.attrs[rel.key].history.has_changes():
            fields.append(rel.key)  # collections such as a hero's SDGs or an action's SDG links
    return fields


def _municipality_id(obj: object) -> int | None:
    """The object's municipality, from a column or a relationship already in memory: a flush
    is no place to load more."""
    state = sa.inspect(obj)
    if "municipality_id" in state.mapper.column_attrs:
        return state.dict.get("municipality_id")
    for parent in state.mapper.relationships:
        owner = state.dict.get(parent.key)
        if owner is not None and not parent.uselist and "municipality_id" in sa.inspect(owner).dict:
            return sa.inspect(owner).dict["municipality_id"]  # a consent: its hero's municipality
    return None


def _row(obj: object, action: str, fields: list[str]) -> dict:
    label = next((getattr(obj, key) for key in LABELS if getattr(obj, key, None) not in (None, "")), "")
    return {
        "at": utcnow(),
        "user_id": current_actor(),
        "action": action,
        "entity": type(obj).__audit__,
        "entity_id": getattr(obj, "id", None),
        "municipality_id": _municipality_id(obj),
        "label": str(label)[:200],
        "fields": ", ".join(fields)[:500],
    }


@sa.event.listens_for(Session, "after_flush")
def _record(session: Session, context: object) -> None:
    rows = []
    for obj in session.new:
        if hasattr(type(obj), "__audit__"):
            rows.append(_row(obj, "create", []))
    for obj in session.dirty:
        if hasattr(type(obj), "__audit__") and session.is_modified(obj, include_collections=True):
            fields = _changed_fields(obj)
            if fields:
                rows.append(_row(obj, "update", fields))
    for obj in session.deleted:
        if hasattr(type(obj), "__audit__"):
            rows.append(_row(obj, "delete", []))
    if rows:
        session.connection().execute(sa.insert(AuditEntry.__table__), rows)
