"""Heroes and their consent."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import User
from campaign.actions.models import Action
from campaign.core.db import TimestampMixin, UTCDateTime
from campaign.core.uploads import Upload
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.reference.models import Municipality, Sdg
from campaign.registrations.models import Registration

QUOTE_MAX = 180

hero_sdg = sa.Table(
    "hero_sdg",
    db.metadata,
    sa.Column("hero_id", sa.ForeignKey("hero.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sdg_number", sa.ForeignKey("sdg.number"), primary_key=True, index=True),
)


class ConsentScope(enum.StrEnum):
    WEB = "web"
    PRINT = "print"
    SOCIAL = "social"
    PRESS = "press"


class Hero(TimestampMixin, db.Model):
    __audit__ = "hero"  # see core.audit
    __tablename__ = "hero"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[str] = mapped_column(sa.String(160), default="")
    quote: Mapped[str] = mapped_column(sa.String(QUOTE_MAX), default="")
    story: Mapped[str] = mapped_column(sa.Text, default="")
    action_id: Mapped[int | None] = mapped_column(sa.ForeignKey("action.id", ondelete="SET NULL"), index=True)
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("upload.id"), index=True)
    photo_credit: Mapped[str] = mapped_column(sa.String(200), default="")
    focal_x: Mapped[float] = mapped_column(default=0.5)
    focal_y: Mapped[float] = mapped_column(default=0.5)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # personal data erased (retention)

    registration: Mapped[Registration] = relationship()
    edition: Mapped[Edition] = relationship()
    municipality: Mapped[Municipality] = relationship()
    action: Mapped[Action | None] = relationship()
    photo: Mapped[Upload | None] = relationship()
    sdgs: Mapped[list[Sdg]] = relationship(secondary=hero_sdg, order_by=Sdg.number)
    consent: Mapped[Consent | None] = relationship(back_populates="hero", uselist=False, cascade="all, delete-orphan")

    __table_args__ = (
        sa.CheckConstraint("focal_x >= 0 AND focal_x <= 1 AND focal_y >= 0 AND focal_y <= 1", name="focal_in_frame"),
    )

    def allows(self, scope: ConsentScope, today: date) -> bool:
        return self.consent is not None and self.consent.allows(scope, today)


class Consent(db.Model):
    """What a hero agreed to. Withdrawing it takes effect at once, everywhere."""

    __audit__ = "consent"  # see core.audit
    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    hero_id: Mapped[int] = mapped_column(sa.ForeignKey("hero.id", ondelete="CASCADE"), unique=True)
    web: Mapped[bool] = mapped_column(default=False)
    print: Mapped[bool] = mapped_column(default=False)
    social: Mapped[bool] = mapped_column(default=False)
    press: Mapped[bool] = mapped_column(default=False)
    given_on: Mapped[date]
    expires_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    proof_id: Mapped[int | None] = mapped_column(sa.ForeignKey("upload.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    hero: Mapped[Hero] = relationship(back_populates="consent")
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    proof: Mapped[Upload | None] = relationship()

    __table_args__ = (sa.Index("ix_consent_web_valid", "web", "withdrawn_at", "expires_on"),)

    @property
    def municipality_id(self) -> int:
        return self.hero.municipality_id

    @property
    def scopes(self) -> set[ConsentScope]:
        return {scope for scope in ConsentScope if getattr(self, scope.value)}

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_valid(self, today: date) -> bool:
        return self.withdrawn_at is None and self.expires_on >= today

    def allows(self, scope: ConsentScope, today: date) -> bool:
        return self.is_valid(today) and bool(getattr(self, scope.value))

    def is_complete(self, today: date) -> bool:
        """Every scope given, not withdrawn, not expired."""
        return self.is_valid(today) and self.scopes == set(ConsentScope)


def consent_allows(scope: ConsentScope, today: date) -> sa.ColumnElement[bool]:
    """SQL condition: the hero (joined to Consent) may be shown in ``scope`` on ``today``."""
    return sa.and_(getattr(Consent, scope.value).is_(True), Consent.withdrawn_at.is_(None), Consent.expires_on >= today)
