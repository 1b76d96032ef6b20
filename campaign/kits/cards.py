"""What the kit renderers draw: plain, frozen data. Renderers take these and return bytes;
they never touch the database, the request or the network."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from campaign.core import media

TEMPLATE_VERSION = "3"  # part of every cache key: bump it when a template or layout changes


class PosterSize(enum.StrEnum):
    A3 = "a3"
    A4 = "a4"

    @property
    def trim_mm(self) -> tuple[float, float]:
        return {PosterSize.A3: (297.0, 420.0), PosterSize.A4: (210.0, 297.0)}[self]


BLEED_MM = 3.0
SAFE_MM = 10.0  # text and logos stay this far inside the trim


class SocialSize(enum.StrEnum):
    SQUARE = "1080x1080"
    PORTRAIT = "1080x1350"
    STORY = "1080x1920"
    LANDSCAPE = "1200x630"

    @property
    def pixels(self) -> tuple[int, int]:
        width, height = self.value.split("x")
        return int(width), int(height)


BANNER_SIZE = (600, 200)
FRAME_SIZE = (1080, 1080)


@dataclass(frozen=True)
class Visual:
    """The edition's look: colours, headline, campaign logo and dates."""

    primary: str = "#1F4E3D"  # dark, for bands and headings (white text on it meets WCAG AA)
    accent: str = "#FCC30B"  # bright, for details
    headline: str = "Week van de Duurzame Gemeente"
    dates: str = "18–25 september"
    year: int = 2025
    hashtags: tuple[str, ...] = ("#DuurzameGemeente", "#SDGs")
    logo_path: str | None = None  # absolute path of a PNG (transparency kept); None: the shipped logo


@dataclass(frozen=True)
class SdgBadge:
    number: int
    title: str  # short Dutch title
    colour: str  # official colour, "#RRGGBB"


@dataclass(frozen=True)
class HeroCard:
    """Everything a hero poster or social image shows."""

    name: str
    role: str
    quote: str  # at most 180 characters
    municipality: str
    sdgs: tuple[SdgBadge, ...]
    visual: Visual
    photo_path: str | None = None  # absolute path of the stored photo (sRGB JPEG), None: no photo
    display_path: str | None = None  # the same photo, resized once at upload (long side 1600 px)
    focal: tuple[float, float] = (0.5, 0.5)  # point to keep in view, fractions of width and height
    municipality_logo_path: str | None = None
    photo_credit: str = ""


@dataclass(frozen=True)
class MunicipalityCard:
    """Everything the "Wij doen mee" poster, the e-mail banner and the profile frame show."""

    municipality: str
    visual: Visual
    focus_sdgs: tuple[SdgBadge, ...] = field(default_factory=tuple)
    municipality_logo_path: str | None = None


@dataclass(frozen=True)
class FileSpec:
    slot: str  # unique within the kit, e.g. "hero-12/poster-a3"
    kind: str  # poster, social, caption, participation, banner, frame
    variant: str  # a3, a4, 1080x1080, …
    card: HeroCard | MunicipalityCard
    key: str
    filename: str  # where it goes in the ZIP, for a person
    content_type: str
    hero_id: int | None = None
    media_root: str = ""  # where the card's photos live (not part of the key)

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(self.content_type, ".txt")

    @property
    def storage_path(self) -> str:
        """Where the rendered file is kept, relative to the media root: addressed by the cache
        key, so the same content is stored once and a renderer never overwrites other content."""
        return media.content_path(self.key, self.extension, folder="kits")
