"""Stored uploads: images through the safe pipeline, and PDF documents.

An upload row points at content-addressed files under the media root. The same content
uploaded twice is stored once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core import images, media
from campaign.core.db import UTCDateTime, utcnow
from campaign.core.errors import DomainError
from campaign.extensions import db

PDF_MAX_BYTES = 10 * 1024 * 1024


class UploadKind(enum.StrEnum):
    IMAGE = "image"
    PDF = "pdf"


class DocumentRejected(DomainError):
    def __init__(self, message: object, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class Upload(db.Model):
    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[UploadKind] = mapped_column(
        sa.Enum(UploadKind, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    path: Mapped[str] = mapped_column(sa.String(255))
    display_path: Mapped[str | None] = mapped_column(sa.String(255))
    thumb_path: Mapped[str | None] = mapped_column(sa.String(255))
    width: Mapped[int | None]
    height: Mapped[int | None]
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_image(self) -> bool:
        return self.kind == UploadKind.IMAGE

    def variant_path(self, variant: str) -> str | None:
        return {"original": self.path, "display": self.display_path, "thumb": self.thumb_path}.get(variant)


def limits_from_config(config: dict) -> images.ImageLimits:
    return images.ImageLimits(max_bytes=config["IMAGE_MAX_BYTES"], max_pixels=config["IMAGE_MAX_PIXELS"])


def _existing(sha256: str) -> Upload | None:
    return db.session.scalar(sa.select(Upload).where(Upload.sha256 == sha256))


def save_image(root: str | Path, data: bytes, *, limits: images.ImageLimits | None = None) -> Upload:
    """Run ``data`` through the safe image pipeline and store it. Raises images.ImageRejected."""
    processed = images.process_image(data, limits=limits or images.ImageLimits())
    existing = _existing(processed.sha256)
    stored = images.store_image(root, processed)
    if existing is not None:
        return existing
    upload = Upload(
        sha256=stored.sha256,
        kind=UploadKind.IMAGE,
        path=stored.path,
        display_path=stored.display_path,
        thumb_path=stored.thumb_path,
        width=stored.width,
        height=stored.height,
        size=stored.size,
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def save_document(root: str | Path, data: bytes, *, max_bytes: int = PDF_MAX_BYTES) -> Upload:
    """Store a PDF (for example a signed consent form). Raises DocumentRejected."""
    if not data:
        raise DocumentRejected(_l("The file is empty."), "empty")
    if len(data) > max_bytes:
        raise DocumentRejected(
            _l("The file is larger than %(mb)d MB. Choose a smaller file.", mb=max_bytes // (1024 * 1024)), "too_large"
        )
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise DocumentRejected(_l("Choose a PDF file, or a JPEG, PNG or WebP photo."), "format")
    digest = media.sha256_hex(data)
    existing = _existing(digest)
    if existing is not None:
        return existing
    path = media.content_path(digest, ".pdf", folder="documents")
    media.write_atomic(root, path, data)
    upload = Upload(sha256=digest, kind=UploadKind.PDF, path=path, size=len(data))
    db.session.add(upload)
    db.session.flush()
    return upload


def save_image_or_document(root: str | Path, data: bytes, *, limits: images.ImageLimits | None = None) -> Upload:
    """A proof file may be a photo of a signed form or a PDF."""
    if data.startswith(b"%PDF-"):
        return save_document(root, data)
    return save_image(root, data, limits=limits)


def save_logo(root: str | Path, data: bytes, *, limits: images.ImageLimits | None = None) -> Upload:
    """Store a logo as a transparent PNG. Raises images.ImageRejected."""
    png, (width, height) = images.process_logo(data, limits=limits or images.ImageLimits())
    digest = media.sha256_hex(png)
    existing = _existing(digest)
    if existing is not None:
        return existing
    path = media.content_path(digest, ".png", folder="logos")
    media.write_atomic(root, path, png)
    upload = Upload(
        sha256=digest,
        kind=UploadKind.IMAGE,
        path=path,
        display_path=path,
        thumb_path=path,
        width=width,
        height=height,
        size=len(png),
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def delete_unreferenced(root: str | Path, ids: Iterable[int]) -> int:
    """Delete the uploads among ``ids`` that no row refers to any more (every foreign key to
    ``upload`` is checked), with their files. Uploads are shared by content, so a photo used
    elsewhere stays. Returns how many were deleted."""
    references = [
        column
        for table in db.metadata.tables.values()
        for column in table.columns
        if any(key.column.table.name == Upload.__tablename__ for key in column.foreign_keys)
    ]
    db.session.flush()
    deleted = 0
    for upload in db.session.scalars(sa.select(Upload).where(Upload.id.in_(set(ids)))):
        if any(
            db.session.scalar(sa.select(column).where(column == upload.id).limit(1)) is not None
            for column in references
        ):
            continue
        paths = {upload.path, upload.display_path, upload.thumb_path} - {None}
        db.session.delete(upload)
        for path in paths:
            media.resolve(root, path).unlink(missing_ok=True)
        deleted += 1
    db.session.flush()
    return deleted
