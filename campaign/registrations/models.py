"""A municipality's participation in an edition."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.accounts.models import User
from campaign.core.db import TimestampMixin, UTCDateTime
from campaign.core.uploads import Upload
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.reference.models import FormerMunicipality, Municipality


def _enum(cls: type[enum.Enum]) -> sa.Enum:
    return sa.Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


registration_former_municipality = sa.Table(
    "registration_former_municipality",
    db.metadata,
    sa.Column("registration_id", sa.ForeignKey("registration.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("former_municipality_id", sa.ForeignKey("former_municipality.id"), primary_key=True),
)


class Track(enum.StrEnum):
    STARTER = "starter"
    ADVANCED = "advanced"


class RegistrationStatus(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class Registration(TimestampMixin, db.Model):
    __audit__ = "registration"  # see core.audit
    __tablename__ = "registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("edition.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(_enum(RegistrationStatus), default=RegistrationStatus.ACTIVE)
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    contact_email: Mapped[str] = mapped_column(sa.String(320))
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    flag_commitment: Mapped[bool] = mapped_column(default=False)
    heroes_planned: Mapped[int] = mapped_column(default=1)
    track: Mapped[Track] = mapped_column(_enum(Track), default=Track.STARTER)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # Step 5 of the step plan: a photo of the raised SDG flag.
    flag_photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("upload.id"))
    flag_photo_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    evaluation_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # set by reports.survey

    edition: Mapped[Edition] = relationship()
    municipality: Mapped[Municipality] = relationship()
    # Editions before 2025 were joined by the 2019–2024 municipalities. Their participation
    # is stored under the 2025 successor, and the old municipalities that took part are kept
    # here, so that counts can be given under either map.
    former_municipalities: Mapped[list[FormerMunicipality]] = relationship(secondary="registration_former_municipality")
    created_by: Mapped[User | None] = relationship()
    flag_photo: Mapped[Upload | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("edition_id", "municipality_id"),
        sa.CheckConstraint("heroes_planned >= 0 AND heroes_planned <= 17", name="heroes_planned_range"),
    )

    @property
    def is_active(self) -> bool:
        return self.status == RegistrationStatus.ACTIVE
