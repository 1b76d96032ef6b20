"""Outgoing mail: every message is a row in the outbox before it is sent.

``queue`` renders a message in the recipient's language and stores it. ``deliver``
sends what is pending through the configured transport: SMTP, or ``.eml`` files in
development. ``deliver_due`` is the jobs process's: it claims one due message at a time
(``SELECT … FOR UPDATE SKIP LOCKED``, so several processes never send the same one). A
failed send stays in the outbox with its error and is tried again after a growing delay
(``retry_delay``), MAX_ATTEMPTS times.

Never twice: a message is only ever sent again when the server cannot have accepted it.
The transport writes the whole message but the end-of-data mark (``.`` on its own line);
then the row is committed as SENDING, and only then the mark is written. A process killed
before that commit leaves the server an unfinished message, which it throws away, and the
row goes out again later. A process killed after it leaves a SENDING row that is never sent
again on its own: the team sees it as unconfirmed (``unconfirmed``) and decides. Such a
message almost always did arrive: the only moment at which it did not is the few
microseconds between the commit and writing the mark.
"""

from __future__ import annotations

import enum
import re
import smtplib
import ssl
from collections.abc import Callable
from contextlib import ExitStack, suppress
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Mapped, mapped_column

from campaign.core.db import UTCDateTime, utcnow
from campaign.extensions import db

MAX_ATTEMPTS = 6
MESSAGE_ID_DOMAIN = "duurzamegemeente.local"
IMMEDIATE_GRACE = timedelta(seconds=30)  # with MAIL_DELIVERY=immediate, the web request sends first
UNCONFIRMED_AFTER = timedelta(minutes=2)  # a SENDING row this old has lost its process


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 4, 16, 64, 256 minutes."""
    return timedelta(minutes=4 ** (max(attempts, 1) - 1))


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # handed to the server; its answer is not recorded yet
    SENT = "sent"
    FAILED = "failed"


TO_SEND = (MailStatus.PENDING, MailStatus.FAILED)


class OutboxMail(db.Model):
    __tablename__ = "outbox_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    to_address: Mapped[str] = mapped_column(sa.String(320))
    locale: Mapped[str] = mapped_column(sa.String(5))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[MailStatus] = mapped_column(
        sa.Enum(MailStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=MailStatus.PENDING,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # after a failure: not before
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # handed to the server


def unconfirmed(now: datetime | None = None) -> sa.ColumnElement[bool]:
    """Messages handed to the server whose answer was never recorded: their process died
    (or lost the connection) at the last moment. They are not sent again on their own."""
    return sa.and_(
        OutboxMail.status == MailStatus.SENDING,
        OutboxMail.sent_at <= (now or utcnow()) - UNCONFIRMED_AFTER,
    )


def send_again(mail_id: int, *, now: datetime) -> bool:
    """The team's decision: send a failed or unconfirmed message again, with all its attempts.
    One conditional UPDATE, so a message a process is sending right now is left alone."""
    changed = db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.id == mail_id, sa.or_(OutboxMail.status == MailStatus.FAILED, unconfirmed(now)))
        .values(status=MailStatus.PENDING, attempts=0, next_attempt_at=None, sent_at=None)
    ).rowcount
    return bool(changed)


def mark_arrived(mail_id: int, *, now: datetime) -> bool:
    """The team's decision: an unconfirmed message did arrive."""
    changed = db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.id == mail_id, unconfirmed(now))
        .values(status=MailStatus.SENT, last_error=None)
    ).rowcount
    return bool(changed)


def queue(
    template: str,
    *,
    to: str,
    locale: str,
    subject: Any,
    kind: str,
    idempotency_key: str | None = None,
    **context: Any,
) -> OutboxMail:
    """Render ``email/<template>.txt`` and ``.html`` in ``locale`` and store the message.

    ``subject`` may be a lazy string; it is evaluated in ``locale``. With an
    ``idempotency_key`` that is already in the outbox, the stored message is returned
    and nothing new is queued.
    """
    if idempotency_key:
        existing = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.idempotency_key == idempotency_key))
        if existing is not None:
            return existing
    with force_locale(locale):
        subject_text = str(subject)
        context = {"subject": subject_text, "locale": locale, **context}
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    mail = OutboxMail(
        kind=kind,
        idempotency_key=idempotency_key,
        to_address=to,
        locale=locale,
        subject=subject_text,
        body_text=text,
        body_html=html,
    )
    db.session.add(mail)
    db.session.flush()
    return mail


def build_message(mail: OutboxMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    message["To"] = mail.to_address
    message["Date"] = formatdate(localtime=False)
    # One Message-ID per outbox row, however often it is sent: if a process dies after the
    # server took a message but before the row was marked sent, the copy sent again carries
    # the same ID, and mail systems show it once.
    message["Message-ID"] = f"<outbox-{mail.id}.{mail.created_at:%Y%m%d%H%M%S}@{MESSAGE_ID_DOMAIN}>"
    message.set_content(mail.body_text)
    message.add_alternative(mail.body_html, subtype="html")
    message["Content-Language"] = mail.locale  # after set_content, which drops Content-* headers
    return message


class _FileTransport:
    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def __enter__(self) -> _FileTransport:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, mail: OutboxMail, message: EmailMessage, handed_over: Callable[[], None]) -> None:
        name = f"{utcnow():%Y%m%dT%H%M%S}-{mail.id:06d}-{mail.kind}.eml"
        tmp = self.directory / (name + ".tmp")
        tmp.write_bytes(bytes(message))
        handed_over()
        tmp.replace(self.directory / name)


class _SMTPTransport:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> _SMTPTransport:
        cfg = self.config
        if cfg["MAIL_SECURITY"] == "ssl":
            self.smtp = smtplib.SMTP_SSL(
                cfg["MAIL_SERVER"],
                cfg["MAIL_PORT"],
                timeout=cfg["MAIL_TIMEOUT"],
                context=ssl.create_default_context(),
            )
        else:
            self.smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"])
            if cfg["MAIL_SECURITY"] == "starttls":
                self.smtp.starttls(context=ssl.create_default_context())
        if cfg.get("MAIL_USERNAME"):
            self.smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()

    def send(self, mail: OutboxMail, message: EmailMessage, handed_over: Callable[[], None]) -> None:
        """One SMTP transaction, like ``smtplib.SMTP.send_message``, except that the
        end-of-data mark is written only after ``handed_over`` returned (see the module)."""
        smtp = self.smtp
        assert smtp is not None
        sender = parseaddr(message["From"])[1]
        international = not (sender + mail.to_address).isascii()
        smtp.ehlo_or_helo_if_needed()
        if international and not smtp.has_extn("smtputf8"):
            raise smtplib.SMTPNotSupportedError("the mail server does not take international addresses (SMTPUTF8)")
        payload = message.as_bytes(policy=message.policy.clone(linesep="\r\n", utf8=international))
        options = []
        if smtp.does_esmtp:
            if smtp.has_extn("size"):
                options.append(f"SIZE={len(payload)}")
            if not payload.isascii() and smtp.has_extn("8bitmime"):
                options.append("BODY=8BITMIME")
        if international:
            options.append("SMTPUTF8")
            smtp.command_encoding = "utf-8"
        code, reply = smtp.mail(sender, options)
        if code != 250:
            _reset(smtp)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        code, reply = smtp.rcpt(mail.to_address)
        if code not in (250, 251):
            _reset(smtp)
            raise smtplib.SMTPRecipientsRefused({mail.to_address: (code, reply)})
        code, reply = smtp.docmd("data")
        if code != 354:
            _reset(smtp)
            raise smtplib.SMTPDataError(code, reply)
        data = _DOT_AT_LINE_START.sub(b"..", payload)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        smtp.send(data)
        handed_over()
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
        smtp.command_encoding = "ascii"
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)


_DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


def _reset(smtp: smtplib.SMTP) -> None:
    """End a refused transaction, so the connection can carry the next message."""
    with suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def _transport(config: dict[str, Any]) -> _FileTransport | _SMTPTransport:
    if config["MAIL_TRANSPORT"] == "smtp":
        return _SMTPTransport(config)
    return _FileTransport(config["MAIL_FILE_DIR"])


def deliver(ids: list[int] | None = None, *, limit: int = 200) -> dict[str, int]:
    """Send unsent mail (all of it, or the given ids), retry times ignored (``flask mail send``,
    and a request's own mail with MAIL_DELIVERY=immediate). Returns counts of sent and failed
    messages; never raises for a transport error: the error is stored on the message."""
    if ids is not None and not ids:
        return {"sent": 0, "failed": 0, "unconfirmed": 0}
    wanted = OutboxMail.status.in_(TO_SEND)
    if ids is not None:
        wanted = sa.and_(wanted, OutboxMail.id.in_(ids))
    return _deliver(wanted, now=utcnow(), limit=limit)


def deliver_due(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send the messages that are due: pending, or failed and past their retry time, with
    attempts left (the jobs process). With MAIL_DELIVERY=immediate, messages younger than
    IMMEDIATE_GRACE are left to the web request that queued them."""
    now = now or utcnow()
    due = sa.and_(
        OutboxMail.status.in_(TO_SEND),
        OutboxMail.attempts < MAX_ATTEMPTS,
        sa.or_(OutboxMail.next_attempt_at.is_(None), OutboxMail.next_attempt_at <= now),
    )
    if current_app.config["MAIL_DELIVERY"] == "immediate":
        due = sa.and_(due, OutboxMail.created_at <= now - IMMEDIATE_GRACE)
    return _deliver(due, now=now, limit=limit)


def _deliver(wanted: sa.ColumnElement[bool], *, now: datetime, limit: int) -> dict[str, int]:
    """Send the messages matching ``wanted`` one at a time: each row is claimed with
    ``SELECT … FOR UPDATE SKIP LOCKED`` (so no other process sends it meanwhile) and stays
    locked until it is sent and marked. When the transport cannot be reached, the message in
    hand is marked failed and the rest wait for the next run."""
    config = current_app.config
    counts = {"sent": 0, "failed": 0, "unconfirmed": 0}
    tried: list[int] = []  # each message once per run, whatever its outcome
    with ExitStack() as stack:
        transport = None
        for _ in range(limit):
            mail = db.session.scalar(
                sa.select(OutboxMail)
                .where(wanted, OutboxMail.id.not_in(tried))
                .order_by(OutboxMail.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if mail is None:
                db.session.rollback()
                break
            if transport is None:
                try:
                    transport = stack.enter_context(_transport(config))
                except (smtplib.SMTPException, OSError) as error:
                    current_app.logger.warning("mail transport unavailable: %s", error)
                    mail.attempts += 1
                    _failed(mail, error, now)
                    counts["failed"] += 1
                    db.session.commit()
                    break
            tried.append(mail.id)
            if not _send_one(transport, mail, config["MAIL_SENDER"], counts, now=now):
                break  # the connection is gone: the rest waits for the next run, attempts intact
    return counts


def _failed(mail: OutboxMail, error: Exception, now: datetime) -> None:
    mail.status = MailStatus.FAILED
    mail.sent_at = None
    mail.last_error = f"{type(error).__name__}: {error}"
    mail.next_attempt_at = now + retry_delay(mail.attempts)


def _send_one(transport: Any, mail: OutboxMail, sender: str, counts: dict[str, int], *, now: datetime) -> bool:
    """Send one message and record the outcome. Returns False when the connection to the mail
    server is lost (the rest of the run should wait)."""
    mail.attempts += 1
    message = build_message(mail, sender)
    handed = False

    def handed_over() -> None:
        nonlocal handed
        mail.status = MailStatus.SENDING
        mail.sent_at = utcnow()
        db.session.commit()  # from here on the server may accept it: never sent again on its own
        handed = True

    connected = True
    try:
        transport.send(mail, message, handed_over)
    except smtplib.SMTPResponseException as error:  # the server answered no: it does not have it
        _failed(mail, error, now)
        counts["failed"] += 1
    except Exception as error:
        connected = not _connection_lost(error)
        if handed:  # no answer after the end of the message: it may have arrived
            mail.last_error = f"{type(error).__name__}: {error}"
            counts["unconfirmed"] += 1
            current_app.logger.warning("mail %s: no answer after the message was handed over: %s", mail.id, error)
        else:
            _failed(mail, error, now)
            counts["failed"] += 1
    else:
        mail.status = MailStatus.SENT
        mail.last_error = None
        mail.next_attempt_at = None
        counts["sent"] += 1
    db.session.commit()
    return connected


def _connection_lost(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def deliver_if_immediate(mails: list[OutboxMail]) -> None:
    """After a request's commit: send what it queued, when delivery is immediate."""
    if current_app.config["MAIL_DELIVERY"] == "immediate" and mails:
        deliver([mail.id for mail in mails])
