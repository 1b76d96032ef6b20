"""The one pipeline for every image upload: check, clean, downscale, store.

``process_image`` turns untrusted bytes into three sRGB JPEGs without any metadata (no
EXIF, GPS, XMP, ICC profile or comment). ``store_image`` writes them content-addressed
under the media root. Both are pure functions of their arguments, so the web process and
the jobs process can call them alike.
"""

from __future__ import annotations

import struct
import warnings
import zlib
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from campaign.core import media
from campaign.core.errors import DomainError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 88
REDUCING_GAP = 3.0
MEBIBYTE = 1024 * 1024

# What Pillow raises for a damaged or truncated file, from verify() or load().
_DAMAGED = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)
_SIXTEEN_BIT_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I")
_ALPHA_MODES = ("RGBA", "RGBa", "LA", "La", "PA")
_ICC_MODES = ("L", "RGB", "CMYK")


class ImageRejected(DomainError):
    """The upload cannot be used as a photo. ``reason`` is a short code for logs and tests:
    ``empty``, ``too_large``, ``format``, ``too_many_pixels``, ``damaged`` or ``animated``.
    """

    def __init__(self, message: object = "", *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 15 * MEBIBYTE
    max_pixels: int = 40_000_000  # width × height of the source; the decompression-bomb guard
    long_side: int = 4000  # the stored original is at most this long on its long side
    display_short_side: int = 1080  # a derivative for screens and social images: the width of every
    display_long_side: int = 1920  # social format, so that most need no resampling at all
    thumb_side: int = 480  # a thumbnail for lists


@dataclass(frozen=True)
class ProcessedImage:
    original: bytes  # sRGB JPEG without metadata, long side <= limits.long_side
    display: bytes  # JPEG, short side <= limits.display_short_side, long side <= limits.display_long_side
    thumb: bytes  # JPEG, long side <= limits.thumb_side
    width: int  # of ``original``
    height: int
    sha256: str  # of ``original``
    display_size: tuple[int, int]
    thumb_size: tuple[int, int]


@dataclass(frozen=True)
class StoredImage:
    sha256: str
    path: str  # relative to the media root, like ``images/ab/cd/abcd….jpg``
    display_path: str
    thumb_path: str
    width: int
    height: int
    size: int  # bytes of the original


DEFAULT_LIMITS = ImageLimits()


def process_image(data: bytes, *, limits: ImageLimits = DEFAULT_LIMITS) -> ProcessedImage:
    """Return the cleaned original and its derivatives as JPEG bytes.

    Only JPEG, PNG and WebP are opened. The EXIF orientation is applied, colours are
    converted to sRGB, transparency is laid on white, and all metadata is dropped.
    Raises ImageRejected when the file is empty, too large, of another format, has too
    many pixels, is damaged or truncated, or is animated.
    """
    if not data:
        raise ImageRejected(_l("The file is empty. Choose a photo."), reason="empty")
    if len(data) > limits.max_bytes:
        raise ImageRejected(
            _l(
                "The file is larger than %(mb)d MB. Choose a smaller photo.",
                mb=max(1, limits.max_bytes // MEBIBYTE),
            ),
            reason="too_large",
        )
    # WeasyPrint sets this process-wide switch on import; a truncated upload must fail here.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        checked = _open(data, limits=limits)
        try:
            checked.verify()  # reads the file through (PNG: every chunk's CRC); leaves it unusable
        except _DAMAGED as error:
            raise _damaged() from error
        image = _open(data, limits=limits)
        if image.format != "MPO" and (getattr(image, "n_frames", 1) > 1 or getattr(image, "is_animated", False)):
            raise ImageRejected(_l("Animated images cannot be used. Choose a still photo."), reason="animated")
        if image.format in ("JPEG", "MPO"):
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that still covers the target.
            image.draft("RGB", _fit(image.size, limits.long_side))
        try:
            image.load()
        except Image.DecompressionBombError as error:
            raise _too_many_pixels() from error
        except _DAMAGED as error:
            raise _damaged() from error

    _apply_orientation(image)
    picture = _to_srgb(image)
    picture.thumbnail((limits.long_side, limits.long_side), Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    original = _encode(picture)

    display_picture, display = _resized(picture, original, _display_size(picture.size, limits))
    thumb_picture, thumb = _derive(display_picture, display, limits.thumb_side)
    return ProcessedImage(
        original=original,
        display=display,
        thumb=thumb,
        width=picture.width,
        height=picture.height,
        sha256=media.sha256_hex(original),
        display_size=display_picture.size,
        thumb_size=thumb_picture.size,
    )


LOGO_SIDE = 1200


def process_logo(data: bytes, *, limits: ImageLimits = DEFAULT_LIMITS) -> tuple[bytes, tuple[int, int]]:
    """A logo keeps its transparency: the same checks as a photo, then an RGBA PNG with no
    metadata, at most LOGO_SIDE pixels on its long side. Raises ImageRejected."""
    processed = process_image(data, limits=limits)  # every check of the photo pipeline
    del processed
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(data, limits=limits)
        image.load()
    _apply_orientation(image)
    logo = image.convert("RGBA")
    logo.thumbnail((LOGO_SIDE, LOGO_SIDE), Image.Resampling.LANCZOS)
    out = BytesIO()
    logo.save(out, "PNG", optimize=True)
    return out.getvalue(), logo.size


def store_image(root: Path | str, processed: ProcessedImage) -> StoredImage:
    """Write the three JPEGs under ``root``, named after the original's SHA-256.

    Derivatives are called ``<digest>-<long side>.jpg``; for an original no longer than
    the thumbnail side, display and thumbnail are one file. A file that already exists is
    not written again: the name says what is in it. Storing the same image twice
    therefore writes nothing and returns the same paths.
    """
    digest = processed.sha256
    path = media.content_path(digest, ".jpg")
    display_path = media.content_path(digest, f"-{max(processed.display_size)}.jpg")
    thumb_path = media.content_path(digest, f"-{max(processed.thumb_size)}.jpg")
    for relative_path, data in (
        (path, processed.original),
        (display_path, processed.display),
        (thumb_path, processed.thumb),
    ):
        if not media.resolve(root, relative_path).is_file():
            media.write_atomic(root, relative_path, data)
    return StoredImage(
        sha256=digest,
        path=path,
        display_path=display_path,
        thumb_path=thumb_path,
        width=processed.width,
        height=processed.height,
        size=len(processed.original),
    )


def _open(data: bytes, *, limits: ImageLimits) -> Image.Image:
    """Open (not decode) an allowed format and check its pixel count."""
    try:
        image = Image.open(BytesIO(data), formats=list(ALLOWED_FORMATS))
    except UnidentifiedImageError as error:
        raise ImageRejected(_l("Choose a JPEG, PNG or WebP photo."), reason="format") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except _DAMAGED as error:
        raise _damaged() from error
    width, height = image.size
    if width * height > limits.max_pixels:
        raise _too_many_pixels()
    if width < 1 or height < 1:
        raise _damaged()
    return image


def _too_many_pixels() -> ImageRejected:
    return ImageRejected(
        _l("The photo has too many pixels. Make it smaller and retry."),
        reason="too_many_pixels",
    )


def _damaged() -> ImageRejected:
    return ImageRejected(_l("The file is damaged or incomplete. Save it again and retry."), reason="damaged")


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """Return ``size`` scaled down to fit in a ``side`` × ``side`` square."""
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _apply_orientation(image: Image.Image) -> None:
    """Turn the pixels the way the EXIF orientation says. Unreadable EXIF is ignored."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except (*_DAMAGED, KeyError, TypeError):
        return


def _to_srgb(image: Image.Image) -> Image.Image:
    """Return an 8-bit RGB image in sRGB, with any transparency laid on white."""
    icc_profile = image.info.get("icc_profile")
    if image.mode in _SIXTEEN_BIT_MODES:
        # convert("L") clips 16-bit values to 255 (all white); scale them instead.
        image = image.convert("I").point(lambda value: value / 257).convert("L")
        image.info.pop("transparency", None)
    if image.mode in _ALPHA_MODES or (image.mode != "CMYK" and "transparency" in image.info):
        image = _on_white(image)
    elif image.mode not in _ICC_MODES:  # "1" and "P"
        image = image.convert("RGB")
    if icc_profile and image.mode in _ICC_MODES:
        converted = _icc_to_srgb(image, icc_profile)
        if converted is not None:
            return converted
    return image if image.mode == "RGB" else image.convert("RGB")


def _on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _icc_to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image | None:
    """Convert through the embedded profile; None if it is sRGB already or unusable."""
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc_profile))
        if image.mode == "RGB" and "srgb" in ImageCms.getProfileDescription(source).lower():
            return None
        return ImageCms.profileToProfile(
            image,
            source,
            _srgb_profile(),
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode="RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _display_size(size: tuple[int, int], limits: ImageLimits) -> tuple[int, int]:
    """The display derivative's size: the short side at most ``display_short_side`` (exactly that
    when the photo is larger), the long side at most ``display_long_side``."""
    width, height = size
    scale = min(1.0, limits.display_short_side / min(size), limits.display_long_side / max(size))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resized(picture: Image.Image, encoded: bytes, size: tuple[int, int]) -> tuple[Image.Image, bytes]:
    """``picture`` resized to ``size`` and its JPEG; both reused when the size is the same."""
    if picture.size == size:
        return picture, encoded
    smaller = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    return smaller, _encode(smaller)


def _derive(picture: Image.Image, encoded: bytes, side: int) -> tuple[Image.Image, bytes]:
    """Return ``picture`` downscaled to ``side`` and its JPEG; reuse both when it fits."""
    if max(picture.size) <= side:
        return picture, encoded
    smaller = picture.copy()
    smaller.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    return smaller, _encode(smaller)


def _encode(picture: Image.Image) -> bytes:
    # JPEG's save falls back to info["comment"]; an empty info keeps every marker out.
    picture.info = {}
    buffer = BytesIO()
    # Baseline, not progressive: the render workers decode a hero's display derivative for every
    # kit they draw, and a baseline JPEG decodes in less than half the time (3.7-4.1 ms against
    # 8.5-9.0 ms for 1080 x 1350 here); with optimised Huffman tables it is about as large (the demo
    # portraits at 1080 x 1350: 29-33 kB, progressive 31-34 kB). Uploads stored before keep their files.
    picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
