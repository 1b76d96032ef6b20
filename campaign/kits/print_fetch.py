"""What the print renderer may read: a WeasyPrint URL fetcher that serves only the asset and media
roots, ``data:`` URLs and files the renderer made itself, and never reaches the network; plus
the logo flattening that lets WeasyPrint embed a logo as a JPEG as it is."""

from __future__ import annotations

import mimetypes
import re
import warnings
from collections import OrderedDict
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from PIL import Image
from weasyprint.urls import URLFetcher, URLFetcherResponse

from campaign.kits.print_layout import ASSET_ROOT, WHITE

DEFAULT_MEDIA_ROOT = ASSET_ROOT.parent.parent / "media"  # config.Defaults.MEDIA_ROOT, without importing Flask
FETCH_CACHE_BYTES = 16 * 1024 * 1024  # files other than assets, least recently used first out
LOGO_PIXELS = 480  # long side of a logo: 400 dpi at its 30 mm on A3


# Fetching ----------------------------------------------------------------------------------


class AssetFetcher(URLFetcher):
    """Serves ``file:`` URLs under ``roots``, ``data:`` URLs and the ``memory:`` URLs of files the
    renderer made itself (flattened logos, crop marks); raises ValueError for anything else
    (network URLs, files elsewhere, symlinks out of a root). With ``cache`` set it keeps
    what it read in memory: assets for good, other files up to FETCH_CACHE_BYTES."""

    def __init__(self, roots: list[Path], *, cache: bool = True, asset_root: Path = ASSET_ROOT) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = [root.resolve() for root in roots]
        self._asset_root = asset_root.resolve()
        self._cache: OrderedDict[tuple, tuple[bytes, str]] | None = OrderedDict() if cache else None
        self._cached_bytes = 0
        self._memory: dict[str, tuple[bytes, str]] = {}

    def allowed_path(self, url: str) -> Path:
        """The local file that ``url`` names. Raises ValueError unless it lies under a root."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Refused to fetch {url!r}: only files under the asset and media roots")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"Refused to fetch {url!r}: outside the asset and media roots")
        return path

    def read(self, path: Path) -> bytes:
        return path.read_bytes()

    def register(self, name: str, body: bytes, mime: str) -> str:
        """Serve ``body`` at the returned ``memory:`` URL: for files the renderer made itself."""
        url = f"memory:{name}"
        self._memory[url] = (body, mime)
        return url

    def forget(self) -> None:
        self._memory.clear()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        if url.startswith("memory:"):
            if url not in self._memory:
                raise ValueError(f"Refused to fetch {url!r}: not made by this renderer")
            return _response(url, *self._memory[url])
        path = self.allowed_path(url)
        if self._cache is None:
            return _response(url, self.read(path), _mime(path))
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key in self._cache:
            self._cache.move_to_end(key)
        else:
            self._cache[key] = (self.read(path), _mime(path))
            if not path.is_relative_to(self._asset_root):
                self._cached_bytes += stat.st_size
                self._evict()
        return _response(url, *self._cache[key])

    def _evict(self) -> None:
        for key in list(self._cache):
            if self._cached_bytes <= FETCH_CACHE_BYTES:
                break
            if not key[0].is_relative_to(self._asset_root):
                self._cached_bytes -= key[2]
                del self._cache[key]


def _response(url: str, body: bytes, mime: str) -> URLFetcherResponse:
    # Not a file: URL, so that WeasyPrint works from these bytes and never opens the file itself.
    return URLFetcherResponse(f"fetched:{url}", body, {"Content-Type": mime})


def _mime(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _flatten_logo(data: bytes) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(BytesIO(data), formats=["PNG", "JPEG", "WEBP"]) as image:
            image.thumbnail((LOGO_PIXELS, LOGO_PIXELS), Image.Resampling.LANCZOS)
            rgba = image.convert("RGBA")
    flat = Image.new("RGBA", rgba.size, WHITE)
    flat.alpha_composite(rgba)
    out = BytesIO()
    flat.convert("RGB").save(out, format="JPEG", quality=95, subsampling=0)
    return out.getvalue()


def _source(path: str | None, media_root: Path | None) -> str | None:
    """A URL for the template: absolute paths become file: URLs; URLs pass unchanged (the fetcher
    judges them); relative paths are taken relative to the media root."""
    if not path:
        return None
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", path):
        return path
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = (media_root or DEFAULT_MEDIA_ROOT) / candidate
    return candidate.as_uri()
