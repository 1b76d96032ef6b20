"""Declarative layouts of the social images: where each element goes, per format, in pixels.

Every format is laid out on its own, not scaled from another. The renderer in
``render_social`` reads these structures and has no format-specific code of its own.

Conventions:
- A ``Box`` is (x0, y0, x1, y1) in pixels, x1 and y1 exclusive.
- A ``TextSlot`` is the largest box its text may take. With ``after`` set, the text starts
  ``gap`` pixels below what was drawn for that other slot (never above ``box.y0``), so name,
  role line and quote flow down a column however many lines each one needs.
- Colours are roles, resolved against the edition's ``Visual``: "primary", "accent",
  "white", "ink" (near-black), "muted" (dark grey) and "paper" (the background). A text
  colour that would not reach a contrast of 4.5 on its background falls back to white or
  near-black, whichever reads.
- ``safe`` is the area all text and logos stay inside: 5 % of each side, and for the 9:16
  story 250 px top and bottom, which the apps cover with their own buttons.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign.kits.cards import BANNER_SIZE, FRAME_SIZE, SocialSize

COLOUR_ROLES = ("primary", "accent", "white", "ink", "muted", "paper")


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def inside(self, other: Box) -> bool:
        """True if this box lies within ``other`` (edges may touch)."""
        return self.x0 >= other.x0 and self.y0 >= other.y0 and self.x1 <= other.x1 and self.y1 <= other.y1

    def overlaps(self, other: Box) -> bool:
        """True if this box and ``other`` share some area (touching edges do not count)."""
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True)
class TextSlot:
    box: Box
    max_size: int  # font size in px; the fitter shrinks from here ...
    min_size: int  # ... down to here, then shortens the text with "…"
    bold: bool = False
    max_lines: int = 3
    line_height: float = 1.25  # times the font size
    colour: str = "ink"  # a colour role
    after: str | None = None  # the slot this one follows down the column
    gap: int = 0  # pixels below ``after``
    align: str = "left"  # "left" or "center"
    one_line_down_to: int | None = None  # shrink to this size to stay on one line before wrapping


@dataclass(frozen=True)
class TileSlot:
    """SDG tiles: opaque rounded rectangles in the SDG's colour with its number and short
    title. They may lie over the photo (their text is on an opaque ground)."""

    box: Box  # the area the tiles may take; tiles start at its bottom-left corner
    tile: tuple[int, int]  # width, height of one tile
    gap: int = 12
    max_tiles: int = 3
    number_size: int = 52
    title_max: int = 22
    title_min: int = 17
    radius: int = 12


@dataclass(frozen=True)
class BandSlot:
    """The bottom band in the edition's colour: campaign logo, headline, dates and, when
    there is one, the municipality's logo."""

    box: Box  # the band's background, edge to edge
    logo: Box  # the campaign logo, fitted into this box (inside the safe area)
    headline: TextSlot  # the box of headline and dates without a municipality logo in the band
    dates: TextSlot
    text_beside_municipality_logo: Box | None = None  # their box when the municipality logo is in the band
    colour: str = "primary"


@dataclass(frozen=True)
class SocialLayout:
    size: tuple[int, int]
    safe: Box
    photo: Box
    name: TextSlot
    meta: TextSlot  # role · municipality
    quote: TextSlot
    sdgs: TileSlot
    band: BandSlot
    municipality_logo: Box  # fitted into this box on a white chip, when the card has one
    municipality_logo_align: str = "right"  # where in its box the chip sits: "left" or "right"
    rule: Box | None = None  # a thin stripe in the accent colour between photo and text
    background: str = "paper"
    placeholder: str = "primary"  # colour field in place of a missing photo
    rule_colour: str = "accent"


def _band(
    area: Box, *, safe: Box, content: tuple[int, int], text: tuple[int, int, int, int], municipality_logo: Box | None
) -> BandSlot:
    """A band filling ``area``; its logos and text take the rows ``content`` and stay in ``safe``.
    ``text`` is (headline max, headline min, dates max, dates min) in px. The text gives way
    to ``municipality_logo`` if that lies in the band."""
    top, bottom = content
    side = bottom - top
    headline_max, headline_min, dates_max, dates_min = text
    text_box = Box(safe.x0 + side + 28, top, safe.x1, bottom)
    beside = None
    if municipality_logo is not None and municipality_logo.inside(area):
        beside = Box(text_box.x0, top, municipality_logo.x0 - 28, bottom)
    return BandSlot(
        box=area,
        logo=Box(safe.x0, top, safe.x0 + side, bottom),
        headline=TextSlot(text_box, headline_max, headline_min, bold=True, max_lines=1, colour="white"),
        dates=TextSlot(text_box, dates_max, dates_min, max_lines=1, colour="white", after="headline", gap=2),
        text_beside_municipality_logo=beside,
    )


def _square() -> SocialLayout:
    # Photo across the top (44 %), text in one column below it, band at the bottom.
    safe = Box(54, 54, 1026, 1026)
    left, right = 54, 1026
    logo = Box(826, 942, 1026, 1018)  # the municipality's logo, right in the band
    return SocialLayout(
        size=(1080, 1080),
        safe=safe,
        photo=Box(0, 0, 1080, 480),
        rule=Box(0, 480, 1080, 488),
        sdgs=TileSlot(Box(left, 356, right, 456), tile=(252, 100)),
        name=TextSlot(Box(left, 514, right, 680), 58, 40, bold=True, max_lines=2, line_height=1.1, colour="primary",
                      one_line_down_to=44),
        meta=TextSlot(Box(left, 514, right, 780), 38, 36, max_lines=2, colour="muted", after="name", gap=4),
        quote=TextSlot(Box(left, 514, right, 900), 56, 36, max_lines=6, after="meta", gap=18),
        band=_band(Box(0, 918, 1080, 1080), safe=safe, content=(934, 1026), text=(36, 30, 34, 28),
                   municipality_logo=logo),
        municipality_logo=logo,
    )  # fmt: skip


def _portrait() -> SocialLayout:
    # 4:5: a taller photo (50 %) and a larger quote; the tiles sit on the photo's lower edge.
    safe = Box(54, 68, 1026, 1282)
    left, right = 54, 1026
    logo = Box(826, 1198, 1026, 1274)  # the municipality's logo, right in the band
    return SocialLayout(
        size=(1080, 1350),
        safe=safe,
        photo=Box(0, 0, 1080, 680),
        rule=Box(0, 680, 1080, 688),
        sdgs=TileSlot(Box(left, 552, right, 656), tile=(262, 104)),
        name=TextSlot(Box(left, 718, right, 900), 64, 44, bold=True, max_lines=2, line_height=1.1, colour="primary",
                      one_line_down_to=48),
        meta=TextSlot(Box(left, 718, right, 1000), 40, 36, max_lines=2, colour="muted", after="name", gap=6),
        quote=TextSlot(Box(left, 718, right, 1150), 60, 36, max_lines=6, after="meta", gap=24),
        band=_band(Box(0, 1170, 1080, 1350), safe=safe, content=(1190, 1282), text=(36, 30, 34, 28),
                   municipality_logo=logo),
        municipality_logo=logo,
    )  # fmt: skip


def _story() -> SocialLayout:
    # 9:16: the photo takes the upper half (it may run under the apps' top bar), text below,
    # with the most room for a large quote; nothing to be read in the top or bottom 250 px.
    safe = Box(54, 250, 1026, 1670)
    left, right = 54, 1026
    logo = Box(826, 1594, 1026, 1666)  # the municipality's logo, right in the band
    return SocialLayout(
        size=(1080, 1920),
        safe=safe,
        photo=Box(0, 0, 1080, 960),
        rule=Box(0, 960, 1080, 970),
        sdgs=TileSlot(Box(left, 818, right, 934), tile=(290, 112), number_size=58, title_max=24, title_min=19),
        name=TextSlot(Box(left, 1004, right, 1200), 72, 48, bold=True, max_lines=2, line_height=1.1, colour="primary",
                      one_line_down_to=54),
        meta=TextSlot(Box(left, 1004, right, 1320), 42, 36, max_lines=2, colour="muted", after="name", gap=6),
        quote=TextSlot(Box(left, 1004, right, 1560), 64, 38, max_lines=7, after="meta", gap=26),
        band=_band(Box(0, 1580, 1080, 1920), safe=safe, content=(1590, 1670), text=(32, 28, 30, 26),
                   municipality_logo=logo),
        municipality_logo=logo,
    )  # fmt: skip


def _landscape() -> SocialLayout:
    # 1.91:1: photo on the left (37 %), name, role, quote and tiles in a column on the right,
    # the band under that column only (the photo runs to the bottom edge).
    safe = Box(60, 32, 1140, 598)
    left, right = 484, 1140
    return SocialLayout(
        size=(1200, 630),
        safe=safe,
        photo=Box(0, 0, 440, 630),
        rule=Box(440, 0, 448, 630),
        sdgs=TileSlot(Box(left, 406, right, 482), tile=(212, 76), gap=10, number_size=40, title_max=18, title_min=14,
                      radius=10),
        name=TextSlot(Box(left, 36, right, 160), 46, 32, bold=True, max_lines=2, line_height=1.1, colour="primary",
                      one_line_down_to=36),
        meta=TextSlot(Box(left, 36, right, 220), 30, 30, max_lines=2, colour="muted", after="name", gap=4),
        quote=TextSlot(Box(left, 36, right, 392), 44, 30, max_lines=6, line_height=1.2, after="meta", gap=14),
        band=_band(Box(448, 500, 1200, 630), safe=Box(left, safe.y0, safe.x1, safe.y1), content=(516, 598),
                   text=(30, 26, 28, 24), municipality_logo=None),
        municipality_logo=Box(60, 40, 240, 112),  # on a white chip over the photo: the band is too narrow
        municipality_logo_align="left",
    )  # fmt: skip


LAYOUTS: dict[SocialSize, SocialLayout] = {
    SocialSize.SQUARE: _square(),
    SocialSize.PORTRAIT: _portrait(),
    SocialSize.STORY: _story(),
    SocialSize.LANDSCAPE: _landscape(),
}


@dataclass(frozen=True)
class BannerLayout:
    """The 600 × 200 e-mail banner: logo left, municipality, headline and dates right."""

    size: tuple[int, int]
    safe: Box
    logo: Box
    municipality: TextSlot
    headline: TextSlot
    dates: TextSlot
    rule: Box
    background: str = "primary"
    rule_colour: str = "accent"


BANNER = BannerLayout(
    size=BANNER_SIZE,
    safe=Box(16, 16, 584, 184),
    logo=Box(24, 30, 164, 170),
    municipality=TextSlot(Box(192, 24, 576, 110), 38, 24, bold=True, max_lines=2, line_height=1.1, colour="white"),
    headline=TextSlot(Box(192, 24, 576, 152), 24, 18, max_lines=2, colour="white", after="municipality", gap=8),
    dates=TextSlot(Box(192, 24, 576, 182), 24, 18, bold=True, max_lines=1, colour="accent", after="headline", gap=2),
    rule=Box(0, 192, 600, 200),
)


@dataclass(frozen=True)
class FrameLayout:
    """The 1080 × 1080 profile-picture frame: a ring, thickened at the bottom into a circular
    segment below ``chord`` that carries the text. The centre stays fully transparent."""

    size: tuple[int, int]
    ring: Box  # outer edge of the ring
    ring_width: int
    accent_width: int  # the thin accent line on the ring's inner edge and along the chord
    chord: int  # y of the straight top edge of the bottom segment
    label: TextSlot  # "Wij doen mee!"
    headline: TextSlot  # the edition's headline and year under it
    ring_colour: str = "primary"
    accent_colour: str = "accent"


FRAME = FrameLayout(
    # Profile pictures are shown cropped to the inscribed circle, so the text lies inside it.
    size=FRAME_SIZE,
    ring=Box(0, 0, 1080, 1080),
    ring_width=60,
    accent_width=12,
    chord=826,
    label=TextSlot(Box(180, 850, 900, 930), 64, 44, bold=True, max_lines=1, line_height=1.1, colour="white",
                   align="center"),
    headline=TextSlot(Box(250, 850, 830, 1000), 32, 22, max_lines=1, line_height=1.2, colour="white", after="label",
                      gap=4, align="center"),
)  # fmt: skip
