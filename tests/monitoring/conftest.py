"""A small hand-built campaign that the monitoring tests check the figures against."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from campaign.extensions import db
from campaign.kits.models import KitDownload
from campaign.reference.models import FormerMunicipality, Sdg
from campaign.registrations.models import RegistrationStatus
from tests import factories


@pytest.fixture
def campaign(edition):
    """2024: Kruibeke (now part of Beveren-Kruibeke-Zwijndrecht), Gent, and Aalst (registered
    late, on 1 June). 2025: Beveren-Kruibeke-Zwijndrecht, Gent, Antwerpen, and Brugge withdrawn."""
    previous = factories.make_edition(2024)
    bkz_2024 = factories.make_registration(previous, "46030")
    bkz_2024.former_municipalities = [
        db.session.scalar(sa.select(FormerMunicipality).where(FormerMunicipality.nis_code == "46013"))
    ]
    factories.make_registration(previous, "44021")
    aalst = factories.make_registration(previous, "41002")
    aalst.registered_at = datetime(2024, 6, 1, 9, tzinfo=UTC)

    bkz = factories.make_registration(edition, "46030")
    gent = factories.make_registration(edition, "44021")
    antwerpen = factories.make_registration(edition, "11002")
    factories.make_registration(edition, "31005", status=RegistrationStatus.WITHDRAWN)

    complete = factories.make_hero(gent, name="Fien")
    complete.sdgs = [db.session.get(Sdg, 12)]
    partial = factories.make_hero(gent, name="Jonas", scopes=("web",))
    partial.sdgs = [db.session.get(Sdg, 12), db.session.get(Sdg, 13)]
    lotte = factories.make_hero(antwerpen, name="Lotte")
    lotte.sdgs = [db.session.get(Sdg, 11)]
    factories.make_action(gent, title="Repair Café", sdgs=(12,))
    factories.make_action(gent, title="Zonnepanelen", sdgs=(7, 13))
    factories.make_action(antwerpen, title="Ruilbeurs", sdgs=(12,))
    db.session.add(KitDownload(registration=gent, kind="zip", downloaded_at=datetime(2025, 5, 10, tzinfo=UTC)))
    db.session.flush()
    return {"previous": previous, "bkz": bkz, "gent": gent, "antwerpen": antwerpen}
