import sqlalchemy as sa

from campaign.app import create_app


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.sqlite"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["database"] == "unavailable"
    assert body["reason"]
    with app.app_context():
        from campaign.extensions import db

        db.engine.dispose()


def test_home_page_is_dutch_by_default(client, edition):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="nl"' in html
    assert "Week van de Duurzame Gemeente" in html


def test_language_choice_is_remembered(client, edition):
    response = client.post("/language", data={"language": "en", "next": "/account/login"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/login")
    html = client.get("/account/login").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Forgot your password?" in html
    client.post("/language", data={"language": "nl", "next": "/"})
    assert 'lang="nl"' in client.get("/").get_data(as_text=True)


def test_language_switch_ignores_foreign_redirects(client):
    response = client.post("/language", data={"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_unknown_page_is_a_friendly_404_in_dutch(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/account/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_no_asset_comes_from_another_host(client, edition):
    html = client.get("/").get_data(as_text=True)
    assert "http://" not in html.replace("http://localhost", "")
    assert "https://" not in html


def test_csrf_is_required_on_forms(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/c.sqlite"})
    with app.app_context():
        from campaign.extensions import db

        db.create_all()
        response = app.test_client().post("/account/login", data={"email": "a@b.be", "password": "x"})
        assert response.status_code == 400
        assert "Dit formulier is verlopen" in response.get_data(as_text=True)
        count = db.session.scalar(sa.text("SELECT count(*) FROM failed_attempt"))
        assert count == 0
        db.engine.dispose()


def test_nul_bytes_are_refused_politely(client, auth, team_user, edition):
    auth.login(team_user)
    assert client.get("/team/registrations?q=%00").status_code == 400
    response = client.post("/account/signup", data={"name": "a\x00b", "email": "x@y.be"})
    assert response.status_code == 400
    assert "<h1>" in response.get_data(as_text=True)


def test_text_fields_drop_control_characters(client, auth, team_user, edition):
    from campaign.core.forms import strip

    assert strip(" a\x07b\tc\n ") == "ab\tc"


def test_redirect_targets_stay_on_this_site():
    from campaign.app import create_app
    from campaign.core.urls import safe_next

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SERVER_NAME": "localhost"})
    with app.test_request_context():
        for bad in ("//evil.example", "/\t/evil.example", "https://evil.example/", "/\\evil", "/a\r\nX: 1", "evil"):
            assert safe_next(bad) == "/", bad
        assert safe_next("/account/profile?x=1") == "/account/profile?x=1"
