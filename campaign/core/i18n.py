"""Language selection: Dutch by default, English by choice, remembered in a cookie."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_login import current_user

LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it here (it is translated
    where it is shown)."""
    return message


def select_locale() -> str:
    """Locale for this request: the user's choice, then the cookie, then Dutch."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a job or a command: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated:
        locale = getattr(current_user, "locale", None)
        if locale in languages:
            return locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
