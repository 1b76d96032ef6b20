"""Browser tests: a live server on loopback, headless Debian Chromium, a real SMTP server.

The server runs the real application with CSRF protection on, against a database of its
own (SQLite, or PostgreSQL when TEST_DATABASE_URL is set). Its clock is set inside the
registration window of the 2025 edition.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

from campaign.accounts.models import User, UserStatus
from campaign.app import create_app
from campaign.core.auth import Role
from campaign.extensions import db
from campaign.reference.services import load_reference
from tests import factories
from tests.conftest import OPEN_MOMENT, base_config, database_url
from tests.mailbox import parse

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TEAM_EMAIL = "team@vvsg.example"
OFFICER_EMAIL = "communicatie@stad.gent.example"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(parse(envelope.content))
        return "250 OK"

    def to(self, address: str):
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


@pytest.fixture(scope="session")
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, inbox):
    tmp = tmp_path_factory.mktemp("e2e")
    config = base_config(tmp, database_url(tmp, "e2e"))
    config.update(
        {
            "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": None,
            "SESSION_COOKIE_SECURE": False,
            "MAIL_TRANSPORT": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": inbox.port,
            "NOW": OPEN_MOMENT,
        }
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        load_reference()
        edition = factories.make_edition(2025, current=True)
        # An officer of Gent whose municipality is registered, for the hero journey.
        officer = factories.make_officer("44021", email=OFFICER_EMAIL)
        factories.make_registration(edition, "44021", by=officer)
        db.session.add(
            User(
                email=TEAM_EMAIL,
                name="Campagneteam",
                role=Role.TEAM,
                status=UserStatus.ACTIVE,
                password_hash=factories.PASSWORD_HASH,
            )
        )
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, base_url):
    """Open pages in fresh browser contexts (separate cookies, like separate people)."""
    contexts = []

    def open_page():
        # axe-core is injected as a script; the app's CSP would rightly refuse it.
        context = browser.new_context(base_url=base_url, bypass_csp=True, locale="nl-BE")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.1 A and AA rules) finds no violation on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
        })"""
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} → " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert problems == [], f"axe-core on {page.url}:\n" + "\n".join(problems)


def log_in(page, email: str, password: str = factories.PASSWORD, *, button: str = "Aanmelden") -> None:
    """Log in through the real form, as a person would."""
    page.goto("/account/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main").get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
