"""The policy report as HTML (the team's preview), PDF (A4, tagged PDF/UA-1, fonts embedded,
page numbers, bookmarks from the headings, vector charts) and XLSX (the data behind every chart).
Data in (``data.ReportData``), text or bytes out: no request, no database."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Font
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from campaign.kits.print_fetch import AssetFetcher
from campaign.kits.print_layout import ASSET_ROOT, ink_on
from campaign.monitoring import charts
from campaign.reference.models import PILLAR_NAMES_NL, Pillar
from campaign.reports.data import STEPS, ReportData
from campaign.reports.survey import AGAIN, CHANNELS, EFFECTS, MATERIALS

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "print"
LOCALE = "nl_BE"
CHART_NAMES = (
    "history", "provinces", "turnover", "timeline", "sdg_actions", "sdg_heroes",
    "pillars", "pillar_heroes", "province_heroes", "province_actions", "funnel", "ratings", "channels", "effects",
    "again",
)  # fmt: skip


def per_province(r: ReportData) -> list[tuple[str, int, int]]:
    """(province, heroes, actions) from the annex rows, in the provinces' order."""
    totals: dict[str, list[int]] = {p.province.name_nl: [0, 0] for p in r.provinces}
    for row in r.annex:
        entry = totals.setdefault(row.province, [0, 0])
        entry[0] += row.heroes
        entry[1] += row.actions
    return [(name, heroes, actions) for name, (heroes, actions) in totals.items()]


SECTIONS = (
    ("inleiding", "Inleiding"),
    ("samenvatting", "Samenvatting in cijfers"),
    ("deelname", "Deelname over de edities"),
    ("sdgs", "Helden en acties per SDG"),
    ("stappenplan", "Het stappenplan"),
    ("evaluatie", "Resultaten van de evaluatie"),
    ("praktijken", "Praktijken in de kijker"),
    ("conclusies", "Conclusies en aanbevelingen"),
    ("bijlage", "Bijlage: alle gemeenten"),
    ("definities", "Aanhangsel: definities"),
)


@dataclass(frozen=True)
class Sheet:
    """The numbers behind one chart."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


def sheets(r: ReportData) -> list[Sheet]:
    board = r.dashboard
    s = r.survey
    previous = board.timeline.previous or [None] * len(board.timeline.days_before)
    return [
        Sheet("Deelname per editie", ("editie", "kaart 2025", "zoals toen geteld"),
              tuple((h.year, h.comparable, h.as_counted) for h in r.history)),
        Sheet("Per provincie", ("provincie", "gemeenten", "deelnemers", "deelnamegraad", "vorige graad"),
              tuple((p.province.name_nl, p.municipalities, p.registered, round(p.rate, 4),
                     None if p.previous_rate is None else round(p.previous_rate, 4)) for p in r.provinces)),
        Sheet("Terugkerend nieuw afgehaakt", ("groep", "gemeenten"),
              (("terugkerend", len(board.turnover.returning)), ("nieuw", len(board.turnover.first_time)),
               ("afgehaakt", len(board.turnover.dropped)))),
        Sheet("Tijdlijn", ("dagen voor de week", "deze editie", "vorige editie"),
              tuple(zip(board.timeline.days_before, board.timeline.current, previous, strict=True))),
        Sheet("Per SDG", ("SDG", "naam", "focus", "acties", "helden"),
              tuple((row.sdg.number, row.sdg.name_nl, row.focus, row.actions, row.heroes) for row in board.sdgs)),
        Sheet("Helden en acties per provincie", ("provincie", "helden", "acties"), tuple(per_province(r))),
        Sheet("Per pijler", ("pijler", "acties", "helden"),
              tuple((PILLAR_NAMES_NL[row.pillar], row.actions, row.heroes) for row in board.pillars)),
        Sheet("Stappenplan", ("stap", "gemeenten"), tuple((title, board.funnel[key]) for key, title in STEPS.items())),
        Sheet("Tevredenheid", ("materiaal", "gemiddelde", "1", "2", "3", "4", "5", "niet gebruikt"),
              tuple((str(label), s.averages[key], *(s.ratings[key][n] for n in (1, 2, 3, 4, 5)), s.ratings[key][0])
                    for key, label in MATERIALS.items())),
        Sheet("Kanalen", ("kanaal", "gemeenten"), tuple((str(CHANNELS[k]), n) for k, n in s.channels.items())),
        Sheet("Effecten", ("effect", "gemeenten"), tuple((str(EFFECTS[k]), n) for k, n in s.effects.items())),
        Sheet("Opnieuw meedoen", ("antwoord", "gemeenten"), tuple((str(AGAIN[k]), n) for k, n in s.again.items())),
        Sheet("Bijlage gemeenten", ("gemeente", "provincie", "deelname", "helden", "acties", "stappen", "edities"),
              tuple((a.name, a.province, a.taking_part, a.heroes, a.actions, a.steps, a.editions) for a in r.annex)),
    ]  # fmt: skip


@dataclass(frozen=True)
class Chart:
    label: str  # the chart's accessible name; in the PDF its alternative text
    svg: str


def _chart(draw, *args, label: str, **options) -> Chart:
    return Chart(label, draw(*args, label=label, **options))


def _charts(r: ReportData) -> dict[str, Chart]:
    board = r.dashboard
    s = r.survey
    sdg_labels = tuple(str(row.sdg.number) for row in board.sdgs)
    sdg_colours = tuple(row.sdg.color_hex for row in board.sdgs)
    previous = board.timeline.previous
    provinces = per_province(r)
    return {
        "history": _chart(
            charts.bars,
            tuple(str(h.year) for h in r.history), tuple(h.comparable for h in r.history),
            label="Deelnemende gemeenten per editie", horizontal=False, height=300,
        ),
        "provinces": _chart(
            charts.bars,
            tuple(p.province.name_nl for p in r.provinces), tuple(round(p.rate * 100, 1) for p in r.provinces),
            label="Deelnamegraad per provincie", percent=True,
        ),
        "turnover": _chart(
            charts.bars,
            ("Terugkerend", "Nieuw", "Afgehaakt"),
            (len(board.turnover.returning), len(board.turnover.first_time), len(board.turnover.dropped)),
            label="Terugkerende, nieuwe en afgehaakte gemeenten",
        ),
        "timeline": _chart(
            charts.lines,
            tuple(str(d) for d in board.timeline.days_before),
            ((str(r.edition.year), tuple(board.timeline.current)),
             *(((str(board.previous.year), tuple(previous)),) if previous and board.previous else ())),
            label="Ingeschreven gemeenten per dag voor de week", every=14,
        ),
        "sdg_actions": _chart(
            charts.bars,
            sdg_labels, tuple(row.actions for row in board.sdgs), label="Acties per SDG", colours=sdg_colours,
            horizontal=False, height=300,
        ),
        "sdg_heroes": _chart(
            charts.bars,
            sdg_labels, tuple(row.heroes for row in board.sdgs), label="Helden per SDG", colours=sdg_colours,
            horizontal=False, height=300,
        ),
        "pillars": _chart(
            charts.bars,
            tuple(PILLAR_NAMES_NL[row.pillar] for row in board.pillars), tuple(row.actions for row in board.pillars),
            label="Acties per 5P-pijler",
        ),
        "pillar_heroes": _chart(
            charts.bars,
            tuple(PILLAR_NAMES_NL[row.pillar] for row in board.pillars), tuple(row.heroes for row in board.pillars),
            label="Helden per 5P-pijler",
        ),
        "province_heroes": _chart(
            charts.bars,
            tuple(name for name, _, _ in provinces), tuple(heroes for _, heroes, _ in provinces),
            label="Helden per provincie",
        ),
        "province_actions": _chart(
            charts.bars,
            tuple(name for name, _, _ in provinces), tuple(actions for _, _, actions in provinces),
            label="Acties per provincie",
        ),
        "funnel": _chart(
            charts.bars,
            tuple(STEPS.values()), tuple(board.funnel[key] for key in STEPS), label="Gemeenten per afgeronde stap",
        ),
        "ratings": _chart(
            charts.bars,
            tuple(str(label) for label in MATERIALS.values()),
            tuple(s.averages[key] or 0 for key in MATERIALS), label="Gemiddelde tevredenheid per materiaal",
        ),
        "channels": _chart(
            charts.bars,
            tuple(str(CHANNELS[k]) for k in s.channels), tuple(s.channels.values()), label="Gebruikte kanalen",
        ),
        "effects": _chart(
            charts.bars,
            tuple(str(EFFECTS[k]) for k in s.effects), tuple(s.effects.values()), label="Effecten in de organisatie",
        ),
        "again": _chart(
            charts.bars,
            tuple(str(AGAIN[k]) for k in s.again), tuple(s.again.values()), label="Opnieuw meedoen",
        ),
    }  # fmt: skip


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


@cache
def _fonts() -> FontConfiguration:
    return FontConfiguration()


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def render_html(
    r: ReportData, *, photo_url, logo_url: str | None, chart_url=None, figures: dict[str, Chart] | None = None
) -> str:
    """The report as one HTML document; ``photo_url`` turns a media path into a URL. Charts are
    inline SVG, or with ``chart_url`` (name → URL) images with the chart's name as their
    alternative text: WeasyPrint draws an SVG image without running the document's cascade over
    every element of it, which halves the time the charts cost in the PDF."""
    visual_primary = r.edition.visual_primary or "#1F4E3D"
    figures = figures or _charts(r)

    def chart(name: str) -> Markup:
        if chart_url is None:
            return Markup(figures[name].svg)  # noqa: S704 - made by charts.py, labels escaped there
        return Markup('<img class="chart" src="{}" alt="{}"/>').format(chart_url(name), figures[name].label)

    return (
        _environment()
        .get_template("report.html")
        .render(
            r=r,
            chart=chart,
            province_totals=per_province(r),
            sections=SECTIONS,
            steps=STEPS,
            materials=MATERIALS,
            pillars={p.value: PILLAR_NAMES_NL[p] for p in Pillar},
            focus=[f"{row.sdg.number}. {row.sdg.name_nl}" for row in r.dashboard.sdgs if row.focus],
            visual={"primary": visual_primary, "ink": ink_on(visual_primary)},
            logo=logo_url,
            photo=photo_url,
            paragraphs=_paragraphs,
            day=lambda value: f"{value.day} {MONTHS[value.month - 1]} {value.year}",
            number=lambda value, pattern=None: format_decimal(value, format=pattern, locale=LOCALE),
            percent=lambda value: format_percent(value, locale=LOCALE),
            points=lambda value: format_decimal(value * 100, format="+0.0;-0.0", locale=LOCALE) + " pp",
            font_dir=(ASSET_ROOT / "fonts").as_uri(),
        )
    )


MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


class RenderedPdf(NamedTuple):
    data: bytes
    pages: int


def render_pdf(r: ReportData, *, media_root: Path, logo_path: Path | None = None) -> RenderedPdf:
    """The report as a tagged PDF/UA-1 A4 document, with its number of pages."""
    fetcher = AssetFetcher([ASSET_ROOT, Path(media_root)], cache=False)
    figures = _charts(r)
    urls = {
        name: fetcher.register(f"chart-{name}.svg", figure.svg.encode(), "image/svg+xml")
        for name, figure in figures.items()
    }
    html = render_html(
        r,
        photo_url=lambda relative: (Path(media_root) / relative).resolve().as_uri(),
        logo_url=logo_path.resolve().as_uri() if logo_path else None,
        chart_url=urls.__getitem__,
        figures=figures,
    )
    document = HTML(string=html, base_url=ASSET_ROOT.as_uri() + "/", url_fetcher=fetcher).render(
        pdf_variant="pdf/ua-1", font_config=_fonts()
    )
    return RenderedPdf(document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False), len(document.pages))


def render_xlsx(r: ReportData) -> bytes:
    """One sheet per chart (and the annex), with a bold frozen header."""
    book = Workbook(write_only=False)
    book.remove(book.active)
    for sheet in sheets(r):
        ws = book.create_sheet(sheet.title[:31])
        ws.append(list(sheet.header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(list(row))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for column in ws.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
