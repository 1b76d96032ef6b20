"""Signed, expiring tokens for links in mails."""

from __future__ import annotations

from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenInvalid(Exception):
    """The token is forged, damaged or of another purpose."""


class TokenExpired(TokenInvalid):
    """The token was valid but is too old."""


def make_token(secret_key: str, purpose: str, payload: Any) -> str:
    return URLSafeTimedSerializer(secret_key, salt=purpose).dumps(payload)


def read_token(secret_key: str, purpose: str, token: str, *, max_age: int) -> Any:
    """Return the payload. Raises TokenExpired or TokenInvalid."""
    serializer = URLSafeTimedSerializer(secret_key, salt=purpose)
    try:
        return serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenExpired(str(error)) from error
    except BadSignature as error:
        raise TokenInvalid(str(error)) from error
