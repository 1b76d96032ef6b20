from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import request, url_for
from werkzeug.routing import IntegerConverter, Map


def safe_next(target: str | None, default_endpoint: str = "site.index") -> str:
    """Follow only local paths after a form: no other host, scheme or control characters."""
    if not target or any(ord(c) < 0x20 or c in "\\\x7f" for c in target):
        return url_for(default_endpoint)
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return url_for(default_endpoint)
    return urlunsplit(("", "", parts.path, parts.query, ""))


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` limited to what a database integer column holds, so that a huge id in
    a URL is a 404 instead of a database error."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def query_id(name: str) -> int | None:
    """A positive database id from the query string, or None for anything else (text, zero,
    or a number too large for an integer column)."""
    value = request.args.get(name, type=int)
    return value if value is not None and 1 <= value <= 2**31 - 1 else None
