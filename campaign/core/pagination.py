"""Pagination of SQLAlchemy selects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from campaign.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def page_number(raw: Any) -> int:
    """A page number from a query string; anything odd is page 1."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 100_000 else 1


def paginate(statement: sa.Select, *, page: int, per_page: int = 20, scalars: bool = True) -> Page:
    """Run ``statement`` for one page. Pages past the end give the last page."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    limited = statement.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(limited)
    items = list(result.unique().scalars() if scalars else result.all())
    return Page(items=items, page=page, per_page=per_page, total=total)
