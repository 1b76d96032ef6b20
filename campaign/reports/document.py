"""The policy report as HTML (the team's preview), PDF (A4, tagged PDF/UA-1, fonts embedded,
page numbers, bookmarks from the headings, vector charts) and XLSX (the data behind every chart).
Data in (``data.ReportData``), text or bytes out: no request, no database."""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.styles import Font
from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from campaign.kits import print_svg
from campaign.kits.print_fetch import AssetFetcher
from campaign.kits.print_html import XmlHTML, printable
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
    # ``printable``: the PDF parses the HTML as XML, which allows no control characters.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), finalize=printable)


@cache
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@cache
def _report_ua() -> CSS:
    """The user-agent stylesheet for report.html: WeasyPrint's HTML5 rules (70.x) for the elements
    the report uses, nothing for forms, quotes, right-to-left text or the hundred elements it does
    not use. WeasyPrint matches every user-agent rule against every element of the document; this
    one saves about 0.1–0.2 s of a build here. Bookmarks (h1–h3), table display, list markers
    and the page's margin boxes come from here, links and anchors from WeasyPrint's HTML handlers.
    tests/reports/test_report.py prints the report with both and compares every page."""
    return CSS(string=REPORT_UA)


REPORT_UA = """
[hidden], head, link, meta, script, style, title { display: none }
article, body, dd, div, dl, dt, figcaption, figure, h1, h2, h3, html, main, nav, ol, p, section, ul { display: block }
li { display: list-item }
table { display: table; border-spacing: 2px; border-collapse: separate; box-sizing: border-box; text-indent: initial }
caption { display: table-caption }
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group }
tbody { display: table-row-group }
tr { display: table-row }
td, th { display: table-cell; padding: 1px }
dl, figure, ol, p, ul { margin-top: 1em; margin-bottom: 1em }
:is(dl, ol, ul) :is(dl, ol, ul) { margin-top: 0; margin-bottom: 0 }
body { margin: 8px }
h1 { margin-top: .67em; margin-bottom: .67em; font-size: 2em; font-weight: bold; bookmark-level: 1 }
h2 { margin-top: .83em; margin-bottom: .83em; font-size: 1.5em; font-weight: bold; bookmark-level: 2 }
h3 { margin-top: 1em; margin-bottom: 1em; font-size: 1.17em; font-weight: bold; bookmark-level: 3 }
h1, h2, h3 { bookmark-label: content(text); hyphens: manual; break-after: avoid; break-inside: avoid }
figure { margin-left: 40px; margin-right: 40px }
dd { margin-left: 40px }
ol, ul { padding-left: 40px; counter-reset: list-item; break-before: avoid }
ol { list-style-type: decimal }
ul { list-style-type: disc }
:is(ol, ul) ul { list-style-type: circle }
::marker { font-variant-numeric: tabular-nums; white-space: pre; text-transform: none }
thead, tbody, table > tr { vertical-align: middle }
tr, td, th { vertical-align: inherit }
html { color-scheme: light }
em, i { font-style: italic }
b, strong, th { font-weight: bold }
small { font-size: smaller }
table, td, th { border-color: gray }
thead, tbody, tr { border-color: inherit }
:link { color: blue }
:link, :visited { text-decoration: underline }
img, svg { overflow: hidden }
@page {
  margin: 75px;
  @top-left { text-align: left; vertical-align: middle }
  @top-center { text-align: center; vertical-align: middle }
  @top-right { text-align: right; vertical-align: middle }
  @bottom-left { text-align: left; vertical-align: middle }
  @bottom-center { text-align: center; vertical-align: middle }
  @bottom-right { text-align: right; vertical-align: middle }
}
"""


class ReportHTML(XmlHTML):
    """The report's HTML, parsed as XML (``XmlHTML``: report.html is well-formed XML), with the
    report's user-agent stylesheet (``_report_ua``); it overrides ``HTML._ua_stylesheets``, an
    internal of WeasyPrint 70.x, as the kits' posters do."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_report_ua()]


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused. WeasyPrint makes a great many small objects for a
    report, and the collector ran some 400 times during a build, scanning them again and again:
    0.4-0.7 s of a 3.5 s build here (measured with ``gc.callbacks``, in a warm process). Paused,
    builds in the same process took 2.7-2.9 s against 3.5-3.6 s. The laid-out document is left
    for the caller to collect once the build is recorded (``services.build_pending``): that one
    collection takes 0.2-0.3 s here, and the team need not wait for it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_pdf(r: ReportData, *, media_root: Path, logo_path: Path | None = None) -> RenderedPdf:
    """The report as a tagged PDF/UA-1 A4 document, with its number of pages."""
    with _collector_paused():
        return _render_pdf(r, media_root=media_root, logo_path=logo_path)


def _render_pdf(r: ReportData, *, media_root: Path, logo_path: Path | None) -> RenderedPdf:
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
    return _printed(html, fetcher)


def _printed(html: str, fetcher: AssetFetcher) -> RenderedPdf:
    """``html`` printed as a tagged PDF/UA-1 document, the way every build and the warm-up do it.
    The charts' texts are drawn in whole runs (``print_svg``)."""
    print_svg.install()
    document = ReportHTML(html, base_url=ASSET_ROOT.as_uri() + "/", url_fetcher=fetcher).render(
        pdf_variant="pdf/ua-1", font_config=_fonts()
    )
    return RenderedPdf(document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False), len(document.pages))


WARM_UP_SAMPLE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"/><title>Voorbeeld</title><style>
@font-face { font-family: "Atkinson Hyperlegible"; font-weight: 400;
  src: url("{font_dir}/AtkinsonHyperlegible-Regular.ttf"); }
@font-face { font-family: "Atkinson Hyperlegible"; font-weight: 700;
  src: url("{font_dir}/AtkinsonHyperlegible-Bold.ttf"); }
@page { size: A4; @bottom-center { content: counter(page) " / " counter(pages); } }
body { font-family: "Atkinson Hyperlegible"; }
</style></head><body><nav><ol><li><a href="#a">Voorbeeld</a></li></ol></nav><main><h1 id="a">Voorbeeld</h1>
<p>Één <strong>held</strong>.</p>
<figure><img src="{chart}" alt="Voorbeeld"/><figcaption>Voorbeeld.</figcaption></figure>
<table><caption>Voorbeeld</caption><thead><tr><th scope="col">Gemeente</th><th scope="col">Helden</th></tr></thead>
<tbody><tr><th scope="row">Gent</th><td>1</td></tr></tbody></table><dl><dt>Held</dt><dd>Een persoon.</dd></dl>
</main></body></html>"""


def warm_up() -> int:
    """Do once per process what every build needs: load the fonts, parse the user-agent stylesheet,
    compile the template and the charts' stylesheet, and let WeasyPrint and Pango set themselves
    up, by printing a one-page sample. The jobs process calls it when it starts: without it, the
    first build in a process took about a second longer than the next one here. Returns the
    sample's page count."""
    _environment().get_template("report.html")
    fetcher = AssetFetcher([ASSET_ROOT], cache=False)
    chart = charts.bars(("Gent", "Genk"), (2, 1), label="Voorbeeld")
    url = fetcher.register("chart-sample.svg", chart.encode(), "image/svg+xml")
    html = WARM_UP_SAMPLE.replace("{font_dir}", (ASSET_ROOT / "fonts").as_uri()).replace("{chart}", url)
    return _printed(html, fetcher).pages


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
