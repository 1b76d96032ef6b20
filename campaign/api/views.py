"""The open-data API, ``/api/v1``: read-only JSON, no login. See docs/api.md."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask.sansio.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException

from campaign.api import http, openapi, services
from campaign.api.params import InvalidParams
from campaign.api.ratelimit import TokenBuckets
from campaign.extensions import db

bp = Blueprint("api", __name__, url_prefix=http.PREFIX)


@bp.record_once
def _create_rate_limiter(state: BlueprintSetupState) -> None:
    state.app.extensions[http.RATE_LIMITER] = TokenBuckets()


@bp.before_app_request
def guard() -> Response | None:
    """Rate-limit API requests, and answer API addresses that match no route (an unknown path,
    a method other than GET, HEAD or OPTIONS) with problem details. Those errors come from
    routing, before any blueprint is known, so the blueprint's error handlers never see them."""
    if not http.is_api_path(request.path):
        return None
    limited = http.rate_limited()
    if limited is not None:
        return limited
    error = request.routing_exception
    if isinstance(error, HTTPException) and (error.code or 0) >= 400:
        return http.http_problem(error)
    return None


@bp.after_app_request
def finish(response: Response) -> Response:
    return http.finish(response) if http.is_api_path(request.path) else response


@bp.errorhandler(InvalidParams)
def invalid_params(error: InvalidParams) -> Response:
    return http.invalid_params(error)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response | HTTPException:
    return http.http_problem(error) if error.code and error.code >= 400 else error


@bp.errorhandler(500)
def server_error(error: Exception) -> Response:
    db.session.rollback()
    return http.problem(500, "Something went wrong on our side; it has been logged.")


@bp.get("/openapi.json")
def document() -> Response:
    http.no_query()
    return http.json_answer(openapi.document(), dated=False)


@bp.get("/municipalities")
def municipalities() -> Response:
    query = http.list_query("province")
    return http.list_answer(services.municipalities(query), query)


@bp.get("/municipalities/<nis_code>")
def municipality(nis_code: str) -> Response:
    http.no_query()
    return http.json_answer(services.municipality(nis_code) or abort(404))


@bp.get("/editions")
def editions() -> Response:
    query = http.list_query()
    return http.list_answer(services.editions(query), query)


@bp.get("/editions/<int:year>")
def edition(year: int) -> Response:
    http.no_query()
    return http.json_answer(services.edition(year) or abort(404))


@bp.get("/editions/<int:year>/statistics")
def statistics(year: int) -> Response:
    http.no_query()
    return http.json_answer(services.statistics(year, today=http.today()) or abort(404))


@bp.get("/registrations")
def registrations() -> Response:
    query = http.list_query("edition", "province", "municipality")
    return http.list_answer(services.registrations(query), query)


@bp.get("/registrations/<int:registration_id>")
def registration(registration_id: int) -> Response:
    http.no_query()
    return http.json_answer(services.registration(registration_id) or abort(404))


@bp.get("/actions")
def actions() -> Response:
    query = http.list_query("edition", "province", "municipality", "sdg")
    return http.list_answer(services.actions(query, media_url=http.media_url), query)


@bp.get("/actions/<int:action_id>")
def action(action_id: int) -> Response:
    http.no_query()
    return http.json_answer(services.action(action_id, media_url=http.media_url) or abort(404))


# Heroes are personal data: caches must ask again every time (no-cache), so that withdrawn or
# expired consent takes effect at once; the ETag keeps asking cheap.


@bp.get("/heroes")
def heroes() -> Response:
    query = http.list_query("edition", "province", "municipality", "sdg")
    page = services.heroes(query, today=http.today(), media_url=http.media_url)
    return http.list_answer(page, query, fresh_for=0)


@bp.get("/heroes/<int:hero_id>")
def hero(hero_id: int) -> Response:
    http.no_query()
    found = services.hero(hero_id, today=http.today(), media_url=http.media_url)
    return http.json_answer(found or abort(404), fresh_for=0)
