"""Exports of an edition: registrations, actions, heroes, municipalities and the per-SDG figures,
as CSV (for Excel on a Belgian system), XLSX or JSON. The three formats hold the same rows.

Columns are documented in ``docs/exports.md``. Team exports hold personal data: the contacts
of a registration and, for heroes whose consent is valid today, their details and consent
scopes; heroes without valid consent are left out. Figures come from ``figures``, so an export
and the dashboard always agree.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from campaign.actions.models import Action, ActionSdg
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import Consent, Hero, hero_sdg
from campaign.monitoring import figures, services
from campaign.reference.models import Municipality, Province
from campaign.registrations.models import Registration, RegistrationStatus
from campaign.registrations.services import BRUSSELS

FORMATS = ("csv", "xlsx", "json")
MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: type  # str, int, float, bool, date or datetime
    width: int = 14


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[Column]
    rows: list[list[object]]


def _local(moment: datetime | None) -> datetime | None:
    """Local Belgian time without a zone: what Excel shows as it is."""
    return moment.astimezone(BRUSSELS).replace(tzinfo=None, microsecond=0) if moment else None


# The tables ---------------------------------------------------------------------------------


def registrations(edition: Edition, *, today: date) -> Table:
    progress = {row.registration_id: row for row in figures.progress(edition, today=today)}
    stmt = (
        sa.select(
            Registration.id,
            Municipality.nis_code,
            Municipality.name_nl,
            Province.name_nl,
            Registration.status,
            Registration.track,
            Registration.registered_at,
            Registration.contact_name,
            Registration.contact_email,
            Registration.contact_phone,
            Registration.heroes_planned,
            Registration.flag_photo_id,
        )
        .join(Municipality, Municipality.id == Registration.municipality_id)
        .join(Province, Province.id == Municipality.province_id)
        .where(Registration.edition_id == edition.id)
        .order_by(Municipality.name_nl)
    )
    columns = [
        Column("nis_code", str, 9),
        Column("gemeente", str, 28),
        Column("provincie", str, 16),
        Column("status", str, 11),
        Column("traject", str, 10),
        Column("ingeschreven_op", datetime, 18),
        Column("contactpersoon", str, 24),
        Column("email", str, 30),
        Column("telefoon", str, 16),
        Column("helden_gepland", int, 9),
        Column("helden", int, 8),
        Column("helden_volledige_toestemming", int, 9),
        Column("acties", int, 8),
        Column("kit_gedownload", bool, 9),
        Column("vlagfoto", bool, 9),
        Column("volgende_stap", str, 14),
    ]
    table = []
    for (
        rid,
        nis,
        name,
        province,
        status,
        track,
        registered_at,
        contact,
        email,
        phone,
        planned,
        flag,
    ) in db.session.execute(stmt):
        p = progress.get(rid)
        table.append(
            [
                nis,
                name,
                province,
                "actief" if status == RegistrationStatus.ACTIVE else "ingetrokken",
                track.value,
                _local(registered_at),
                contact,
                email,
                phone,
                planned,
                p.heroes if p else 0,
                p.heroes_complete if p else 0,
                p.actions if p else 0,
                p.downloaded if p else False,
                flag is not None,
                (p.next_step or "") if p else "",
            ]
        )
    return Table("registrations", columns, table)


def actions(edition: Edition, *, today: date) -> Table:
    """Actions of active registrations (two plain queries: rows, and their SDGs)."""
    active = sa.select(Registration.id).where(figures.active_in(edition.id))
    sdgs: dict[int, list[str]] = {}
    for action_id, number in db.session.execute(
        sa.select(ActionSdg.action_id, ActionSdg.sdg_number)
        .join(Action, Action.id == ActionSdg.action_id)
        .where(Action.registration_id.in_(active))
        .order_by(ActionSdg.action_id, ActionSdg.sdg_number)
    ):
        sdgs.setdefault(action_id, []).append(str(number))
    stmt = (
        sa.select(
            Action.id,
            Municipality.nis_code,
            Municipality.name_nl,
            Province.name_nl,
            Action.title,
            Action.type,
            Action.audience,
            Action.starts_at,
            Action.ends_at,
            Action.online,
            Action.location,
            Action.expected_reach,
            Action.actual_reach,
            Action.is_public,
        )
        .join(Municipality, Municipality.id == Action.municipality_id)
        .join(Province, Province.id == Municipality.province_id)
        .where(Action.registration_id.in_(active))
        .order_by(Action.starts_at, Action.id)
    )
    columns = [
        Column("id", int, 7),
        Column("nis_code", str, 9),
        Column("gemeente", str, 24),
        Column("provincie", str, 16),
        Column("titel", str, 40),
        Column("type", str, 18),
        Column("doelpubliek", str, 16),
        Column("begint", datetime, 18),
        Column("eindigt", datetime, 18),
        Column("online", bool, 8),
        Column("locatie", str, 24),
        Column("sdgs", str, 12),
        Column("verwacht_bereik", int, 10),
        Column("werkelijk_bereik", int, 10),
        Column("publiek", bool, 8),
    ]
    rows = [
        [
            action_id,
            nis,
            name,
            province,
            title,
            kind.value,
            audience.value,
            _local(starts),
            _local(ends),
            online,
            location,
            " ".join(sdgs.get(action_id, ())),
            expected,
            actual,
            public,
        ]
        for (
            action_id,
            nis,
            name,
            province,
            title,
            kind,
            audience,
            starts,
            ends,
            online,
            location,
            expected,
            actual,
            public,
        ) in db.session.execute(stmt)
    ]
    return Table("actions", columns, rows)


def heroes(edition: Edition, *, today: date) -> Table:
    """Heroes whose consent is valid today, with their scopes; the others are left out."""
    valid = sa.and_(figures.active_in(edition.id), Consent.withdrawn_at.is_(None), Consent.expires_on >= today)
    sdgs: dict[int, list[str]] = {}
    for hero_id, number in db.session.execute(
        sa.select(hero_sdg.c.hero_id, hero_sdg.c.sdg_number)
        .join(Hero, Hero.id == hero_sdg.c.hero_id)
        .join(Registration, Registration.id == Hero.registration_id)
        .join(Consent, Consent.hero_id == Hero.id)
        .where(valid)
        .order_by(hero_sdg.c.hero_id, hero_sdg.c.sdg_number)
    ):
        sdgs.setdefault(hero_id, []).append(str(number))
    stmt = (
        sa.select(
            Hero.id,
            Municipality.nis_code,
            Municipality.name_nl,
            Hero.name,
            Hero.role,
            Hero.quote,
            Consent.web,
            Consent.print,
            Consent.social,
            Consent.press,
            Consent.expires_on,
        )
        .join(Registration, Registration.id == Hero.registration_id)
        .join(Consent, Consent.hero_id == Hero.id)
        .join(Municipality, Municipality.id == Hero.municipality_id)
        .where(valid)
        .order_by(Municipality.name_nl, Hero.name, Hero.id)
    )
    columns = [
        Column("id", int, 7),
        Column("nis_code", str, 9),
        Column("gemeente", str, 24),
        Column("naam", str, 24),
        Column("rol", str, 28),
        Column("citaat", str, 50),
        Column("sdgs", str, 12),
        Column("toestemming_web", bool, 9),
        Column("toestemming_print", bool, 9),
        Column("toestemming_sociale_media", bool, 9),
        Column("toestemming_pers", bool, 9),
        Column("toestemming_tot", date, 12),
    ]
    rows = [
        [hero_id, nis, name, hero, role, quote, " ".join(sdgs.get(hero_id, ())), web, printed, social, press, until]
        for hero_id, nis, name, hero, role, quote, web, printed, social, press, until in db.session.execute(stmt)
    ]
    return Table("heroes", columns, rows)


def municipalities(edition: Edition, *, today: date) -> Table:
    """Every municipality with its status on the map and how often it took part before."""
    statuses = services.map_statuses(edition, today=today)
    counts = figures.participation_counts(edition.year)
    columns = [
        Column("nis_code", str, 9),
        Column("gemeente", str, 28),
        Column("provincie", str, 16),
        Column("status", str, 16),
        Column("eerdere_edities", int, 9),
    ]
    stmt = sa.select(Municipality).options(sa.orm.joinedload(Municipality.province)).order_by(Municipality.name_nl)
    rows = [
        [
            m.nis_code,
            m.name_nl,
            m.province.name_nl,
            statuses.get(m.id, services.MapStatus.NOT_REGISTERED).value,
            counts.get(m.id, 0),
        ]
        for m in db.session.scalars(stmt)
    ]
    return Table("municipalities", columns, rows)


def sdgs(edition: Edition, *, today: date) -> Table:
    columns = [
        Column("sdg", int, 5),
        Column("titel", str, 40),
        Column("pijler", str, 12),
        Column("kleur", str, 9),
        Column("focus", bool, 7),
        Column("acties", int, 8),
        Column("helden", int, 8),
    ]
    rows = [
        [row.sdg.number, row.sdg.name_nl, row.sdg.pillar.value, row.sdg.color_hex, row.focus, row.actions, row.heroes]
        for row in figures.per_sdg(edition)
    ]
    return Table("sdgs", columns, rows)


STEP_WORDS = {"hero": "helden", "consent": "toestemming", "kit": "kit", "flag": "vlagfoto"}


def gap_list(gaps: list[services.Gap], absent: list[services.Absent]) -> Table:
    """The gap list: stuck registrations, then the municipalities not registered yet."""
    columns = [
        Column("nis_code", str, 9),
        Column("gemeente", str, 28),
        Column("provincie", str, 16),
        Column("stap", str, 18),
        Column("deadline", date, 12),
        Column("dagen_tot_deadline", int, 10),
        Column("contactpersoon", str, 24),
        Column("email", str, 30),
        Column("laatste_activiteit", datetime, 18),
        Column("eerdere_edities", int, 9),
    ]
    rows: list[list[object]] = [
        [
            g.municipality.nis_code,
            g.municipality.name,
            g.municipality.province_nl,
            STEP_WORDS.get(g.step, g.step),
            g.deadline,
            g.days_left,
            g.contact_name,
            g.contact_email,
            _local(g.last_activity),
            None,
        ]
        for g in gaps
    ]
    rows += [
        [a.municipality.nis_code, a.municipality.name, a.municipality.province_nl, "niet ingeschreven"]
        + [None] * 5
        + [a.editions_before]
        for a in absent
    ]
    return Table("opvolglijst", columns, rows)


EXPORTS: dict[str, Callable[..., Table]] = {
    "registrations": registrations,
    "actions": actions,
    "heroes": heroes,
    "municipalities": municipalities,
    "sdgs": sdgs,
}


# The formats -------------------------------------------------------------------------------


# A cell Excel would read as a formula: "=", "@", a tab or CR first, or "+"/"-" followed by
# anything but a number or a phone number (so "+32 9 123 45 67" stays as it is).
_FORMULA = re.compile(r"[=@\t\r]|[+-](?![0-9 ./()-]*$)")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value  # never a formula in Excel
    return str(value)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark and ";" between fields: what Excel on a Belgian system opens."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """Typed cells, a frozen header, an autofilter and column widths (openpyxl's write-only
    mode: it streams the rows, several times faster than building the sheet in memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.name)
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = [
        "yyyy-mm-dd hh:mm" if c.kind is datetime else "yyyy-mm-dd" if c.kind is date else None for c in table.columns
    ]
    dated = [i for i, fmt in enumerate(formats) if fmt]
    for row in table.rows:
        values = [_cell(sheet, v) for v in row]
        for i in dated:
            if values[i] is not None:
                cell = WriteOnlyCell(sheet, value=values[i])
                cell.number_format = formats[i]
                values[i] = cell
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(sheet, value: object) -> object:
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text as it is, never a formula
        return cell
    return value


def to_json(table: Table) -> bytes:
    """A list of objects, one per row."""

    def plain(value: object) -> object:
        return value.isoformat() if isinstance(value, date | datetime) else value

    names = [c.name for c in table.columns]
    rows = [{name: plain(value) for name, value in zip(names, row, strict=True)} for row in table.rows]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}


def export(name: str, edition: Edition, fmt: str, *, today: date) -> bytes:
    """The export ``name`` of ``edition`` in format ``fmt``. Raises KeyError for an unknown one."""
    return WRITERS[fmt](EXPORTS[name](edition, today=today))
