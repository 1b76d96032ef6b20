"""Social images: exact sizes, clean JPEGs, text inside the safe area, focal crops, captions."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from campaign.core.colour import contrast_ratio
from campaign.kits import render_social
from campaign.kits.cards import HeroCard, MunicipalityCard, SdgBadge, SocialSize, Visual

LONGEST_QUOTE = (
    "Ik geloof in een gemeente waar iedereen meedoet: jong en oud, nieuwkomer én geboren Vlaming. "
    "Geïnspireerd door de SDG's zetten we samen één stap per dag naar een eerlijkere wereld."
)
SDGS = (
    SdgBadge(12, "Verantwoorde consumptie en productie", "#BF8B2E"),
    SdgBadge(7, "Betaalbare en duurzame energie", "#FCC30B"),
)


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    """1600 × 2000: red top-left quarter, blue bottom-right quarter, grey elsewhere."""
    image = Image.new("RGB", (1600, 2000), (128, 128, 128))
    image.paste((220, 20, 20), (0, 0, 800, 1000))
    image.paste((20, 20, 220), (800, 1000, 1600, 2000))
    path = tmp_path_factory.mktemp("photo") / "photo.jpg"
    image.save(path, "JPEG", quality=90)
    return str(path)


def card(photo, **changes):
    values = dict(
        name="Fien Claes",
        role="vrijwilliger bij het Repair Café",
        quote=LONGEST_QUOTE,
        municipality="Beveren-Kruibeke-Zwijndrecht",
        sdgs=SDGS,
        visual=Visual(),
        photo_path=photo,
        display_path=photo,
        focal=(0.5, 0.5),
    )
    values.update(changes)
    return HeroCard(**values)


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("size", list(SocialSize))
def test_every_format_has_its_exact_size_and_no_metadata(photo, size):
    image = opened(render_social.render_hero_image(card(photo), size=size))
    assert image.size == size.pixels
    assert image.format == "JPEG" and image.mode == "RGB"
    assert not image.getexif()


@pytest.mark.parametrize("size", list(SocialSize))
def test_longest_name_and_quote_stay_inside_the_safe_area(photo, size):
    layout = render_social.hero_layout(card(photo, name="Beveren-Kruibeke-Zwijndrecht"), size=size)
    for name in ("name", "meta", "quote", "headline", "sdgs", "logo"):
        box = layout.boxes[name]
        assert box.inside(layout.safe), (size, name, box, layout.safe)
    quote = layout.blocks["quote"]
    assert " ".join(quote.lines).replace("“", "").replace("”", "") == LONGEST_QUOTE  # nothing cut off
    minimum = 36 if size.pixels[0] == 1080 else 30
    assert layout.font_sizes["quote"] >= minimum and layout.font_sizes["name"] >= minimum


def test_text_that_cannot_fit_is_shortened_not_overflowing(photo):
    layout = render_social.hero_layout(card(photo, quote="lang " * 200), size=SocialSize.LANDSCAPE)
    assert layout.boxes["quote"].inside(layout.safe)
    assert layout.blocks["quote"].lines[-1].endswith("…")


def mean(image: Image.Image, box) -> tuple[float, ...]:
    region = image.crop((box.x0, box.y0, box.x1, box.y1)).resize((1, 1), Image.Resampling.BOX)
    return region.getpixel((0, 0))


def test_the_photo_is_cropped_around_the_focal_point(photo):
    layout = render_social.hero_layout(card(photo), size=SocialSize.LANDSCAPE)
    top_left = opened(render_social.render_hero_image(card(photo, focal=(0.05, 0.05)), size=SocialSize.SQUARE))
    bottom_right = opened(render_social.render_hero_image(card(photo, focal=(0.95, 0.95)), size=SocialSize.SQUARE))
    red = mean(top_left, layout.boxes["photo"])
    blue = mean(bottom_right, layout.boxes["photo"])
    # (The SDG tiles over the photo are yellow and brown, so compare the two crops.)
    assert red[0] > blue[0] + 50  # the red top-left quarter is in view only for a top-left focus
    assert blue[2] > red[2] + 50  # the blue bottom-right quarter only for a bottom-right focus


def test_tiles_use_white_text_only_where_it_reads(photo):
    assert render_social.ink_on("#FCC30B") != "#FFFFFF"  # SDG 7 yellow: dark text
    assert render_social.ink_on("#19486A") == "#FFFFFF"
    assert contrast_ratio(render_social.ink_on("#FCC30B"), "#FCC30B") >= 4.5


def test_banner_and_profile_frame():
    municipality = MunicipalityCard(municipality="Beveren-Kruibeke-Zwijndrecht", visual=Visual())
    banner = opened(render_social.render_banner(municipality))
    assert banner.size == (600, 200) and banner.format == "JPEG"
    frame = opened(render_social.render_profile_frame(municipality))
    assert frame.size == (1080, 1080) and frame.format == "PNG" and frame.mode == "RGBA"
    assert frame.getpixel((540, 540))[3] == 0  # the centre shows the profile picture
    assert frame.getpixel((20, 540))[3] == 255  # the ring is opaque


def test_captions_in_dutch_with_hashtags_and_alt_text(photo):
    post, alt = render_social.hero_caption(card(photo))
    assert "#DuurzameGemeente" in post and "#SDG12" in post and "#SDG7" in post
    assert "Beveren-Kruibeke-Zwijndrecht" in post
    assert "Fien Claes" in alt and LONGEST_QUOTE in alt and "SDG 12" in alt


def test_without_photo_a_colour_field_is_drawn(photo):
    image = opened(
        render_social.render_hero_image(card(photo, photo_path=None, display_path=None), size=SocialSize.SQUARE)
    )
    layout = render_social.hero_layout(card(photo), size=SocialSize.SQUARE)
    colour = mean(image, layout.boxes["photo"])
    assert abs(colour[0] - 0xFC) < 30 and abs(colour[1] - 0xC3) < 30  # the accent colour


def test_naive_and_fast_renders_agree(photo):
    fast = opened(render_social.render_hero_image(card(photo), size=SocialSize.SQUARE))
    naive = opened(render_social.naive_hero_image(card(photo), size=SocialSize.SQUARE))
    assert fast.size == naive.size
    for a, b in zip(
        mean(fast, render_social.Box(0, 0, 1080, 1080)), mean(naive, render_social.Box(0, 0, 1080, 1080)), strict=True
    ):
        assert abs(a - b) < 8
