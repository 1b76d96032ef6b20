"""Home page, health check, language choice, error pages and response headers."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from campaign.accounts import services as account_services
from campaign.core import clock
from campaign.core.auth import is_staff
from campaign.core.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES
from campaign.core.urls import safe_next
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.registrations import services as registration_services
from campaign.site.forms import LanguageForm

bp = Blueprint("site", __name__)


@bp.app_context_processor
def inject_globals() -> dict[str, Any]:
    return {
        "current_locale": str(get_locale() or "nl"),
        "language_names": LANGUAGE_NAMES,
        "language_form": LanguageForm(),
        "is_staff": is_staff(current_user),
    }


@bp.after_app_request
def security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    )
    response.headers["Content-Language"] = str(get_locale() or "nl")
    return response


@bp.route("/")
def index() -> str:
    edition = edition_services.current_edition()
    context: dict[str, Any] = {"edition": edition}
    if edition is not None:
        context["registered_count"] = registration_services.count_active(edition)
    if current_user.is_authenticated and current_user.municipality_id and edition is not None:
        context["registration"] = registration_services.find(edition, current_user.municipality_id)
        context["registration_open"] = registration_services.registration_open(edition, now=clock.now())
    if is_staff(current_user):
        context["pending_count"] = len(account_services.pending_users())
    return render_template("site/index.html", **context)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as error:
        current_app.logger.error("health check failed: %s", error)
        return jsonify(status="error", database="unavailable", reason=type(error).__name__), 503
    return jsonify(status="ok", database="ok"), 200


@bp.route("/language", methods=["POST"])
def language() -> Response:
    form = LanguageForm()
    target = safe_next(request.form.get("next"))
    response = redirect(target)
    if form.validate_on_submit():
        code = form.language.data
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
        )
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    return response


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> tuple[str, int]:
    return render_template("site/error.html", code=400, kind="csrf"), 400


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
    if error.code is None or error.code < 400:
        return error
    return render_template("site/error.html", code=error.code, kind="http"), error.code


@bp.app_errorhandler(500)
def server_error(error: Exception) -> tuple[str, int]:
    db.session.rollback()
    return render_template("site/error.html", code=500, kind="http"), 500
