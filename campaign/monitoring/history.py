"""Importing the participation of earlier editions from CSV.

The file has a header row with at least ``jaar`` (or ``year``) and ``nis_code``, and may have
``ingeschreven_op`` (a date, ``YYYY-MM-DD`` or ``DD/MM/YYYY``). Fields are separated by ``;`` or
``,``; UTF-8, with or without a byte-order mark. Without ``ingeschreven_op`` a participation
counts as registered from 1 January of its year (so it shows in any day's comparison). A NIS
code of 2019–2024 is mapped onto its 2025 successor and kept as the former municipality that
took part, so an old and a new code of one merged municipality in the same year are one
participation.

Every row is checked first; only a file without errors is imported, in one transaction: all
rows or none. A missing earlier edition is created with the usual dates.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.editions.models import Edition
from campaign.editions.services import default_dates
from campaign.extensions import db
from campaign.reference.models import FormerMunicipality, Municipality
from campaign.registrations.models import Registration, RegistrationStatus, Track
from campaign.registrations.services import BRUSSELS

MAX_BYTES = 2 * 1024 * 1024
FIRST_YEAR = 2010


@dataclass(frozen=True)
class RowError:
    line: int  # line in the file, the header being line 1
    message: str


@dataclass
class Participation:
    year: int
    municipality: Municipality
    former: list[FormerMunicipality] = field(default_factory=list)
    registered_on: date | None = None
    lines: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    imported: int = 0
    editions_created: tuple[int, ...] = ()
    errors: tuple[RowError, ...] = ()


def _date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=BRUSSELS).date()
        except ValueError:
            continue
    return None


def parse(data: bytes, *, before_year: int) -> tuple[list[Participation], list[RowError]]:
    """The participations in ``data``, or the errors that stop the import."""
    if len(data) > MAX_BYTES:
        return [], [RowError(0, str(_l("The file is larger than 2 MB.")))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(0, str(_l("The file is not UTF-8 text. Save it from Excel as 'CSV UTF-8'.")))]
    lines = text.splitlines()
    if not lines:
        return [], [RowError(0, str(_l("The file is empty.")))]
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = header
    year_key = "jaar" if "jaar" in header else "year" if "year" in header else None
    if year_key is None or "nis_code" not in header:
        return [], [RowError(1, str(_l("The first row must name the columns 'jaar' and 'nis_code'.")))]

    current = {m.nis_code: m for m in db.session.scalars(sa.select(Municipality))}
    former = {f.nis_code: f for f in db.session.scalars(sa.select(FormerMunicipality))}
    known = {
        (year, mid)
        for year, mid in db.session.execute(
            sa.select(Edition.year, Registration.municipality_id).join(Edition, Edition.id == Registration.edition_id)
        )
    }
    found: dict[tuple[int, int], Participation] = {}
    seen_codes: dict[tuple[int, str], int] = {}
    errors: list[RowError] = []
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error:  # a field over csv's size limit, say
        return [], [RowError(reader.line_num + 1, str(_l("This line cannot be read as CSV.")))]
    for line, row in rows:
        raw_year = (row.get(year_key) or "").strip()
        nis = (row.get("nis_code") or "").strip()
        if not raw_year and not nis:
            continue  # an empty line
        if not re.fullmatch(r"[0-9]{4}", raw_year) or not FIRST_YEAR <= int(raw_year) < before_year:
            errors.append(RowError(line, str(_l("'%(value)s' is not a year of an earlier edition.", value=raw_year))))
            continue
        year = int(raw_year)
        municipality = current.get(nis)
        old = former.get(nis)
        if municipality is None and old is None:
            errors.append(
                RowError(line, str(_l("'%(value)s' is not a NIS code of a Flemish municipality.", value=nis)))
            )
            continue
        if (year, nis) in seen_codes:
            errors.append(
                RowError(
                    line,
                    str(
                        _l(
                            "%(nis)s appears twice for %(year)d (also on line %(other)d).",
                            nis=nis,
                            year=year,
                            other=seen_codes[(year, nis)],
                        )
                    ),
                )
            )
            continue
        seen_codes[(year, nis)] = line
        target = municipality if municipality is not None else old.successor
        if (year, target.id) in known:
            errors.append(
                RowError(
                    line,
                    str(
                        _l("%(name)s's participation in %(year)d is already recorded.", name=target.name_nl, year=year)
                    ),
                )
            )
            continue
        registered_on = None
        if (row.get("ingeschreven_op") or "").strip():
            registered_on = _date(row["ingeschreven_op"].strip())
            if registered_on is None:
                errors.append(RowError(line, str(_l("Fill in the date as YYYY-MM-DD or DD/MM/YYYY."))))
                continue
        participation = found.setdefault((year, target.id), Participation(year, target))
        if old is not None and old.nis_code != target.nis_code:
            participation.former.append(old)
        if registered_on and (participation.registered_on is None or registered_on < participation.registered_on):
            participation.registered_on = registered_on
        participation.lines.append(line)
    return list(found.values()), errors


def first_open_year(today: date) -> int:
    """History is imported for the editions before this year: the current edition's, or this
    calendar year's when there is no current edition."""
    current = db.session.scalar(sa.select(Edition.year).where(Edition.is_current.is_(True)))
    return current or today.year


def import_history(data: bytes, *, before_year: int) -> ImportResult:
    """Check and import ``data``; on any error nothing is stored and the errors are returned.
    The caller commits."""
    participations, errors = parse(data, before_year=before_year)
    if errors:
        return ImportResult(errors=tuple(errors))
    if not participations:
        return ImportResult(errors=(RowError(0, str(_l("The file holds no participation."))),))
    editions = {e.year: e for e in db.session.scalars(sa.select(Edition))}
    created = []
    for year in sorted({p.year for p in participations}):
        if year not in editions:
            edition = Edition(year=year, title=f"Week van de Duurzame Gemeente {year}", **default_dates(year))
            db.session.add(edition)
            editions[year] = edition
            created.append(year)
    db.session.flush()
    for p in participations:
        edition = editions[p.year]
        day = p.registered_on or date(p.year, 1, 1)  # without a date: registered all year
        registration = Registration(
            edition=edition,
            municipality=p.municipality,
            status=RegistrationStatus.ACTIVE,
            contact_name="",
            contact_email="",
            heroes_planned=0,
            track=Track.STARTER,
            registered_at=datetime.combine(day, time(12), tzinfo=BRUSSELS).astimezone(UTC),
        )
        registration.former_municipalities = p.former
        db.session.add(registration)
    db.session.flush()
    return ImportResult(imported=len(participations), editions_created=tuple(created))
