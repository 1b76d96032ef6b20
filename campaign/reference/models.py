"""Reference data: provinces, the 285 municipalities of 2025, the 300 of 2019–2024, SDGs."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.extensions import db


class Pillar(enum.StrEnum):
    """The 5P pillars of Agenda 2030."""

    PEOPLE = "people"
    PLANET = "planet"
    PROSPERITY = "prosperity"
    PEACE = "peace"
    PARTNERSHIP = "partnership"


PILLAR_NAMES_NL = {
    Pillar.PEOPLE: "Mensen",
    Pillar.PLANET: "Planeet",
    Pillar.PROSPERITY: "Welvaart",
    Pillar.PEACE: "Vrede",
    Pillar.PARTNERSHIP: "Partnerschap",
}


class Province(db.Model):
    __tablename__ = "province"

    id: Mapped[int] = mapped_column(primary_key=True)
    nis_code: Mapped[str] = mapped_column(sa.String(5), unique=True)
    name_nl: Mapped[str] = mapped_column(sa.String(60))
    name_en: Mapped[str] = mapped_column(sa.String(60))

    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="province", order_by="Municipality.name_nl"
    )

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl


class Municipality(db.Model):
    """A Flemish municipality as it exists since 1 January 2025."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    nis_code: Mapped[str] = mapped_column(sa.String(5), unique=True)
    name_nl: Mapped[str] = mapped_column(sa.String(80), index=True)
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("province.id"), index=True)
    population_2020: Mapped[int]
    merged_2025: Mapped[bool] = mapped_column(default=False)

    province: Mapped[Province] = relationship(back_populates="municipalities")
    former: Mapped[list[FormerMunicipality]] = relationship(
        back_populates="successor", order_by="FormerMunicipality.nis_code"
    )

    def __repr__(self) -> str:
        return f"<Municipality {self.nis_code} {self.name_nl}>"


class FormerMunicipality(db.Model):
    """A municipality of 2019–2024 and the 2025 municipality it became."""

    __tablename__ = "former_municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    nis_code: Mapped[str] = mapped_column(sa.String(5), unique=True)
    name_nl: Mapped[str] = mapped_column(sa.String(80))
    province_nl: Mapped[str] = mapped_column(sa.String(60))
    population_2020: Mapped[int]
    successor_id: Mapped[int] = mapped_column(sa.ForeignKey("municipality.id"), index=True)

    successor: Mapped[Municipality] = relationship(back_populates="former")


class Sdg(db.Model):
    """One of the 17 Sustainable Development Goals."""

    __tablename__ = "sdg"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name_nl: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    color_hex: Mapped[str] = mapped_column(sa.String(7))
    pillar: Mapped[Pillar] = mapped_column(
        sa.Enum(Pillar, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl
