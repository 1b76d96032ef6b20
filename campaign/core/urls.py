from __future__ import annotations

from flask import url_for


def safe_next(target: str | None, default_endpoint: str = "site.index") -> str:
    """Follow only local paths after a form (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for(default_endpoint)
