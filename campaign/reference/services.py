"""Loading the shipped reference data. Loading twice changes nothing."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import sqlalchemy as sa

from campaign.extensions import db
from campaign.reference.models import FormerMunicipality, Municipality, Pillar, Province, Sdg

PROVINCES = {
    "10000": ("Antwerpen", "Antwerp"),
    "20001": ("Vlaams-Brabant", "Flemish Brabant"),
    "30000": ("West-Vlaanderen", "West Flanders"),
    "40000": ("Oost-Vlaanderen", "East Flanders"),
    "70000": ("Limburg", "Limburg"),
}

_PILLARS = {p.value: p for p in Pillar}


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int


def _rows(name: str) -> Iterator[dict[str, str]]:
    text = resources.files("campaign.reference").joinpath("data", name).read_text("utf-8")
    yield from csv.DictReader(text.splitlines())


def _upsert(obj: object | None, model: type, values: dict, counts: dict[str, int]) -> object:
    if obj is None:
        obj = model(**values)
        db.session.add(obj)
        counts["created"] += 1
        return obj
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    counts["updated"] += changed
    return obj


def load_reference() -> LoadResult:
    """Create or update provinces, municipalities, former municipalities and SDGs."""
    counts = {"created": 0, "updated": 0}

    provinces = {p.nis_code: p for p in db.session.scalars(sa.select(Province))}
    for nis, (name_nl, name_en) in PROVINCES.items():
        provinces[nis] = _upsert(
            provinces.get(nis), Province, {"nis_code": nis, "name_nl": name_nl, "name_en": name_en}, counts
        )
    db.session.flush()

    municipalities = {m.nis_code: m for m in db.session.scalars(sa.select(Municipality))}
    for row in _rows("municipalities_2025.csv"):
        values = {
            "nis_code": row["nis_code"],
            "name_nl": row["name_nl"],
            "province_id": provinces[row["province_nis"]].id,
            "population_2020": int(row["population_2020"]),
            "merged_2025": row["merged_2025"] == "yes",
        }
        municipalities[row["nis_code"]] = _upsert(municipalities.get(row["nis_code"]), Municipality, values, counts)
    db.session.flush()

    former = {f.nis_code: f for f in db.session.scalars(sa.select(FormerMunicipality))}
    for row in _rows("municipalities_2019_2024.csv"):
        values = {
            "nis_code": row["nis_code"],
            "name_nl": row["name_nl"],
            "province_nl": row["province_nl"],
            "population_2020": int(row["population_2020"]),
            "successor_id": municipalities[row["nis_code_2025"]].id,
        }
        _upsert(former.get(row["nis_code"]), FormerMunicipality, values, counts)

    sdgs = {s.number: s for s in db.session.scalars(sa.select(Sdg))}
    for row in _rows("sdgs.csv"):
        number = int(row["number"])
        values = {
            "number": number,
            "name_nl": row["name_nl"],
            "name_en": row["name_en"],
            "color_hex": row["color_hex"].upper(),
            "pillar": _PILLARS[row["pillar_5p"].lower()],
        }
        _upsert(sdgs.get(number), Sdg, values, counts)
    db.session.flush()
    return LoadResult(**counts)


def municipalities_by_province() -> list[tuple[Province, list[Municipality]]]:
    """All provinces (by Dutch name) with their municipalities (by name)."""
    provinces = db.session.scalars(
        sa.select(Province).order_by(Province.name_nl).options(sa.orm.selectinload(Province.municipalities))
    )
    return [(p, list(p.municipalities)) for p in provinces]
