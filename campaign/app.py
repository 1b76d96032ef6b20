"""The application factory."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, has_request_context
from flask_babel import gettext
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign import cli
from campaign.accounts import services as account_services
from campaign.accounts.views import bp as accounts_bp
from campaign.actions.views import bp as actions_bp
from campaign.api.views import bp as api_bp
from campaign.config import load_config
from campaign.core import audit
from campaign.core.db import render_item
from campaign.core.i18n import N_, select_locale
from campaign.core.urls import BoundedIntConverter
from campaign.editions.views import bp as editions_bp
from campaign.extensions import babel, csrf, db, login_manager, migrate
from campaign.heroes.views import bp as heroes_bp
from campaign.kits import hooks as kit_hooks
from campaign.kits.views import bp as kits_bp
from campaign.monitoring.views import bp as monitoring_bp
from campaign.press.room_views import bp as pressroom_bp
from campaign.press.views import bp as public_bp
from campaign.registrations.views import bp as registrations_bp
from campaign.reminders.views import bp as reminders_bp
from campaign.reports.views import bp as reports_bp
from campaign.site.media import bp as media_bp
from campaign.site.views import bp as site_bp


def _logged_in_user_id() -> int | None:
    if not has_request_context() or not current_user.is_authenticated:
        return None
    return current_user.id


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application: config → extensions → blueprints → CLI."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("CAMPAIGN_INSTANCE_PATH") or None,  # default: <repository>/instance
        instance_relative_config=True,
        static_folder="assets/static",
        static_url_path="/static",
    )
    load_config(app, overrides)
    app.url_map.converters["int"] = BoundedIntConverter

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=app.config["MIGRATIONS_DIR"],
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.user_loader(account_services.load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = N_("Log in to see this page.")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    audit.set_actor_provider(_logged_in_user_id)

    for blueprint in (
        site_bp,
        accounts_bp,
        editions_bp,
        registrations_bp,
        actions_bp,
        heroes_bp,
        kits_bp,
        monitoring_bp,
        reminders_bp,
        reports_bp,
        public_bp,
        pressroom_bp,
        api_bp,
        media_bp,
    ):
        app.register_blueprint(blueprint)

    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    kit_hooks.connect()
    cli.register(app)
    return app
