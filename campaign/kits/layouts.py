"""Declarative layouts of the social images: where each element goes, per format.

Every format is laid out on its own (not scaled). Boxes are (x0, y0, x1, y1) in pixels.
The renderer reads these and nothing else about the format.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaign.kits.cards import SocialSize


@dataclass(frozen=True)
class TextStyle:
    max_size: int
    min_size: int
    bold: bool = False
    max_lines: int = 2
    line_height: float = 1.22


@dataclass(frozen=True)
class SocialLayout:
    size: tuple[int, int]
    safe: tuple[int, int, int, int]  # nothing with text goes outside this box
    photo: tuple[int, int, int, int]
    panel: tuple[int, int, int, int]  # name, meta and quote flow down this box
    band: tuple[int, int, int, int]  # the edition's colour band with the headline and the logo
    band_text: tuple[int, int, int, int]  # where the band's text and logo go (inside band and safe)
    sdg_origin: tuple[int, int]  # bottom-left corner of the SDG tile row (over the photo, on opaque tiles)
    tile: tuple[int, int]  # width, height of one SDG tile
    name: TextStyle
    meta: TextStyle
    quote: TextStyle
    headline: TextStyle
    gap: int = 18


LAYOUTS: dict[SocialSize, SocialLayout] = {
    SocialSize.SQUARE: SocialLayout(
        size=(1080, 1080),
        safe=(54, 54, 1026, 1026),
        photo=(0, 0, 1080, 540),
        panel=(60, 572, 1020, 948),
        band=(0, 960, 1080, 1080),
        band_text=(60, 972, 1020, 1026),
        sdg_origin=(60, 516),
        tile=(230, 86),
        name=TextStyle(60, 40, bold=True, max_lines=2),
        meta=TextStyle(36, 36, max_lines=2),
        quote=TextStyle(46, 36, max_lines=5),
        headline=TextStyle(34, 26, bold=True, max_lines=1),
    ),
    SocialSize.PORTRAIT: SocialLayout(
        size=(1080, 1350),
        safe=(54, 54, 1026, 1296),
        photo=(0, 0, 1080, 720),
        panel=(60, 752, 1020, 1200),
        band=(0, 1220, 1080, 1350),
        band_text=(60, 1236, 1020, 1296),
        sdg_origin=(60, 696),
        tile=(230, 86),
        name=TextStyle(64, 40, bold=True, max_lines=2),
        meta=TextStyle(38, 36, max_lines=2),
        quote=TextStyle(50, 36, max_lines=6),
        headline=TextStyle(36, 26, bold=True, max_lines=1),
    ),
    SocialSize.STORY: SocialLayout(
        # The top and bottom 250 px are covered by the apps' own buttons: only photo and colour there.
        size=(1080, 1920),
        safe=(54, 250, 1026, 1670),
        photo=(0, 0, 1080, 1000),
        panel=(60, 1040, 1020, 1500),
        band=(0, 1520, 1080, 1920),
        band_text=(60, 1540, 1020, 1660),
        sdg_origin=(60, 976),
        tile=(230, 86),
        name=TextStyle(68, 44, bold=True, max_lines=2),
        meta=TextStyle(40, 36, max_lines=2),
        quote=TextStyle(52, 36, max_lines=6),
        headline=TextStyle(40, 28, bold=True, max_lines=2),
    ),
    SocialSize.LANDSCAPE: SocialLayout(
        size=(1200, 630),
        safe=(32, 32, 1168, 598),
        photo=(0, 0, 500, 630),
        panel=(536, 40, 1160, 500),
        band=(500, 516, 1200, 630),
        band_text=(536, 526, 1160, 598),
        sdg_origin=(32, 598),
        tile=(210, 76),
        name=TextStyle(48, 34, bold=True, max_lines=2),
        meta=TextStyle(30, 30, max_lines=2),
        quote=TextStyle(36, 30, max_lines=5),
        headline=TextStyle(28, 22, bold=True, max_lines=1),
        gap=12,
    ),
}
