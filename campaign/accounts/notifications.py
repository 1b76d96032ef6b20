"""Mails about accounts. Each is queued in the outbox in the recipient's language."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from campaign.accounts.models import User
from campaign.core import mail, tokens
from campaign.core.mail import OutboxMail
from campaign.extensions import db

VERIFY_PURPOSE = "verify-email"
RESET_PURPOSE = "reset-password"


def verification_token(user: User) -> str:
    return tokens.make_token(current_app.config["SECRET_KEY"], VERIFY_PURPOSE, {"uid": user.id, "email": user.email})


def reset_token(user: User) -> str:
    return tokens.make_token(
        current_app.config["SECRET_KEY"], RESET_PURPOSE, {"uid": user.id, "v": user.session_version}
    )


def _read(purpose: str, token: str, max_age_key: str) -> object:
    config = current_app.config
    return tokens.read_token(config["SECRET_KEY"], purpose, token, max_age=config[max_age_key])


def user_from_verification_token(token: str) -> User:
    """The user a verification link was made for. Raises TokenExpired or TokenInvalid."""
    payload = _read(VERIFY_PURPOSE, token, "EMAIL_VERIFICATION_MAX_AGE")
    user = db.session.get(User, payload.get("uid")) if isinstance(payload, dict) else None
    if user is None or user.email != payload.get("email"):
        raise tokens.TokenInvalid("no such user")
    return user


def user_from_reset_token(token: str) -> User:
    """The user a password-reset link was made for, if the link is still unused and fresh.
    Raises TokenInvalid (or TokenExpired)."""
    payload = _read(RESET_PURPOSE, token, "PASSWORD_RESET_MAX_AGE")
    user = db.session.get(User, payload.get("uid")) if isinstance(payload, dict) else None
    if user is None or user.session_version != payload.get("v"):
        raise tokens.TokenInvalid("used or unknown")
    return user


def queue_verification(user: User) -> OutboxMail:
    link = url_for("accounts.verify", token=verification_token(user), _external=True)
    hours = current_app.config["EMAIL_VERIFICATION_MAX_AGE"] // 3600
    return mail.queue(
        "verify_email",
        to=user.email,
        locale=user.locale,
        kind="verify-email",
        subject=_l("Confirm your e-mail address"),
        user=user,
        link=link,
        hours=hours,
    )


def queue_decision(user: User) -> OutboxMail:
    approved = user.is_active
    return mail.queue(
        "account_approved" if approved else "account_rejected",
        to=user.email,
        locale=user.locale,
        kind="account-decision",
        subject=_l("Your account has been approved") if approved else _l("Your account request"),
        user=user,
        link=url_for("accounts.login", _external=True),
        contact=current_app.config["TEAM_CONTACT_EMAIL"],
    )


def queue_password_reset(user: User) -> OutboxMail:
    link = url_for("accounts.reset_password", token=reset_token(user), _external=True)
    hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600
    return mail.queue(
        "password_reset",
        to=user.email,
        locale=user.locale,
        kind="password-reset",
        subject=_l("Choose a new password"),
        user=user,
        link=link,
        hours=hours,
    )


def queue_account_exists(user: User) -> OutboxMail:
    """Someone signed up with an address that has an account: tell its owner."""
    return mail.queue(
        "account_exists",
        to=user.email,
        locale=user.locale,
        kind="account-exists",
        subject=_l("You already have an account"),
        user=user,
        login=url_for("accounts.login", _external=True),
        reset=url_for("accounts.forgot_password", _external=True),
    )
