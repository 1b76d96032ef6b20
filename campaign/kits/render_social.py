"""Social-media images with Pillow: for each hero four formats, for each municipality an
e-mail banner and a profile-picture frame, and the captions that go with a hero's post.

Pure functions: cards in, bytes out. Where things go is declared per format in
``campaign.kits.layouts``; this module only interprets those layouts.

Speed (see NOTES.md, "Pillow"): resampling dominates, so
- each source photo (the 1600 px derivative when there is one) is decoded once per
  process, in an LRU keyed by path and mtime; ``draft`` shrinks large JPEGs while decoding;
- it is resampled once per scale (integer reduce, then BICUBIC); the formats that need the
  same scale (for an upright photo all three 1080 px wide ones) only crop it;
- fonts are loaded once per (file, size), glyphs are rasterised once and pasted, and text
  fitting, SDG tiles, the band, the backdrop and the text panel are cached, so a repeat
  render is a handful of pastes and one JPEG encode.
``naive_hero_image`` draws the same picture without any of this, for the benchmark.

The pieces live in sibling modules: ``social_text`` (fonts; fitting and drawing text),
``social_images`` (photos, focal crops, logos, chips), ``social_colour`` (palette and
contrast) and ``social_layout`` (where each element of a hero's image goes). This module
composes them and keeps the public API.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw

from campaign.kits.cards import HeroCard, MunicipalityCard, SdgBadge, SocialSize, Visual
from campaign.kits.layouts import BANNER, FRAME, LAYOUTS, BandSlot, Box, SocialLayout, TextSlot, TileSlot
from campaign.kits.social_colour import INK, WHITE, _colour, _text_colour, ink_on
from campaign.kits.social_images import (
    _cached_chip,
    _chip,
    _crop_rect,
    _fit_logo,
    _fitted_photo,
    _logo,
    _logo_path,
    _mtime,
    _municipality_logo_key,
    _photo_path,
    _placeholder,
    _round_mask,
)
from campaign.kits.social_layout import Layout, _hero_layout
from campaign.kits.social_text import (
    FontLoader,
    TextBlock,
    _block_height,
    _draw_lines,
    _draw_text,
    _fresh_fonts,
    _paste_text,
    _place,
    fit_text,
    font,
)

__all__ = [
    "INK",
    "WHITE",
    "Box",
    "Layout",
    "TextBlock",
    "fit_text",
    "font",
    "hero_caption",
    "hero_layout",
    "ink_on",
    "naive_hero_image",
    "render_banner",
    "render_hero_image",
    "render_profile_frame",
]

JPEG_QUALITY = 85


# Hero layout.


def hero_layout(card: HeroCard, *, size: SocialSize) -> Layout:
    """Where each element of ``card``'s image in format ``size`` goes, with the text fitted
    (font sizes, lines, "…" where needed), without drawing or encoding anything. Every text
    box lies inside ``layout.safe``. Raises OSError if a logo path cannot be read."""
    return _hero_layout(card, LAYOUTS[size])


# Drawing.


def _tile(sdg: SdgBadge, slot: TileSlot, fonts: FontLoader) -> Image.Image:
    """One SDG tile: the number large, the short title beside it, white or near-black
    (whichever reads) on the SDG's colour. RGBA with rounded corners."""
    width, height = slot.tile
    tile = Image.new("RGBA", (width, height), sdg.colour)
    tile.putalpha(_round_mask((width, height), slot.radius))
    draw = ImageDraw.Draw(tile)
    ink = ink_on(sdg.colour)
    pad = max(8, height // 7)
    number = fonts(slot.number_size, True)
    draw.text((pad, height / 2), str(sdg.number), font=number, fill=ink, anchor="lm")
    left = pad + math.ceil(number.getlength(str(sdg.number))) + pad
    title_slot = TextSlot(
        Box(left, 0, width - pad, height), slot.title_max, slot.title_min, bold=True, max_lines=3, line_height=1.08
    )
    lines, size, pitch, _ = fit_text(
        sdg.title, title_slot, height=height - 2 * pad + 4, fonts=None if fonts is font else fonts
    )
    face = fonts(size, True)
    top = (height - _block_height(len(lines), size, pitch, True)) / 2
    _draw_lines(draw, lines, face, pitch, (left, top), title_slot.box.width, "left", ink)
    return tile


@lru_cache(maxsize=64)
def _cached_tile(sdg: SdgBadge, slot: TileSlot) -> Image.Image:
    return _tile(sdg, slot, font)


def _band_image(layout: Layout, band: BandSlot, visual: Visual, fonts: FontLoader | None) -> Image.Image:
    """The band with the campaign logo, headline and dates, drawn at the band's own origin."""
    box = band.box
    strip = Image.new("RGB", (box.width, box.height), _colour(band.colour, visual))
    for name in ("headline", "dates"):
        block = layout.blocks[name]
        if fonts is None:
            _paste_text(strip, block, (box.x0, box.y0))
        else:
            shifted = Box(block.box.x0 - box.x0, block.box.y0 - box.y0, block.box.x1 - box.x0, block.box.y1 - box.y0)
            _draw_text(ImageDraw.Draw(strip), TextBlock(**{**block.__dict__, "box": shifted}), fonts)
    logo_box = layout.boxes["logo"]
    path = _logo_path(visual)
    if fonts is None:
        logo = _logo(path, _mtime(path), logo_box.width, logo_box.height)
    else:
        with Image.open(path) as opened:
            logo = _fit_logo(opened, logo_box.width, logo_box.height)
    strip.paste(logo, (logo_box.x0 - box.x0, logo_box.y0 - box.y0), logo)
    return strip


@lru_cache(maxsize=8)
def _cached_band(size: SocialSize, visual: Visual, municipality_logo: tuple[str, int] | None) -> Image.Image:
    """The band of format ``size``: the same for every hero of an edition (and municipality)."""
    spec = LAYOUTS[size]
    probe = HeroCard(name="", role="", quote="", municipality="", sdgs=(), visual=visual,
                     municipality_logo_path=municipality_logo[0] if municipality_logo else None)  # fmt: skip
    return _band_image(_hero_layout(probe, spec), spec.band, visual, None)


def _backdrop(spec: SocialLayout, visual: Visual) -> Image.Image:
    """The empty canvas of a format: background and accent rule. Not cached: filling a new
    canvas costs what copying a kept one does, and four kept canvases cost a worker 24 MB."""
    image = Image.new("RGB", spec.size, _colour(spec.background, visual))
    if spec.rule is not None:
        image.paste(_colour(spec.rule_colour, visual), (spec.rule.x0, spec.rule.y0, spec.rule.x1, spec.rule.y1))
    return image


def _compose(card: HeroCard, size: SocialSize) -> Image.Image:
    spec = LAYOUTS[size]
    layout = _hero_layout(card, spec)
    image = _backdrop(spec, card.visual)
    photo_box = spec.photo
    path = _photo_path(card)
    if path:
        photo = _fitted_photo(path, _mtime(path), (photo_box.width, photo_box.height), card.focal)
    else:
        photo = _placeholder(card.visual, (photo_box.width, photo_box.height), spec.placeholder)
    image.paste(photo, (photo_box.x0, photo_box.y0))
    blocks = tuple(layout.blocks[name] for name in ("name", "meta", "quote"))
    panel, origin = _text_panel(size, card.visual, blocks)
    if panel.width and panel.height:
        image.paste(panel, origin)
    for box, sdg in layout.tiles:
        tile = _cached_tile(sdg, spec.sdgs)
        image.paste(tile, (box.x0, box.y0), tile)
    municipality_logo = _municipality_logo_key(card.municipality_logo_path)
    image.paste(_cached_band(size, card.visual, municipality_logo), (spec.band.box.x0, spec.band.box.y0))
    if municipality_logo is not None:
        box = layout.boxes["municipality_logo"]
        chip = _cached_chip(*municipality_logo, (box.width, box.height))
        image.paste(chip, (box.x0, box.y0), chip)
    return image


@lru_cache(maxsize=1)  # the card drawn again at once (a preview, a caption): a card's formats differ
def _text_panel(size: SocialSize, visual: Visual, blocks: tuple[TextBlock, ...]) -> tuple[Image.Image, tuple[int, int]]:
    """The part of the background that holds ``blocks``, with the text drawn on it, and
    where it goes: one plain paste when the same card is rendered again."""
    x0 = min(block.box.x0 for block in blocks)
    y0 = min(block.box.y0 for block in blocks)
    x1 = max(block.box.x1 for block in blocks)
    y1 = max(block.box.y1 for block in blocks)
    if x1 <= x0 or y1 <= y0:
        return Image.new("RGB", (0, 0)), (0, 0)
    spec = LAYOUTS[size]
    panel = _backdrop(spec, visual).crop((x0, y0, x1, y1))
    background = _colour(spec.background, visual)
    drawn: list[Box] = [spec.rule] if spec.rule is not None else []
    for block in blocks:
        # On the plain background (not on the accent rule or an earlier block) the text is drawn
        # the fast way; see _paste_text.
        flat = not any(block.box.overlaps(other) for other in drawn)
        _paste_text(panel, block, (x0, y0), background=background if flat else None)
        drawn.append(block.box)
    return panel, (x0, y0)


def _compose_naive(card: HeroCard, size: SocialSize) -> Image.Image:
    """The same picture the naive way: the full stored photo fitted with LANCZOS, fonts
    loaded again, text fitted, logos scaled and tiles drawn again, nothing cached."""
    spec = LAYOUTS[size]
    visual = card.visual
    fonts = _fresh_fonts()
    layout = _hero_layout(card, spec, fonts=fonts)
    image = Image.new("RGB", spec.size, _colour(spec.background, visual))
    draw = ImageDraw.Draw(image)
    if spec.rule is not None:
        rule = spec.rule
        draw.rectangle((rule.x0, rule.y0, rule.x1 - 1, rule.y1 - 1), fill=_colour(spec.rule_colour, visual))
    photo_box = spec.photo
    target = (photo_box.width, photo_box.height)
    if card.photo_path or card.display_path:
        with Image.open(card.photo_path or card.display_path) as opened:
            source = opened.convert("RGB")
        photo = source.resize(target, Image.Resampling.LANCZOS, box=_crop_rect(source.size, target, card.focal))
    else:
        photo = _placeholder.__wrapped__(visual, target, spec.placeholder)
    image.paste(photo, (photo_box.x0, photo_box.y0))
    for box, sdg in layout.tiles:
        tile = _tile(sdg, spec.sdgs, fonts)
        image.paste(tile, (box.x0, box.y0), tile)
    image.paste(_band_image(layout, spec.band, visual, fonts), (spec.band.box.x0, spec.band.box.y0))
    if card.municipality_logo_path:
        box = layout.boxes["municipality_logo"]
        with Image.open(card.municipality_logo_path) as opened:
            chip = _chip(opened, (box.width, box.height))
        image.paste(chip, (box.x0, box.y0), chip)
    for name in ("name", "meta", "quote"):
        _draw_text(draw, layout.blocks[name], fonts)
    return image


def _jpeg(image: Image.Image, *, quality: int = JPEG_QUALITY, subsampling: int = -1) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, subsampling=subsampling)
    return out.getvalue()


def render_hero_image(card: HeroCard, *, size: SocialSize) -> bytes:
    """The hero's social image in format ``size``: a baseline sRGB JPEG (quality 85, no EXIF
    or other metadata) of exactly ``size.pixels``. The photo (``card.display_path``, else
    ``card.photo_path``; a colour field without either) is cropped around ``card.focal``.
    Raises OSError if a photo or logo path cannot be read."""
    return _jpeg(_compose(card, size))


def naive_hero_image(card: HeroCard, *, size: SocialSize) -> bytes:
    """The same image as ``render_hero_image``, made the naive way for the benchmark: the
    full stored photo (``card.photo_path``) decoded and LANCZOS-fitted on every call, fonts
    loaded again, no caches."""
    return _jpeg(_compose_naive(card, size))


# The municipality's banner and profile frame.


def render_banner(card: MunicipalityCard) -> bytes:
    """The 600 × 200 e-mail banner: campaign logo, municipality, headline and dates on the
    edition's colour. A JPEG (quality 90, no chroma subsampling, so the text stays crisp)."""
    spec = BANNER
    visual = card.visual
    background = _colour(spec.background, visual)
    image = Image.new("RGB", spec.size, background)
    path = _logo_path(visual)
    logo = _logo(path, _mtime(path), spec.logo.width, spec.logo.height)
    image.paste(
        logo,
        (spec.logo.x0 + (spec.logo.width - logo.width) // 2, spec.logo.y0 + (spec.logo.height - logo.height) // 2),
        logo,
    )
    texts = {
        "municipality": (spec.municipality, card.municipality),
        "headline": (spec.headline, visual.headline),
        "dates": (spec.dates, f"{visual.dates} {visual.year}".strip()),
    }
    blocks = _place(
        {name: (slot, text, _text_colour(slot.colour, visual, background)) for name, (slot, text) in texts.items()}
    )
    for block in blocks.values():
        _paste_text(image, block)
    image.paste(_colour(spec.rule_colour, visual), (spec.rule.x0, spec.rule.y0, spec.rule.x1, spec.rule.y1))
    return _jpeg(image, quality=90, subsampling=0)


def render_profile_frame(card: MunicipalityCard) -> bytes:
    """A 1080 × 1080 RGBA PNG to lay over a profile picture: a ring in the edition's colour
    with a thin accent line inside, widened at the bottom into a segment that carries "Wij
    doen mee!" and the headline. The centre and the corners are fully transparent, the ring
    opaque; the text lies inside the inscribed circle, which is what the platforms show."""
    spec = FRAME
    visual = card.visual
    ring_colour = _colour(spec.ring_colour, visual)
    scale = 4  # the shapes are drawn at 4× as 8-bit masks and reduced: smooth edges
    ring = spec.ring
    centre = ((ring.x0 + ring.x1) / 2 * scale, (ring.y0 + ring.y1) / 2 * scale)

    def disc(draw: ImageDraw.ImageDraw, inset: int, fill: int) -> None:
        radius = (ring.width / 2 - inset) * scale
        draw.ellipse((centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius), fill=fill)

    def segment(draw: ImageDraw.ImageDraw, inset: int, y: int, fill: int) -> None:
        """The part of the disc shrunk by ``inset`` below the line ``y``, as a polygon.
        (ImageDraw.chord fills stray stripes in Pillow 13.)"""
        radius = (ring.width / 2 - inset) * scale
        start = math.asin(max(-1.0, min(1.0, (y * scale - centre[1]) / radius)))
        steps = 256
        arc = [start + (math.pi - 2 * start) * i / steps for i in range(steps + 1)]
        draw.polygon([(centre[0] + radius * math.cos(a), centre[1] + radius * math.sin(a)) for a in arc], fill=fill)

    big = (spec.size[0] * scale, spec.size[1] * scale)
    opaque, accent = Image.new("L", big, 0), Image.new("L", big, 0)
    draw = ImageDraw.Draw(opaque)
    disc(draw, 0, 255)
    disc(draw, spec.ring_width + spec.accent_width, 0)
    segment(draw, spec.ring_width, spec.chord, 255)
    draw = ImageDraw.Draw(accent)
    disc(draw, spec.ring_width, 255)
    disc(draw, spec.ring_width + spec.accent_width, 0)
    segment(draw, spec.ring_width, spec.chord, 255)
    segment(draw, spec.ring_width - 1, spec.chord + spec.accent_width, 0)  # a hair wider: no sliver on the arc
    frame = Image.new("RGB", spec.size, ring_colour)
    frame.paste(_colour(spec.accent_colour, visual), (0, 0, *spec.size), accent.reduce(scale))
    texts = {
        "label": (spec.label, "Wij doen mee!"),
        "headline": (spec.headline, f"{visual.headline} {visual.year}".strip()),
    }
    colours = {name: _text_colour(slot.colour, visual, ring_colour) for name, (slot, _) in texts.items()}
    for block in _place({name: (slot, text, colours[name]) for name, (slot, text) in texts.items()}).values():
        _paste_text(frame, block)
    frame.putalpha(opaque.reduce(scale))
    out = io.BytesIO()
    frame.save(out, "PNG", compress_level=1)  # flat colours: level 1 is nearly as small, and fast
    return out.getvalue()


# Captions.


def _hashtag(tag: str) -> str:
    tag = "".join(tag.split())
    return tag if tag.startswith("#") else f"#{tag}"


def hero_caption(card: HeroCard) -> tuple[str, str]:
    """(post, alt) in Dutch. The post introduces the hero and the municipality, quotes them
    and ends with the edition's hashtags and one "#SDG<n>" per SDG. The alt text describes
    the image: who (name, role, municipality), the quote, the SDG tiles and the band."""
    visual = card.visual
    who = f"{card.name}, {card.role}," if card.role else f"{card.name}"
    week = f"{visual.headline} ({visual.dates} {visual.year})"
    post = f"Maak kennis met {who} uit {card.municipality}: een van de duurzame helden van de {week}."
    quote = " ".join(card.quote.split()).strip('"“”„')
    if quote:
        post += f"\n\n“{quote}”"
    tags = [_hashtag(tag) for tag in visual.hashtags if tag.strip()]
    tags += [f"#SDG{sdg.number}" for sdg in card.sdgs]
    tags = list(dict.fromkeys(tags))
    if tags:
        post += "\n\n" + " ".join(tags)

    role = f", {card.role}" if card.role else ""
    picture = "Foto van" if _photo_path(card) else "Beeld zonder foto, met het campagnelogo, voor"
    alt = f"{picture} {card.name}{role} uit {card.municipality}."
    if quote:
        alt += f" Citaat: “{quote}”"
    if card.sdgs:
        goals = ", ".join(f"SDG {sdg.number} {sdg.title}" for sdg in card.sdgs)
        alt += f" Duurzame-ontwikkelingsdoelen: {goals}."
    alt += f" Onderaan het logo van de {visual.headline}, {visual.dates} {visual.year}."
    return post, alt
