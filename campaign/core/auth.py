"""Authorization in one place.

Roles are ordered: an admin can do what the campaign team can, the team can see every
municipality. An officer is bound to one municipality and reaches only its objects:
``owned_or_404`` is the single gate for objects that belong to a municipality.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from campaign.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")


class Role(enum.StrEnum):
    OFFICER = "officer"
    TEAM = "team"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.TEAM, Role.ADMIN})


def is_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.role in STAFF_ROLES)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Allow only logged-in, active users with one of ``roles``; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


team_required = role_required(Role.TEAM, Role.ADMIN)
admin_required = role_required(Role.ADMIN)
officer_required = role_required(Role.OFFICER)


def can_access_municipality(user: Any, municipality_id: int | None) -> bool:
    if is_staff(user):
        return True
    return bool(
        user
        and user.is_authenticated
        and user.role == Role.OFFICER
        and municipality_id is not None
        and user.municipality_id == municipality_id
    )


def owned_or_404(model: type[M], object_id: int) -> M:
    """Load ``model`` by id if the current user may reach it, else abort with 404.

    The object must expose ``municipality_id``. A 404 (not 403) keeps other
    municipalities' objects from being discovered by guessing ids.
    """
    obj = db.session.get(model, object_id)
    if obj is None or not can_access_municipality(current_user, obj.municipality_id):
        abort(404)
    return obj
