"""The OpenAPI document tells the truth: schemathesis fuzzes the API on a live loopback server
(real HTTP, its own database) and checks every answer against the document.

Schemathesis runs as its command-line tool in a subprocess, so that Hypothesis's global state
and the tool's own warnings stay out of this pytest run. It is bounded and deterministic: a
deterministic generation, a few examples per operation, one worker, no example database, no network beyond
127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from werkzeug.serving import make_server

from campaign.actions import services as action_services
from campaign.app import create_app
from campaign.core import uploads
from campaign.extensions import db
from campaign.reference.services import load_reference
from campaign.registrations.models import RegistrationStatus
from tests import factories
from tests.conftest import OPEN_MOMENT, base_config, database_url
from tests.core import image_corpus

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "unsupported_method",
)


def _populate(media_root: str) -> None:
    """Two editions; Gent and Antwerpen take part, Leuven withdrew; public and private actions
    (one with a photo); heroes with and without web consent (one with a photo)."""
    edition = factories.make_edition(2025, current=True, focus=(11, 13))
    factories.make_edition(2024)
    gent = factories.make_registration(edition, "44021", by=factories.make_officer("44021"))
    antwerpen = factories.make_registration(edition, "11002")
    leuven = factories.make_registration(edition, "24062", status=RegistrationStatus.WITHDRAWN)
    repair = factories.make_action(gent, title="Repair Café", sdgs=(12, 8))
    action_services.add_photo(repair, uploads.save_image(media_root, image_corpus.jpeg_photo((320, 400))))
    repair.actual_reach = 140
    factories.make_action(gent, title="Interne opleiding", public=False)
    factories.make_action(antwerpen, title="Bijenhotels", sdgs=(15,))
    factories.make_action(leuven, title="Afgelaste wandeling")
    photo = uploads.save_image(media_root, image_corpus.jpeg_photo((300, 400)))
    factories.make_hero(gent, name="Fien Claes", action=repair, photo=photo)
    factories.make_hero(antwerpen, name="Jonas Peeters", scopes=("print",))
    factories.make_hero(gent, name="Lotte Maes", withdrawn=True)
    factories.make_hero(antwerpen, name="Zonder Toestemming", scopes=None)
    factories.make_hero(leuven, name="Bram Wouters")


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("api-live")
    config = base_config(tmp, database_url(tmp, "api"))
    config.update({"SERVER_NAME": None, "NOW": OPEN_MOMENT, "API_RATE_LIMIT": 1_000_000})
    app = create_app(config)
    with app.app_context():
        db.create_all()
        load_reference()
        _populate(config["MEDIA_ROOT"])
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def test_the_live_api_keeps_to_its_openapi_document(live_api, tmp_path):
    started = datetime.now(UTC)
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{live_api}/api/v1/openapi.json",
        "--checks",
        ",".join(CHECKS),
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        "15",
        "--generation-deterministic",  # and so no example database
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--no-color",
    ]
    environment = {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    result = subprocess.run(
        command, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=240, check=False
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "No issues found" in report, report
    assert (datetime.now(UTC) - started).total_seconds() < 120, report  # stays bounded
