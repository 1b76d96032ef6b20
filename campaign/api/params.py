"""Query parameters of the open-data API, checked strictly.

An API user who misspells a filter should hear so (400 with the parameter named), not get an
unfiltered list that looks right. Every number is bounded before it reaches the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from campaign.reference.services import PROVINCES

MAX_ID = 2**31 - 1  # what an integer column holds
MAX_PAGE = 100_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
FILTERS = ("edition", "province", "municipality", "sdg")


def province_slug(name_nl: str) -> str:
    return name_nl.lower()


# A province is named by its NIS code or by its Dutch name in lower case ("oost-vlaanderen").
PROVINCE_CODES = {nis: nis for nis in PROVINCES} | {province_slug(nl): nis for nis, (nl, _) in PROVINCES.items()}
_DIGITS = re.compile(r"[0-9]{1,10}")
_NIS = re.compile(r"[0-9]{5}")


class InvalidParams(ValueError):
    """One or more query parameters are unknown or malformed."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{p['name']}: {p['reason']}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ListQuery:
    """A list request: its page and its filters (None: not filtered)."""

    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    edition: int | None = None  # year
    province: str | None = None  # NIS code of the province
    municipality: str | None = None  # NIS code
    sdg: int | None = None

    def filters(self) -> dict[str, str | int]:
        """The filters in effect, as query parameters (for the next page's link)."""
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name) is not None}


def _whole_number(low: int, high: int) -> Callable[[str], int | None]:
    def read(value: str) -> int | None:
        if not _DIGITS.fullmatch(value):
            return None
        number = int(value)
        return number if low <= number <= high else None

    return read


# name → (reader returning None for a bad value, what a good value looks like)
_READERS: dict[str, tuple[Callable[[str], object], str]] = {
    "page": (_whole_number(1, MAX_PAGE), f"a whole number from 1 to {MAX_PAGE}"),
    "per_page": (_whole_number(1, MAX_PER_PAGE), f"a whole number from 1 to {MAX_PER_PAGE}"),
    "edition": (_whole_number(1, 9999), "a year, such as 2025"),
    "sdg": (_whole_number(1, 17), "an SDG number from 1 to 17"),
    "province": (
        lambda value: PROVINCE_CODES.get(value.lower()),
        "a province's NIS code or name: " + ", ".join(sorted(PROVINCE_CODES)),
    ),
    "municipality": (lambda value: value if _NIS.fullmatch(value) else None, "a municipality's five-digit NIS code"),
}


def parse(args: Mapping[str, Sequence[str]], *, allowed: Iterable[str] = ()) -> ListQuery:
    """The query of a request whose parameters are ``args`` (name → values), accepting only the
    names in ``allowed``. Raises InvalidParams naming every bad parameter."""
    allowed = set(allowed)
    problems: list[dict[str, str]] = []
    values: dict[str, object] = {}
    for name, given in args.items():
        if name not in allowed:
            problems.append({"name": name, "reason": "unknown parameter"})
            continue
        if len(given) != 1:
            problems.append({"name": name, "reason": "give this parameter once"})
            continue
        read, expected = _READERS[name]
        value = read(given[0])
        if value is None:
            problems.append({"name": name, "reason": "expected " + expected})
        else:
            values[name] = value
    if problems:
        raise InvalidParams(problems)
    return ListQuery(**values)  # type: ignore[arg-type]


def list_parameters(filters: Iterable[str]) -> tuple[str, ...]:
    """The parameters a list resource with ``filters`` accepts."""
    return ("page", "per_page", *filters)
