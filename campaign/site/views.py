"""Home page, health check, language choice, error pages and response headers."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from campaign.accounts import services as account_services
from campaign.core import clock
from campaign.core.auth import is_staff
from campaign.core.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES
from campaign.core.urls import safe_next
from campaign.editions import services as edition_services
from campaign.extensions import db
from campaign.reference.models import Municipality
from campaign.registrations import services as registration_services
from campaign.registrations.forms import FlagPhotoForm
from campaign.site.forms import LanguageForm
from campaign.stepplan import services as stepplan

bp = Blueprint("site", __name__)


@bp.app_context_processor
def inject_globals() -> dict[str, Any]:
    return {
        "current_locale": str(get_locale() or "nl"),
        "language_names": LANGUAGE_NAMES,
        "language_form": LanguageForm(),
        "is_staff": is_staff(current_user),
        "csrf_field": csrf_field,
    }


def csrf_field() -> Markup:
    """The CSRF token as a hidden input without an id, so several forms on a page stay valid HTML."""
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % generate_csrf()


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
    if not request.path.startswith("/api/"):  # the API is not localised
        response.headers["Content-Language"] = str(get_locale() or "nl")
    return response


@bp.route("/")
def index() -> str:
    edition = edition_services.current_edition()
    context: dict[str, Any] = {"edition": edition}
    if edition is not None:
        context["registered_count"] = registration_services.count_active(edition)
        context["municipality_count"] = db.session.scalar(sa.select(sa.func.count()).select_from(Municipality))
    if current_user.is_authenticated and current_user.municipality_id and edition is not None:
        registration = registration_services.find(edition, current_user.municipality_id)
        context["registration"] = registration
        context["registration_open"] = registration_services.registration_open(edition, now=clock.now())
        if registration is not None and registration.is_active:
            today = registration_services.local_date(clock.now())
            context["today"] = today
            context["steps"] = stepplan.step_plan(registration, today=today)
            context["flag_form"] = FlagPhotoForm()
    if is_staff(current_user):
        context["pending_count"] = account_services.count_pending()
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
        if current_user.is_authenticated:
            account_services.set_locale(current_user, code)
            db.session.commit()
    return response


@bp.before_app_request
def refuse_nul_bytes() -> None:
    """No legitimate form or link carries a NUL byte, and PostgreSQL refuses them."""
    values = list(request.args.values()) + (list(request.form.values()) if request.method == "POST" else [])
    if any("\x00" in value for value in values):
        abort(400)


@bp.app_errorhandler(IntegrityError)
def integrity_error(error: IntegrityError) -> tuple[str, int]:
    """Two requests changed the same thing at once (a double click, two officers)."""
    db.session.rollback()
    return render_template("site/error.html", code=409, kind="conflict"), 409


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
