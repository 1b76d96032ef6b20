"""Good and bad uploads for the image pipeline, built in memory with Pillow.

Every function returns the bytes of one file. ``write_corpus`` puts them all in a folder,
named the way a user might have named them (the bad ones mostly as ``.jpg``).
"""

from __future__ import annotations

import struct
import zlib
from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image

RED = (220, 30, 30)
BLUE = (30, 30, 220)

EXIF_ORIENTATION = 0x0112
EXIF_MAKE = 0x010F
EXIF_GPS_IFD = 0x8825


def save(image: Image.Image, image_format: str, **params) -> bytes:
    buffer = BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def gradient(size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A photo-like RGB image: smooth gradients that a JPEG encoder handles as a photo."""
    width, height = size
    horizontal = Image.linear_gradient("L").resize((width, height))
    vertical = Image.linear_gradient("L").rotate(90).resize((width, height))
    return Image.merge("RGB", (horizontal, vertical, Image.new("L", size, 128)))


def halves(size: tuple[int, int], left: tuple[int, int, int], right: tuple[int, int, int]) -> Image.Image:
    """An RGB image whose left half is ``left`` and right half is ``right``."""
    image = Image.new("RGB", size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


# Good files -------------------------------------------------------------------------


def jpeg_photo(size: tuple[int, int] = (640, 480)) -> bytes:
    return save(gradient(size), "JPEG", quality=90)


def jpeg_with_gps() -> bytes:
    """A JPEG with camera make, GPS position, an XMP packet and a comment."""
    exif = Image.Exif()
    exif[EXIF_MAKE] = "SpyCam"
    gps = exif.get_ifd(EXIF_GPS_IFD)
    gps.update({1: "N", 2: (50.0, 52.0, 48.0), 3: "E", 4: (4.0, 21.0, 36.0)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description creator="Secret Person"/></x:xmpmeta>'
    return save(gradient((320, 240)), "JPEG", exif=exif, xmp=xmp, comment=b"secret comment")


def jpeg_rotated() -> bytes:
    """200×100 stored, EXIF orientation 6: shown 100×200, with the red (left) half on top."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    return save(halves((200, 100), RED, BLUE), "JPEG", exif=exif, quality=95)


def jpeg_cmyk(icc_profile: bytes | None = None) -> bytes:
    """A CMYK JPEG in pure red (no cyan, full magenta and yellow)."""
    params = {"icc_profile": icc_profile} if icc_profile else {}
    return save(Image.new("CMYK", (120, 80), (0, 255, 255, 0)), "JPEG", quality=95, **params)


def jpeg_with_trailer() -> bytes:
    """A valid JPEG with an HTML page appended after its end marker (a polyglot)."""
    return jpeg_photo((64, 48)) + b"<html><script>alert('owned')</script></html>"


def mpo_pair() -> bytes:
    """A multi-picture JPEG (as phones write for gain maps and depth): red, then blue."""
    return save(Image.new("RGB", (80, 60), RED), "MPO", save_all=True, append_images=[Image.new("RGB", (40, 30), BLUE)])


def png_16bit_gray() -> bytes:
    """A 16-bit grayscale PNG, black on the left to white on the right."""
    width, height = 256, 16
    row = b"".join(struct.pack("<H", x * 257) for x in range(width))
    image = Image.frombytes("I;16", (width, height), row * height)
    return save(image, "PNG")


def png_alpha() -> bytes:
    """RGBA: the left half opaque red, the right half fully transparent blue."""
    image = Image.new("RGBA", (100, 50), (*RED, 255))
    image.paste((*BLUE, 0), (50, 0, 100, 50))
    return save(image, "PNG")


def png_palette_transparent() -> bytes:
    """A palette PNG whose index 0 is transparent and index 1 is red."""
    image = Image.new("P", (60, 30), 0)
    image.putpalette([0, 0, 0, *RED] + [0, 0, 0] * 254)
    image.paste(1, (0, 0, 30, 30))
    return save(image, "PNG", transparency=0)


def png_with_icc(icc_profile: bytes, color: tuple[int, int, int] = RED) -> bytes:
    return save(Image.new("RGB", (40, 40), color), "PNG", icc_profile=icc_profile)


def webp_photo() -> bytes:
    return save(gradient((300, 200)), "WEBP", quality=80)


# Bad files --------------------------------------------------------------------------


def empty() -> bytes:
    return b""


def truncated_jpeg() -> bytes:
    data = jpeg_photo()
    return data[: len(data) // 2]


def truncated_png() -> bytes:
    data = save(gradient((200, 100)), "PNG")
    return data[: len(data) * 2 // 3]


def svg_as_jpg() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert("owned")</script><rect width="10" height="10"/></svg>\n'
    )


def html_as_jpg() -> bytes:
    return b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>\n"


def eps_as_jpg() -> bytes:
    """PostScript: Pillow would hand it to Ghostscript if EPS were allowed."""
    return b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\nshowpage\n"


def tiff_photo() -> bytes:
    return save(gradient((64, 48)), "TIFF")


def bmp_photo() -> bytes:
    return save(gradient((64, 48)), "BMP")


def gif_animated() -> bytes:
    frames = [Image.new("P", (32, 32), index) for index in range(3)]
    return save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def png_animated() -> bytes:
    frames = [Image.new("RGB", (32, 32), color) for color in (RED, BLUE)]
    return save(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100)


def webp_animated() -> bytes:
    frames = [Image.new("RGB", (32, 32), color) for color in (RED, BLUE)]
    return save(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


@cache
def bomb_png(width: int = 12000, height: int = 12000, *, full: bool = True) -> bytes:
    """A 1-bit black PNG that is small on disk and huge in memory.

    With ``full`` the pixel data is complete (12000² decodes to 144 million pixels from
    about 150 kB); without it only the header tells the size, which is all a pixel-count
    guard needs.
    """
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grayscale
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    if full:
        compressor = zlib.compressobj(9)
        pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    else:
        pixels = zlib.compress(row)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


def too_large(limit: int) -> bytes:
    """A valid JPEG padded past ``limit`` bytes."""
    data = jpeg_photo((64, 48))
    return data + b"\x00" * (limit + 1 - len(data))


# ICC profiles -----------------------------------------------------------------------

# sRGB primaries adapted to D50, as an ICC v2 matrix/TRC profile states them.
SRGB_RED_XYZ = (0.4361, 0.2225, 0.0139)
SRGB_GREEN_XYZ = (0.3851, 0.7169, 0.0971)
SRGB_BLUE_XYZ = (0.1431, 0.0606, 0.7141)
D50 = (0.9642, 1.0, 0.8249)


def _s15fixed16(*values: float) -> bytes:
    return b"".join(struct.pack(">i", round(value * 65536)) for value in values)


def rgb_icc_profile(
    description: str,
    *,
    red: tuple[float, float, float] = SRGB_RED_XYZ,
    green: tuple[float, float, float] = SRGB_GREEN_XYZ,
    blue: tuple[float, float, float] = SRGB_BLUE_XYZ,
    gamma: float = 2.2,
) -> bytes:
    """A minimal ICC v2 RGB display profile (matrix and gamma curves)."""
    text = description.encode("ascii") + b"\x00"
    desc = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(text)) + text + b"\x00" * 8 + b"\x00\x00\x00" + b"\x00" * 67
    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(gamma * 256)) + b"\x00\x00"
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\x00\x00\x00\x00No copyright\x00"),
        (b"wtpt", b"XYZ \x00\x00\x00\x00" + _s15fixed16(*D50)),
        (b"rXYZ", b"XYZ \x00\x00\x00\x00" + _s15fixed16(*red)),
        (b"gXYZ", b"XYZ \x00\x00\x00\x00" + _s15fixed16(*green)),
        (b"bXYZ", b"XYZ \x00\x00\x00\x00" + _s15fixed16(*blue)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, payload in tags:
        payload += b"\x00" * (-len(payload) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(payload))
        body += payload
    size = offset + len(body)
    header = (
        struct.pack(">I4sI4s4s4s", size, b"none", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
        + struct.pack(">6H", 2025, 1, 1, 0, 0, 0)
        + b"acsp"
        + b"\x00" * 24  # platform, flags, manufacturer, model, attributes
        + b"\x00" * 4  # rendering intent: perceptual
        + _s15fixed16(*D50)
        + b"\x00" * 4  # creator
        + b"\x00" * 44  # profile ID and reserved
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def swapped_icc_profile() -> bytes:
    """An RGB profile whose 'red' channel is sRGB's blue and whose 'blue' is sRGB's red.

    Pure (255, 0, 0) tagged with it is blue on a colour-managed screen: a conversion to
    sRGB that honours the profile is easy to see.
    """
    return rgb_icc_profile("Swapped red and blue", red=SRGB_BLUE_XYZ, blue=SRGB_RED_XYZ)


# The corpus on disk -----------------------------------------------------------------

GOOD = {
    "photo.jpg": jpeg_photo,
    "gps.jpg": jpeg_with_gps,
    "rotated.jpg": jpeg_rotated,
    "cmyk.jpg": jpeg_cmyk,
    "trailer.jpg": jpeg_with_trailer,
    "multi-picture.jpg": mpo_pair,
    "gray16.png": png_16bit_gray,
    "alpha.png": png_alpha,
    "palette.png": png_palette_transparent,
    "photo.webp": webp_photo,
}

# File name → (bytes, the reason the pipeline must give).
BAD = {
    "empty.jpg": (empty, "empty"),
    "truncated.jpg": (truncated_jpeg, "damaged"),
    "truncated.png": (truncated_png, "damaged"),
    "bomb.png": (bomb_png, "too_many_pixels"),
    "drawing.jpg": (svg_as_jpg, "format"),
    "page.jpg": (html_as_jpg, "format"),
    "poster.jpg": (eps_as_jpg, "format"),
    "scan.tiff": (tiff_photo, "format"),
    "paint.bmp": (bmp_photo, "format"),
    "animated.gif": (gif_animated, "format"),
    "animated.png": (png_animated, "animated"),
    "animated.webp": (webp_animated, "animated"),
}


def write_corpus(folder: Path) -> dict[str, Path]:
    """Write every good and bad file into ``folder`` and return them by name."""
    folder.mkdir(parents=True, exist_ok=True)
    builders = {**GOOD, **{name: build for name, (build, _reason) in BAD.items()}}
    paths = {}
    for name, build in builders.items():
        paths[name] = folder / name
        paths[name].write_bytes(build())
    return paths
