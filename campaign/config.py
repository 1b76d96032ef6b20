"""Configuration: defaults → instance file → CAMPAIGN_* environment → overrides.

The instance file is ``<instance>/campaign.cfg`` (Python syntax, UPPERCASE keys).
Environment variables ``CAMPAIGN_<KEY>`` are parsed as JSON where possible, so
``CAMPAIGN_MAIL_PORT=2525`` becomes an int. ``DATABASE_URL`` sets the database.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration cannot run the application."""


class Defaults:
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled in from DATABASE_URL or the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    MEDIA_ROOT = str(PROJECT_ROOT / "media")
    MIGRATIONS_DIR = str(PROJECT_ROOT / "migrations")
    # Requests may be larger than one image, so that the image pipeline (not a bare 413)
    # explains the limit and the form keeps what was typed.
    MAX_CONTENT_LENGTH = 40 * 1024 * 1024
    IMAGE_MAX_BYTES = 15 * 1024 * 1024
    IMAGE_MAX_PIXELS = 40_000_000

    # Sessions and cookies. SESSION_COOKIE_SECURE is decided in load_config when left as None:
    # Secure outside debug and testing. Set it to false explicitly for local plain http.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE: bool | None = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = 8 * 3600

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    LANGUAGES = ("nl", "en")

    # Mail. MAIL_TRANSPORT is "file" (writes .eml files to MAIL_FILE_DIR, the default for
    # development) or "smtp".
    MAIL_TRANSPORT = "file"
    MAIL_FILE_DIR: str | None = None  # default: <instance>/mail
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SECURITY = "none"  # "none", "starttls" or "ssl"
    MAIL_TIMEOUT = 10
    MAIL_SENDER = "Week van de Duurzame Gemeente <duurzamegemeente@vvsg.be>"
    # "immediate": a request sends what it queued right after its commit.
    # "outbox": queued mail waits for `flask mail send` (or the jobs process).
    MAIL_DELIVERY = "immediate"

    # The jobs process (`flask jobs run`): schedule overrides by job name (APScheduler trigger
    # arguments, or None to switch a job off; see campaign/jobs/schedule.py), and how often a
    # process checks its leadership and beats its heart, in seconds.
    JOBS_SCHEDULES: dict = {}
    # Heroes' personal data is erased from editions more than this many years old (the jobs
    # process's nightly "retention" job); figures stay. None or 0 keeps everything.
    RETENTION_YEARS: int | None = 5
    # The address of the platform, for links in mails sent outside a request (the jobs process).
    PUBLIC_URL = "http://127.0.0.1:5000"
    JOBS_LEADER_POLL = 5

    # Accounts.
    EMAIL_VERIFICATION_MAX_AGE = 48 * 3600
    PASSWORD_RESET_MAX_AGE = 2 * 3600
    PASSWORD_MIN_LENGTH = 10
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5  # for one account from one address
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20  # from one address, over all accounts
    LOGIN_MAX_FAILURES_ACCOUNT_TOTAL = 50  # for one account, over all addresses
    LOGIN_FAILURE_WINDOW = 15 * 60
    MAIL_REQUESTS_PER_ADDRESS = 10  # sign-ups, new links and resets per hour from one address
    MAIL_REQUESTS_PER_RECIPIENT = 3  # … and to one mailbox
    MAIL_REQUEST_WINDOW = 3600
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto/-Host. Without
    # it, every client would share the proxy's address, and links in mails would be wrong.
    TRUSTED_PROXIES = 0

    # Public base URL for links in mails sent outside a request (jobs, CLI).
    SERVER_NAME: str | None = None
    PREFERRED_URL_SCHEME = "http"

    TEAM_CONTACT_EMAIL = "duurzamegemeente@vvsg.be"

    # The open-data API (/api/v1): requests a minute from one client address, in each web
    # process's memory (see campaign/api/ratelimit.py). 0 or None switches the limit off.
    API_RATE_LIMIT = 120


def _database_url(app: Flask) -> str:
    url = os.environ.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        return "sqlite:///" + str(Path(app.instance_path) / "campaign.sqlite")
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill app.config. Raises ConfigError when a required key is missing."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("campaign.cfg", silent=True)
    app.config.from_prefixed_env("CAMPAIGN")
    if overrides:
        app.config.update(overrides)

    app.config["SQLALCHEMY_DATABASE_URI"] = (
        normalise_database_url(overrides["SQLALCHEMY_DATABASE_URI"])
        if overrides and overrides.get("SQLALCHEMY_DATABASE_URI")
        else _database_url(app)
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            k: v for k, v in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items() if k != "pool_pre_ping"
        }
    if not app.config.get("MAIL_FILE_DIR"):
        app.config["MAIL_FILE_DIR"] = str(Path(app.instance_path) / "mail")

    relaxed = app.debug or app.testing or app.config.get("DEBUG") or app.config.get("TESTING")
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = not relaxed
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]

    if not app.config.get("SECRET_KEY"):
        if not relaxed:
            raise ConfigError(
                "SECRET_KEY is not set. Set CAMPAIGN_SECRET_KEY in the environment or "
                f"SECRET_KEY in {Path(app.instance_path) / 'campaign.cfg'}. "
                'Generate one with: python -c "import secrets; print(secrets.token_hex(32))"'
            )
        app.config["SECRET_KEY"] = "dev-only-insecure-key"  # noqa: S105
