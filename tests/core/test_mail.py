"""The outbox against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import asyncio
import smtplib
import socket
from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from campaign.core import mail
from campaign.core.mail import MailStatus, OutboxMail
from campaign.extensions import db
from tests import factories
from tests.mailbox import html_of, parse, text_of


class Collector:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield collector, controller.port
    controller.stop()


@pytest.fixture
def smtp_app(app, monkeypatch, smtp_server):
    _, port = smtp_server
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    return app


def test_queued_mail_is_sent_over_smtp_as_html_and_text(smtp_app, smtp_server):
    collector, _ = smtp_server
    with smtp_app.test_request_context():
        user = factories.make_officer()
        queued = factories.queue_reset(user)
        assert queued.status == MailStatus.PENDING
        counts = mail.deliver([queued.id])
    assert counts == {"sent": 1, "failed": 0, "unconfirmed": 0}
    assert queued.status == MailStatus.SENT
    assert queued.sent_at is not None
    [(sender, recipients, raw)] = collector.messages
    assert recipients == [user.email]
    assert "duurzamegemeente@vvsg.be" in sender
    message = parse(raw)
    assert message["Subject"] == "Kies een nieuw wachtwoord"
    assert "http://localhost/x" in text_of(message)
    assert '<a href="http://localhost/x">' in html_of(message)
    assert "Dag" in text_of(message)


def test_an_unreachable_server_marks_mail_failed_and_keeps_it(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens here
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)
    with app.test_request_context():
        queued = factories.queue_reset(factories.make_officer())
        counts = mail.deliver([queued.id])
    assert counts == {"sent": 0, "failed": 1, "unconfirmed": 0}
    assert queued.status == MailStatus.FAILED
    assert queued.attempts == 1
    assert "ConnectionRefused" in queued.last_error


def test_failed_mail_is_retried_by_the_cli(smtp_app, smtp_server):
    collector, _ = smtp_server
    with smtp_app.test_request_context():
        queued = factories.queue_reset(factories.make_officer())
        queued.status = MailStatus.FAILED
        queued.last_error = "earlier failure"
        db.session.flush()
    result = smtp_app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert '"sent": 1' in result.output
    assert len(collector.messages) == 1
    assert queued.status == MailStatus.SENT
    assert queued.last_error is None


def test_idempotency_key_queues_a_mail_once(app):
    with app.test_request_context():
        user = factories.make_officer()
        first = mail.queue(
            "password_reset",
            to=user.email,
            locale="nl",
            kind="x",
            subject="s",
            idempotency_key="k-1",
            user=user,
            link="l",
            hours=1,
        )
        second = mail.queue(
            "password_reset",
            to=user.email,
            locale="nl",
            kind="x",
            subject="s",
            idempotency_key="k-1",
            user=user,
            link="l",
            hours=1,
        )
    assert first.id == second.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 1


def test_signup_mail_goes_through_the_outbox_and_smtp(smtp_app, smtp_server, client):
    collector, _ = smtp_server
    client.post(
        "/account/signup",
        data={
            "name": "Jef",
            "email": "jef@example.be",
            "municipality": factories.municipality("11002").id,
            "password": "een-lang-wachtwoord",
            "password_confirm": "een-lang-wachtwoord",
            "works_for_municipality": "y",
        },
    )
    [stored] = db.session.scalars(sa.select(OutboxMail)).all()
    assert stored.kind == "verify-email"
    assert stored.status == MailStatus.SENT
    assert len(collector.messages) == 1


class Refuser(Collector):
    """Takes the whole message, then says no."""

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "554 5.7.1 Message refused"


class Mute(Collector):
    """Takes the whole message but answers only after the client gave up waiting."""

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        await asyncio.sleep(3)
        return "250 OK"


def _server(handler):
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def _use(app, monkeypatch, port: int) -> None:
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)


def test_lines_starting_with_a_dot_arrive_unchanged(smtp_app, smtp_server):
    collector, _ = smtp_server
    with smtp_app.test_request_context():
        queued = factories.queue_reset(factories.make_officer())
        queued.body_text = ".\n..twee punten\n.één punt, één regel\nslot"
        db.session.commit()
        mail.deliver([queued.id])
    [(_, _, raw)] = collector.messages
    assert text_of(parse(raw)).replace("\r\n", "\n").startswith(".\n..twee punten\n.één punt, één regel\nslot")


def test_a_message_the_server_refuses_after_reading_it_is_failed_and_tried_again(app, monkeypatch):
    controller = _server(Refuser())
    try:
        _use(app, monkeypatch, controller.port)
        with app.test_request_context():
            queued = factories.queue_reset(factories.make_officer())
            assert mail.deliver([queued.id]) == {"sent": 0, "failed": 1, "unconfirmed": 0}
        assert queued.status == MailStatus.FAILED  # the server said no: it does not have it
        assert "554" in queued.last_error and queued.next_attempt_at is not None
    finally:
        controller.stop()


def test_a_message_killed_before_its_end_mark_is_thrown_away_by_the_server(app, monkeypatch, smtp_server):
    """What a process killed before the SENDING commit leaves behind: a message without its final
    line. The server discards it, so sending the row again later cannot make a second copy."""
    collector, port = smtp_server
    _use(app, monkeypatch, port)
    with app.test_request_context():
        queued = factories.queue_reset(factories.make_officer())
        message = mail.build_message(queued, app.config["MAIL_SENDER"])

        class Killed(BaseException):
            pass

        def killed() -> None:
            raise Killed

        transport = mail._SMTPTransport(app.config)
        transport.__enter__()
        with pytest.raises(Killed):
            transport.send(queued, message, killed)
        transport.smtp.sock.close()  # what the kernel does for a killed process
        fresh = smtplib.SMTP("127.0.0.1", port, timeout=5)  # the server is still there and took nothing
        assert fresh.noop()[0] == 250
        fresh.quit()
    assert collector.messages == []
    assert db.session.get(OutboxMail, queued.id).status == MailStatus.PENDING


def test_a_message_without_an_answer_is_never_sent_again_on_its_own(app, monkeypatch, now):
    """The server has the whole message but its answer never comes: the mail may have arrived,
    so it is SENDING, not retried by the jobs process; after a while the team sees it."""
    from campaign.cli import collect_stats

    handler = Mute()
    controller = _server(handler)
    try:
        _use(app, monkeypatch, controller.port)
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 1)
        with app.test_request_context():
            queued = factories.queue_reset(factories.make_officer())
            assert mail.deliver([queued.id]) == {"sent": 0, "failed": 0, "unconfirmed": 1}
            assert queued.status == MailStatus.SENDING and queued.last_error
            assert len(handler.messages) == 1
            later = queued.sent_at + timedelta(hours=1)
            assert mail.deliver_due(now=later) == {"sent": 0, "failed": 0, "unconfirmed": 0}
            assert mail.deliver() == {"sent": 0, "failed": 0, "unconfirmed": 0}
            assert collect_stats()["outbox_unconfirmed"] == 0  # still within its process's reach
            now(later.isoformat())
            assert collect_stats()["outbox_unconfirmed"] == 1
        assert len(handler.messages) == 1
    finally:
        controller.stop()


def test_an_international_address_never_blocks_the_outbox(app, monkeypatch):
    """A server without SMTPUTF8 cannot take jürgen@gent.be: that mail fails with a clear error and
    the mails after it still go. A server with SMTPUTF8 gets it."""
    for utf8 in (False, True):
        handler = Collector()
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=utf8)
        controller.start()
        try:
            _use(app, monkeypatch, controller.port)
            with app.test_request_context():
                international = factories.queue_reset(factories.make_officer(email=f"jürgen{int(utf8)}@gent.be"))
                plain = factories.queue_reset(factories.make_officer())
                counts = mail.deliver([international.id, plain.id])
            assert plain.status == MailStatus.SENT
            if utf8:
                assert counts == {"sent": 2, "failed": 0, "unconfirmed": 0}
                assert f"jürgen{int(utf8)}@gent.be" in [to for _, tos, _ in handler.messages for to in tos]
            else:
                assert counts == {"sent": 1, "failed": 1, "unconfirmed": 0}
                assert international.status == MailStatus.FAILED and "SMTPUTF8" in international.last_error
                assert len(handler.messages) == 1
        finally:
            controller.stop()


def test_a_lost_connection_leaves_the_rest_for_the_next_run(app, monkeypatch, smtp_server):
    """The connection drops while a message is sent: that message is failed (the server had not got
    its end), the others keep their attempts and go in the next run."""
    collector, port = smtp_server
    _use(app, monkeypatch, port)
    with app.test_request_context():
        first, second = (factories.queue_reset(factories.make_officer()) for _ in range(2))
        transport_send = mail._SMTPTransport.send

        def dropping(self, outgoing, message, handed_over):
            if outgoing.id == first.id:
                self.smtp.close()
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            return transport_send(self, outgoing, message, handed_over)

        monkeypatch.setattr(mail._SMTPTransport, "send", dropping)
        assert mail.deliver() == {"sent": 0, "failed": 1, "unconfirmed": 0}
        assert db.session.get(OutboxMail, second.id).attempts == 0
        monkeypatch.setattr(mail._SMTPTransport, "send", transport_send)
        assert mail.deliver() == {"sent": 2, "failed": 0, "unconfirmed": 0}
    assert len(collector.messages) == 2
