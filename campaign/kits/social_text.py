"""Text in the social images: Atkinson Hyperlegible loaded once per (size, weight), texts
fitted to a layout's slots (the largest size that fits, wrapped, "…" where nothing else
will do) and drawn from cached glyph masks, so a line is as wide as the fitting measured it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

from campaign.kits.layouts import Box, TextSlot

ASSETS = Path(__file__).resolve().parent.parent / "assets"
FONT_FILES = {
    False: ASSETS / "fonts" / "AtkinsonHyperlegible-Regular.ttf",
    True: ASSETS / "fonts" / "AtkinsonHyperlegible-Bold.ttf",
}
ELLIPSIS = "…"

FontLoader = Callable[[int, bool], ImageFont.FreeTypeFont]


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


# Fonts, loaded once per process.


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


def _paste_text(
    image: Image.Image, block: TextBlock, offset: tuple[int, int] = (0, 0), *, background: str | None = None
) -> None:
    """Draw ``block`` onto ``image`` (whose top-left is at ``offset`` in the layout). When the caller
    knows the block lies on one flat ``background`` colour, the text is drawn by colouring its mask
    through a palette, which gives the same pixels as blending the colour through the mask, in a
    quarter of the time (a test compares both)."""
    if not block.lines:
        return
    box = block.box
    mask = _text_mask(block.lines, block.size, block.bold, block.line_height, (box.width, box.height), block.align)
    x, y = box.x0 - offset[0], box.y0 - offset[1]
    region = (x, y, x + box.width, y + box.height)
    if background is None or image.mode != "RGB":
        image.paste(block.colour, region, mask)
        return
    tinted = mask.convert("P")
    tinted.putpalette(_blend_palette(background, block.colour))
    image.paste(tinted.convert("RGB"), region)


@lru_cache(maxsize=64)
def _blend_palette(background: str, colour: str) -> list[int]:
    """For each mask value m, the RGB value Pillow's ``paste(colour, box, mask)`` gives over
    ``background``: (background × (255 − m) + colour × m) / 255, rounded as Pillow rounds."""

    def blend(under: int, over: int, m: int) -> int:
        value = under * (255 - m) + over * m + 128
        return ((value >> 8) + value) >> 8

    under, over = ImageColor.getrgb(background)[:3], ImageColor.getrgb(colour)[:3]
    return [blend(u, o, m) for m in range(256) for u, o in zip(under, over, strict=True)]


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
