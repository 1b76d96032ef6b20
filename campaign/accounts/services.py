"""Sign-up, e-mail verification, approval, login and passwords.

Services flush and never commit; they raise domain errors with a message for the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.accounts.models import ApprovedDomain, User, UserStatus
from campaign.core import ratelimit
from campaign.core.auth import Role
from campaign.core.db import utcnow
from campaign.core.errors import Conflict, DomainError, NotAllowed, NotFound
from campaign.extensions import db
from campaign.reference.models import Municipality

# A hash to compare against when the account does not exist, so that a login for an
# unknown address takes as long as one for a known address.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class EmailTaken(Conflict):
    pass


class InvalidCredentials(DomainError):
    pass


class TooManyAttempts(DomainError):
    pass


class AccountNotActive(DomainError):
    def __init__(self, message: object, status: UserStatus) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class LoginLimits:
    """Failed logins allowed within ``window`` seconds: for one account from one address,
    from one address over all accounts, and for one account over all addresses."""

    per_account_and_address: int
    per_address: int
    per_account: int
    window: int


@dataclass(frozen=True)
class MailLimits:
    """Mails (sign-up, new link, password reset) one address or one recipient may ask for."""

    per_address: int
    per_recipient: int
    window: int


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_domain(email: str) -> str:
    return normalise_email(email).rpartition("@")[2]


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def load_user(user_id: str) -> User | None:
    """Flask-Login loader. The id carries the session version, see User.get_id."""
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def sign_up(*, email: str, name: str, password: str, municipality_id: int, locale: str) -> User:
    """Create an unverified officer account. Raises EmailTaken or NotFound."""
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise EmailTaken(_l("An account with this e-mail address already exists. Log in or reset your password."))
    if db.session.get(Municipality, municipality_id) is None:
        raise NotFound(_l("Choose a municipality from the list."))
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        role=Role.OFFICER,
        status=UserStatus.UNVERIFIED,
        municipality_id=municipality_id,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def is_domain_approved(municipality_id: int, email: str) -> bool:
    return (
        db.session.scalar(
            sa.select(ApprovedDomain.id).where(
                ApprovedDomain.municipality_id == municipality_id,
                ApprovedDomain.domain == email_domain(email),
            )
        )
        is not None
    )


def verify_email(user: User, *, now: datetime | None = None) -> bool:
    """Mark the address confirmed. Returns True when the account was approved at once
    because its domain is allow-listed for its municipality."""
    now = now or utcnow()
    if user.email_verified_at is None:
        user.email_verified_at = now
    if user.status != UserStatus.UNVERIFIED:
        return False
    if user.municipality_id is not None and is_domain_approved(user.municipality_id, user.email):
        user.status = UserStatus.ACTIVE
        user.decided_at = now
        db.session.flush()
        return True
    user.status = UserStatus.PENDING
    db.session.flush()
    return False


def approve(user: User, *, by: User, now: datetime | None = None) -> None:
    """Approve an officer waiting for review. Raises NotAllowed for other states."""
    if user.status not in (UserStatus.PENDING, UserStatus.REJECTED):
        raise NotAllowed(_l("Only accounts with a confirmed e-mail address that wait for review can be approved."))
    user.status = UserStatus.ACTIVE
    user.decided_at = now or utcnow()
    user.decided_by = by
    user.rejection_reason = None
    db.session.flush()


def reject(user: User, *, by: User, reason: str = "", now: datetime | None = None) -> None:
    if user.status != UserStatus.PENDING:
        raise NotAllowed(_l("Only accounts that wait for review can be rejected."))
    user.status = UserStatus.REJECTED
    user.decided_at = now or utcnow()
    user.decided_by = by
    user.rejection_reason = reason.strip() or None
    db.session.flush()


def pending_users() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.status == UserStatus.PENDING)
            .options(sa.orm.joinedload(User.municipality))
            .order_by(User.email_verified_at)
        )
    )


def authenticate(email: str, password: str, *, address: str, limits: LoginLimits, now: datetime | None = None) -> User:
    """Return the user for these credentials.

    Raises TooManyAttempts when this account or this address failed too often recently,
    InvalidCredentials for a wrong address or password, AccountNotActive otherwise.
    """
    email = normalise_email(email)
    now = now or utcnow()
    pair = f"{email}|{address}"
    # Counting per account *and* address keeps a stranger from locking someone out by
    # guessing their password; the looser per-account limit slows guessing from many addresses.
    if (
        ratelimit.count_failures("login-pair", pair, window=limits.window, now=now) >= limits.per_account_and_address
        or ratelimit.count_failures("login-address", address, window=limits.window, now=now) >= limits.per_address
        or ratelimit.count_failures("login-account", email, window=limits.window, now=now) >= limits.per_account
    ):
        raise TooManyAttempts(_l("Too many failed attempts. Wait 15 minutes and try again, or reset your password."))
    user = find_by_email(email)
    if not check_password_hash(user.password_hash if user else _DUMMY_HASH, password) or user is None:
        for scope, key in (("login-pair", pair), ("login-address", address), ("login-account", email)):
            ratelimit.record_failure(scope, key, now=now)
        raise InvalidCredentials(_l("The e-mail address or password is not correct."))
    if user.status != UserStatus.ACTIVE:
        messages = {
            UserStatus.UNVERIFIED: _l("Confirm your e-mail address first: follow the link in the mail we sent you."),
            UserStatus.PENDING: _l(
                "Your account is waiting for approval by the campaign team. You will get an e-mail."
            ),
            UserStatus.REJECTED: _l("Your request for an account was not approved. Contact the campaign team."),
            UserStatus.DISABLED: _l("This account has been disabled. Contact the campaign team."),
        }
        raise AccountNotActive(messages[user.status], user.status)
    ratelimit.clear_failures("login-pair", pair)
    user.last_login_at = now
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Change the password; every other session and reset link of the user stops working."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    db.session.flush()


def add_approved_domain(municipality: Municipality, *, domain: str, by: User) -> ApprovedDomain:
    domain = domain.strip().lower().lstrip("@")
    exists = db.session.scalar(
        sa.select(ApprovedDomain).where(
            ApprovedDomain.municipality_id == municipality.id, ApprovedDomain.domain == domain
        )
    )
    if exists is not None:
        raise Conflict(_l("This domain is already on the list for %(name)s.", name=municipality.name_nl))
    approved = ApprovedDomain(municipality=municipality, domain=domain, created_by_id=by.id)
    db.session.add(approved)
    db.session.flush()
    return approved


def approved_domains() -> list[ApprovedDomain]:
    return list(
        db.session.scalars(
            sa.select(ApprovedDomain)
            .join(ApprovedDomain.municipality)
            .options(sa.orm.contains_eager(ApprovedDomain.municipality))
            .order_by(Municipality.name_nl, ApprovedDomain.domain)
        )
    )


def check_mail_quota(recipient: str, *, address: str, limits: MailLimits, now: datetime | None = None) -> None:
    """Count a request that sends mail. Raises TooManyAttempts past the limits, so that
    nobody can use the platform to flood a mailbox."""
    now = now or utcnow()
    recipient = normalise_email(recipient)
    if (
        ratelimit.count_failures("mail-address", address, window=limits.window, now=now) >= limits.per_address
        or ratelimit.count_failures("mail-recipient", recipient, window=limits.window, now=now) >= limits.per_recipient
    ):
        raise TooManyAttempts(_l("Too many requests for e-mails. Wait an hour and try again."))
    ratelimit.record_failure("mail-address", address, now=now)
    ratelimit.record_failure("mail-recipient", recipient, now=now)


def may_reset_password(user: User | None) -> bool:
    return user is not None and user.status not in (UserStatus.DISABLED, UserStatus.REJECTED)


def needs_verification(user: User | None) -> bool:
    return user is not None and user.status == UserStatus.UNVERIFIED


def count_pending() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.status == UserStatus.PENDING))


def remove_approved_domain(approved: ApprovedDomain) -> None:
    db.session.delete(approved)
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    """The language of the interface and of the user's mails."""
    if user.locale != locale:
        user.locale = locale
        db.session.flush()
