"""The one-page press release per province, as PDF: data in, bytes out (WeasyPrint, the shipped
Atkinson Hyperlegible font, nothing fetched but the package's own assets)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from campaign.kits.print_fetch import AssetFetcher
from campaign.kits.print_layout import ASSET_ROOT

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "print"
MAX_HIGHLIGHTS = 6  # listed on the page; the rest are in the press export
MAX_MUNICIPALITIES = 40  # named on the page; beyond that the count says it


@dataclass(frozen=True)
class ProvinceFigures:
    name: str
    municipalities: int  # in the province
    registered: int
    heroes: int
    actions: int


@dataclass(frozen=True)
class Release:
    """What one province's press release says."""

    edition_title: str
    year: int
    dates: str
    province: ProvinceFigures
    flanders: ProvinceFigures  # the same figures for all of Flanders
    text: str  # the team's template text, placeholders filled in
    participants: tuple[str, ...]  # the province's registered municipalities
    highlights: tuple[tuple[str, str], ...]  # (title, municipality)
    contact: tuple[str, ...]  # contact lines


PLACEHOLDERS = ("provincie", "deelnemers", "gemeenten", "helden", "acties", "jaar")


def fill(template: str, figures: ProvinceFigures, year: int) -> str:
    """The team's text with its placeholders ({provincie}, {deelnemers}, {gemeenten},
    {helden}, {acties}, {jaar}) filled in; anything else in braces stays as written."""
    values = {
        "provincie": figures.name,
        "deelnemers": str(figures.registered),
        "gemeenten": str(figures.municipalities),
        "helden": str(figures.heroes),
        "acties": str(figures.actions),
        "jaar": str(year),
    }
    text = template
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


@cache
def _fonts() -> FontConfiguration:
    return FontConfiguration()


def release_html(release: Release) -> str:
    return (
        _environment()
        .get_template("press_release.html")
        .render(
            r=release,
            paragraphs=[p.strip() for p in release.text.split("\n\n") if p.strip()],
            highlights=release.highlights[:MAX_HIGHLIGHTS],
            more=max(len(release.highlights) - MAX_HIGHLIGHTS, 0),
            participants=release.participants[:MAX_MUNICIPALITIES],
            font_dir=(ASSET_ROOT / "fonts").as_uri(),
        )
    )


def render_release(release: Release) -> bytes:
    """The press release as a PDF of one A4 page."""
    fetcher = AssetFetcher([ASSET_ROOT], cache=False)
    return HTML(string=release_html(release), base_url=ASSET_ROOT.as_uri() + "/", url_fetcher=fetcher).write_pdf(
        font_config=_fonts()
    )
