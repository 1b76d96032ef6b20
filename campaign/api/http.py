"""The HTTP side of the open-data API: problem details, caching validators, CORS and the rate
limit. The views stay a line or two each.

- Errors are problem details (RFC 9457), ``application/problem+json``.
- A data answer carries a strong ``ETag`` over its body, so a changed answer (a hero whose
  consent was withdrawn or expired this morning) never matches an old tag, and a
  ``Last-Modified`` from ``services.last_change``. ``If-None-Match`` wins over
  ``If-Modified-Since``, as RFC 9110 says.
- CORS allows any origin to read, without credentials; the API sets no cookies.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, quote_from_bytes

from flask import Response, current_app, g, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from campaign.api import services
from campaign.api.params import InvalidParams, ListQuery, list_parameters, parse
from campaign.api.ratelimit import Decision, TokenBuckets
from campaign.core import clock
from campaign.registrations.services import local_date

PREFIX = "/api/v1"
RATE_LIMITER = "campaign.api.ratelimit"  # key in app.extensions
INVALID_PARAMS = "tag:vvsg.be,2025:api/invalid-parameters"
RATE_LIMITED = "tag:vvsg.be,2025:api/rate-limited"
PROBLEM_JSON = "application/problem+json"
FRESH_FOR = 60  # seconds a client or shared cache may reuse an answer without asking again
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
EXPOSED_HEADERS = "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"


def is_api_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def today() -> date:
    """The day consent is checked against (Belgian time, the app's clock)."""
    return local_date(clock.now())


def _json(payload: Any) -> str:
    """Compact UTF-8 JSON, keys in the order the services give them."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def _this_request() -> str:
    """The path and query of this request as a valid URI reference: the query as sent, with
    what it should have percent-encoded (a stray %, spaces, other bytes) encoded."""
    stray_percent = re.sub(rb"%(?![0-9A-Fa-f]{2})", b"%25", request.query_string)
    query = quote_from_bytes(stray_percent, safe="=&%+")
    return quote(request.path, safe="/") + (f"?{query}" if query else "")


# Problems --------------------------------------------------------------------------------------


def problem(
    status: int,
    detail: str,
    *,
    kind: str = "about:blank",
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = {
        "type": kind,
        "title": title or HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": _this_request(),
        **extra,
    }
    response = Response(_json(body), status=status, mimetype=PROBLEM_JSON)
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(headers or {})
    return response


def http_problem(error: HTTPException) -> Response:
    """An HTTP error (404, 405, …) as problem details."""
    status = error.code or 500
    details = {
        404: "There is nothing at this address. The resources are listed in " + PREFIX + "/openapi.json.",
        405: "The open-data API is read-only: use GET or HEAD.",
    }
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return problem(status, details.get(status, error.description or ""), headers=headers)


def invalid_params(error: InvalidParams) -> Response:
    return problem(
        400,
        "Some query parameters are unknown or malformed; see invalid-params.",
        kind=INVALID_PARAMS,
        title="Invalid query parameters",
        **{"invalid-params": error.problems},
    )


# Queries ------------------------------------------------------------------------------------------


def list_query(*filters: str) -> ListQuery:
    """The request's list query, accepting page, per_page and ``filters``. Raises InvalidParams."""
    return parse(request.args.to_dict(flat=False), allowed=list_parameters(filters))


def no_query() -> None:
    """A single resource takes no parameters. Raises InvalidParams."""
    parse(request.args.to_dict(flat=False))


# Answers -------------------------------------------------------------------------------------------


def _not_modified(etag: str, last_modified: datetime | None) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    # A date after our clock is a client's mistake, not a validator we gave out.
    if last_modified is None or since is None or since > clock.now():
        return False
    return last_modified <= since


def json_answer(payload: Any, *, fresh_for: int = FRESH_FOR, dated: bool = True) -> Response:
    """``payload`` as JSON with its validators, or 304 when the client's copy is current.
    ``dated``: the payload is campaign data, whose Last-Modified ``services.last_change`` tells."""
    body = _json(payload).encode()
    etag = hashlib.sha256(body).hexdigest()[:32]
    last_modified = services.last_change(now=clock.now()) if dated else None
    if _not_modified(etag, last_modified):
        response = Response(status=304)
        del response.headers["Content-Type"]
    else:
        response = Response(body, mimetype="application/json")
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = f"public, max-age={fresh_for}" if fresh_for else "public, no-cache"
    return response


def list_answer(page: services.Page, query: ListQuery, *, fresh_for: int = FRESH_FOR) -> Response:
    following = None
    if page.has_next:
        following = url_for(
            request.endpoint or "", _external=True, **query.filters(), page=query.page + 1, per_page=query.per_page
        )
    return json_answer({"items": page.items, "next": following, "total": page.total}, fresh_for=fresh_for)


def media_url(upload_id: int, variant: str) -> str:
    return url_for("media.serve", upload_id=upload_id, variant=variant, _external=True)


# Around every API request ---------------------------------------------------------------------------


def rate_limited() -> Response | None:
    """A 429 answer when this client used up its requests (``API_RATE_LIMIT`` per minute; 0 or
    None switches the limit off). Preflight requests are free."""
    per_minute = current_app.config.get("API_RATE_LIMIT")
    if not per_minute or request.method == "OPTIONS":
        return None
    buckets: TokenBuckets = current_app.extensions[RATE_LIMITER]
    decision = buckets.take(request.remote_addr or "unknown", per_minute=int(per_minute), now=time.monotonic())
    g.api_rate = decision
    if decision.allowed:
        return None
    return problem(
        429,
        f"At most {decision.limit} requests a minute; try again in {decision.retry_after} s.",
        kind=RATE_LIMITED,
        title="Too many requests",
        headers={"Retry-After": str(decision.retry_after)},
    )


def finish(response: Response) -> Response:
    """CORS and rate-limit headers on every API answer, errors included."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    decision: Decision | None = g.get("api_rate")
    if decision is not None:
        response.headers["X-RateLimit-Limit"] = str(decision.limit)
        response.headers["X-RateLimit-Remaining"] = str(decision.remaining)
    return response
