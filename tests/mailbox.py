"""Read mail written by the file transport or received by the test SMTP server."""

from __future__ import annotations

import email
import re
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

LINK = re.compile(r"https?://[^\s\"'<>]+")


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=default)  # type: ignore[return-value]


def read_dir(folder: Path) -> list[EmailMessage]:
    return [parse(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links(message: EmailMessage) -> list[str]:
    return LINK.findall(text_of(message))


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)
