"""Test fixtures.

The suite runs on SQLite by default. With TEST_DATABASE_URL set (the README's test
command sets it to a throwaway PostgreSQL cluster) it runs on PostgreSQL.

The schema and the reference data are created once per session. Every test runs inside
a transaction that is rolled back afterwards; a view's commit only releases a savepoint.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id

from campaign.app import create_app
from campaign.extensions import db
from campaign.monitoring import cache as monitoring_cache
from campaign.reference.services import load_reference
from tests import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

# The tests never read the developer's instance folder (its campaign.cfg, database or mail):
# after `scripts/run.sh` it holds a secret key and relaxed cookies. Processes the tests start
# inherit this too.
os.environ["CAMPAIGN_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="campaign-test-instance.")


def database_url(tmp_dir: Path, name: str) -> str:
    """A fresh, empty database called ``name``: a file on SQLite, a database on PostgreSQL."""
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_dir / (name + '.sqlite')}"
    base = sa.make_url(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    database = f"{base.database}_{name}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return base.set(database=database).render_as_string(hide_password=False)


def base_config(tmp_dir: Path, url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_TRANSPORT": "file",
        "MAIL_FILE_DIR": str(tmp_dir / "mail"),
        "MEDIA_ROOT": str(tmp_dir / "media"),
        "SERVER_NAME": "localhost",
    }


class RequestClient(FlaskClient):
    """A test client whose requests start with empty ``g``, as real requests do.

    Requests reuse the app context a test has pushed (Flask does so when one is active),
    and with it ``g``, where Flask-Login caches the current user. Clearing it keeps
    one request's user from leaking into the next.
    """

    def open(self, *args, **kwargs):
        from flask import g, has_app_context

        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp_dir = tmp_path_factory.mktemp("app")
    application = create_app(base_config(tmp_dir, database_url(tmp_dir, "unit")))
    application.test_client_class = RequestClient
    with application.app_context():
        db.create_all()
        load_reference()
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Roll back everything a test wrote. Tests that need no database skip this."""
    if "app" not in request.fixturenames or request.node.get_closest_marker("e2e"):
        yield
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        # A plain Session: Flask-SQLAlchemy's own picks the engine by table and would
        # bypass this connection.
        db.session = sa.orm.scoped_session(
            sa.orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=_app_ctx_id,
        )
        monitoring_cache.clear()  # rolled-back data may come back with the same ids
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


OPEN_MOMENT = "2025-05-15T10:00:00+02:00"  # registration for 2025 is open


@pytest.fixture
def now(app: Flask, monkeypatch: pytest.MonkeyPatch):
    """Set the application's clock; returns a setter for later moves."""

    def set_now(moment: str) -> None:
        monkeypatch.setitem(app.config, "NOW", moment)

    set_now(OPEN_MOMENT)
    return set_now


@pytest.fixture
def edition(app: Flask, now):
    return factories.make_edition(2025, current=True)


@pytest.fixture
def registration(edition, officer):
    """The officer's (Gent's) active registration for the current edition."""
    return factories.make_registration(edition, "44021", by=officer)


@pytest.fixture
def other_registration(edition, other_officer):
    """Antwerpen's registration, of another officer."""
    return factories.make_registration(edition, "11002", by=other_officer)


@pytest.fixture
def media_root(app: Flask, tmp_path, monkeypatch) -> Path:
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    return tmp_path / "media"


@pytest.fixture
def officer(app: Flask):
    return factories.make_officer("44021")  # Gent


@pytest.fixture
def other_officer(app: Flask):
    return factories.make_officer("11002")  # Antwerpen


@pytest.fixture
def team_user(app: Flask):
    return factories.make_staff()


class Auth:
    """Log users in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, user, password: str = factories.PASSWORD):
        return self.client.post("/account/login", data={"email": user.email, "password": password})

    def logout(self):
        return self.client.post("/account/logout")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@pytest.fixture
def mail_dir(app: Flask) -> Iterator[Path]:
    """The folder the file transport writes to, emptied for this test."""
    folder = Path(app.config["MAIL_FILE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()
    yield folder
