"""Kit services. Rendering comes with the kits issue; this records downloads."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from campaign.accounts.models import User
from campaign.core.db import utcnow
from campaign.extensions import db
from campaign.kits.models import KitDownload
from campaign.registrations.models import Registration


def record_download(
    registration: Registration, *, by: User | None, kind: str = "zip", now: datetime | None = None
) -> KitDownload:
    download = KitDownload(registration=registration, user=by, kind=kind, downloaded_at=now or utcnow())
    db.session.add(download)
    db.session.flush()
    return download


def first_download(registration: Registration) -> datetime | None:
    return db.session.scalar(
        sa.select(sa.func.min(KitDownload.downloaded_at)).where(KitDownload.registration_id == registration.id)
    )
