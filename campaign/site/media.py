"""Serving uploaded files, each only to whom may see it.

A file is public when a public page shows it: a photo of a public action of an active
registration, or the photo of a hero with valid web consent (which the press room also
requires). Public files may be cached, but must be checked again on every use (``no-cache``
with an ETag), so that a withdrawn consent takes effect at once. Anything else (consent
proofs, flag photos, photos of heroes without consent) is for the campaign team and the
officers of the municipality it belongs to.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from campaign.actions.models import Action, ActionPhoto
from campaign.core import clock, media
from campaign.core.auth import can_access_municipality
from campaign.core.uploads import Upload
from campaign.extensions import db
from campaign.heroes.models import Consent, Hero
from campaign.heroes.services import photo_usage_is_public
from campaign.registrations.models import Registration, RegistrationStatus
from campaign.registrations.services import local_date

bp = Blueprint("media", __name__)


def _is_public(upload: Upload) -> bool:
    public_action_photo = db.session.scalar(
        sa.select(ActionPhoto.id)
        .join(Action, Action.id == ActionPhoto.action_id)
        .join(Registration, Registration.id == Action.registration_id)
        .where(
            ActionPhoto.upload_id == upload.id,
            Action.is_public.is_(True),
            Registration.status == RegistrationStatus.ACTIVE,
        )
        .limit(1)
    )
    return public_action_photo is not None or photo_usage_is_public(upload.id, today=local_date(clock.now()))


def _owners(upload: Upload) -> set[int]:
    """The municipalities whose objects use this upload."""
    queries = [
        sa.select(Action.municipality_id)
        .join(ActionPhoto, ActionPhoto.action_id == Action.id)
        .where(ActionPhoto.upload_id == upload.id),
        sa.select(Hero.municipality_id).where(Hero.photo_id == upload.id),
        sa.select(Hero.municipality_id).join(Consent, Consent.hero_id == Hero.id).where(Consent.proof_id == upload.id),
        sa.select(Registration.municipality_id).where(Registration.flag_photo_id == upload.id),
    ]
    return set(db.session.scalars(sa.union(*queries)))


@bp.route("/media/<int:upload_id>/<any(original, display, thumb):variant>")
def serve(upload_id: int, variant: str) -> Response:
    upload = db.session.get(Upload, upload_id) or abort(404)
    public = _is_public(upload)
    if not public and not any(can_access_municipality(current_user, owner) for owner in _owners(upload)):
        abort(404)
    relative = upload.variant_path(variant) or upload.path
    try:
        path = media.resolve(current_app.config["MEDIA_ROOT"], relative)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    mimetype = {".pdf": "application/pdf", ".png": "image/png"}.get(path.suffix, "image/jpeg")
    response = send_file(path, mimetype=mimetype, conditional=True, etag=f"{upload.sha256}-{variant}", max_age=0)
    response.headers["Cache-Control"] = "public, no-cache" if public else "private, no-store"
    if upload.kind == "pdf":
        response.headers["Content-Disposition"] = f'attachment; filename="{upload.sha256[:12]}.pdf"'
    return response
