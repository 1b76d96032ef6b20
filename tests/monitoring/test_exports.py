"""Exports: the same rows in CSV, XLSX and JSON, read back with csv and openpyxl; consent and
personal data; the CLI; and the figures agree with the dashboard's."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import openpyxl
import pytest

from campaign.extensions import db
from campaign.heroes.models import Consent, Hero
from campaign.monitoring import exports, figures, services
from tests import factories
from tests.monitoring.test_figures import TODAY


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return workbook.active


@pytest.mark.parametrize("name", list(exports.EXPORTS))
def test_three_formats_hold_the_same_rows(campaign, edition, name):
    table = exports.EXPORTS[name](edition, today=TODAY)
    names = [c.name for c in table.columns]
    from_csv = read_csv(exports.to_csv(table))
    sheet = read_xlsx(exports.to_xlsx(table))
    from_json = json.loads(exports.to_json(table))

    assert from_csv[0] == names
    assert [cell.value for cell in sheet[1]] == names
    assert len(from_csv) - 1 == sheet.max_row - 1 == len(from_json) == len(table.rows)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(names))}{len(table.rows) + 1}"
    for index, row in enumerate(table.rows):
        assert list(from_json[index]) == names
        for position, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            cell = sheet.cell(row=index + 2, column=position + 1).value
            if value is None:
                assert cell is None and from_json[index][column.name] is None
                continue
            # Typed cells: numbers stay numbers, booleans booleans, dates dates.
            if column.kind in (int, float):
                assert isinstance(cell, int | float) and cell == value
            elif column.kind is bool:
                assert cell is value
                assert from_csv[index + 1][position] == ("ja" if value else "nee")
            elif column.kind is datetime:
                assert isinstance(cell, datetime) and cell == value
            elif column.kind is date:
                assert cell.date() == value if isinstance(cell, datetime) else cell == value
            else:
                assert (cell or "") == value and from_csv[index + 1][position] == value  # "" is an empty cell
            assert from_json[index][column.name] == (value.isoformat() if isinstance(value, date) else value)


def test_registrations_export(campaign, edition):
    table = exports.registrations(edition, today=TODAY)
    names = [c.name for c in table.columns]
    by_name = {row[0]: dict(zip(names, row, strict=True)) for row in table.rows}
    assert set(by_name) == {"46030", "44021", "11002", "31005"}  # Brugge's withdrawn registration too
    assert by_name["31005"]["status"] == "ingetrokken"
    gent = by_name["44021"]
    assert (gent["helden"], gent["helden_volledige_toestemming"], gent["acties"]) == (2, 1, 2)
    assert gent["kit_gedownload"] is True and gent["volgende_stap"] == "consent"
    assert gent["email"] == "contact@44021.example"


def test_heroes_export_leaves_out_heroes_without_valid_consent(campaign, edition):
    gone = factories.make_hero(campaign["gent"], name="Ingetrokken", withdrawn=True)
    expired = factories.make_hero(campaign["gent"], name="Verlopen")
    expired.consent.expires_on = date(2025, 1, 1)
    no_consent = factories.make_hero(campaign["gent"], name="Zonder", scopes=None)
    db.session.flush()
    table = exports.heroes(edition, today=TODAY)
    names = {row[3] for row in table.rows}
    assert names == {"Fien", "Jonas", "Lotte"}
    assert not names & {gone.name, expired.name, no_consent.name}
    jonas = next(row for row in table.rows if row[3] == "Jonas")
    assert jonas[7:11] == [True, False, False, False]  # web only


def test_exported_figures_agree_with_the_dashboard(campaign, edition):
    data = services.dashboard(edition, [edition, campaign["previous"]], today=TODAY)
    sdg_rows = {row[0]: row for row in exports.sdgs(edition, today=TODAY).rows}
    for row in data.sdgs:
        assert (sdg_rows[row.sdg.number][5], sdg_rows[row.sdg.number][6]) == (row.actions, row.heroes)
    registrations = [r for r in exports.registrations(edition, today=TODAY).rows if r[3] == "actief"]
    assert len(registrations) == data.key.registered
    assert sum(r[10] for r in registrations) == data.key.heroes
    assert sum(r[11] for r in registrations) == data.key.heroes_complete_consent
    assert sum(r[12] for r in registrations) == data.key.actions == len(exports.actions(edition, today=TODAY).rows)
    assert sum(1 for r in registrations if r[13]) == data.key.kits_downloaded
    statuses = [r[3] for r in exports.municipalities(edition, today=TODAY).rows]
    assert len(statuses) == 285 and statuses.count("not-registered") == 285 - data.key.registered
    assert sum(1 for r in registrations if r[15] != "hero") == data.funnel["hero"]
    assert figures.funnel(figures.progress(edition, today=TODAY)) == data.funnel


def test_text_that_looks_like_a_formula_stays_text(campaign, edition):
    evil = '=HYPERLINK("http://evil")'
    factories.make_action(campaign["gent"], title=evil)
    factories.make_action(campaign["gent"], title="@SUM(1)")
    factories.make_action(campaign["gent"], title="-2+3")
    table = exports.actions(edition, today=TODAY)
    titles = {row[4] for row in read_csv(exports.to_csv(table))[1:]}
    assert {"'" + evil, "'@SUM(1)", "'-2+3"} <= titles
    sheet = read_xlsx(exports.to_xlsx(table))
    cells = [sheet.cell(row=r, column=5) for r in range(2, sheet.max_row + 1)]
    formula = next(cell for cell in cells if cell.value == evil)
    assert formula.data_type == "s"  # text, shown as it is, never run


def test_phone_numbers_and_negative_numbers_stay_as_they_are():
    table = exports.Table("t", [exports.Column("telefoon", str)], [["+32 9 123 45 67"], ["-12"], ["+HYPERLINK"]])
    assert [row[0] for row in read_csv(exports.to_csv(table))[1:]] == ["+32 9 123 45 67", "-12", "'+HYPERLINK"]


@pytest.mark.parametrize("fmt", exports.FORMATS)
def test_cli_writes_an_export(runner, campaign, edition, tmp_path, fmt):
    out = tmp_path / f"actions.{fmt}"
    result = runner.invoke(args=["export", "actions", "--edition", "2025", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = exports.export("actions", edition, fmt, today=TODAY)
    if fmt == "xlsx":  # the ZIP inside carries the time it was written: compare the cells

        def cells(data: bytes) -> list[tuple]:
            return list(openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))

        assert cells(out.read_bytes()) == cells(expected)
    else:
        assert out.read_bytes() == expected
    bad = runner.invoke(args=["export", "actions", "--edition", "1999", "--out", str(out)])
    assert bad.exit_code != 0 and "1999" in bad.output


def test_team_downloads_exports_and_officers_do_not(client, auth, team_user, officer, campaign):
    auth.login(officer)
    assert client.get("/team/exports").status_code == 403
    assert client.get("/team/exports/heroes.csv").status_code == 403
    auth.logout()
    auth.login(team_user)
    assert client.get("/team/exports").status_code == 200
    response = client.get("/team/exports/registrations.xlsx?edition=2025")
    assert response.status_code == 200
    assert read_xlsx(response.get_data())["B2"].value == "Antwerpen"
    assert "registrations-2025.xlsx" in response.headers["Content-Disposition"]
    assert client.get("/team/exports/passwords.csv").status_code == 404
    assert client.get("/team/exports/actions.exe").status_code == 404


def test_consent_withdrawal_reaches_the_export_at_once(campaign, edition):
    consent = db.session.scalars(db.select(Consent).join(Consent.hero).where(Hero.name == "Lotte")).one()
    consent.withdrawn_at = datetime(2025, 5, 14, tzinfo=UTC)
    db.session.flush()
    assert "Lotte" not in {row[3] for row in exports.heroes(edition, today=TODAY).rows}
