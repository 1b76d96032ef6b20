"""Small helpers shared by feature views."""

from __future__ import annotations

from flask import current_app

from campaign.core import uploads
from campaign.core.forms import read_upload


def save_uploaded_image(field) -> uploads.Upload | None:
    """Store the image chosen in ``field``; None when no file was chosen.
    Raises images.ImageRejected with a message for the user."""
    data = read_upload(field)
    if data is None:
        return None
    config = current_app.config
    return uploads.save_image(config["MEDIA_ROOT"], data, limits=uploads.limits_from_config(config))


def save_uploaded_proof(field) -> uploads.Upload | None:
    """Store a PDF or image chosen in ``field``. Raises ImageRejected or DocumentRejected."""
    data = read_upload(field)
    if data is None:
        return None
    config = current_app.config
    return uploads.save_image_or_document(config["MEDIA_ROOT"], data, limits=uploads.limits_from_config(config))
