"""Photos and logos for the social images. A source photo is decoded once per process (an
LRU keyed by path, mtime and size; large JPEGs at a reduced scale), scaled once per scale and
cropped around the hero's focal point; a hero without a photo gets a colour field with the
campaign logo. Logos are scaled once per size; a municipality's logo sits on a white chip."""

from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from campaign.kits.cards import HeroCard, Visual
from campaign.kits.layouts import LAYOUTS
from campaign.kits.social_colour import WHITE, _colour

DEFAULT_LOGO = Path(__file__).resolve().parent.parent / "assets" / "print" / "campaign-logo.png"
CHIP_PADDING = 8  # white around a municipality logo
RESAMPLE = Image.Resampling.BICUBIC  # the final step after an integer reduce
# Reduce by the whole factor first (a 2 × 2 box average for a 2.1× step), then BICUBIC for the
# rest: half the time of a plain BICUBIC and no visible difference at social-media sizes.
REDUCING_GAP = 1.0
TIGHTER_CROP = 0.9  # a photo may be cropped up to 10 % tighter to be scaled by a whole factor
SOURCE_CACHE_SIZE = 1  # decoded photos kept per process: a worker draws all of a card's images in turn
# (a 1080 × 1350 display photo takes 4.4 MB; each one more kept raised a worker's peak memory)


# Photos, decoded once per process.


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


def _photo_path(card: HeroCard) -> str | None:
    return card.display_path or card.photo_path


def _crop_rect(source: tuple[int, int], target: tuple[int, int], focal: tuple[float, float]) -> tuple[float, ...]:
    """The largest rectangle with the target's aspect ratio inside the source, placed so
    the focal point (fractions of width and height) is as central as the source allows."""
    source_width, source_height = source
    target_width, target_height = target
    scale = min(source_width / target_width, source_height / target_height)
    # Rounding may make a side a hair longer than the source's: keep the box inside it.
    width, height = min(target_width * scale, source_width), min(target_height * scale, source_height)
    fx = min(max(focal[0], 0.0), 1.0) * source_width
    fy = min(max(focal[1], 0.0), 1.0) * source_height
    left = max(min(fx - width / 2, source_width - width), 0.0)
    top = max(min(fy - height / 2, source_height - height), 0.0)
    return left, top, left + width, top + height


@lru_cache(maxsize=4)
def _fitted_photo(path: str, mtime: int, size: tuple[int, int], focal: tuple[float, float]) -> Image.Image:
    """The photo at ``path`` cropped around ``focal`` to the aspect ratio of ``size`` and scaled to
    it. When the photo already has the right width or height (the display derivative of an upright
    photo is exactly as wide as the 1080 px formats, see core.images) it is only cropped. When the
    largest crop is a little over a whole multiple of ``size`` (within TIGHTER_CROP), the crop is
    made that multiple and averaged down by it, with no resampling: the 440 × 630 photo of the
    landscape format from a 1080 px wide photo is a 880 × 1260 crop halved, 7 % tighter than the
    largest, in a sixth of the time. Otherwise only the cropped region is resampled, so the cost
    follows the output size."""
    source = _sources.get(path)
    box = _crop_rect(source.size, size, focal)
    if (round(box[2] - box[0]), round(box[3] - box[1])) == size:
        left = min(max(round(box[0]), 0), source.width - size[0])
        top = min(max(round(box[1]), 0), source.height - size[1])
        return source.crop((left, top, left + size[0], top + size[1]))
    factor = math.floor((box[2] - box[0]) / size[0])
    if factor >= 2 and factor * size[0] >= (box[2] - box[0]) * TIGHTER_CROP:
        return source.reduce(factor, box=_placed(source.size, (size[0] * factor, size[1] * factor), box))
    return source.resize(size, RESAMPLE, box=box, reducing_gap=REDUCING_GAP)


def _placed(source: tuple[int, int], size: tuple[int, int], around: tuple[float, ...]) -> tuple[int, int, int, int]:
    """A rectangle of exactly ``size`` pixels with the same centre as ``around``, moved inside ``source``."""
    centre_x, centre_y = (around[0] + around[2]) / 2, (around[1] + around[3]) / 2
    left = min(max(round(centre_x - size[0] / 2), 0), source[0] - size[0])
    top = min(max(round(centre_y - size[1] / 2), 0), source[1] - size[1])
    return left, top, left + size[0], top + size[1]


@lru_cache(maxsize=4)
def _placeholder(visual: Visual, size: tuple[int, int], role: str) -> Image.Image:
    """A colour field with the campaign logo in its middle, for a hero without a photo."""
    field_ = Image.new("RGB", size, _colour(role, visual))
    side = round(min(size) * 0.42)
    path = _logo_path(visual)
    logo = _logo(path, _mtime(path), side, side)
    field_.paste(logo, ((size[0] - logo.width) // 2, (size[1] - logo.height) // 2), logo)
    return field_


# Logos.


def _logo_path(visual: Visual) -> str:
    return visual.logo_path or str(DEFAULT_LOGO)


def _municipality_logo_key(path: str | None) -> tuple[str, int] | None:
    if not path:
        return None
    return path, _mtime(path)


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


@lru_cache(maxsize=16)
def _round_mask(size: tuple[int, int], radius: int) -> Image.Image:
    """An anti-aliased rounded-rectangle mask (drawn at 4× and reduced)."""
    big = Image.new("L", (size[0] * 4, size[1] * 4), 0)
    ImageDraw.Draw(big).rounded_rectangle((0, 0, big.width - 1, big.height - 1), radius=radius * 4, fill=255)
    return big.reduce(4)


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
