"""The SDG check (SDG-toets) and SDG suggestions. Pure functions: data in, results out."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l

from campaign.reference.models import Pillar


@dataclass(frozen=True)
class RatedSdg:
    number: int
    name: str
    pillar: Pillar
    effect: int | None  # 1, 0, -1, or None when not rated yet
    reason: str = ""


@dataclass(frozen=True)
class Summary:
    positive: int
    neutral: int
    negative: int
    unrated: int
    covered_pillars: list[Pillar]
    missing_pillars: list[Pillar]
    advice: list[str] = field(default_factory=list)

    @property
    def balance(self) -> int:
        """Positive minus negative effects."""
        return self.positive - self.negative

    @property
    def complete(self) -> bool:
        return self.unrated == 0 and self.positive + self.neutral + self.negative > 0


@dataclass(frozen=True)
class Suggestion:
    number: int
    score: int
    matches: list[str]


@cache
def lexicon() -> dict[int, dict]:
    """The shipped keyword lexicon and tips, by SDG number."""
    raw = json.loads(resources.files("campaign.actions").joinpath("data", "sdg_lexicon.json").read_text("utf-8"))
    return {int(key): value for key, value in raw.items() if key.isdigit()}


def summarize(rated: Iterable[RatedSdg], *, locale: str = "nl", pillar_names: dict[Pillar, str]) -> Summary:
    """Summarise an action's SDG check: the balance, the pillars not covered, and advice."""
    rated = list(rated)
    counts = {1: 0, 0: 0, -1: 0}
    unrated = 0
    advice: list[str] = []
    tips = lexicon()
    for sdg in rated:
        if sdg.effect is None:
            unrated += 1
            advice.append(str(_l("Rate the effect on SDG %(number)d (%(name)s).", number=sdg.number, name=sdg.name)))
            continue
        counts[sdg.effect] += 1
        if sdg.effect == -1:
            tip = tips.get(sdg.number, {}).get(f"tip_{locale}") or tips.get(sdg.number, {}).get("tip_nl", "")
            advice.append(
                str(
                    _l(
                        "Negative effect on SDG %(number)d (%(name)s): %(tip)s",
                        number=sdg.number,
                        name=sdg.name,
                        tip=tip,
                    )
                )
            )
        if sdg.effect != 0 and not sdg.reason.strip():
            advice.append(
                str(_l("Explain in a few words why the effect on SDG %(number)d is what it is.", number=sdg.number))
            )
    covered = sorted({sdg.pillar for sdg in rated}, key=list(Pillar).index)
    missing = [pillar for pillar in Pillar if pillar not in covered]
    if rated and missing:
        advice.append(
            str(
                _l(
                    "No SDG of the pillar(s) %(pillars)s yet. Could the action also contribute there?",
                    pillars=", ".join(pillar_names[p] for p in missing),
                )
            )
        )
    if rated and not unrated and counts[-1] == 0:
        advice.append(str(_l("No negative effects: well done. Tell people about it in your communication.")))
    return Summary(
        positive=counts[1],
        neutral=counts[0],
        negative=counts[-1],
        unrated=unrated,
        covered_pillars=covered,
        missing_pillars=missing,
        advice=advice,
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def suggest(text: str, *, top: int = 3) -> list[Suggestion]:
    """The ``top`` SDGs whose keywords occur most in ``text`` (Dutch). A keyword matches a
    word that starts with it; multi-word keywords match as a phrase."""
    folded = _fold(text)
    words = _WORD.findall(folded)
    joined = " " + " ".join(words) + " "
    results = []
    for number, entry in lexicon().items():
        matches = []
        score = 0
        for keyword in entry["keywords"]:
            key = _fold(keyword)
            hits = joined.count(" " + key) if " " in key else sum(1 for word in words if word.startswith(key))
            if hits:
                score += hits
                matches.append(keyword)
        if score:
            results.append(Suggestion(number=number, score=score, matches=sorted(set(matches))))
    results.sort(key=lambda s: (-s.score, s.number))
    return results[:top]
