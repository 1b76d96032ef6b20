"""Print posters as PDF/X-4 with WeasyPrint: the hero poster and the "Wij doen mee" poster.

Renderers are pure: card data in, PDF bytes out. They run without a Flask app (a jobs worker
imports this module directly), so the templates in ``templates/print`` are loaded with a
standalone Jinja environment. The URL fetcher serves only files under ``campaign/assets/``
and the media root, and ``data:`` URLs; it never reaches the network.

Each page is the trim size plus ``BLEED_MM`` on every side, with crop marks in the bleed.
Text sizes are chosen in Python from the shipped font's advance widths (see ``fit_size``),
so a normal render needs one WeasyPrint layout pass.
"""

from __future__ import annotations

import hashlib
import math
import mimetypes
import os
import re
import warnings
from collections import OrderedDict
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from fontTools.ttLib import TTFont
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from PIL import Image, ImageFile
from weasyprint import CSS, HTML
from weasyprint.layout.replaced import replacedbox_layout
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from campaign.kits.cards import BLEED_MM, SAFE_MM, HeroCard, MunicipalityCard, PosterSize, SdgBadge, Visual

# WeasyPrint's import switches Pillow to accepting truncated images, process-wide. Every
# image we print was re-encoded by our upload pipeline, so switch it back: the pipeline
# must keep rejecting truncated uploads in any process that also renders posters.
ImageFile.LOAD_TRUNCATED_IMAGES = False

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
ASSET_ROOT = PACKAGE_ROOT / "assets"
TEMPLATE_DIR = PACKAGE_ROOT / "templates" / "print"
DEFAULT_MEDIA_ROOT = PACKAGE_ROOT.parent / "media"  # config.Defaults.MEDIA_ROOT, without importing Flask
FONT_FILES = {False: "fonts/AtkinsonHyperlegible-Regular.ttf", True: "fonts/AtkinsonHyperlegible-Bold.ttf"}
CAMPAIGN_LOGO = "print/campaign-logo.png"

PDF_OPTIONS = {"pdf_variant": "pdf/x-4", "output_intent": "srgb"}  # sRGB: the photos and colours are sRGB
FETCH_CACHE_BYTES = 64 * 1024 * 1024  # files other than assets, least recently used first out
LOGO_PIXELS = 480  # long side of a logo: 400 dpi at its 30 mm on A3
IMAGE_CACHE_ENTRIES = 64  # WeasyPrint's image cache is emptied past this many URLs
LOGO_CACHE_ENTRIES = 256  # flattened logos kept in memory
PX_TO_MM = 25.4 / 96
Box = tuple[float, float, float, float]  # x, y, width, height in mm from the trim box's top-left corner

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
WHITE, BLACK = "#FFFFFF", "#000000"


# Colour ------------------------------------------------------------------------------------


def _colour(value: str, default: str) -> str:
    return value.upper() if isinstance(value, str) and _HEX.fullmatch(value) else default


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two "#RRGGBB" colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(background: str) -> str:
    """White where it reaches 4.5:1 on ``background``, else black (which then always does)."""
    return WHITE if contrast(WHITE, background) >= 4.5 else BLACK


def _ink(preferred: str, background: str) -> str:
    return preferred if contrast(preferred, background) >= 4.5 else ink_on(background)


# Text fitting ------------------------------------------------------------------------------


@cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance widths in em of the shipped font, by code point, and the width of a missing glyph."""
    font = TTFont(ASSET_ROOT / FONT_FILES[bold], lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}
    return widths, 0.65


def text_width(text: str, *, bold: bool) -> float:
    """Width of ``text`` in em, from advance widths (no kerning)."""
    widths, missing = _advances(bold)
    return sum(widths.get(ord(char), missing) for char in text)


_BREAKS = re.compile(r"\S+?-(?=\S)|\S+")  # words, and after each inner hyphen a break opportunity


def _pieces(text: str, bold: bool) -> list[tuple[float, float]]:
    """(space before, width) in em of each unbreakable piece of ``text``, with 4 % added to the
    width for kerning and shaping."""
    space = text_width(" ", bold=bold)
    return [
        (
            space if match.start() and text[match.start() - 1].isspace() else 0.0,
            text_width(match.group(), bold=bold) * 1.04,
        )
        for match in _BREAKS.finditer(text)
    ]


def _wrap(pieces: list[tuple[float, float]], room: float) -> int:
    """Lines that greedy wrapping of ``pieces`` needs in ``room`` em; a piece wider than ``room``
    takes as many lines as overflow-wrap cuts it into."""
    lines, used = 1, 0.0
    for gap, piece in pieces:
        if used and used + gap + piece > room:
            lines, used = lines + 1, 0.0
            gap = 0.0
        if piece > room:
            extra = math.ceil(piece / room) - 1
            lines, used = lines + extra, piece - extra * room
        else:
            used += (gap if used else 0.0) + piece
    return lines


def count_lines(text: str, *, bold: bool, size: float, width: float) -> int:
    """Lines that greedy wrapping of ``text`` at font size ``size`` needs in ``width`` (same unit)."""
    return _wrap(_pieces(text, bold), width / size)


def fit_size(
    text: str,
    *,
    bold: bool,
    width: float,
    height: float,
    largest: float,
    smallest: float,
    line_height: float,
    max_lines: int = 99,
) -> float:
    """The largest font size from ``largest`` down to ``smallest`` (in steps of 3 %) at which
    ``text`` wraps into ``width`` in at most ``max_lines`` lines of ``line_height`` × size that
    together fit ``height``. Returns ``smallest`` when nothing fits: hyphenation and
    overflow-wrap then break long words."""
    pieces = _pieces(text, bold)
    widest = max((piece for _, piece in pieces), default=0.0)
    size = largest
    while size > smallest:
        lines = _wrap(pieces, width / size)
        if widest * size <= width and lines <= max_lines and lines * size * line_height <= height:
            return round(size, 2)
        size *= 0.97
    return round(smallest, 2)


def _block_height(text: str, *, bold: bool, size: float, width: float, line_height: float) -> float:
    return count_lines(text, bold=bold, size=size, width=width) * size * line_height


# Geometry ----------------------------------------------------------------------------------


def _scale(size: PosterSize) -> float:
    return size.trim_mm[0] / PosterSize.A3.trim_mm[0]


def _band_top(size: PosterSize) -> float:
    """Top of the bottom band: 30 mm (A3) of logos and text, above the safe margin."""
    k = _scale(size)
    return size.trim_mm[1] - SAFE_MM - 37 * k


@cache
def crop_marks_svg(size: PosterSize) -> bytes:
    """Crop marks as an SVG covering the whole page, trim plus bleed. The marks lie in the
    outer half of the bleed, as WeasyPrint's own, but are drawn over the backgrounds that run
    into the bleed (WeasyPrint's lie under them), each line on a white halo."""
    width, height = size.trim_mm
    b, half = BLEED_MM, BLEED_MM / 2
    paths = []
    for x in (b, b + width):
        for y in (b, b + height):
            out_x = 0 if x == b else x + half
            out_y = 0 if y == b else y + half
            paths.append(f"M{out_x:g} {y:g}h{half:g}M{x:g} {out_y:g}v{half:g}")
    d = "".join(paths)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + 2 * b:g}mm" height="{height + 2 * b:g}mm" '
        f'viewBox="0 0 {width + 2 * b:g} {height + 2 * b:g}" fill="none">'
        f'<path d="{d}" stroke="#FFFFFF" stroke-width="0.35"/>'  # 1 pt halo
        f'<path d="{d}" stroke="#000000" stroke-width="0.09"/>'  # 0.25 pt line
        "</svg>"
    )
    return svg.encode()


def _tiles(sdgs: tuple[SdgBadge, ...], *, width: float, height: float, largest: float, gap: float) -> dict:
    """SDG tiles laid out in the largest squares that fit ``width`` × ``height``."""
    count = len(sdgs)
    if not count:
        return {"tiles": [], "tile": 0, "columns": 0, "width": 0, "height": 0, "number_size": 0, "title_size": 0}
    best = (0.0, 1)
    for columns in range(1, count + 1):
        rows = math.ceil(count / columns)
        tile = min(largest, (width - (columns - 1) * gap) / columns, (height - (rows - 1) * gap) / rows)
        if tile > best[0]:
            best = (tile, columns)
    tile, columns = best
    rows = math.ceil(count / columns)
    pad = tile * 0.08
    number_size = tile * 0.3
    title_room = tile - 2 * pad - number_size * 1.05
    title_size = 0.0
    if tile >= 14:  # below that a title is too small to read: the number stands alone
        title_size = min(
            fit_size(
                sdg.title,
                bold=True,
                width=tile - 2 * pad,
                height=title_room,
                largest=tile * 0.11,
                smallest=tile * 0.06,
                line_height=1.1,
            )
            for sdg in sdgs
        )
    tiles = []
    for sdg in sdgs:
        colour = _colour(sdg.colour, "#5B5B5B")
        tiles.append({"number": sdg.number, "title": sdg.title, "colour": colour, "ink": ink_on(colour)})
    return {
        "tiles": tiles,
        "tile": round(tile, 2),
        "pad": round(pad, 2),
        "gap": gap,
        "columns": columns,
        "width": round(columns * tile + (columns - 1) * gap, 2),
        "height": round(rows * tile + (rows - 1) * gap, 2),
        "number_size": round(number_size, 2),
        "title_size": title_size,
    }


def _edition_dates(visual: Visual) -> str:
    return visual.dates if str(visual.year) in visual.dates else f"{visual.dates} {visual.year}".strip()


def _colours(visual: Visual) -> dict[str, str]:
    defaults = Visual()
    primary = _colour(visual.primary, defaults.primary)
    accent = _colour(visual.accent, defaults.accent)
    return {
        "primary": primary,
        "accent": accent,
        "on_primary": ink_on(primary),
        "primary_ink": _ink(primary, WHITE),  # the primary colour as text on white, where it is legible
        "accent_on_primary": _ink(accent, primary),
    }


def _stack_size(
    lines: list[tuple[str, bool]], *, width: float, height: float, largest: float, smallest: float
) -> float:
    """One font size for ``lines`` (text, bold) stacked in ``width`` × ``height``, line height 1.2."""
    size = largest
    while size > smallest:
        total = sum(_block_height(text, bold=bold, size=size, width=width, line_height=1.2) for text, bold in lines)
        if total <= height:
            return round(size, 2)
        size *= 0.97
    return round(smallest, 2)


def _band(size: PosterSize, *, municipality: str, logos: int, right: list[tuple[str, bool]]) -> dict:
    """The bottom band: logos at the left, the municipality next to them, and the ``right`` lines
    (text, bold) right-aligned; both text blocks centred on the logos."""
    k = _scale(size)
    inner = size.trim_mm[0] - 2 * SAFE_MM
    chip = 30 * k
    inset = 7 * k
    logos_width = chip + (logos - 1) * (chip * 1.5 + 4 * k)
    column = (inner - logos_width - 8 * k - 6 * k) / 2
    left = BLEED_MM + SAFE_MM  # the band's box starts in the bleed
    name_size = fit_size(
        municipality,
        bold=True,
        width=column,
        height=chip,
        largest=9 * k,
        smallest=4 * k,
        line_height=1.1,
        max_lines=2,
    )
    name_height = _block_height(municipality, bold=True, size=name_size, width=column, line_height=1.1)
    right_size = _stack_size(right, width=column, height=chip, largest=6 * k, smallest=3.5 * k)
    right_height = sum(_block_height(t, bold=b, size=right_size, width=column, line_height=1.2) for t, b in right)
    return {
        "top": round(_band_top(size), 2),
        "inset": round(inset, 2),
        "chip": round(chip, 2),
        "logo_left": left,
        "municipality_logo_left": round(left + chip + 4 * k, 2),
        "municipality_logo_width": round(chip * 1.5, 2),
        "municipality_left": round(left + logos_width + 8 * k, 2),
        "municipality_top": round(inset + max(chip - name_height, 0) / 2, 2),
        "municipality_size": name_size,
        "edition_right": left,
        "edition_top": round(inset + max(chip - right_height, 0) / 2, 2),
        "right_size": right_size,
        "column": round(column, 2),
    }


def hero_geometry(card: HeroCard, *, size: PosterSize) -> dict[str, Any]:
    """Sizes in mm for the hero poster: fitted font sizes, the photo and content boxes, the tiles."""
    k = _scale(size)
    width, height = size.trim_mm
    inner = width - 2 * SAFE_MM
    photo_height = round(height * 0.56, 2)
    content_top = photo_height + 9 * k
    content_bottom = _band_top(size) - 7 * k
    tiles = _tiles(card.sdgs, width=86 * k, height=44 * k, largest=26 * k, gap=3 * k)
    name_width = inner - (tiles["width"] + 8 * k if tiles["tiles"] else 0)
    kicker = 5 * k
    name = fit_size(
        card.name,
        bold=True,
        width=name_width,
        height=40 * k,
        largest=17 * k,
        smallest=8 * k,
        line_height=1.05,
        max_lines=2,
    )
    line = min(
        fit_size(
            text,
            bold=bold,
            width=name_width,
            height=15 * k,
            largest=7 * k,
            smallest=4.5 * k,
            line_height=1.15,
            max_lines=2,
        )
        for text, bold in ((card.role, False), (card.municipality, True))
    )
    header = (
        kicker * 1.2
        + 2 * k
        + _block_height(card.name, bold=True, size=name, width=name_width, line_height=1.05)
        + 2 * k
        + (_block_height(card.role, bold=False, size=line, width=name_width, line_height=1.15) if card.role else 0)
        + _block_height(card.municipality, bold=True, size=line, width=name_width, line_height=1.15)
    )
    header = max(header, tiles["height"])
    quote_gap = 7 * k
    quote_room = content_bottom - content_top - header - quote_gap - 2 * k  # 2 mm (A3) to spare
    quote_text = f"„{card.quote}”"
    quote = fit_size(
        quote_text, bold=False, width=inner, height=quote_room, largest=20 * k, smallest=4.5 * k, line_height=1.22
    )
    fx, fy = (min(max(float(value), 0.0), 1.0) for value in card.focal)
    dates = _edition_dates(card.visual)
    band = _band(
        size,
        municipality=card.municipality,
        logos=1 + bool(card.municipality_logo_path),
        right=[(card.visual.headline, True), (dates, False)],
    )
    return {
        "k": k,
        "photo_height": photo_height,
        "object_position": f"{fx * 100:.1f}% {fy * 100:.1f}%",
        "credit_bottom": round(height - photo_height + 3 * k, 2),
        "content_top": round(content_top, 2),
        "content_height": round(content_bottom - content_top, 2),
        "name_width": round(name_width, 2),
        "header_height": round(header, 2),
        "kicker_size": round(kicker, 2),
        "name_size": name,
        "line_size": line,
        "quote_gap": round(quote_gap, 2),
        "quote_size": quote,
        "quote_text": quote_text,
        "tiles": tiles,
        "band": band,
        "dates": dates,
    }


def participation_geometry(card: MunicipalityCard, *, size: PosterSize) -> dict[str, Any]:
    """Sizes in mm for the "Wij doen mee" poster."""
    k = _scale(size)
    width, height = size.trim_mm
    inner = width - 2 * SAFE_MM
    field_height = round(height * 0.52, 2)
    title_top = SAFE_MM + 12 * k
    title = fit_size(
        "Wij doen mee!",
        bold=True,
        width=inner,
        height=50 * k,
        largest=44 * k,
        smallest=16 * k,
        line_height=1.0,
        max_lines=1,
    )
    municipality_top = title_top + title * 1.0 + 10 * k
    municipality_room = field_height - 12 * k - municipality_top
    municipality = fit_size(
        card.municipality,
        bold=True,
        width=inner,
        height=municipality_room,
        largest=30 * k,
        smallest=10 * k,
        line_height=1.05,
        max_lines=3,
    )
    headline = fit_size(
        card.visual.headline,
        bold=True,
        width=inner,
        height=30 * k,
        largest=14 * k,
        smallest=6 * k,
        line_height=1.1,
        max_lines=2,
    )
    tiles = _tiles(card.focus_sdgs, width=inner, height=58 * k, largest=52 * k, gap=4 * k)
    band = _band(
        size,
        municipality=card.municipality,
        logos=1 + bool(card.municipality_logo_path),
        right=[(" ".join(card.visual.hashtags), False)],
    )
    return {
        "k": k,
        "field_height": field_height,
        "title_top": round(title_top, 2),
        "title_size": title,
        "municipality_top": round(municipality_top, 2),
        "municipality_size": municipality,
        "lower_top": round(field_height + 12 * k, 2),
        "headline_size": headline,
        "dates": _edition_dates(card.visual),
        "dates_size": round(9 * k, 2),
        "label_size": round(5 * k, 2),
        "tiles": tiles,
        "band": band,
    }


# Fetching ----------------------------------------------------------------------------------


class AssetFetcher(URLFetcher):
    """Serves ``file:`` URLs under ``roots``, ``data:`` URLs and the ``memory:`` URLs of files the
    renderer made itself (flattened logos, crop marks); raises ValueError for anything else
    (network URLs, files elsewhere, symlinks out of a root). With ``cache`` set it keeps
    what it read in memory: assets for good, other files up to FETCH_CACHE_BYTES."""

    def __init__(self, roots: list[Path], *, cache: bool = True, asset_root: Path = ASSET_ROOT) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = [root.resolve() for root in roots]
        self._asset_root = asset_root.resolve()
        self._cache: OrderedDict[tuple, tuple[bytes, str]] | None = OrderedDict() if cache else None
        self._cached_bytes = 0
        self._memory: dict[str, tuple[bytes, str]] = {}

    def allowed_path(self, url: str) -> Path:
        """The local file that ``url`` names. Raises ValueError unless it lies under a root."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Refused to fetch {url!r}: only files under the asset and media roots")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"Refused to fetch {url!r}: outside the asset and media roots")
        return path

    def read(self, path: Path) -> bytes:
        return path.read_bytes()

    def register(self, name: str, body: bytes, mime: str) -> str:
        """Serve ``body`` at the returned ``memory:`` URL: for files the renderer made itself."""
        url = f"memory:{name}"
        self._memory[url] = (body, mime)
        return url

    def forget(self) -> None:
        self._memory.clear()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        if url.startswith("memory:"):
            if url not in self._memory:
                raise ValueError(f"Refused to fetch {url!r}: not made by this renderer")
            return _response(url, *self._memory[url])
        path = self.allowed_path(url)
        if self._cache is None:
            return _response(url, self.read(path), _mime(path))
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key in self._cache:
            self._cache.move_to_end(key)
        else:
            self._cache[key] = (self.read(path), _mime(path))
            if not path.is_relative_to(self._asset_root):
                self._cached_bytes += stat.st_size
                self._evict()
        return _response(url, *self._cache[key])

    def _evict(self) -> None:
        for key in list(self._cache):
            if self._cached_bytes <= FETCH_CACHE_BYTES:
                break
            if not key[0].is_relative_to(self._asset_root):
                self._cached_bytes -= key[2]
                del self._cache[key]


def _response(url: str, body: bytes, mime: str) -> URLFetcherResponse:
    # Not a file: URL, so that WeasyPrint works from these bytes and never opens the file itself.
    return URLFetcherResponse(f"fetched:{url}", body, {"Content-Type": mime})


def _mime(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _flatten_logo(data: bytes) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(BytesIO(data), formats=["PNG", "JPEG", "WEBP"]) as image:
            image.thumbnail((LOGO_PIXELS, LOGO_PIXELS), Image.Resampling.LANCZOS)
            rgba = image.convert("RGBA")
    flat = Image.new("RGBA", rgba.size, WHITE)
    flat.alpha_composite(rgba)
    out = BytesIO()
    flat.convert("RGB").save(out, format="JPEG", quality=95, subsampling=0)
    return out.getvalue()


def _mm(value: float) -> str:
    return f"{value:.2f}mm"


def _source(path: str | None, media_root: Path | None) -> str | None:
    """A URL for the template: absolute paths become file: URLs; URLs pass unchanged (the fetcher
    judges them); relative paths are taken relative to the media root."""
    if not path:
        return None
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", path):
        return path
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = (media_root or DEFAULT_MEDIA_ROOT) / candidate
    return candidate.as_uri()


# Rendering ---------------------------------------------------------------------------------


@cache
def _poster_ua() -> CSS:
    """The user-agent stylesheet for the poster templates: the few elements they use.

    WeasyPrint's HTML5 one has some 250 lines that are matched against every element on every
    render, about 4 ms of a poster. poster.css resets margins and paddings itself, so the output
    is the same with either."""
    return CSS(
        string="html, body, div, p, h1, blockquote, ul, li { display: block }"
        " head, meta, title, style, script, [hidden] { display: none }"
    )


class _PosterHTML(HTML):
    """HTML with ``_poster_ua`` as its user-agent stylesheet. ``_ua_stylesheets`` is a private
    WeasyPrint method (70.0); should a later version stop calling it, its full default applies and
    the posters look the same, only slower."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_poster_ua()]


class PrintRenderer:
    """Renders posters with one FontConfiguration, one parsed stylesheet per size, one image
    cache and one caching URL fetcher for its whole life. Make one per process (not per thread:
    WeasyPrint's font configuration is not meant to be shared between threads)."""

    def __init__(self, *, asset_root: Path | None = None, media_root: Path | str | None = None) -> None:
        self.asset_root = Path(asset_root or ASSET_ROOT).resolve()
        self.media_root = Path(media_root).resolve() if media_root else None
        roots = [self.asset_root] + ([self.media_root] if self.media_root else [])
        self.fetcher = AssetFetcher(roots, asset_root=self.asset_root)
        self.font_config = FontConfiguration()
        self.image_cache: dict = {}
        self._stylesheets: dict[PosterSize, CSS] = {}
        self._logo_cache: dict[tuple, str] = {}
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATE_DIR),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["mm"] = _mm

    # Public API

    def hero_poster(self, card: HeroCard, *, size: PosterSize = PosterSize.A3) -> bytes:
        """The hero poster as PDF/X-4 bytes: trim ``size`` plus 3 mm bleed, crop marks, fonts embedded."""
        return self._document(self.hero_html(card, size=size), size).write_pdf(**PDF_OPTIONS)

    def participation_poster(self, card: MunicipalityCard, *, size: PosterSize = PosterSize.A3) -> bytes:
        """The "Wij doen mee" poster as PDF/X-4 bytes, with the same bleed and marks."""
        return self._document(self.participation_html(card, size=size), size).write_pdf(**PDF_OPTIONS)

    def layout(self, card: HeroCard | MunicipalityCard, *, size: PosterSize = PosterSize.A3) -> dict[str, Box]:
        """Boxes of the laid-out poster, see ``poster_layout``."""
        html = (
            self.hero_html(card, size=size) if isinstance(card, HeroCard) else self.participation_html(card, size=size)
        )
        return _boxes(self._document(html, size), size)

    def hero_html(self, card: HeroCard, *, size: PosterSize = PosterSize.A3) -> str:
        """The HTML that the hero poster is rendered from."""
        return self._env.get_template("hero_poster.html").render(
            card=card,
            g=hero_geometry(card, size=size),
            colours=_colours(card.visual),
            photo_url=_source(card.photo_path, self.media_root),
            logos=self._logos(card.visual, card.municipality_logo_path),
            crop_marks=self._crop_marks(size),
        )

    def participation_html(self, card: MunicipalityCard, *, size: PosterSize = PosterSize.A3) -> str:
        """The HTML that the "Wij doen mee" poster is rendered from."""
        return self._env.get_template("participation_poster.html").render(
            card=card,
            g=participation_geometry(card, size=size),
            colours=_colours(card.visual),
            logos=self._logos(card.visual, card.municipality_logo_path),
            crop_marks=self._crop_marks(size),
        )

    # Internals

    def _logos(self, visual: Visual, municipality_logo: str | None) -> dict[str, str | None]:
        campaign = _source(visual.logo_path, self.media_root) or (self.asset_root / CAMPAIGN_LOGO).as_uri()
        return {
            "campaign": self._logo(campaign),
            "municipality": self._logo(_source(municipality_logo, self.media_root)),
        }

    def _logo(self, url: str | None) -> str | None:
        """The logo at ``url`` flattened on white (it sits on a white chip), scaled to LOGO_PIXELS and
        served as a JPEG at a memory: URL, since WeasyPrint embeds a JPEG as it is but re-encodes a
        PNG on every render. A URL the fetcher refuses, or a file that is no image, is returned
        unchanged: the fetcher then refuses it and WeasyPrint leaves the logo out."""
        if url is None:
            return None
        try:
            path = self.fetcher.allowed_path(url)
            stat = path.stat()
        except (ValueError, OSError):
            return url
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in self._logo_cache:
            try:
                jpeg = _flatten_logo(self.fetcher.read(path))
            except (OSError, ValueError, Image.DecompressionBombError):
                return url
            if len(self._logo_cache) >= LOGO_CACHE_ENTRIES:
                self._logo_cache.clear()
                self.fetcher.forget()
            digest = hashlib.sha256(jpeg).hexdigest()[:16]
            self._logo_cache[key] = self.fetcher.register(f"logo-{digest}.jpg", jpeg, "image/jpeg")
        return self._logo_cache[key]

    def _crop_marks(self, size: PosterSize) -> str:
        return self.fetcher.register(f"crop-marks-{size.value}.svg", crop_marks_svg(size), "image/svg+xml")

    def stylesheet_text(self, size: PosterSize) -> str:
        """poster.css for ``size``, with the font files as URLs under the asset root."""
        width, height = size.trim_mm
        return self._env.get_template("poster.css").render(
            width=width,
            height=height,
            bleed=BLEED_MM,
            safe=SAFE_MM,
            k=_scale(size),
            fonts={weight: (self.asset_root / path).as_uri() for weight, path in FONT_FILES.items()},
        )

    def _stylesheet(self, size: PosterSize) -> CSS:
        if size not in self._stylesheets:
            self._stylesheets[size] = CSS(
                string=self.stylesheet_text(size), url_fetcher=self.fetcher, font_config=self.font_config
            )
        return self._stylesheets[size]

    def _document(self, html: str, size: PosterSize):
        if len(self.image_cache) > IMAGE_CACHE_ENTRIES:
            self.image_cache.clear()
        return _PosterHTML(string=html, base_url=self.asset_root.as_uri() + "/", url_fetcher=self.fetcher).render(
            stylesheets=[self._stylesheet(size)], font_config=self.font_config, cache=self.image_cache, **PDF_OPTIONS
        )


def _boxes(document, size: PosterSize) -> dict[str, Box]:
    """Boxes by element id, each the union of the element's border box and all boxes inside it
    (cut to any ``overflow: hidden`` box around them, as drawn), in mm from the trim box's top-left
    corner; plus "safe" and, where a photo was drawn, "photo_image": the rectangle the photo is
    drawn in before it is clipped to its box."""
    width, height = size.trim_mm
    boxes: dict[str, list[float]] = {}
    photo_image = None
    unclipped = (-math.inf, -math.inf, math.inf, math.inf)

    def walk(box, owners: tuple[str, ...], clip: tuple[float, float, float, float]) -> None:
        nonlocal photo_image
        box = getattr(box, "_box", box)  # absolutely positioned boxes sit in placeholders
        element = getattr(box, "element", None)
        ident = element.get("id") if element is not None and getattr(box, "element_tag", None) else None
        if ident and ident not in owners:
            owners = (*owners, ident)
        x, y, w, h = box.border_box_x(), box.border_box_y(), box.border_width(), box.border_height()
        left, top = max(x, clip[0]), max(y, clip[1])
        right, bottom = min(x + w, clip[2]), min(y + h, clip[3])
        if (w > 0 or h > 0) and right >= left and bottom >= top:
            for owner in owners:
                old = boxes.get(owner, [math.inf, math.inf, -math.inf, -math.inf])
                boxes[owner] = [min(old[0], left), min(old[1], top), max(old[2], right), max(old[3], bottom)]
        if ident == "photo" and getattr(box, "replacement", None) is not None:
            draw_width, draw_height, image_x, image_y = replacedbox_layout(box)
            photo_image = (image_x, image_y, draw_width, draw_height)
        if box.style["overflow"] != "visible":
            clip = (max(x, clip[0]), max(y, clip[1]), min(x + w, clip[2]), min(y + h, clip[3]))
        for child in getattr(box, "children", ()):
            walk(child, owners, clip)

    for child in document.pages[0]._page_box.children:
        walk(child, (), unclipped)
    result: dict[str, Box] = {
        key: tuple(round(value * PX_TO_MM, 3) for value in (left, top, right - left, bottom - top))
        for key, (left, top, right, bottom) in boxes.items()
    }
    if photo_image:
        result["photo_image"] = tuple(round(value * PX_TO_MM, 3) for value in photo_image)
    result["safe"] = (SAFE_MM, SAFE_MM, width - 2 * SAFE_MM, height - 2 * SAFE_MM)
    return result


_DEFAULT: PrintRenderer | None = None


def _default() -> PrintRenderer:
    """The renderer of this process, made on first use. Media come from CAMPAIGN_MEDIA_ROOT or the
    default media root; a worker with another configured root makes its own PrintRenderer."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = PrintRenderer(media_root=os.environ.get("CAMPAIGN_MEDIA_ROOT") or DEFAULT_MEDIA_ROOT)
    return _DEFAULT


def use_media_root(media_root: Path | str) -> None:
    """Serve media from ``media_root`` in the module-level functions of this process (call it once,
    e.g. in a worker's initializer, with the app's MEDIA_ROOT). Photos and logos outside the asset
    and media roots are refused, so without this they only come from CAMPAIGN_MEDIA_ROOT or the
    default media root."""
    global _DEFAULT
    root = Path(media_root).resolve()
    if _DEFAULT is None or _DEFAULT.media_root != root:
        _DEFAULT = PrintRenderer(media_root=root)


def render_hero_poster(card: HeroCard, *, size: PosterSize = PosterSize.A3) -> bytes:
    """The hero poster as PDF/X-4 bytes (trim ``size`` + 3 mm bleed, crop marks, fonts embedded)."""
    return _default().hero_poster(card, size=size)


def render_participation_poster(card: MunicipalityCard, *, size: PosterSize = PosterSize.A3) -> bytes:
    """The "Wij doen mee" poster as PDF/X-4 bytes (trim ``size`` + 3 mm bleed, crop marks)."""
    return _default().participation_poster(card, size=size)


def poster_layout(card: HeroCard | MunicipalityCard, *, size: PosterSize) -> dict[str, Box]:
    """Boxes of the laid-out poster as (x, y, width, height) in mm from the trim box's top-left
    corner, by element id: "safe" (the trim inset by SAFE_MM), "name", "role", "municipality",
    "quote", "sdgs", "photo", "band" for a HeroCard; "title", "municipality", "headline", "dates",
    "sdgs", "band" for a MunicipalityCard. Text boxes include every line inside them, so text that
    overflows its block shows."""
    return _default().layout(card, size=size)


def naive_hero_poster(card: HeroCard, *, size: PosterSize = PosterSize.A3) -> bytes:
    """The hero poster rendered the naive way, for the benchmark: a new renderer per call, so a new
    FontConfiguration, a freshly parsed stylesheet and no caches; its URL fetcher is restricted the
    same way as the default renderer's but reads every file again."""
    default = _default()
    renderer = PrintRenderer(asset_root=default.asset_root, media_root=default.media_root)
    renderer.fetcher = AssetFetcher(renderer.fetcher.roots, cache=False, asset_root=renderer.asset_root)
    return renderer.hero_poster(card, size=size)
