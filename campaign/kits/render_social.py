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
"""

from __future__ import annotations

import io
import math
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from campaign.core.colour import contrast_ratio
from campaign.kits.cards import HeroCard, MunicipalityCard, SdgBadge, SocialSize, Visual
from campaign.kits.layouts import BANNER, FRAME, LAYOUTS, BandSlot, Box, SocialLayout, TextSlot, TileSlot

__all__ = [
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

ASSETS = Path(__file__).resolve().parent.parent / "assets"
FONT_FILES = {
    False: ASSETS / "fonts" / "AtkinsonHyperlegible-Regular.ttf",
    True: ASSETS / "fonts" / "AtkinsonHyperlegible-Bold.ttf",
}
DEFAULT_LOGO = ASSETS / "print" / "campaign-logo.png"

WHITE = "#FFFFFF"
INK = "#1B1B1B"  # near-black for text
MUTED = "#4A4A4A"  # the role line: 8.2:1 on the paper colour
PAPER = "#F7F6F2"  # a warm off-white behind the text
JPEG_QUALITY = 85
CHIP_PADDING = 8  # white around a municipality logo
AA_CONTRAST = 4.5  # WCAG AA for normal text
ELLIPSIS = "…"
RESAMPLE = Image.Resampling.BICUBIC  # the final step after an integer reduce
REDUCING_GAP = 2.0
SOURCE_CACHE_SIZE = 4  # decoded photos kept per process (a 1600 × 2000 photo takes 9.6 MB)

FontLoader = Callable[[int, bool], ImageFont.FreeTypeFont]


# Results.


@dataclass(frozen=True)
class TextBlock:
    """A fitted text: its lines, font size, line pitch and the box it takes when drawn."""

    lines: tuple[str, ...]
    size: int
    bold: bool
    line_height: int
    box: Box
    colour: str
    align: str = "left"
    truncated: bool = False


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


# Resources, loaded once per process.


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Atkinson Hyperlegible at ``size`` px, loaded once per process."""
    return ImageFont.truetype(str(FONT_FILES[bold]), size)


def _fresh_fonts() -> FontLoader:
    """A font loader without the process cache: every render loads its fonts again."""
    loaded: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}

    def load(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        key = (size, bold)
        if key not in loaded:
            loaded[key] = ImageFont.truetype(str(FONT_FILES[bold]), size)
        return loaded[key]

    return load


@lru_cache(maxsize=16384)
def _length(text: str, size: int, bold: bool) -> float:
    return font(size, bold).getlength(text)


class _Sources:
    """Decoded photos (RGB), keyed by path, modification time and size; least recently used
    dropped first. JPEGs much larger than any layout needs are decoded at a reduced scale."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.images: OrderedDict[tuple[str, int, int], Image.Image] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, path: str) -> Image.Image:
        status = os.stat(path)
        key = (path, status.st_mtime_ns, status.st_size)
        with self.lock:
            image = self.images.get(key)
            if image is not None:
                self.images.move_to_end(key)
                return image
        image = _decode(path)
        with self.lock:
            self.images[key] = image
            while len(self.images) > self.limit:
                self.images.popitem(last=False)
        return image

    def clear(self) -> None:
        with self.lock:
            self.images.clear()


def _decode(path: str) -> Image.Image:
    with Image.open(path) as opened:
        if opened.format == "JPEG":
            # The smallest JPEG scale (1/2, 1/4, 1/8) from which every format's photo box can
            # still be cropped without enlarging.
            width, height = opened.size
            factor = min(min(width / box.width, height / box.height) for box in _PHOTO_BOXES)
            if factor >= 2:
                opened.draft("RGB", (math.ceil(width / factor), math.ceil(height / factor)))
        return opened.convert("RGB")


_PHOTO_BOXES = tuple(spec.photo for spec in LAYOUTS.values())
_sources = _Sources(SOURCE_CACHE_SIZE)


def _mtime(path: str) -> int:
    return os.stat(path).st_mtime_ns


@lru_cache(maxsize=64)
def _logo(path: str, mtime: int, width: int, height: int) -> Image.Image:
    """The logo at ``path`` (RGBA), scaled to fit ``width`` × ``height``, once per process."""
    with Image.open(path) as opened:
        return _fit_logo(opened, width, height)


def _fit_logo(opened: Image.Image, width: int, height: int) -> Image.Image:
    logo = opened.convert("RGBA")
    scale = min(width / logo.width, height / logo.height)
    size = (max(1, round(logo.width * scale)), max(1, round(logo.height * scale)))
    return logo.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


# Colour.


def ink_on(background: str) -> str:
    """The text colour for ``background``: white where its contrast ratio is at least 4.5,
    otherwise near-black (or whichever of the two contrasts more, if neither reaches 4.5)."""
    white, ink = contrast_ratio(WHITE, background), contrast_ratio(INK, background)
    if white >= AA_CONTRAST or white > ink:
        return WHITE
    return INK


def _colour(role: str, visual: Visual) -> str:
    return {
        "primary": visual.primary,
        "accent": visual.accent,
        "white": WHITE,
        "ink": INK,
        "muted": MUTED,
        "paper": PAPER,
    }[role]


def _text_colour(role: str, visual: Visual, background: str) -> str:
    """The colour of ``role``, unless it would not read on ``background`` (contrast < 4.5)."""
    colour = _colour(role, visual)
    return colour if contrast_ratio(colour, background) >= AA_CONTRAST else ink_on(background)


# Text fitting.


def _block_height(lines: int, size: int, pitch: int, bold: bool) -> int:
    """Height of ``lines`` lines: pitch between baselines, the font's full ascent and descent
    (accents and descenders included) for the last line."""
    if lines == 0:
        return 0
    ascent, descent = font(size, bold).getmetrics()
    return (lines - 1) * pitch + ascent + descent


def _pieces(word: str, width: int, measure: Callable[[str], float]) -> list[str] | None:
    """``word`` split after its hyphens into pieces that each fit ``width``, or None."""
    parts = re.split(r"(?<=[-/])(?=.)", word)
    pieces: list[str] = []
    current = ""
    for part in parts:
        if measure(current + part) <= width:
            current += part
            continue
        if not current or measure(part) > width:
            return None
        pieces.append(current)
        current = part
    pieces.append(current)
    return pieces


def _wrap(words: list[str], width: int, measure: Callable[[str], float], *, cut: bool) -> tuple[list[str], bool] | None:
    """Greedy word wrap: (lines, whether a word was shortened). A word wider than ``width``
    breaks after a hyphen; if it still does not fit, the result is None, or with ``cut`` the
    word is shortened with an ellipsis."""
    lines: list[str] = []
    shortened = False
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if measure(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
            current = ""
        if measure(word) <= width:
            current = word
            continue
        pieces = _pieces(word, width, measure)
        if pieces is None:
            if not cut:
                return None
            pieces = [_shorten(word, width, measure)]
            shortened = True
        lines.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        lines.append(current)
    return lines, shortened


def _shorten(text: str, width: int, measure: Callable[[str], float], suffix: str = ELLIPSIS) -> str:
    """The longest start of ``text`` that fits ``width`` with ``suffix`` after it."""
    text = text.rstrip()
    while text and measure(text + suffix) > width:
        text = text[:-1].rstrip()
    text = text.rstrip(" ,;:.-–")
    return text + suffix if measure(text + suffix) <= width else ""


def fit_text(
    text: str, slot: TextSlot, *, height: int, fonts: FontLoader | None = None
) -> tuple[tuple[str, ...], int, int, bool]:
    """(lines, font size, line pitch, truncated) for ``text`` in ``slot.box``'s width and
    ``height`` px: the largest size from slot.max_size down to slot.min_size at which the
    greedily wrapped text fits in slot.max_lines lines. If it does not fit even at
    slot.min_size, the lines that fit are kept and the last one ends in "…" (and the closing
    quotation mark, if the text had one). The result never overflows; with no room for one
    line it is empty. Cached per (text, slot, height) unless ``fonts`` is given."""
    if fonts is None:
        return _fit_cached(text, slot, height)
    return _fit(text, slot, height, lambda s, b: fonts(s, b).getlength)


@lru_cache(maxsize=4096)
def _fit_cached(text: str, slot: TextSlot, height: int) -> tuple[tuple[str, ...], int, int, bool]:
    return _fit(text, slot, height, lambda size, bold: _glyphs(size, bold).width)


def _room(size: int, pitch: int, bold: bool, height: int, max_lines: int) -> int:
    """How many lines (at most ``max_lines``) fit in ``height``."""
    lines = max_lines
    while lines and _block_height(lines, size, pitch, bold) > height:
        lines -= 1
    return lines


def _fit(
    text: str, slot: TextSlot, height: int, measurer: Callable[[int, bool], Callable[[str], float]]
) -> tuple[tuple[str, ...], int, int, bool]:
    words = text.split()
    width = slot.box.width
    if not words:
        return (), slot.min_size, round(slot.min_size * slot.line_height), False
    attempts = [(size, slot.max_lines) for size in range(slot.max_size, slot.min_size - 1, -1)]
    if slot.one_line_down_to is not None:
        attempts = [(size, 1) for size in range(slot.max_size, slot.one_line_down_to - 1, -1)] + attempts
    for size, max_lines in attempts:
        pitch = round(size * slot.line_height)
        room = _room(size, pitch, slot.bold, height, max_lines)
        measure = measurer(size, slot.bold)
        if room == 0 or measure(" ".join(words)) > room * width:
            continue  # too long for the lines there is room for, however it wraps
        wrapped = _wrap(words, width, measure, cut=False)
        if wrapped and len(wrapped[0]) <= room:
            return tuple(wrapped[0]), size, pitch, False
    size = slot.min_size
    pitch = round(size * slot.line_height)
    room = _room(size, pitch, slot.bold, height, slot.max_lines)
    if room == 0:
        return (), size, pitch, True
    measure = measurer(size, slot.bold)
    lines, shortened = _wrap(words, width, measure, cut=True)
    if len(lines) <= room and not shortened:
        return tuple(lines), size, pitch, False
    kept = lines[:room]
    suffix = ELLIPSIS + ("”" if text.endswith("”") else "")
    last = kept[-1].removesuffix(ELLIPSIS)
    if len(lines) > room:
        last = f"{last} {lines[room]}"  # let the ellipsis line use its full width
    kept[-1] = _shorten(last, width, measure, suffix)
    return tuple(kept), size, pitch, True


def _place(
    texts: dict[str, tuple[TextSlot, str | tuple[str, ...], str]], *, fonts: FontLoader | None = None
) -> dict[str, TextBlock]:
    """Fit each (slot, text, colour) in order, each ``after`` slot starting below the block
    it follows. A tuple of texts lists alternatives, longest first: the first that fits
    without "…" is used, else the last one."""
    blocks: dict[str, TextBlock] = {}
    for name, (slot, alternatives, colour) in texts.items():
        top = slot.box.y0
        if slot.after is not None:
            top = max(top, blocks[slot.after].box.y1 + slot.gap)
        for text in (alternatives,) if isinstance(alternatives, str) else alternatives:
            lines, size, pitch, truncated = fit_text(text, slot, height=max(0, slot.box.y1 - top), fonts=fonts)
            if not truncated:
                break
        measure = _glyphs(size, slot.bold).width if fonts is None else fonts(size, slot.bold).getlength
        width = max((math.ceil(measure(line)) for line in lines), default=0)
        left = slot.box.x0 if slot.align == "left" else slot.box.x0 + (slot.box.width - width) // 2
        box = Box(left, top, left + width, top + _block_height(len(lines), size, pitch, slot.bold))
        blocks[name] = TextBlock(lines, size, slot.bold, pitch, box, colour, slot.align, truncated)
    return blocks


# Hero layout.


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


def _logo_path(visual: Visual) -> str:
    return visual.logo_path or str(DEFAULT_LOGO)


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


def _municipality_logo_key(path: str | None) -> tuple[str, int] | None:
    if not path:
        return None
    return path, _mtime(path)


def hero_layout(card: HeroCard, *, size: SocialSize) -> Layout:
    """Where each element of ``card``'s image in format ``size`` goes, with the text fitted
    (font sizes, lines, "…" where needed), without drawing or encoding anything. Every text
    box lies inside ``layout.safe``. Raises OSError if a logo path cannot be read."""
    return _hero_layout(card, LAYOUTS[size])


# Photo.


def _crop_rect(source: tuple[int, int], target: tuple[int, int], focal: tuple[float, float]) -> tuple[float, ...]:
    """The largest rectangle with the target's aspect ratio inside the source, placed so
    the focal point (fractions of width and height) is as central as the source allows."""
    source_width, source_height = source
    target_width, target_height = target
    scale = min(source_width / target_width, source_height / target_height)
    width, height = target_width * scale, target_height * scale
    fx = min(max(focal[0], 0.0), 1.0) * source_width
    fy = min(max(focal[1], 0.0), 1.0) * source_height
    left = min(max(fx - width / 2, 0.0), source_width - width)
    top = min(max(fy - height / 2, 0.0), source_height - height)
    return left, top, left + width, top + height


def _photo_path(card: HeroCard) -> str | None:
    return card.display_path or card.photo_path


@lru_cache(maxsize=8)
def _scaled_source(path: str, mtime: int, scale: float) -> Image.Image:
    """The decoded photo at ``path`` scaled by ``scale`` (an integer reduce, then BICUBIC),
    once per process. Formats that need the same scale (for an upright photo the three
    1080 px wide ones) share it and only crop."""
    source = _sources.get(path)
    size = (math.ceil(source.width * scale), math.ceil(source.height * scale))
    if size == source.size:
        return source
    return source.resize(size, RESAMPLE, reducing_gap=REDUCING_GAP)


@lru_cache(maxsize=8)
def _fitted_photo(path: str, mtime: int, size: tuple[int, int], focal: tuple[float, float]) -> Image.Image:
    """The photo at ``path`` scaled to cover ``size`` and cropped to it around ``focal``."""
    source = _sources.get(path)
    scale = round(max(size[0] / source.width, size[1] / source.height) + 0.00005, 4)  # rounded up: never short
    scaled = _scaled_source(path, mtime, scale)
    left, top, _, _ = _crop_rect(scaled.size, size, focal)
    left = min(max(round(left), 0), scaled.width - size[0])
    top = min(max(round(top), 0), scaled.height - size[1])
    return scaled.crop((left, top, left + size[0], top + size[1]))


@lru_cache(maxsize=16)
def _placeholder(visual: Visual, size: tuple[int, int], role: str) -> Image.Image:
    """A colour field with the campaign logo in its middle, for a hero without a photo."""
    field_ = Image.new("RGB", size, _colour(role, visual))
    side = round(min(size) * 0.42)
    path = _logo_path(visual)
    logo = _logo(path, _mtime(path), side, side)
    field_.paste(logo, ((size[0] - logo.width) // 2, (size[1] - logo.height) // 2), logo)
    return field_


# Drawing.


@lru_cache(maxsize=64)
def _text_mask(
    lines: tuple[str, ...], size: int, bold: bool, pitch: int, box_size: tuple[int, int], align: str
) -> Image.Image:
    """The rasterised text as an 8-bit mask the size of its block, once per process."""
    mask = Image.new("L", box_size, 0)
    glyphs = _glyphs(size, bold)
    for index, line in enumerate(lines):
        x = 0.0 if align == "left" else (box_size[0] - glyphs.width(line)) / 2
        glyphs.draw(mask, (x, index * pitch), line)
    return mask


class _Glyphs:
    """Rasterised glyphs of one font and size, kept for the life of the process.

    FreeType renders every glyph again on each ``ImageDraw.text`` call (about 4 ms for a
    line of 60 characters here); pasting cached glyph masks is far cheaper. Glyphs are
    advanced as the shaper measures them, pair kerning included, so lines are as wide as
    ``getlength`` says and as the fitting assumed."""

    def __init__(self, size: int, bold: bool) -> None:
        self.size, self.bold = size, bold
        self.face = font(size, bold)
        self.masks: dict[str, tuple[Image.Image | None, int, int]] = {}
        self.kerning: dict[str, float] = {}
        self.widths: dict[str, float] = {}

    def mask(self, char: str) -> tuple[Image.Image | None, int, int]:
        found = self.masks.get(char)
        if found is None:
            left, top, right, bottom = self.face.getbbox(char, anchor="la")
            image = None
            if right > left and bottom > top:
                image = Image.new("L", (right - left, bottom - top), 0)
                ImageDraw.Draw(image).text((-left, -top), char, font=self.face, fill=255, anchor="la")
            found = self.masks[char] = (image, left, top)
        return found

    def advance(self, pair: str) -> float:
        """How far the pen moves from the first character of ``pair`` to the second."""
        found = self.kerning.get(pair)
        if found is None:
            found = self.kerning[pair] = _length(pair, self.size, self.bold) - _length(pair[1], self.size, self.bold)
        return found

    def width(self, text: str) -> float:
        """How far the pen moves over ``text``: the width ``draw`` gives it."""
        found = self.widths.get(text)
        if found is None:
            found = sum(self.advance(text[i : i + 2]) for i in range(len(text) - 1))
            found += _length(text[-1], self.size, self.bold) if text else 0.0
            if len(self.widths) > 50_000:
                self.widths.clear()
            self.widths[text] = found
        return found

    def draw(self, target: Image.Image, origin: tuple[float, float], text: str) -> None:
        """Paint ``text`` at full coverage into the 8-bit ``target``, top-left at ``origin``."""
        x, y = origin
        for index, char in enumerate(text):
            if index:
                x += self.advance(text[index - 1 : index + 1])
            image, left, top = self.mask(char)
            if image is not None:
                target.paste(
                    255,
                    (round(x) + left, round(y) + top, round(x) + left + image.width, round(y) + top + image.height),
                    image,
                )


@cache
def _glyphs(size: int, bold: bool) -> _Glyphs:
    return _Glyphs(size, bold)


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: tuple[str, ...],
    face: ImageFont.FreeTypeFont,
    pitch: int,
    origin: tuple[float, float],
    width: int,
    align: str,
    fill: str | int,
) -> None:
    x0, y = origin
    for line in lines:
        x = x0 if align == "left" else x0 + (width - face.getlength(line)) / 2
        draw.text((x, y), line, font=face, fill=fill, anchor="la")
        y += pitch


def _paste_text(image: Image.Image, block: TextBlock, offset: tuple[int, int] = (0, 0)) -> None:
    if not block.lines:
        return
    box = block.box
    mask = _text_mask(block.lines, block.size, block.bold, block.line_height, (box.width, box.height), block.align)
    x, y = box.x0 - offset[0], box.y0 - offset[1]
    image.paste(block.colour, (x, y, x + box.width, y + box.height), mask)


def _draw_text(draw: ImageDraw.ImageDraw, block: TextBlock, fonts: FontLoader) -> None:
    box = block.box
    _draw_lines(
        draw,
        block.lines,
        fonts(block.size, block.bold),
        block.line_height,
        (box.x0, box.y0),
        box.width,
        block.align,
        block.colour,
    )


@lru_cache(maxsize=16)
def _round_mask(size: tuple[int, int], radius: int) -> Image.Image:
    """An anti-aliased rounded-rectangle mask (drawn at 4× and reduced)."""
    big = Image.new("L", (size[0] * 4, size[1] * 4), 0)
    ImageDraw.Draw(big).rounded_rectangle((0, 0, big.width - 1, big.height - 1), radius=radius * 4, fill=255)
    return big.reduce(4)


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


@lru_cache(maxsize=16)
def _cached_band(size: SocialSize, visual: Visual, municipality_logo: tuple[str, int] | None) -> Image.Image:
    """The band of format ``size``: the same for every hero of an edition (and municipality)."""
    spec = LAYOUTS[size]
    probe = HeroCard(name="", role="", quote="", municipality="", sdgs=(), visual=visual,
                     municipality_logo_path=municipality_logo[0] if municipality_logo else None)  # fmt: skip
    return _band_image(_hero_layout(probe, spec), spec.band, visual, None)


def _chip(opened: Image.Image, size: tuple[int, int]) -> Image.Image:
    """A logo on a white rounded chip of ``size``: municipality logos are made for white."""
    chip = Image.new("RGBA", size, WHITE)
    chip.putalpha(_round_mask(size, 10))
    inner = _fit_logo(opened, size[0] - 2 * CHIP_PADDING, size[1] - 2 * CHIP_PADDING)
    chip.alpha_composite(inner, ((size[0] - inner.width) // 2, (size[1] - inner.height) // 2))
    return chip


@lru_cache(maxsize=16)
def _cached_chip(path: str, mtime: int, size: tuple[int, int]) -> Image.Image:
    with Image.open(path) as opened:
        return _chip(opened, size)


@lru_cache(maxsize=4)
def _backdrop(spec: SocialLayout, visual: Visual) -> Image.Image:
    """The empty canvas of a format: background and accent rule."""
    image = Image.new("RGB", spec.size, _colour(spec.background, visual))
    if spec.rule is not None:
        image.paste(_colour(spec.rule_colour, visual), (spec.rule.x0, spec.rule.y0, spec.rule.x1, spec.rule.y1))
    return image


def _compose(card: HeroCard, size: SocialSize) -> Image.Image:
    spec = LAYOUTS[size]
    layout = _hero_layout(card, spec)
    image = _backdrop(spec, card.visual).copy()
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


@lru_cache(maxsize=8)
def _text_panel(size: SocialSize, visual: Visual, blocks: tuple[TextBlock, ...]) -> tuple[Image.Image, tuple[int, int]]:
    """The part of the background that holds ``blocks``, with the text drawn on it, and
    where it goes: one plain paste when the same card is rendered again."""
    x0 = min(block.box.x0 for block in blocks)
    y0 = min(block.box.y0 for block in blocks)
    x1 = max(block.box.x1 for block in blocks)
    y1 = max(block.box.y1 for block in blocks)
    if x1 <= x0 or y1 <= y0:
        return Image.new("RGB", (0, 0)), (0, 0)
    panel = _backdrop(LAYOUTS[size], visual).crop((x0, y0, x1, y1))
    for block in blocks:
        _paste_text(panel, block, (x0, y0))
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
    frame.save(out, "PNG", compress_level=6)
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
