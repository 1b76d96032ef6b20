"""Importing earlier participation: old NIS codes mapped, a clear error per row, all or nothing."""

from __future__ import annotations

import io

import sqlalchemy as sa

from campaign.editions.models import Edition
from campaign.extensions import db
from campaign.monitoring import figures, history
from campaign.registrations.models import Registration
from tests import factories


def registrations_of(year: int) -> dict[str, list[str]]:
    rows = db.session.scalars(
        sa.select(Registration).join(Edition, Edition.id == Registration.edition_id).where(Edition.year == year)
    )
    return {r.municipality.nis_code: sorted(f.nis_code for f in r.former_municipalities) for r in rows}


def test_old_codes_are_mapped_and_merged(edition):
    data = b"jaar;nis_code;ingeschreven_op\n2024;46013;2024-05-02\n2024;46003;\n2024;44021;01/06/2024\n2023;46013;\n"
    result = history.import_history(data, before_year=2025)
    assert result.errors == () and result.imported == 3
    assert result.editions_created == (2023, 2024)
    # Kruibeke and Beveren (2024) are one participation of Beveren-Kruibeke-Zwijndrecht.
    assert registrations_of(2024) == {"46030": ["46003", "46013"], "44021": []}
    assert registrations_of(2023) == {"46030": ["46013"]}
    # Beveren-Kruibeke-Zwijndrecht registering in 2025 now counts as returning.
    factories.make_registration(edition, "46030")
    previous = db.session.scalar(sa.select(Edition).where(Edition.year == 2024))
    turnover = figures.turnover(edition, previous)
    assert turnover.names_of(turnover.returning) == ["Beveren-Kruibeke-Zwijndrecht"]
    assert turnover.names_of(turnover.dropped) == ["Gent"]


def test_every_bad_row_gets_an_error_and_nothing_is_imported(edition):
    factories.make_registration(factories.make_edition(2022), "11002")
    data = (
        "\ufeffjaar,nis_code\n"
        "2024,44021\n"  # fine
        "2024,99999\n"  # unknown NIS code
        "2024,44021\n"  # duplicate
        "2031,44021\n"  # not an earlier edition
        "2022,11002\n"  # already recorded
        "twintig,44021\n"
        "²⁰²⁴,44021\n"  # digits, but not ASCII ones
    ).encode()
    result = history.import_history(data, before_year=2025)
    assert result.imported == 0
    messages = {error.line: error.message for error in result.errors}
    assert set(messages) == {3, 4, 5, 6, 7, 8}
    assert "99999" in messages[3]
    assert "twee keer" in messages[4] or "twice" in messages[4]
    assert "2031" in messages[5] and "twintig" in messages[7]
    assert "Antwerpen" in messages[6]
    assert registrations_of(2024) == {}  # not even the good row
    assert db.session.scalar(sa.select(Edition).where(Edition.year == 2024)) is None


def test_files_that_are_not_a_history_get_a_clear_message(edition):
    assert history.import_history(b"", before_year=2025).errors[0].message
    assert "jaar" in history.import_history(b"year_of;code\n2024;44021\n", before_year=2025).errors[0].message
    assert history.import_history("jaar;nis_code\n2024;44021\n".encode("utf-16"), before_year=2025).errors
    assert history.import_history(b"x" * (history.MAX_BYTES + 1), before_year=2025).errors


def test_team_page_and_cli(client, auth, team_user, officer, edition, runner, tmp_path):
    auth.login(officer)
    assert client.get("/team/history").status_code == 403
    auth.logout()
    auth.login(team_user)
    bad = client.post(
        "/team/history",
        data={"file": (io.BytesIO(b"jaar;nis_code\n2024;12345\n"), "h.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "12345" in bad.get_data(as_text=True)
    good = client.post(
        "/team/history",
        data={"file": (io.BytesIO(b"jaar;nis_code\n2024;46013\n"), "h.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert good.status_code == 200 and registrations_of(2024) == {"46030": ["46013"]}
    path = tmp_path / "h.csv"
    path.write_bytes(b"jaar;nis_code\n2023;44021\n")
    result = runner.invoke(args=["import", "history", str(path)])
    assert result.exit_code == 0 and "1 participations imported" in result.output
    again = runner.invoke(args=["import", "history", str(path)])
    assert again.exit_code != 0 and "Gent" in again.output


def test_an_unreadable_line_is_an_error_not_a_crash(edition):
    data = b"jaar;nis_code\n2024;" + b"x" * 200_000 + b"\n"
    result = history.import_history(data, before_year=2025)
    assert result.imported == 0 and result.errors and result.errors[0].line == 2
