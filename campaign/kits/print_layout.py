"""Poster geometry, without WeasyPrint: colours and contrast, text fitting from the shipped font's
advance widths, and the sizes and positions (in mm) that the print templates are filled with.

Text sizes are chosen here (see ``fit_size``), so that a poster needs one WeasyPrint layout pass.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

from campaign.kits.cards import BLEED_MM, SAFE_MM, HeroCard, MunicipalityCard, PosterSize, SdgBadge, Visual

ASSET_ROOT = Path(__file__).resolve().parent.parent / "assets"
FONT_FILES = {False: "fonts/AtkinsonHyperlegible-Regular.ttf", True: "fonts/AtkinsonHyperlegible-Bold.ttf"}
MM_TO_PT = 72 / 25.4
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


# Every poster is laid out once, at MASTER size, and printed at each size by scaling the laid-out
# page (the A sizes share one aspect ratio): a poster's A3 and A4 files come from one WeasyPrint
# layout. The master's bleed and safe margin are wide enough that, scaled down to the smallest
# size, they are still at least BLEED_MM and SAFE_MM; at A3 the safe margin is 14.2 mm.
MASTER = PosterSize.A3


def scale(size: PosterSize) -> float:
    """Factor from the master layout to ``size``."""
    return size.trim_mm[0] / MASTER.trim_mm[0]


# Rounded up to a tenth of a millimetre, with a little to spare for the 2-decimal lengths in
# the templates: 4.3 mm and 14.2 mm.
MASTER_BLEED_MM = math.ceil(max(BLEED_MM / scale(size) for size in PosterSize) * 10 + 0.5) / 10
MASTER_SAFE_MM = math.ceil(max(SAFE_MM / scale(size) for size in PosterSize) * 10 + 0.5) / 10


def _band_top() -> float:
    """Top of the bottom band: 30 mm of logos and text, above the safe margin."""
    return MASTER.trim_mm[1] - MASTER_SAFE_MM - 37


def crop_marks(size: PosterSize) -> list[tuple[float, float, float, float]]:
    """The crop-mark lines as (x0, y0, x1, y1) in PDF points, with the trim box's bottom-left corner
    at (0, 0): at each corner of the trim, a horizontal and a vertical line in the outer half of
    the bleed, in line with the trim edge."""
    width, height = (value * MM_TO_PT for value in size.trim_mm)
    bleed, half = BLEED_MM * MM_TO_PT, BLEED_MM * MM_TO_PT / 2
    lines = []
    for x, out_x in ((0.0, -1), (width, 1)):
        for y, out_y in ((0.0, -1), (height, 1)):
            start_x, start_y = x + out_x * half, y + out_y * half
            lines.append((start_x, y, x + out_x * bleed, y))
            lines.append((x, start_y, x, y + out_y * bleed))
    return lines


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


def _band(*, municipality: str, logos: int, right: list[tuple[str, bool]]) -> dict:
    """The bottom band: logos at the left, the municipality next to them, and the ``right`` lines
    (text, bold) right-aligned; both text blocks centred on the logos."""
    inner = MASTER.trim_mm[0] - 2 * MASTER_SAFE_MM
    chip = 30
    inset = 7
    logos_width = chip + (logos - 1) * (chip * 1.5 + 4)
    column = (inner - logos_width - 8 - 6) / 2
    left = MASTER_BLEED_MM + MASTER_SAFE_MM  # the band's box starts in the bleed
    name_size = fit_size(
        municipality,
        bold=True,
        width=column,
        height=chip,
        largest=9,
        smallest=4,
        line_height=1.1,
        max_lines=2,
    )
    name_height = _block_height(municipality, bold=True, size=name_size, width=column, line_height=1.1)
    right_size = _stack_size(right, width=column, height=chip, largest=6, smallest=3.5)
    right_height = sum(_block_height(t, bold=b, size=right_size, width=column, line_height=1.2) for t, b in right)
    return {
        "top": round(_band_top(), 2),
        "inset": inset,
        "chip": chip,
        "logo_left": left,
        "municipality_logo_left": round(left + chip + 4, 2),
        "municipality_logo_width": round(chip * 1.5, 2),
        "municipality_left": round(left + logos_width + 8, 2),
        "municipality_top": round(inset + max(chip - name_height, 0) / 2, 2),
        "municipality_size": name_size,
        "edition_right": left,
        "edition_top": round(inset + max(chip - right_height, 0) / 2, 2),
        "right_size": right_size,
        "column": round(column, 2),
    }


def hero_geometry(card: HeroCard) -> dict[str, Any]:
    """Sizes in mm for the hero poster: fitted font sizes, the photo and content boxes, the tiles."""
    width, height = MASTER.trim_mm
    inner = width - 2 * MASTER_SAFE_MM
    photo_height = round(height * 0.56, 2)
    content_top = photo_height + 9
    content_bottom = _band_top() - 7
    tiles = _tiles(card.sdgs, width=86, height=44, largest=26, gap=3)
    name_width = inner - (tiles["width"] + 8 if tiles["tiles"] else 0)
    kicker = 5
    name = fit_size(
        card.name,
        bold=True,
        width=name_width,
        height=40,
        largest=17,
        smallest=8,
        line_height=1.05,
        max_lines=2,
    )
    line = min(
        fit_size(
            text,
            bold=bold,
            width=name_width,
            height=15,
            largest=7,
            smallest=4.5,
            line_height=1.15,
            max_lines=2,
        )
        for text, bold in ((card.role, False), (card.municipality, True))
    )
    header = (
        kicker * 1.2
        + 2
        + _block_height(card.name, bold=True, size=name, width=name_width, line_height=1.05)
        + 2
        + (_block_height(card.role, bold=False, size=line, width=name_width, line_height=1.15) if card.role else 0)
        + _block_height(card.municipality, bold=True, size=line, width=name_width, line_height=1.15)
    )
    header = max(header, tiles["height"])
    quote_gap = 7
    quote_room = content_bottom - content_top - header - quote_gap - 2  # 2 mm to spare
    quote_text = f"„{card.quote}”"
    quote = fit_size(quote_text, bold=False, width=inner, height=quote_room, largest=20, smallest=4.5, line_height=1.22)
    fx, fy = (min(max(float(value), 0.0), 1.0) for value in card.focal)
    dates = _edition_dates(card.visual)
    band = _band(
        municipality=card.municipality,
        logos=1 + bool(card.municipality_logo_path),
        right=[(card.visual.headline, True), (dates, False)],
    )
    return {
        "photo_height": photo_height,
        "object_position": f"{fx * 100:.1f}% {fy * 100:.1f}%",
        "credit_bottom": round(height - photo_height + 3, 2),
        "content_top": round(content_top, 2),
        "content_height": round(content_bottom - content_top, 2),
        "name_width": round(name_width, 2),
        "header_height": round(header, 2),
        "kicker_size": kicker,
        "name_size": name,
        "line_size": line,
        "quote_gap": quote_gap,
        "quote_size": quote,
        "quote_text": quote_text,
        "tiles": tiles,
        "band": band,
        "dates": dates,
    }


def participation_geometry(card: MunicipalityCard) -> dict[str, Any]:
    """Sizes in mm for the "Wij doen mee" poster."""
    width, height = MASTER.trim_mm
    inner = width - 2 * MASTER_SAFE_MM
    field_height = round(height * 0.52, 2)
    title_top = MASTER_SAFE_MM + 12
    title = fit_size(
        "Wij doen mee!",
        bold=True,
        width=inner,
        height=50,
        largest=44,
        smallest=16,
        line_height=1.0,
        max_lines=1,
    )
    municipality_top = title_top + title * 1.0 + 10
    municipality_room = field_height - 12 - municipality_top
    municipality = fit_size(
        card.municipality,
        bold=True,
        width=inner,
        height=municipality_room,
        largest=30,
        smallest=10,
        line_height=1.05,
        max_lines=3,
    )
    headline = fit_size(
        card.visual.headline,
        bold=True,
        width=inner,
        height=30,
        largest=14,
        smallest=6,
        line_height=1.1,
        max_lines=2,
    )
    tiles = _tiles(card.focus_sdgs, width=inner, height=58, largest=52, gap=4)
    band = _band(
        municipality=card.municipality,
        logos=1 + bool(card.municipality_logo_path),
        right=[(" ".join(card.visual.hashtags), False)],
    )
    return {
        "field_height": field_height,
        "title_top": round(title_top, 2),
        "title_size": title,
        "municipality_top": round(municipality_top, 2),
        "municipality_size": municipality,
        "lower_top": round(field_height + 12, 2),
        "headline_size": headline,
        "dates": _edition_dates(card.visual),
        "dates_size": 9,
        "label_size": 5,
        "tiles": tiles,
        "band": band,
    }
