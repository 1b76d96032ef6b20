"""Preview images of kit files: PDFs are rasterised once (pypdfium2) and cached by key."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2

from campaign.core import media

PREVIEW_HEIGHT = 900


def pdf_preview(media_root: Path | str, pdf_path: str, *, key: str) -> str:
    """The relative path of a PNG preview of the PDF's first page, rendered on first use."""
    target = media.content_path(key, "-preview.png", folder="kits")
    if media.resolve(media_root, target).is_file():
        return target
    document = pypdfium2.PdfDocument(media.resolve(media_root, pdf_path).read_bytes())
    try:
        page = document[0]
        scale = PREVIEW_HEIGHT / page.get_height()
        image = page.render(scale=scale).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG", optimize=True)
    media.write_atomic(media_root, target, buffer.getvalue())
    return target
