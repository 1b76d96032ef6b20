"""The press export: one ZIP per selection (the whole edition, a province or a municipality).
Pure: the caller gathers the data and the photo files; this writes the archive.

    foto's/01-gent-fien-claes.jpg …      the high-resolution photos, numbered in press-room order
    teksten/01-gent-fien-claes.md …      the texts, one Markdown file per highlight
    captions.csv                          file; caption; credit; municipality; sdg; consent_scope
    kerncijfers.csv, kerncijfers.json     the key figures
    persberichten/persbericht-<provincie>.pdf   one page per province
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

PHOTO_DIR = "foto's"
TEXT_DIR = "teksten"
RELEASE_DIR = "persberichten"
CAPTION_COLUMNS = ("file", "caption", "credit", "municipality", "sdg", "consent_scope")


@dataclass(frozen=True)
class ExportPhoto:
    source: Path  # the stored original (metadata already stripped at upload)
    suffix: str  # ".jpg" or ".png"
    caption: str
    credit: str


@dataclass(frozen=True)
class ExportHighlight:
    title: str
    subject: str  # the hero's name or the action's title
    municipality: str
    province: str
    sdgs: tuple[int, ...]
    consent_scope: str  # for heroes the scopes given; for actions "public action"
    markdown: str
    photos: tuple[ExportPhoto, ...] = ()


@dataclass(frozen=True)
class PressExport:
    highlights: tuple[ExportHighlight, ...]
    files: tuple[tuple[str, bytes], ...] = ()  # (name, content): captions, key figures
    releases: tuple[tuple[str, bytes], ...] = field(default=())  # (province name, PDF)


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Beveren-Kruibeke-Zwijndrecht" → "beveren-kruibeke-zwijndrecht"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "zonder-naam"


def _bases(highlights: tuple[ExportHighlight, ...]) -> list[str]:
    width = max(2, len(str(len(highlights))))
    return [f"{n:0{width}d}-{slug(h.municipality)}-{slug(h.subject)}" for n, h in enumerate(highlights, start=1)]


def _photo_names(base: str, highlight: ExportHighlight) -> list[str]:
    several = len(highlight.photos) > 1
    return [f"{PHOTO_DIR}/{base}{f'-{n}' if several else ''}{p.suffix}" for n, p in enumerate(highlight.photos, 1)]


def caption_rows(highlights: tuple[ExportHighlight, ...]) -> list[list[object]]:
    """The rows of captions.csv (see CAPTION_COLUMNS): one per photo, ``file`` as named in the ZIP."""
    rows: list[list[object]] = []
    for base, highlight in zip(_bases(highlights), highlights, strict=True):
        for name, photo in zip(_photo_names(base, highlight), highlight.photos, strict=True):
            sdgs = ", ".join(str(number) for number in highlight.sdgs)
            rows.append([name, photo.caption, photo.credit, highlight.municipality, sdgs, highlight.consent_scope])
    return rows


def build_zip(export: PressExport) -> bytes:
    """The ZIP archive of ``export``. Photos are stored as they are (JPEG does not compress further)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for base, highlight in zip(_bases(export.highlights), export.highlights, strict=True):
            archive.writestr(f"{TEXT_DIR}/{base}.md", highlight.markdown)
            for name, photo in zip(_photo_names(base, highlight), highlight.photos, strict=True):
                archive.write(photo.source, name, compress_type=zipfile.ZIP_STORED)
        for name, content in export.files:
            archive.writestr(name, content)
        for province, pdf in export.releases:
            archive.writestr(f"{RELEASE_DIR}/persbericht-{slug(province)}.pdf", pdf, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()
