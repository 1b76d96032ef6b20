"""Where the elements of a hero's image go in one format: the texts fitted into the slots
``campaign.kits.layouts`` declares, the logos, the municipality's chip and the SDG tiles
placed, nothing drawn. ``render_social.hero_layout`` returns the ``Layout``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from campaign.kits.cards import HeroCard, SdgBadge, Visual
from campaign.kits.layouts import BandSlot, Box, SocialLayout, TextSlot, TileSlot
from campaign.kits.social_colour import _colour, _text_colour
from campaign.kits.social_images import CHIP_PADDING, _logo, _logo_path, _mtime, _municipality_logo_key
from campaign.kits.social_text import ELLIPSIS, FontLoader, TextBlock, _place


@dataclass(frozen=True)
class Layout:
    """What a render draws, and where. ``boxes`` holds the boxes actually drawn: "photo",
    "name", "meta" (role · municipality), "quote", "sdgs" (all tiles; absent without SDGs),
    "band", "logo", "headline", "dates" and, with a municipality logo, "municipality_logo".
    ``font_sizes`` gives the chosen size in px of every text; ``blocks`` the fitted texts."""

    size: tuple[int, int]
    safe: Box
    boxes: dict[str, Box]
    font_sizes: dict[str, int] = field(default_factory=dict)
    blocks: dict[str, TextBlock] = field(default_factory=dict)
    tiles: tuple[tuple[Box, SdgBadge], ...] = ()


def _meta_texts(card: HeroCard) -> tuple[str, ...]:
    """ "role · municipality", then with the role shortened word by word: where space runs
    out, the role gives way and the municipality stays whole."""
    municipality = " ".join(card.municipality.split())
    role = card.role.split()
    if not role:
        return (municipality,)
    texts = [f"{' '.join(role)} · {municipality}"]
    texts += [f"{' '.join(role[:n]).rstrip(',;:')}{ELLIPSIS} · {municipality}" for n in range(len(role) - 1, 0, -1)]
    return (*texts, municipality)


def _quote_text(card: HeroCard) -> str:
    quote = " ".join(card.quote.split()).strip('"“”„')
    return f"“{quote}”" if quote else ""


def _tile_boxes(slot: TileSlot, count: int) -> tuple[Box, ...]:
    width, height = slot.tile
    room = (slot.box.width + slot.gap) // (width + slot.gap)
    count = min(count, slot.max_tiles, room)
    return tuple(
        Box(
            slot.box.x0 + i * (width + slot.gap),
            slot.box.y1 - height,
            slot.box.x0 + (i + 1) * width + i * slot.gap,
            slot.box.y1,
        )
        for i in range(count)
    )


def _logo_box(area: Box, logo_size: tuple[int, int], *, align: str = "left") -> Box:
    width, height = logo_size
    left = area.x0 if align == "left" else area.x1 - width
    top = area.y0 + (area.height - height) // 2
    return Box(left, top, left + width, top + height)


def _band_texts(
    band: BandSlot, visual: Visual, *, with_municipality_logo: bool
) -> dict[str, tuple[TextSlot, str, str]]:
    text_box = band.headline.box
    if with_municipality_logo and band.text_beside_municipality_logo is not None:
        text_box = band.text_beside_municipality_logo
    background = _colour(band.colour, visual)
    headline = _with_box(band.headline, text_box)
    dates = _with_box(band.dates, text_box)
    return {
        "headline": (headline, visual.headline, _text_colour(headline.colour, visual, background)),
        "dates": (dates, f"{visual.dates} {visual.year}".strip(), _text_colour(dates.colour, visual, background)),
    }


@lru_cache(maxsize=64)
def _with_box(slot: TextSlot, box: Box) -> TextSlot:
    return TextSlot(**{**slot.__dict__, "box": box})


def _hero_layout(card: HeroCard, spec: SocialLayout, *, fonts: FontLoader | None = None) -> Layout:
    visual = card.visual
    paper = _colour(spec.background, visual)
    texts = {
        "name": (spec.name, " ".join(card.name.split()), _text_colour(spec.name.colour, visual, paper)),
        "meta": (spec.meta, _meta_texts(card), _text_colour(spec.meta.colour, visual, paper)),
        "quote": (spec.quote, _quote_text(card), _text_colour(spec.quote.colour, visual, paper)),
    }
    blocks = _place(texts, fonts=fonts)
    band = spec.band
    municipality_logo = _municipality_logo_key(card.municipality_logo_path)
    blocks |= _place(_band_texts(band, visual, with_municipality_logo=municipality_logo is not None), fonts=fonts)
    boxes = {"photo": spec.photo, **{name: block.box for name, block in blocks.items()}, "band": band.box}
    logo = _logo(_logo_path(visual), _mtime(_logo_path(visual)), band.logo.width, band.logo.height)
    boxes["logo"] = _logo_box(band.logo, logo.size)
    if municipality_logo is not None:
        area = spec.municipality_logo
        inner = _logo(*municipality_logo, area.width - 2 * CHIP_PADDING, area.height - 2 * CHIP_PADDING)
        chip = (inner.width + 2 * CHIP_PADDING, inner.height + 2 * CHIP_PADDING)
        boxes["municipality_logo"] = _logo_box(area, chip, align=spec.municipality_logo_align)
    tile_boxes = _tile_boxes(spec.sdgs, len(card.sdgs))
    if tile_boxes:
        boxes["sdgs"] = Box(tile_boxes[0].x0, tile_boxes[0].y0, tile_boxes[-1].x1, tile_boxes[-1].y1)
    return Layout(
        size=spec.size,
        safe=spec.safe,
        boxes=boxes,
        font_sizes={name: block.size for name, block in blocks.items()},
        blocks=blocks,
        tiles=tuple(zip(tile_boxes, card.sdgs, strict=False)),
    )
