import sqlalchemy as sa

from campaign.extensions import db
from campaign.reference.models import FormerMunicipality, Municipality, Pillar, Province, Sdg
from campaign.reference.services import load_reference, municipalities_by_province


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_reference_data_is_complete(app):
    assert count(Municipality) == 285
    assert count(FormerMunicipality) == 300
    assert count(Sdg) == 17
    per_province = dict(
        db.session.execute(
            sa.select(Province.name_nl, sa.func.count(Municipality.id)).join(Municipality).group_by(Province.name_nl)
        ).all()
    )
    assert per_province == {
        "Antwerpen": 67,
        "Limburg": 38,
        "Oost-Vlaanderen": 55,
        "Vlaams-Brabant": 63,
        "West-Vlaanderen": 62,
    }


def test_loading_again_changes_nothing(app):
    result = load_reference()
    assert (result.created, result.updated) == (0, 0)
    assert count(Municipality) == 285


def test_merger_mapping_points_old_codes_to_new(app):
    kruibeke = db.session.scalar(sa.select(FormerMunicipality).where(FormerMunicipality.nis_code == "46013"))
    assert kruibeke.successor.nis_code == "46030"
    assert kruibeke.successor.name_nl == "Beveren-Kruibeke-Zwijndrecht"
    zwijndrecht = db.session.scalar(sa.select(FormerMunicipality).where(FormerMunicipality.nis_code == "11056"))
    assert zwijndrecht.province_nl == "Antwerpen"
    assert zwijndrecht.successor.province.name_nl == "Oost-Vlaanderen"
    merged = db.session.scalar(sa.select(Municipality).where(Municipality.nis_code == "46030"))
    assert {f.nis_code for f in merged.former} == {"46003", "46013", "11056"}


def test_sdgs_have_colour_and_pillar(app):
    climate = db.session.get(Sdg, 13)
    assert climate.name_nl == "Klimaatactie"
    assert climate.name_en == "Climate action"
    assert climate.color_hex == "#3F7E44"
    assert climate.pillar == Pillar.PLANET
    assert db.session.get(Sdg, 17).pillar == Pillar.PARTNERSHIP
    assert db.session.get(Sdg, 16).pillar == Pillar.PEACE


def test_municipalities_by_province_is_sorted(app):
    groups = municipalities_by_province()
    assert [p.name_nl for p, _ in groups] == sorted(p.name_nl for p, _ in groups)
    for _, municipalities in groups:
        names = [m.name_nl for m in municipalities]
        assert names == sorted(names)
