import pytest

from campaign.app import create_app
from campaign.config import ConfigError, normalise_database_url


def test_missing_secret_key_outside_debug_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("CAMPAIGN_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_debug_mode_runs_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("CAMPAIGN_SECRET_KEY", raising=False)
    app = create_app({"DEBUG": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    assert app.config["SECRET_KEY"]
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_environment_overrides_defaults_and_overrides_win(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMPAIGN_SECRET_KEY", "from-env")
    monkeypatch.setenv("CAMPAIGN_MAIL_PORT", "2525")
    monkeypatch.setenv("CAMPAIGN_MEDIA_ROOT", str(tmp_path / "m"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite")
    app = create_app({"MAIL_SERVER": "smtp.example"})
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["MAIL_SERVER"] == "smtp.example"
    assert app.config["MEDIA_ROOT"] == str(tmp_path / "m")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/env.sqlite"


def test_instance_file_sits_between_defaults_and_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CAMPAIGN_SECRET_KEY", raising=False)
    monkeypatch.setenv("CAMPAIGN_MAIL_SENDER", "env@example.org")
    (tmp_path / "campaign.cfg").write_text(
        'SECRET_KEY = "from-file"\nMAIL_SENDER = "file@example.org"\nMAIL_PORT = 587\n'
    )
    from flask import Flask

    from campaign.config import load_config

    app = Flask("campaign", instance_path=str(tmp_path), instance_relative_config=True)
    load_config(app, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "from-file"
    assert app.config["MAIL_PORT"] == 587
    assert app.config["MAIL_SENDER"] == "env@example.org"


def test_production_cookies_are_secure_httponly_and_lax(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMPAIGN_SECRET_KEY", "x")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    relaxed = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite", "SESSION_COOKIE_SECURE": False})
    assert relaxed.config["SESSION_COOKIE_SECURE"] is False


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"
