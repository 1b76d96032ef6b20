from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.routing import IntegerConverter, Map


def safe_next(target: str | None, default_endpoint: str = "site.index") -> str:
    """Follow only local paths after a form (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(default_endpoint)


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` limited to what a database integer column holds, so that a huge id in
    a URL is a 404 instead of a database error."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
