"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from campaign.app import create_app
from campaign.core.db import render_item
from campaign.extensions import db
from tests.conftest import base_config, database_url


def test_upgrade_from_empty_matches_the_models(tmp_path):
    app = create_app(base_config(tmp_path, database_url(tmp_path, "migrations")))
    with app.app_context():
        try:
            _check_upgrade_and_downgrade()
        finally:  # a failure must not leave connections that block the suite's teardown
            db.session.remove()
            db.engine.dispose()


def _check_upgrade_and_downgrade() -> None:
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_item": render_item})
        diff = compare_metadata(context, db.metadata)
    assert diff == []

    tables = set(sa.inspect(db.engine).get_table_names())
    assert {
        "municipality",
        "former_municipality",
        "province",
        "sdg",
        "edition",
        "user_account",
        "registration",
        "outbox_mail",
    } <= tables

    downgrade(revision="base")
    assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
