"""Users, their roles and the e-mail domains that are approved automatically."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.auth import Role
from campaign.core.db import UTCDateTime, utcnow
from campaign.extensions import db
from campaign.reference.models import Municipality


def _enum(cls: type[enum.Enum]) -> sa.Enum:
    return sa.Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class UserStatus(enum.StrEnum):
    UNVERIFIED = "unverified"  # signed up, e-mail not confirmed yet
    PENDING = "pending"  # e-mail confirmed, waiting for the campaign team
    ACTIVE = "active"
    REJECTED = "rejected"
    DISABLED = "disabled"


class User(db.Model):
    __audit__ = "user"  # see core.audit
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.OFFICER)
    status: Mapped[UserStatus] = mapped_column(_enum(UserStatus), default=UserStatus.UNVERIFIED)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    locale: Mapped[str] = mapped_column(sa.String(5), default="nl")
    reminders_opt_out: Mapped[bool] = mapped_column(default=False, server_default=sa.false())  # no reminder mails
    # Bumped when the password changes, so that older sessions and reset links stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    rejection_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    municipality: Mapped[Municipality | None] = relationship()
    decided_by: Mapped[User | None] = relationship(remote_side=[id])

    __table_args__ = (
        sa.CheckConstraint("role != 'officer' OR municipality_id IS NOT NULL", name="officer_has_municipality"),
    )

    # The four members Flask-Login expects of a user.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:  # only active users may log in
        return self.status == UserStatus.ACTIVE

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.TEAM, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApprovedDomain(db.Model):
    """Officers who confirm an address at this domain are approved without review."""

    __tablename__ = "approved_domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"))
    domain: Mapped[str] = mapped_column(sa.String(255))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    municipality: Mapped[Municipality] = relationship()

    __table_args__ = (sa.UniqueConstraint("municipality_id", "domain"),)
