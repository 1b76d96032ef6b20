"""Domain errors. Services raise them; views turn them into form errors or flashes.

The message is a (lazy) translated string meant for the user.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class for errors a user can act on."""

    def __init__(self, message: object = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it exists."""


class Conflict(DomainError):
    """The request clashes with what is stored."""


class NotAllowed(DomainError):
    """The user may not do this."""
