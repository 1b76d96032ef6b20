"""Placeholder photos for the demo: abstract portraits and scenes drawn with Pillow.

Deterministic: the same index always gives the same image, so the content-addressed
store keeps one copy however often the demo is loaded.
"""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTE = [
    "#E5243B",
    "#DDA63A",
    "#4C9F38",
    "#C5192D",
    "#FF3A21",
    "#26BDE2",
    "#FCC30B",
    "#A21942",
    "#FD6925",
    "#DD1367",
    "#FD9D24",
    "#BF8B2E",
    "#3F7E44",
    "#0A97D9",
    "#56C02B",
    "#00689D",
    "#19486A",
]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return column.resize(size, Image.Resampling.BILINEAR)


def portrait(index: int, *, size: tuple[int, int] = (2000, 2500)) -> tuple[bytes, tuple[float, float]]:
    """A person-like silhouette on a coloured background: JPEG bytes, and the centre of
    the face as a focal point (fractions of width and height). Large enough for A3."""
    rng = random.Random(index)  # noqa: S311 - decoration, not security
    first, second = rng.sample(PALETTE, 2)
    w, h = size
    # The blurred background is drawn at a quarter of the size: blurring is the slow part.
    small = (w // 4, h // 4)
    background = _gradient(small, _rgb(first), _rgb(second))
    draw = ImageDraw.Draw(background)
    for _ in range(6):
        r = rng.randint(small[0] // 10, small[0] // 3)
        x, y = rng.randint(0, small[0]), rng.randint(0, small[1])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*_rgb(rng.choice(PALETTE)),))
    image = background.filter(ImageFilter.GaussianBlur(radius=small[0] // 40)).resize(size, Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    cx = int(w * rng.uniform(0.35, 0.65))
    head = w // 7
    top = int(h * rng.uniform(0.22, 0.32))
    skin = rng.choice([(241, 194, 125), (224, 172, 105), (198, 134, 66), (141, 85, 36), (255, 219, 172)])
    shirt = _rgb(rng.choice(PALETTE))
    draw.rounded_rectangle(
        (cx - int(head * 1.9), top + int(head * 1.9), cx + int(head * 1.9), h + head), radius=head, fill=shirt
    )
    draw.ellipse((cx - head, top, cx + head, top + 2 * head), fill=skin)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue(), (round(cx / w, 3), round((top + head) / h, 3))


def scene(index: int, *, size: tuple[int, int] = (2000, 1500)) -> bytes:
    """A landscape-like scene (for action photos), as JPEG bytes."""
    rng = random.Random(10_000 + index)  # noqa: S311 - decoration, not security
    sky = _rgb(rng.choice(["#26BDE2", "#0A97D9", "#FCC30B", "#FD9D24"]))
    image = _gradient(size, sky, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    w, h = size
    horizon = int(h * rng.uniform(0.55, 0.7))
    draw.rectangle((0, horizon, w, h), fill=_rgb(rng.choice(["#56C02B", "#3F7E44", "#4C9F38"])))
    for _ in range(rng.randint(4, 9)):
        x = rng.randint(0, w)
        trunk = rng.randint(h // 60, h // 30)
        crown = rng.randint(h // 12, h // 6)
        draw.rectangle((x - trunk, horizon - crown, x + trunk, horizon + h // 20), fill=(96, 64, 32))
        draw.ellipse(
            (x - crown, horizon - 2 * crown, x + crown, horizon - crown // 3),
            fill=_rgb(rng.choice(["#3F7E44", "#56C02B", "#4C9F38"])),
        )
    for _ in range(rng.randint(3, 7)):
        x = rng.randint(0, w)
        r = rng.randint(h // 40, h // 25)
        colour = _rgb(rng.choice(PALETTE))
        draw.ellipse((x - r, horizon + h // 8 - 2 * r, x + r, horizon + h // 8), fill=colour)
        draw.rounded_rectangle((x - r, horizon + h // 8, x + r, horizon + h // 8 + 3 * r), radius=r // 2, fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
