"""Colours of the social images: the palette roles a layout names (primary, accent, white,
ink, muted, paper) and a text colour that reads on its background (WCAG AA, 4.5:1)."""

from __future__ import annotations

from campaign.core.colour import contrast_ratio
from campaign.kits.cards import Visual

WHITE = "#FFFFFF"
INK = "#1B1B1B"  # near-black for text
MUTED = "#4A4A4A"  # the role line: 8.2:1 on the paper colour
PAPER = "#F7F6F2"  # a warm off-white behind the text
AA_CONTRAST = 4.5  # WCAG AA for normal text


def ink_on(background: str) -> str:
    """The text colour for ``background``: white where its contrast ratio is at least 4.5,
    otherwise near-black (or whichever of the two contrasts more, if neither reaches 4.5)."""
    white, ink = contrast_ratio(WHITE, background), contrast_ratio(INK, background)
    if white >= AA_CONTRAST or white > ink:
        return WHITE
    return INK


def _colour(role: str, visual: Visual) -> str:
    return {
        "primary": visual.primary,
        "accent": visual.accent,
        "white": WHITE,
        "ink": INK,
        "muted": MUTED,
        "paper": PAPER,
    }[role]


def _text_colour(role: str, visual: Visual, background: str) -> str:
    """The colour of ``role``, unless it would not read on ``background`` (contrast < 4.5)."""
    colour = _colour(role, visual)
    return colour if contrast_ratio(colour, background) >= AA_CONTRAST else ink_on(background)
