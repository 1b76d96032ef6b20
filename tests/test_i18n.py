"""Every user-facing message in the code has a Dutch translation."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "campaign" / "translations" / "nl" / "LC_MESSAGES"
METHODS = [
    ("campaign/**.py", "python"),
    ("campaign/templates/**.html", "jinja2"),
    ("campaign/templates/**.txt", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def messages_in_code() -> set[str]:
    found = set()
    # Babel skips folders starting with "_" by default; templates/_macros holds messages too.
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, directory_filter=lambda path: ".venv" not in path
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def load(path):
    with open(path, "rb") as handle:
        return read_po(handle) if path.suffix == ".po" else read_mo(handle)


def test_dutch_catalogue_translates_every_message():
    catalogue = load(CATALOGUE / "messages.po")
    missing = []
    for msgid in sorted(messages_in_code()):
        message = catalogue.get(msgid)
        strings = message.string if message and isinstance(message.string, tuple) else (message and message.string,)
        if message is None or message.fuzzy or not all(strings):
            missing.append(msgid)
    assert missing == [], "untranslated messages; run scripts/translations.sh update and translate them"


def test_placeholders_survive_translation():
    for message in load(CATALOGUE / "messages.po"):
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(str(message.id))), source


def test_compiled_catalogue_is_up_to_date():
    def entries(catalogue):
        return {
            tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id: tuple(m.string)
            if isinstance(m.string, (list, tuple))
            else m.string
            for m in catalogue
            if m.id
        }

    po = entries(load(CATALOGUE / "messages.po"))
    mo = entries(load(CATALOGUE / "messages.mo"))
    assert po == mo, "run scripts/translations.sh compile"
