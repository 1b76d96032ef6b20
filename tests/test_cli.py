"""The CLI against a database of its own, because its commands commit."""

import json

import pytest

from campaign.app import create_app
from campaign.extensions import db
from tests.conftest import base_config, database_url


@pytest.fixture(scope="module")
def cli_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    app = create_app(base_config(tmp, database_url(tmp, "cli")))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def stats(runner):
    result = runner.invoke(args=["stats", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_seed_reference_then_stats_then_demo(cli_app):
    runner = cli_app.test_cli_runner()
    assert stats(runner) == {
        "municipalities": 0,
        "sdgs": 0,
        "editions": 0,
        "registrations": 0,
        "users": 0,
        "actions": 0,
        "heroes": 0,
        "heroes_public": 0,
        "kit_files": 0,
        "consents_withdrawn": 0,
        "outbox_total": 0,
        "outbox_sent": 0,
        "outbox_failed": 0,
        "outbox_unconfirmed": 0,
    }

    result = runner.invoke(args=["seed", "reference"])
    assert result.exit_code == 0, result.output
    assert "285" not in result.output or "created" in result.output
    figures = stats(runner)
    assert figures["municipalities"] == 285
    assert figures["sdgs"] == 17

    again = runner.invoke(args=["seed", "reference"])
    assert "0 created, 0 updated" in again.output

    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    figures = stats(runner)
    assert figures["editions"] == 8
    assert 170 <= figures["registrations"] <= 190
    assert figures["users"] >= figures["registrations"] + 2
    assert 1700 <= figures["actions"] <= 2300
    assert 750 <= figures["heroes"] <= 1050
    assert 0 < figures["heroes_public"] < figures["heroes"]
    assert figures["consents_withdrawn"] > 0

    # Demo data goes only into an empty database.
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code != 0
    assert "empty database" in result.output


def test_demo_is_deterministic(tmp_path):
    """Two fresh databases seeded with the demo data hold the same rows."""
    import sqlalchemy as sa

    from campaign.reference.models import Municipality
    from campaign.registrations.models import Registration

    snapshots = []
    for name in ("demo_a", "demo_b"):
        app = create_app(base_config(tmp_path, database_url(tmp_path, name)))
        with app.app_context():
            db.create_all()
            app.test_cli_runner().invoke(args=["seed", "demo"])
            rows = db.session.execute(
                sa.select(
                    Registration.edition_id,
                    Municipality.nis_code,
                    Registration.contact_name,
                    Registration.track,
                    Registration.registered_at,
                )
                .join(Municipality)
                .order_by(Registration.edition_id, Municipality.nis_code)
            ).all()
            snapshots.append(rows)
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]) > 1000


def test_users_create_makes_an_active_team_account(cli_app):
    runner = cli_app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "lead@vvsg.example", "--name", "Lead", "--role", "admin"],
        input="a-long-password\na-long-password\n",
    )
    assert result.exit_code == 0, result.output
    from campaign.accounts.services import find_by_email

    with cli_app.app_context():
        user = find_by_email("lead@vvsg.example")
        assert user.role == "admin"
        assert user.is_active


def test_purge_removes_only_old_failed_attempts(cli_app):
    from datetime import timedelta

    from campaign.core import ratelimit
    from campaign.core.db import utcnow

    with cli_app.app_context():
        ratelimit.record_failure("login-pair", "old@x.be|1.2.3.4", now=utcnow() - timedelta(days=3))
        ratelimit.record_failure("login-pair", "new@x.be|1.2.3.4")
        db.session.commit()
    result = cli_app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"failed_attempts_removed": 1}
    with cli_app.app_context():
        assert ratelimit.count_failures("login-pair", "new@x.be|1.2.3.4", window=3600) == 1
