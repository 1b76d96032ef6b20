"""Which files a registration's kit holds, and what each is made from.

A FileSpec carries the card a renderer draws and a cache key: the SHA-256 of the template
version, the kind and size of the file, and every field of the card (photo and logo
paths are content-addressed, so they stand for the image itself; they enter the key
relative to the media root). Consent decides what is planned: posters need print
consent, social images and their captions need social-media consent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

from campaign.editions.models import Edition
from campaign.heroes.models import ConsentScope, Hero
from campaign.kits.cards import (
    TEMPLATE_VERSION,
    FileSpec,
    HeroCard,
    MunicipalityCard,
    PosterSize,
    SdgBadge,
    SocialSize,
    Visual,
)
from campaign.reference.models import Sdg
from campaign.registrations.models import Registration

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_LOGO = ASSETS / "print" / "campaign-logo.png"
MONTHS_NL = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def slug(text: str) -> str:
    """A file-name-safe version of ``text`` that keeps it readable."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9 .,'()-]+", "", ascii_text).strip() or "bestand"


def dates_nl(edition: Edition) -> str:
    """The week in Dutch without the year (the renderers add ``Visual.year``): "18–25 september"."""
    start, end = edition.week_start, edition.week_end
    if start.month == end.month:
        return f"{start.day}–{end.day} {MONTHS_NL[end.month - 1]}"
    return f"{start.day} {MONTHS_NL[start.month - 1]} – {end.day} {MONTHS_NL[end.month - 1]}"


def badge(sdg: Sdg) -> SdgBadge:
    return SdgBadge(number=sdg.number, title=sdg.name_nl, colour=sdg.color_hex)


def visual_of(edition: Edition, *, media_root: Path) -> Visual:
    logo = str(media_root / edition.visual_logo.path) if edition.visual_logo else None
    return Visual(
        primary=edition.visual_primary,
        accent=edition.visual_accent,
        headline=edition.visual_headline,
        dates=dates_nl(edition),
        year=edition.year,
        hashtags=tuple(edition.visual_hashtags.split()),
        logo_path=logo,
    )


def hero_card(hero: Hero, *, visual: Visual, media_root: Path) -> HeroCard:
    photo = hero.photo
    return HeroCard(
        name=hero.name,
        role=hero.role,
        quote=hero.quote,
        municipality=hero.municipality.name_nl,
        sdgs=tuple(badge(s) for s in hero.sdgs),
        visual=visual,
        photo_path=str(media_root / photo.path) if photo else None,
        display_path=str(media_root / (photo.display_path or photo.path)) if photo else None,
        focal=(hero.focal_x, hero.focal_y),
        photo_credit=hero.photo_credit,
    )


def cache_key(kind: str, variant: str, card: HeroCard | MunicipalityCard, *, media_root: Path) -> str:
    return _key(kind, variant, card_payload(card, media_root=media_root))


def _key(kind: str, variant: str, payload: str) -> str:
    return hashlib.sha256(f"{json.dumps([TEMPLATE_VERSION, kind, variant])}\n{payload}".encode()).hexdigest()


def card_payload(card: HeroCard | MunicipalityCard, *, media_root: Path) -> str:
    """Every field of ``card`` as canonical JSON, with paths relative to the media root or assets
    (photo and logo paths are content-addressed, so they stand for the image itself)."""
    root = str(media_root)

    def relative(value: object) -> object:
        if isinstance(value, str) and value.startswith(root):
            return "media:" + value[len(root) :].lstrip("/")
        if isinstance(value, str) and value.startswith(str(ASSETS)):
            return "assets:" + value[len(str(ASSETS)) :].lstrip("/")
        if isinstance(value, dict):
            return {k: relative(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [relative(v) for v in value]
        return value

    return json.dumps(relative(dataclasses.asdict(card)), sort_keys=True)


def plan_kit(registration: Registration, heroes: list[Hero], *, today: date, media_root: Path) -> list[FileSpec]:
    """The files the kit holds today, given each hero's consent."""
    media_root = Path(media_root)
    edition = registration.edition
    visual = visual_of(edition, media_root=media_root)
    name = registration.municipality.name_nl
    specs: list[FileSpec] = []
    payloads: dict[int, str] = {}  # a card's payload by id(card): each card has several files

    def add(slot: str, kind: str, variant: str, card, filename: str, content_type: str, hero_id: int | None = None):
        if id(card) not in payloads:
            payloads[id(card)] = card_payload(card, media_root=media_root)
        specs.append(
            FileSpec(
                slot=slot,
                kind=kind,
                variant=variant,
                card=card,
                filename=filename,
                content_type=content_type,
                hero_id=hero_id,
                media_root=str(media_root),
                key=_key(kind, variant, payloads[id(card)]),
            )
        )

    municipality = MunicipalityCard(
        municipality=name, visual=visual, focus_sdgs=tuple(badge(s) for s in edition.focus_sdgs)
    )
    folder = "Gemeente"
    for size in PosterSize:
        add(
            f"municipality/participation-{size}",
            "participation",
            size.value,
            municipality,
            f"{folder}/Wij doen mee - affiche {size.name}.pdf",
            "application/pdf",
        )
    add("municipality/banner", "banner", "600x200", municipality, f"{folder}/E-mailbanner 600x200.jpg", "image/jpeg")
    # The profile frame shows only the edition's visual: one key, so one file, for every municipality.
    frame = MunicipalityCard(municipality="", visual=visual)
    add("municipality/frame", "frame", "1080x1080", frame, f"{folder}/Profielkader 1080x1080.png", "image/png")

    for hero in heroes:
        consent = hero.consent
        if consent is None or not consent.is_valid(today):
            continue
        card = hero_card(hero, visual=visual, media_root=media_root)
        folder = f"Helden/{slug(hero.name)}"
        if consent.allows(ConsentScope.PRINT, today):
            for size in PosterSize:
                add(
                    f"hero-{hero.id}/poster-{size}",
                    "poster",
                    size.value,
                    card,
                    f"{folder}/Heldenaffiche {size.name} - {slug(hero.name)}.pdf",
                    "application/pdf",
                    hero.id,
                )
        if consent.allows(ConsentScope.SOCIAL, today):
            for size in SocialSize:
                base = f"{folder}/Sociale media/{slug(hero.name)} {size.value}"
                add(f"hero-{hero.id}/social-{size}", "social", size.value, card, f"{base}.jpg", "image/jpeg", hero.id)
                add(
                    f"hero-{hero.id}/caption-{size}",
                    "caption",
                    size.value,
                    card,
                    f"{base}.txt",
                    "text/plain; charset=utf-8",
                    hero.id,
                )
    return specs
