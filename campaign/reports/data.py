"""The policy report's figures, gathered once per build. Every figure comes from the monitoring
definitions (``monitoring.figures`` through ``monitoring.services.dashboard``), so the report
and the dashboard always agree; what the dashboard does not show (participation over all
editions, the annex) is counted here with the same rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from campaign.actions.models import ActionPhoto
from campaign.core.uploads import Upload
from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.heroes.models import ConsentScope, Hero
from campaign.monitoring import figures
from campaign.monitoring import services as monitoring
from campaign.press import highlights
from campaign.reference.models import Municipality, Province
from campaign.registrations.models import Registration, RegistrationStatus, registration_former_municipality
from campaign.reports.models import ReportText
from campaign.reports.survey import Results, results

FIRST_YEAR = 2018

STEPS = {
    "registered": "Ingeschreven",
    "hero": "Minstens één held",
    "consent": "Toestemming van alle helden",
    "kit": "Campagnekit gedownload",
    "flag": "Foto van de SDG-vlag",
}

DEFINITIONS = (
    ("Deelnemende gemeente", "Een gemeente met een actieve inschrijving voor de editie (niet ingetrokken)."),
    (
        "Vergelijkbare deelname",
        "Deelname op de kaart van 2025 (285 gemeenten): een gemeente neemt deel aan een editie van vóór 2025 "
        "als minstens één van haar voormalige gemeenten (300 vóór de fusies) deelnam. Zo zijn alle edities "
        "vergelijkbaar; de deelname zoals toen geteld staat ernaast.",
    ),
    ("Deelnamegraad", "Deelnemende gemeenten gedeeld door het aantal gemeenten van de provincie of van Vlaanderen."),
    ("Held", "Een duurzame held die een deelnemende gemeente invoerde, met of zonder toestemming."),
    (
        "Held met volledige toestemming",
        "Een held met geldige toestemming (niet ingetrokken, niet verlopen op de dag van het rapport) voor web, "
        "druk, sociale media en pers.",
    ),
    ("Actie", "Een actie die een deelnemende gemeente invoerde, openbaar of niet."),
    (
        "Acties en helden per SDG",
        "Elke koppeling van een actie of held aan een SDG telt één keer per SDG; per 5P-pijler telt een actie "
        "of held één keer, hoeveel SDG's van die pijler ze ook heeft.",
    ),
    (
        "Terugkerend, nieuw en afgehaakt",
        "Terugkerend: deelnemer nu en in de vorige editie; nieuw: nu, maar niet in de vorige; afgehaakt: in "
        "de vorige editie, nu niet. Op de kaart van 2025.",
    ),
    ("Stappenplan", "Het aantal deelnemende gemeenten dat een stap van het stappenplan heeft afgerond."),
    (
        "Evaluatie",
        "Ingediende evaluaties van deelnemende gemeenten; gemiddelde scores over de scores 1 tot 5 ('niet "
        "gebruikt' telt niet mee).",
    ),
)


@dataclass(frozen=True)
class HistoryRow:
    year: int
    comparable: int  # on the 2025 map
    as_counted: int  # in the municipalities of that year (300 before 2025)


@dataclass(frozen=True)
class ProvinceChange:
    province: Province
    municipalities: int
    registered: int
    rate: float
    previous_rate: float | None

    @property
    def change(self) -> float | None:
        return None if self.previous_rate is None else self.rate - self.previous_rate


@dataclass(frozen=True)
class AnnexRow:
    name: str
    province: str
    taking_part: bool
    heroes: int
    actions: int
    steps: int  # steps of the step plan completed
    editions: int  # editions taken part in up to and including this one


@dataclass(frozen=True)
class Practice:
    title: str
    text: str
    municipality: str
    photo_path: str | None  # only within print consent
    credit: str


@dataclass(frozen=True)
class ReportData:
    edition: Edition
    built_at: datetime
    today: date
    dashboard: monitoring.Dashboard
    history: list[HistoryRow]
    provinces: list[ProvinceChange]
    survey: Results
    practices: list[Practice]
    annex: list[AnnexRow]
    texts: ReportText
    definitions: tuple[tuple[str, str], ...] = DEFINITIONS

    @property
    def key(self) -> figures.KeyFigures:
        return self.dashboard.key


def history(until_year: int) -> list[HistoryRow]:
    """Participation per edition from FIRST_YEAR: on the 2025 map, and as counted then."""
    active = sa.and_(Registration.status == RegistrationStatus.ACTIVE, Edition.year.between(FIRST_YEAR, until_year))
    comparable = dict(
        db.session.execute(
            sa.select(Edition.year, sa.func.count(sa.distinct(Registration.municipality_id)))
            .join(Registration, Registration.edition_id == Edition.id)
            .where(active)
            .group_by(Edition.year)
        ).all()
    )
    as_counted: dict[int, int] = {}
    for year, formers in db.session.execute(
        sa.select(Edition.year, sa.func.count(registration_former_municipality.c.registration_id))
        .join(Registration, Registration.edition_id == Edition.id)
        .outerjoin(
            registration_former_municipality, registration_former_municipality.c.registration_id == Registration.id
        )
        .where(active)
        .group_by(Registration.id, Edition.year)
    ):
        as_counted[year] = as_counted.get(year, 0) + max(formers, 1)  # a registration without its former list: one
    years = sorted(comparable)
    return [HistoryRow(year, comparable[year], as_counted[year]) for year in years]


def _provinces(edition: Edition, previous: Edition | None, rows: list[figures.ProvinceRow]) -> list[ProvinceChange]:
    before = {row.province.id: row.rate for row in figures.per_province(previous)} if previous else {}
    return [
        ProvinceChange(row.province, row.municipalities, row.registered, row.rate, before.get(row.province.id))
        for row in rows
    ]


def _practices(edition: Edition, now: datetime, today: date) -> list[Practice]:
    """The team's highlights of the edition; a hero's photo only with print consent."""
    result = []
    for item in highlights.published(edition, now=now):
        photo = item.photos[0] if item.photos else None
        if item.hero is not None and not item.hero.allows(ConsentScope.PRINT, today):
            photo = None
        result.append(
            Practice(
                title=item.highlight.title,
                text=item.highlight.text,
                municipality=item.municipality.name_nl,
                photo_path=photo.upload.display_path or photo.upload.path if photo else None,
                credit=photo.credit if photo else "",
            )
        )
    return result


def _annex(edition: Edition, rows: list[figures.Progress]) -> list[AnnexRow]:
    progress = {row.municipality_id: row for row in rows}
    counts = figures.participation_counts(edition.year + 1)
    result = []
    for municipality, province in db.session.execute(
        sa.select(Municipality, Province.name_nl)
        .join(Province, Province.id == Municipality.province_id)
        .order_by(Municipality.name_nl)
    ):
        row = progress.get(municipality.id)
        result.append(
            AnnexRow(
                name=municipality.name_nl,
                province=province,
                taking_part=row is not None,
                heroes=row.heroes if row else 0,
                actions=row.actions if row else 0,
                steps=sum(row.done.values()) if row else 0,
                editions=counts.get(municipality.id, 0),
            )
        )
    return result


def is_practice_photo(relative: str) -> bool:
    """Whether ``relative`` (a media path) is a hero's or an action's photo."""
    photos = sa.select(Upload.id).where(sa.or_(Upload.path == relative, Upload.display_path == relative))
    used = sa.union(
        sa.select(Hero.photo_id).where(Hero.photo_id.in_(photos)),
        sa.select(ActionPhoto.upload_id).where(ActionPhoto.upload_id.in_(photos)),
    )
    return db.session.scalar(sa.select(sa.func.count()).select_from(used.subquery())) > 0


def texts_of(edition: Edition) -> ReportText:
    return db.session.get(ReportText, edition.id) or ReportText(
        edition_id=edition.id, introduction="", keep="", strengthen="", adjust=""
    )


def gather(edition: Edition, *, now: datetime, today: date) -> ReportData:
    editions = list(db.session.scalars(sa.select(Edition).order_by(Edition.year.desc())))
    board = monitoring.dashboard(edition, editions, today=today)
    rows = figures.progress(edition, today=today)
    return ReportData(
        edition=edition,
        built_at=now,
        today=today,
        dashboard=board,
        history=history(edition.year),
        provinces=_provinces(edition, board.previous, board.provinces),
        survey=results(edition),
        practices=_practices(edition, now, today),
        annex=_annex(edition, rows),
        texts=texts_of(edition),
    )
