"""The API's HTTP contract: validators and 304, CORS, no cookies, the rate limit, and errors as
problem details with the right status."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from campaign.api import services as api_services
from campaign.api.ratelimit import TokenBuckets
from campaign.core.audit import AuditEntry
from campaign.extensions import db
from tests import factories


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


# Validators -----------------------------------------------------------------------------------


def test_etag_gives_304_without_a_body(client, world):
    first = client.get("/api/v1/actions")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/actions", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/actions", headers={"If-None-Match": '"other", ' + etag}).status_code == 304
    assert client.get("/api/v1/actions", headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get("/api/v1/actions?sdg=4", headers={"If-None-Match": etag}).status_code == 200  # other body


def test_a_change_changes_the_etag(client, world):
    etag = client.get(f"/api/v1/actions/{world.public_action.id}").headers["ETag"]
    world.public_action.title = "Repair Café XL"
    db.session.flush()
    changed = client.get(f"/api/v1/actions/{world.public_action.id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["title"] == "Repair Café XL"


def test_head_answers_like_get_without_a_body(client, world):
    get, head = client.get("/api/v1/registrations"), client.head("/api/v1/registrations")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"] and head.headers["Content-Type"] == "application/json"


def test_last_modified_is_the_newest_change_or_the_start_of_today(client, world):
    db.session.execute(sa.update(AuditEntry).values(at=datetime(2025, 5, 15, 7, 30, 15, 500, tzinfo=UTC)))
    response = client.get("/api/v1/registrations")
    assert response.headers["Last-Modified"] == "Thu, 15 May 2025 07:30:15 GMT"
    for since, status in (
        ("Thu, 15 May 2025 07:30:15 GMT", 304),
        ("Thu, 15 May 2025 07:45:00 GMT", 304),
        ("Thu, 15 May 2025 07:30:14 GMT", 200),
        ("Fri, 15 May 2026 07:30:15 GMT", 200),  # later than our clock: not a date we gave out
        ("yesterday", 200),
    ):
        assert client.get("/api/v1/registrations", headers={"If-Modified-Since": since}).status_code == status, since
    # If-None-Match decides when both are sent.
    both = {"If-Modified-Since": "Thu, 15 May 2025 07:45:00 GMT", "If-None-Match": '"stale"'}
    assert client.get("/api/v1/registrations", headers=both).status_code == 200

    db.session.execute(sa.update(AuditEntry).values(at=datetime(2025, 5, 1, tzinfo=UTC)))
    # Consent expires by date: the data of today is never older than today (Belgian time).
    assert client.get("/api/v1/registrations").headers["Last-Modified"] == "Wed, 14 May 2025 22:00:00 GMT"


def test_no_last_modified_within_a_second_of_a_change(client, world, now):
    db.session.execute(sa.update(AuditEntry).values(at=datetime(2025, 5, 15, 8, 0, 0, 300_000, tzinfo=UTC)))
    now("2025-05-15T08:00:00.900000+00:00")
    response = client.get("/api/v1/registrations")
    assert "Last-Modified" not in response.headers and "ETag" in response.headers
    now("2025-05-15T08:00:01.400000+00:00")
    assert client.get("/api/v1/registrations").headers["Last-Modified"] == "Thu, 15 May 2025 08:00:00 GMT"


# CORS and cookies ----------------------------------------------------------------------------------


def test_any_origin_may_read_without_credentials(client, world):
    response = client.get("/api/v1/heroes", headers={"Origin": "https://data.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_preflight_allows_reading_only(client, world):
    response = client.options(
        f"/api/v1/heroes/{world.hero.id}",
        headers={
            "Origin": "https://data.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_the_api_sets_no_cookies(client, world, officer, auth):
    urls = ["/api/v1/heroes", "/api/v1/nothing", "/api/v1/heroes?x=1", f"/api/v1/heroes/{world.hero.id}"]
    for url in urls:
        assert "Set-Cookie" not in client.get(url).headers, url
    auth.login(officer)  # even for a logged-in officer, the session is left alone
    for url in urls:
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
        assert "Content-Language" not in response.headers, url  # the API is not localised


# Rate limit ------------------------------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 3)
    remaining = [client.get("/api/v1/editions").headers["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    limited = client.get("/api/v1/editions")
    body = problem(limited, 429)
    assert body["type"] == "tag:vvsg.be,2025:api/rate-limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 20
    problem(client.get("/api/v1/nothing"), 429)  # unknown addresses count too
    other_client = client.get("/api/v1/editions", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_client.status_code == 200
    assert client.options("/api/v1/editions").status_code == 200  # preflights are free
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 0)  # off
    assert client.get("/api/v1/editions").status_code == 200


def test_token_bucket_refills_and_forgets_old_clients():
    buckets = TokenBuckets(max_clients=2)
    assert [buckets.take("a", per_minute=2, now=0).allowed for _ in range(3)] == [True, True, False]
    assert buckets.take("a", per_minute=2, now=10).retry_after == 20
    assert buckets.take("a", per_minute=2, now=30).allowed  # one token back every 30 s
    buckets.take("b", per_minute=2, now=30)
    buckets.take("c", per_minute=2, now=30)  # "a" is the least recently seen: forgotten
    assert buckets.take("a", per_minute=2, now=30).remaining == 1


# Errors ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("?colour=green", "colour"),
        ("?sdg=0", "sdg"),
        ("?sdg=18", "sdg"),
        ("?sdg=twelve", "sdg"),
        ("?page=0", "page"),
        ("?page=99999999999999999999999", "page"),
        ("?per_page=101", "per_page"),
        ("?per_page=-1", "per_page"),
        ("?edition=20x5", "edition"),
        ("?edition=", "edition"),
        ("?province=brussel", "province"),
        ("?municipality=4402", "municipality"),
        ("?page=1&page=2", "page"),
    ],
)
def test_bad_parameters_are_400_problems(client, query, name):
    body = problem(client.get("/api/v1/actions" + query), 400)
    assert body["type"] == "tag:vvsg.be,2025:api/invalid-parameters"
    assert [p["name"] for p in body["invalid-params"]] == [name]


def test_the_problem_names_the_request_as_a_uri(client):
    body = problem(client.get("/api/v1/heroes?x=%zz&y=a%20b&z=%C3%A9"), 400)
    assert body["instance"] == "/api/v1/heroes?x=%25zz&y=a%20b&z=%C3%A9"
    assert (
        problem(client.get("/api/v1/municipalities/G%C3%A9nt"), 404)["instance"] == "/api/v1/municipalities/G%C3%A9nt"
    )


def test_filters_a_resource_does_not_have_are_400(client, edition):
    assert problem(client.get("/api/v1/editions?sdg=3"), 400)["invalid-params"][0]["name"] == "sdg"
    assert problem(client.get("/api/v1/municipalities?edition=2025"), 400)
    assert problem(client.get("/api/v1/editions/2025?page=1"), 400)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing",
        "/api/v1",
        "/api/v1/heroes/0",
        "/api/v1/heroes/2147483648",
        "/api/v1/actions/99999999999999999999999999999",
        "/api/v1/registrations/-1",
        "/api/v1/editions/1999",
        "/api/v1/editions/9223372036854775808/statistics",
        "/api/v1/municipalities/99999",
        "/api/v1/municipalities/Gent",
    ],
)
def test_unknown_addresses_and_ids_are_404_problems(client, edition, path):
    problem(client.get(path), 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_405(client, world, method):
    response = getattr(client, method)(f"/api/v1/heroes/{world.hero.id}", json={"name": "x"})
    problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_bug_is_a_500_problem(app, client, monkeypatch):
    def broken(query):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api_services, "editions", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production
    assert "a bug" not in problem(client.get("/api/v1/editions"), 500)["detail"]


def test_nul_bytes_are_400_problems(client, registration):
    problem(client.get("/api/v1/registrations?municipality=%00"), 400)


def test_other_pages_keep_their_html_errors(client, edition):
    response = client.get("/does-not-exist")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Access-Control-Allow-Origin" not in response.headers
    factories.make_officer()  # the API's hooks leave the rest of the site alone
