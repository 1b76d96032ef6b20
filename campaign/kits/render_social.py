"""Social-media images with Pillow: per hero four formats, and per municipality an e-mail
banner and a profile-picture frame. Pure functions: cards in, bytes out.

Speed: fonts and glyphs are loaded once per process; each photo is decoded once and
scaled once per size needed (later formats of the same hero only crop it); text fitting,
SDG tiles and the edition's band are cached.
"""

from __future__ import annotations

import io
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from campaign.core.colour import contrast_ratio
from campaign.kits.cards import BANNER_SIZE, FRAME_SIZE, HeroCard, MunicipalityCard, SocialSize
from campaign.kits.layouts import LAYOUTS, SocialLayout, TextStyle

ASSETS = Path(__file__).resolve().parent.parent / "assets"
FONTS = {
    False: ASSETS / "fonts" / "AtkinsonHyperlegible-Regular.ttf",
    True: ASSETS / "fonts" / "AtkinsonHyperlegible-Bold.ttf",
}
DEFAULT_LOGO = ASSETS / "print" / "campaign-logo.png"
INK = "#1B1B1B"
WHITE = "#FFFFFF"
QUALITY = 85


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    def inside(self, other: Box) -> bool:
        return self.x0 >= other.x0 and self.y0 >= other.y0 and self.x1 <= other.x1 and self.y1 <= other.y1


@dataclass(frozen=True)
class TextBlock:
    lines: tuple[str, ...]
    size: int
    bold: bool
    line_height: int
    box: Box


@dataclass(frozen=True)
class Layout:
    size: tuple[int, int]
    safe: Box
    boxes: dict[str, Box]
    font_sizes: dict[str, int]
    blocks: dict[str, TextBlock] = field(default_factory=dict)


# Resources, loaded once per process.


@lru_cache(maxsize=128)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS[bold]), size)


class _Sources:
    """Decoded photos by path (and modification time), at most ``limit`` of them."""

    def __init__(self, limit: int = 48) -> None:
        self.limit = limit
        self.images: OrderedDict[tuple[str, float], Image.Image] = OrderedDict()

    def get(self, path: str) -> Image.Image:
        key = (path, os.stat(path).st_mtime)
        image = self.images.get(key)
        if image is None:
            with Image.open(path) as opened:
                if opened.format == "JPEG":
                    opened.draft("RGB", (1200, 1200))
                image = opened.convert("RGB")
            self.images[key] = image
            if len(self.images) > self.limit:
                self.images.popitem(last=False)
        else:
            self.images.move_to_end(key)
        return image


_sources = _Sources()


@lru_cache(maxsize=32)
def _logo(path: str, height: int) -> Image.Image:
    with Image.open(path) as opened:
        logo = opened.convert("RGBA")
    width = max(1, round(logo.width * height / logo.height))
    return logo.resize((width, height), Image.Resampling.LANCZOS)


class Glyphs:
    """Rendered glyphs of one font size, kept for the life of the process.

    FreeType rasterises every glyph of every line again on each call, which made text the
    slowest part of an image; pasting cached glyph masks is several times faster. Lines are
    measured with the same advances, so wrapping and drawing agree."""

    def __init__(self, size: int, bold: bool) -> None:
        self.face = font(size, bold)
        self.cache: dict[str, tuple[Image.Image | None, int, int, float]] = {}

    def glyph(self, char: str) -> tuple[Image.Image | None, int, int, float]:
        found = self.cache.get(char)
        if found is None:
            advance = self.face.getlength(char)
            left, top, right, bottom = self.face.getbbox(char)
            mask = None
            if right > left and bottom > top:
                mask = Image.new("L", (right - left, bottom - top), 0)
                ImageDraw.Draw(mask).text((-left, -top), char, font=self.face, fill=255)
            found = (mask, left, top, advance)
            self.cache[char] = found
        return found

    def length(self, text: str) -> float:
        return sum(self.glyph(char)[3] for char in text)

    def draw(self, image: Image.Image, xy: tuple[float, float], text: str, colour: str) -> None:
        x, y = xy
        for char in text:
            mask, left, top, advance = self.glyph(char)
            if mask is not None:
                image.paste(colour, (round(x) + left, round(y) + top), mask)
            x += advance


@lru_cache(maxsize=128)
def glyphs(size: int, bold: bool = False) -> Glyphs:
    return Glyphs(size, bold)


def ink_on(background: str) -> str:
    """White text where it reads well (contrast ≥ 4.5), else near-black."""
    return WHITE if contrast_ratio(background, WHITE) >= 4.5 else INK


# Text fitting.


def _wrap(text: str, width: int, size: int, bold: bool) -> list[str] | None:
    face = _Measure(size, bold)
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if face.getlength(trial) <= width:
            current = trial
            continue
        if not current or face.getlength(word) > width:
            return None  # a single word wider than the box
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    return lines


@lru_cache(maxsize=4096)
def fit_text(text: str, width: int, height: int, style: TextStyle) -> tuple[tuple[str, ...], int, int]:
    """(lines, font size, line height) of the largest size from style.max_size down to
    style.min_size at which ``text`` fits ``width`` × ``height`` in style.max_lines lines.
    At the smallest size, what does not fit is cut off with an ellipsis; it never overflows."""
    text = " ".join(text.split())
    if not text:
        return (), style.min_size, round(style.min_size * style.line_height)
    for size in range(style.max_size, style.min_size - 1, -2):
        line_height = round(size * style.line_height)
        lines = _wrap(text, width, size, style.bold)
        if lines is not None and len(lines) <= style.max_lines and len(lines) * line_height <= height:
            return tuple(lines), size, line_height
    size = style.min_size
    line_height = round(size * style.line_height)
    fitting = max(1, min(style.max_lines, height // line_height))
    return _ellipsize(text, width, size, style.bold, fitting), size, line_height


class _Measure:
    def __init__(self, size: int, bold: bool) -> None:
        self.glyphs = glyphs(size, bold)

    def getlength(self, text: str) -> float:
        return self.glyphs.length(text)


def _ellipsize(text: str, width: int, size: int, bold: bool, max_lines: int) -> tuple[str, ...]:
    face = _Measure(size, bold)
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        while face.getlength(word) > width and len(word) > 1:  # break very long words
            word = word[:-2] + "…"
        trial = f"{current} {word}".strip()
        if face.getlength(trial) <= width:
            current = trial
        else:
            lines.append(current)
            current = word
        if len(lines) == max_lines:
            break
    if len(lines) < max_lines and current:
        lines.append(current)
    lines = lines[:max_lines]
    if " ".join(lines) != " ".join(words):
        last = lines[-1]
        while last and face.getlength(last + "…") > width:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return tuple(lines)


# Layout.


def _block(text: str, style: TextStyle, x0: int, y0: int, x1: int, y_limit: int) -> TextBlock:
    lines, size, line_height = fit_text(text, x1 - x0, max(0, y_limit - y0), style)
    height = len(lines) * line_height
    return TextBlock(lines=lines, size=size, bold=style.bold, line_height=line_height, box=Box(x0, y0, x1, y0 + height))


def _tiles(card: HeroCard, spec: SocialLayout) -> list[tuple[Box, object]]:
    width, height = spec.tile
    x, bottom = spec.sdg_origin
    tiles = []
    for sdg in card.sdgs[:3]:
        tiles.append((Box(x, bottom - height, x + width, bottom), sdg))
        x += width + 12
    return tiles


def hero_layout(card: HeroCard, *, size: SocialSize) -> Layout:
    """Where everything goes for ``card`` in format ``size``, text fitted, nothing drawn."""
    spec = LAYOUTS[size]
    x0, y0, x1, y1 = spec.panel
    name = _block(card.name, spec.name, x0, y0, x1, y1)
    meta_text = " · ".join(part for part in (card.role, card.municipality) if part)
    meta = _block(meta_text, spec.meta, x0, name.box.y1 + spec.gap // 2, x1, y1)
    quote = _block(f"“{card.quote}”" if card.quote else "", spec.quote, x0, meta.box.y1 + spec.gap, x1, y1)
    bx0, by0, bx1, by1 = spec.band_text
    logo_size = by1 - by0
    headline_text = (
        card.visual.headline if spec.headline.max_lines > 1 else f"{card.visual.headline} · {card.visual.dates}"
    )
    headline = _block(headline_text, spec.headline, bx0 + logo_size + 20, by0, bx1, by1)
    tiles = _tiles(card, spec)
    boxes = {
        "photo": Box(*spec.photo),
        "band": Box(*spec.band),
        "name": name.box,
        "meta": meta.box,
        "quote": quote.box,
        "headline": headline.box,
        "logo": Box(bx0, by0, bx0 + logo_size, by1),
    }
    if tiles:
        boxes["sdgs"] = Box(tiles[0][0].x0, tiles[0][0].y0, tiles[-1][0].x1, tiles[-1][0].y1)
    return Layout(
        size=spec.size,
        safe=Box(*spec.safe),
        boxes=boxes,
        font_sizes={"name": name.size, "meta": meta.size, "quote": quote.size, "headline": headline.size},
        blocks={"name": name, "meta": meta, "quote": quote, "headline": headline},
    )


# Drawing.


def _crop_box(source: tuple[int, int], target: tuple[int, int], focal: tuple[float, float]) -> tuple[float, ...]:
    """The largest rectangle of the target's aspect ratio inside the source, as centred on
    the focal point as the source allows."""
    sw, sh = source
    tw, th = target
    scale = min(sw / tw, sh / th)
    cw, ch = tw * scale, th * scale
    fx, fy = focal
    left = min(max(fx * sw - cw / 2, 0), sw - cw)
    top = min(max(fy * sh - ch / 2, 0), sh - ch)
    return (left, top, left + cw, top + ch)


@lru_cache(maxsize=96)
def _scaled(path: str, mtime: float, scale: float) -> Image.Image:
    """The photo at ``path`` scaled by ``scale``, once per process: the formats of a hero
    then only crop it."""
    source = _sources.get(path)
    size = (max(1, round(source.width * scale)), max(1, round(source.height * scale)))
    if size == source.size:
        return source
    return source.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def _photo(card: HeroCard, box: Box, *, naive: bool = False) -> Image.Image | None:
    target = (box.x1 - box.x0, box.y1 - box.y0)
    if naive:
        if not card.photo_path:
            return None
        with Image.open(card.photo_path) as opened:
            return ImageOps.fit(opened.convert("RGB"), target, Image.Resampling.LANCZOS, centering=card.focal)
    path = card.display_path or card.photo_path
    if not path:
        return None
    source = _sources.get(path)
    if card.photo_path and max(target[0] / source.width, target[1] / source.height) > 1:
        path = card.photo_path  # the screen derivative is too small for this box: use the original
        source = _sources.get(path)
    scale = round(max(target[0] / source.width, target[1] / source.height), 3)
    scaled = _scaled(path, os.stat(path).st_mtime, scale)
    left, top, _, _ = _crop_box(scaled.size, target, card.focal)
    left = min(max(round(left), 0), scaled.width - target[0])
    top = min(max(round(top), 0), scaled.height - target[1])
    return scaled.crop((left, top, left + target[0], top + target[1]))


def _text(image: Image.Image, block: TextBlock, colour: str, face_loader=None) -> None:
    """Draw a fitted block: with cached glyphs, or with ``face_loader``'s font (the naive way)."""
    draw = ImageDraw.Draw(image) if face_loader is not None else None
    y = block.box.y0
    for line in block.lines:
        if draw is None:
            glyphs(block.size, block.bold).draw(image, (block.box.x0, y), line, colour)
        else:
            draw.text((block.box.x0, y), line, font=face_loader(block.size, block.bold), fill=colour)
        y += block.line_height


@lru_cache(maxsize=128)
def _tile_image(number: int, title: str, colour: str, size: tuple[int, int]) -> Image.Image:
    """One SDG tile, drawn once per process and size."""
    tile = Image.new("RGBA", size, (0, 0, 0, 0))
    _draw_tiles(ImageDraw.Draw(tile), [(Box(0, 0, *size), _Badge(number, title, colour))])
    return tile


@dataclass(frozen=True)
class _Badge:
    number: int
    title: str
    colour: str


def _paste_tiles(image: Image.Image, tiles) -> None:
    for box, sdg in tiles:
        tile = _tile_image(sdg.number, sdg.title, sdg.colour, (box.x1 - box.x0, box.y1 - box.y0))
        image.paste(tile, (box.x0, box.y0), tile)


@lru_cache(maxsize=64)
def _band_image(visual, size: SocialSize) -> tuple[Image.Image, TextBlock]:
    """The bottom band with the logo, headline and dates: the same for every hero of an
    edition, so drawn once per process, visual and format."""
    spec = LAYOUTS[size]
    band = Box(*spec.band)
    strip = Image.new("RGB", (band.x1 - band.x0, band.y1 - band.y0), visual.primary)
    draw = ImageDraw.Draw(strip)
    bx0, by0, bx1, by1 = spec.band_text
    logo_size = by1 - by0
    text = visual.headline if spec.headline.max_lines > 1 else f"{visual.headline} · {visual.dates}"
    block = _block(text, spec.headline, bx0 + logo_size + 20 - band.x0, by0 - band.y0, bx1 - band.x0, by1 - band.y0)
    _text(strip, block, ink_on(visual.primary))
    if spec.headline.max_lines > 1:
        face = font(max(20, block.size - 8), False)
        if block.box.y1 + face.size <= by1 - band.y0 + 4:
            draw.text((block.box.x0, block.box.y1 + 2), visual.dates, font=face, fill=ink_on(visual.primary))
    logo = _logo(visual.logo_path or str(DEFAULT_LOGO), logo_size)
    strip.paste(logo, (bx0 - band.x0, by0 - band.y0), logo)
    return strip, block


def _draw_tiles(draw: ImageDraw.ImageDraw, tiles, face_loader=font) -> None:
    for box, sdg in tiles:
        draw.rounded_rectangle((box.x0, box.y0, box.x1, box.y1), radius=10, fill=sdg.colour)
        ink = ink_on(sdg.colour)
        height = box.y1 - box.y0
        number = face_loader(round(height * 0.52), True)
        draw.text((box.x0 + 14, box.y0 + height / 2), str(sdg.number), font=number, fill=ink, anchor="lm")
        number_width = number.getlength(str(sdg.number))
        text_x = box.x0 + 14 + number_width + 10
        lines, size, line_height = fit_text(
            sdg.title,
            int(box.x1 - text_x - 10),
            height - 12,
            TextStyle(22, 16, bold=True, max_lines=3, line_height=1.1),
        )
        y = box.y0 + (height - len(lines) * line_height) / 2
        for line in lines:
            draw.text((text_x, y), line, font=face_loader(size, True), fill=ink)
            y += line_height


def _compose(card: HeroCard, size: SocialSize, *, naive: bool = False) -> Image.Image:
    spec = LAYOUTS[size]
    layout = hero_layout(card, size=size)
    visual = card.visual
    image = Image.new("RGB", spec.size, WHITE)
    photo_box = layout.boxes["photo"]
    photo = _photo(card, photo_box, naive=naive)
    if photo is None:
        ImageDraw.Draw(image).rectangle((photo_box.x0, photo_box.y0, photo_box.x1, photo_box.y1), fill=visual.accent)
    else:
        image.paste(photo, (photo_box.x0, photo_box.y0))
    draw = ImageDraw.Draw(image)
    band = layout.boxes["band"]
    if naive:  # everything drawn again, fonts loaded again
        face_loader = lambda s, b: ImageFont.truetype(str(FONTS[b]), s)  # noqa: E731
        _band_image.cache_clear()
        _tile_image.cache_clear()
        _logo.cache_clear()
        _draw_tiles(draw, _tiles(card, spec), face_loader)
    else:
        face_loader = None
        _paste_tiles(image, _tiles(card, spec))
    image.paste(_band_image(visual, size)[0], (band.x0, band.y0))
    _text(
        image,
        layout.blocks["name"],
        visual.primary if contrast_ratio(visual.primary, WHITE) >= 4.5 else INK,
        face_loader,
    )
    _text(image, layout.blocks["meta"], "#4A4A4A", face_loader)
    _text(image, layout.blocks["quote"], INK, face_loader)
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY)
    return out.getvalue()


def render_hero_image(card: HeroCard, *, size: SocialSize) -> bytes:
    """The hero's social image in format ``size``: an sRGB JPEG of exactly size.pixels."""
    return _jpeg(_compose(card, size))


def naive_hero_image(card: HeroCard, *, size: SocialSize) -> bytes:
    """The same image the naive way (benchmark reference): the full stored photo opened and
    fitted with LANCZOS every time, fonts loaded again, no caches."""
    fit_text.cache_clear()
    return _jpeg(_compose(card, size, naive=True))


def render_banner(card: MunicipalityCard) -> bytes:
    """A 600 × 200 e-mail banner: logo, municipality, headline and dates on the edition's colour."""
    visual = card.visual
    image = Image.new("RGB", BANNER_SIZE, visual.primary)
    draw = ImageDraw.Draw(image)
    ink = ink_on(visual.primary)
    logo = _logo(visual.logo_path or str(DEFAULT_LOGO), 150)
    image.paste(logo, (25, 25), logo)
    draw.rectangle((0, 190, 600, 200), fill=visual.accent)
    x = 25 + logo.width + 25
    name = _block(card.municipality, TextStyle(34, 20, bold=True, max_lines=2), x, 28, 580, 110)
    _text(image, name, ink)
    headline = _block(f"{visual.headline}", TextStyle(22, 16, bold=True, max_lines=1), x, name.box.y1 + 10, 580, 160)
    _text(image, headline, ink)
    draw.text((x, headline.box.y1 + 4), visual.dates, font=font(20), fill=ink)
    return _jpeg(image)


def render_profile_frame(card: MunicipalityCard) -> bytes:
    """A 1080 × 1080 transparent PNG: a ring in the edition's colours with "Wij doen mee!"
    on a band, to lay over a profile picture. The centre stays transparent."""
    visual = card.visual
    width, height = FRAME_SIZE
    frame = Image.new("RGBA", FRAME_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(frame)
    draw.ellipse((0, 0, width - 1, height - 1), outline=visual.primary, width=70)
    draw.ellipse((70, 70, width - 71, height - 71), outline=visual.accent, width=14)
    band = (150, 820, 930, 950)
    draw.rounded_rectangle(band, radius=65, fill=visual.primary)
    text = "Wij doen mee!"
    face = font(64, True)
    draw.text(
        ((band[0] + band[2]) / 2, (band[1] + band[3]) / 2 - 14),
        text,
        font=face,
        fill=ink_on(visual.primary),
        anchor="mm",
    )
    draw.text(
        ((band[0] + band[2]) / 2, band[3] - 26),
        f"#{card.visual.headline.replace(' ', '')}"[:40],
        font=font(28),
        fill=ink_on(visual.primary),
        anchor="mm",
    )
    out = io.BytesIO()
    frame.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def hero_caption(card: HeroCard) -> tuple[str, str]:
    """(the text of the post, in Dutch with the hashtags; the alt text of the image)."""
    sdg_tags = " ".join(f"#SDG{sdg.number}" for sdg in card.sdgs)
    who = f"{card.name}, {card.role}" if card.role else card.name
    post = (
        f"{who} is een van de duurzame helden van {card.municipality} tijdens de {card.visual.headline} "
        f"({card.visual.dates})."
    )
    if card.quote:
        post += f"\n\n“{card.quote}”"
    post += f"\n\n{' '.join(card.visual.hashtags)} {sdg_tags}".rstrip()
    sdgs = ", ".join(f"SDG {sdg.number} {sdg.title}" for sdg in card.sdgs)
    alt = f"Campagnebeeld met een foto van {who} uit {card.municipality}."
    if card.quote:
        alt += f" Citaat: “{card.quote}”"
    if sdgs:
        alt += f" Duurzame ontwikkelingsdoelen: {sdgs}."
    alt += f" Onderaan: {card.visual.headline}, {card.visual.dates}."
    return post, alt
