"""Social images: exact sizes and clean JPEGs, text inside the safe area at legible sizes,
focal crops, SDG tile contrast, captions, and the caches that make rendering fast."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from campaign.core.colour import contrast_ratio
from campaign.kits import render_social, social_images, social_text
from campaign.kits.cards import HeroCard, MunicipalityCard, SdgBadge, SocialSize, Visual
from campaign.kits.layouts import LAYOUTS

LONGEST_MUNICIPALITY = "Beveren-Kruibeke-Zwijndrecht"
LONGEST_QUOTE = (
    "Ik geloof in een gemeente waar iedereen meedoet: jong en oud, nieuwkomer én geboren Vlaming. "
    "Geïnspireerd door de SDG's zetten we samen één stap per dag naar een eerlijkere wereld."
)
SDGS = (
    SdgBadge(12, "Verantwoorde consumptie en productie", "#BF8B2E"),
    SdgBadge(7, "Betaalbare en duurzame energie", "#FCC30B"),
    SdgBadge(16, "Vrede, justitie en sterke publieke diensten", "#00689D"),
)
RED, BLUE, GREY = (220, 20, 20), (20, 20, 220), (128, 128, 128)
SDG_CSV = Path(__file__).resolve().parents[2] / "campaign" / "reference" / "data" / "sdgs.csv"


def quadrant_photo(path: Path, size: tuple[int, int]) -> str:
    """Grey, with a red top-left quarter and a blue bottom-right quarter."""
    width, height = size
    image = Image.new("RGB", size, GREY)
    image.paste(RED, (0, 0, width // 2, height // 2))
    image.paste(BLUE, (width // 2, height // 2, width, height))
    image.save(path, "JPEG", quality=90)
    return str(path)


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> tuple[str, str]:
    """(stored photo 2400 × 3000, its display derivative 1600 × 2000): the same picture."""
    folder = tmp_path_factory.mktemp("photos")
    return quadrant_photo(folder / "original.jpg", (2400, 3000)), quadrant_photo(folder / "display.jpg", (1600, 2000))


def hero(photos, **changes) -> HeroCard:
    original, display = photos
    values = dict(
        name="Fatima El Amrani-Vandenberghe",
        role="vrijwilliger bij het Repair Café",
        quote=LONGEST_QUOTE,
        municipality=LONGEST_MUNICIPALITY,
        sdgs=SDGS,
        visual=Visual(),
        photo_path=original,
        display_path=display,
        focal=(0.5, 0.5),
    )
    values.update(changes)
    return HeroCard(**values)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def mean(image: Image.Image, box) -> list[float]:
    return ImageStat.Stat(image.convert("RGB").crop((box.x0, box.y0, box.x1, box.y1))).mean


def share(image: Image.Image, box, colour: tuple[int, int, int]) -> float:
    """The fraction of the box's pixels within 40 of ``colour`` on every channel."""
    region = image.convert("RGB").crop((box.x0, box.y0, box.x1, box.y1))
    close = [
        band.point(lambda v, c=c: 255 if abs(v - c) < 40 else 0) for band, c in zip(region.split(), colour, strict=True)
    ]
    both = ImageChops.multiply(ImageChops.multiply(close[0], close[1]), close[2])
    return both.histogram()[255] / (region.width * region.height)


# Output format.


@pytest.mark.parametrize("size", list(SocialSize))
def test_each_format_is_an_exact_size_rgb_jpeg_without_metadata(photos, size):
    image = opened(render_social.render_hero_image(hero(photos), size=size))
    assert image.size == size.pixels
    assert (image.format, image.mode) == ("JPEG", "RGB")
    assert not image.getexif()
    assert "exif" not in image.info and "xmp" not in image.info and "comment" not in image.info


def test_banner_is_a_600_by_200_jpeg():
    banner = opened(render_social.render_banner(MunicipalityCard(municipality=LONGEST_MUNICIPALITY, visual=Visual())))
    assert (banner.size, banner.format, banner.mode) == ((600, 200), "JPEG", "RGB")
    assert not banner.getexif()


def test_profile_frame_is_transparent_in_the_middle_and_opaque_on_the_ring():
    frame = opened(render_social.render_profile_frame(MunicipalityCard(municipality="Gent", visual=Visual())))
    assert (frame.size, frame.format, frame.mode) == ((1080, 1080), "PNG", "RGBA")
    assert frame.getpixel((540, 540))[3] == 0
    assert frame.getpixel((540, 200))[3] == 0
    for point in ((20, 540), (1060, 540), (540, 20)):  # on the ring
        assert frame.getpixel(point)[3] == 255
    assert frame.getpixel((540, 900))[3] == 255  # the segment with the text
    assert frame.getpixel((5, 5))[3] == 0  # outside the circle


def test_rendering_is_deterministic(photos):
    card = hero(photos)
    assert render_social.render_hero_image(card, size=SocialSize.SQUARE) == render_social.render_hero_image(
        card, size=SocialSize.SQUARE
    )


# Text fitting.


@pytest.mark.parametrize("size", list(SocialSize))
@pytest.mark.parametrize("name", ["Fien Claes", "Fatima El Amrani-Vandenberghe", LONGEST_MUNICIPALITY])
def test_longest_texts_fit_inside_the_safe_area_at_legible_sizes(photos, size, name):
    assert len(LONGEST_QUOTE) == 180
    layout = render_social.hero_layout(hero(photos, name=name), size=size)
    image = render_social.Box(0, 0, *size.pixels)
    for element in ("name", "meta", "quote", "headline", "dates", "logo", "sdgs"):
        box = layout.boxes[element]
        assert box.inside(layout.safe), (element, box, layout.safe)
        assert box.inside(image)
    assert layout.safe.inside(image)
    for element in ("name", "meta", "quote", "headline", "dates"):
        assert not layout.blocks[element].truncated, element
    assert " ".join(layout.blocks["quote"].lines) == f"“{LONGEST_QUOTE}”"
    assert layout.blocks["meta"].lines[-1].endswith(LONGEST_MUNICIPALITY)
    minimum = 36 if size.pixels[0] == 1080 else 30
    assert layout.font_sizes["quote"] >= minimum
    assert layout.font_sizes["name"] >= minimum
    assert layout.font_sizes["meta"] >= minimum
    for element in ("name", "meta", "quote"):  # text never lies on the photo
        assert layout.boxes[element].y0 >= LAYOUTS[size].photo.y1 or layout.boxes[element].x0 >= LAYOUTS[size].photo.x1


def test_text_too_long_for_its_box_is_shortened_with_an_ellipsis(photos):
    card = hero(photos, quote="lang " * 120, name="Marie-Françoise Van den Broeck-de Smet van Oostkerke-Zuid")
    for size in SocialSize:
        layout = render_social.hero_layout(card, size=size)
        quote = layout.blocks["quote"]
        assert quote.truncated and quote.lines[-1].endswith("…”")
        assert layout.boxes["quote"].inside(layout.safe)
        assert layout.boxes["name"].inside(layout.safe)


def test_a_long_role_gives_way_to_the_municipality(photos):
    role = "coördinator van de buurtwerking, vrijwilliger bij het Repair Café en lid van de milieuraad " * 2
    layout = render_social.hero_layout(hero(photos, role=role), size=SocialSize.LANDSCAPE)
    meta = layout.blocks["meta"]
    assert meta.lines[-1].endswith(LONGEST_MUNICIPALITY)
    assert "…" in " ".join(meta.lines)


def test_a_word_wider_than_the_box_breaks_after_a_hyphen_or_is_cut():
    slot = LAYOUTS[SocialSize.LANDSCAPE].name
    lines, _, _, truncated = render_social.fit_text(
        "Sint-Pieters-Leeuw-Beveren-Kruibeke-Zwijndrecht-Lokeren", slot, height=200
    )
    assert len(lines) == 2 and lines[0].endswith("-") and not truncated
    lines, _, _, truncated = render_social.fit_text("X" * 80, slot, height=200)
    assert truncated and lines == (lines[0],) and lines[0].endswith("…")


def test_fitting_never_overflows_a_box_too_small_for_one_line():
    slot = LAYOUTS[SocialSize.SQUARE].quote
    assert render_social.fit_text(LONGEST_QUOTE, slot, height=10)[0] == ()


# Photo.


def test_the_photo_is_cropped_around_the_focal_point(photos):
    for size in (SocialSize.SQUARE, SocialSize.PORTRAIT):  # crops of 1600 × 711 and 1600 × 1007
        box = LAYOUTS[size].photo
        top_left = opened(render_social.render_hero_image(hero(photos, focal=(0.1, 0.1)), size=size))
        bottom_right = opened(render_social.render_hero_image(hero(photos, focal=(0.9, 0.9)), size=size))
        assert share(top_left, box, RED) > 0.3 and share(top_left, box, BLUE) < 0.05
        assert share(bottom_right, box, BLUE) > 0.3 and share(bottom_right, box, RED) < 0.05


def test_crop_rectangle_keeps_the_focal_point_central_and_inside_the_image():
    crop = render_social._crop_rect
    assert crop((1600, 2000), (1080, 480), (0.5, 0.5)) == pytest.approx((0, 644.44, 1600, 1355.56), abs=0.01)
    assert crop((1600, 2000), (1080, 480), (0.5, 0.0)) == pytest.approx((0, 0, 1600, 711.11), abs=0.01)
    assert crop((1600, 2000), (1080, 480), (0.5, 1.0)) == pytest.approx((0, 1288.89, 1600, 2000), abs=0.01)
    assert crop((3000, 1000), (440, 630), (0.2, 0.5)) == pytest.approx((250.79, 0, 949.21, 1000), abs=0.01)
    # Whatever the photo's size, the box stays inside it: rounding once put it a hair outside,
    # and resizing from a box with a negative offset fails ("box offset can't be negative").
    for width in range(600, 2400, 13):
        for height in range(600, 2400, 17):
            for size in SocialSize:
                for focal in ((0.0, 0.0), (0.5, 0.5), (1.0, 1.0)):
                    left, top, right, bottom = crop((width, height), size.pixels, focal)
                    assert 0 <= left <= right <= width and 0 <= top <= bottom <= height, (width, height, size)


@pytest.mark.parametrize("focal", [(0.5, 0.5), (0.1, 0.9), (1.0, 0.0)])
def test_a_photo_scaled_by_a_whole_factor_is_cropped_at_most_ten_percent_tighter(tmp_path, focal):
    """The landscape format's 440 × 630 photo from a 1080 × 1350 display photo: the largest crop
    would be 943 × 1350; it is halved from a crop 7 % tighter instead, kept around the focal point."""
    source = Image.new("RGB", (1080, 1350))
    source.putdata([(x * 255 // 1079, y * 255 // 1349, 0) for y in range(1350) for x in range(1080)])
    path = tmp_path / "gradient.png"  # lossless: each pixel says where it comes from
    source.save(path)
    size = LAYOUTS[SocialSize.LANDSCAPE].photo.width, LAYOUTS[SocialSize.LANDSCAPE].photo.height
    photo = social_images._fitted_photo(str(path), os.stat(path).st_mtime_ns, size, focal)
    assert photo.size == size
    largest = social_images._crop_rect(source.size, size, focal)
    red = [photo.getpixel((x, size[1] // 2))[0] * 1079 / 255 for x in (0, size[0] - 1)]
    green = [photo.getpixel((size[0] // 2, y))[1] * 1349 / 255 for y in (0, size[1] - 1)]
    shown = (red[0], green[0], red[1], green[1])  # the source region the photo shows, in source pixels
    width, height = shown[2] - shown[0], shown[3] - shown[1]
    assert 0.9 * (largest[2] - largest[0]) <= width + 8 and width <= largest[2] - largest[0] + 8
    assert 0.9 * (largest[3] - largest[1]) <= height + 8 and height <= largest[3] - largest[1] + 8
    assert shown[0] >= largest[0] - 8 and shown[2] <= largest[2] + 8  # inside the largest crop
    assert shown[1] >= largest[1] - 8 and shown[3] <= largest[3] + 8
    centre, wanted = (
        ((shown[0] + shown[2]) / 2, (shown[1] + shown[3]) / 2),
        ((largest[0] + largest[2]) / 2, (largest[1] + largest[3]) / 2),
    )
    for axis in (0, 1):  # as central as the largest crop, unless the photo's edge is in the way
        limit = (largest[2 + axis] - largest[axis]) * 0.05 + 8
        assert abs(centre[axis] - wanted[axis]) <= limit


@pytest.mark.parametrize("size", list(SocialSize))
def test_text_drawn_through_a_palette_is_the_text_blended_through_its_mask(photos, size, monkeypatch):
    """The text panel draws text on its plain background through a palette (social_text's fast
    path): every pixel is the one Pillow's blending of the colour through the mask gives."""
    card = hero(photos, visual=Visual(primary="#7A1F5C", accent="#F2C14E"))
    render_social._text_panel.cache_clear()
    fast = render_social._compose(card, size)
    blend = social_text._paste_text

    def blended(image, block, offset=(0, 0), *, background=None):
        blend(image, block, offset)

    monkeypatch.setattr(render_social, "_paste_text", blended)
    render_social._text_panel.cache_clear()
    slow = render_social._compose(card, size)
    render_social._text_panel.cache_clear()
    assert ImageChops.difference(fast, slow).getbbox() is None


def test_boxes_overlap_only_when_they_share_some_area():
    box = render_social.Box(0, 0, 10, 10)
    assert box.overlaps(render_social.Box(5, 5, 15, 15)) and box.overlaps(render_social.Box(2, 2, 3, 3))
    assert not box.overlaps(render_social.Box(10, 0, 20, 10))  # touching edges
    assert not box.overlaps(render_social.Box(20, 20, 30, 30))


@pytest.mark.parametrize("size", list(SocialSize))
def test_a_heros_texts_lie_on_the_plain_background_so_they_take_the_fast_path(photos, size, monkeypatch):
    calls = []
    paste = social_text._paste_text
    monkeypatch.setattr(
        render_social,
        "_paste_text",
        lambda *args, **kwargs: calls.append(kwargs.get("background")) or paste(*args, **kwargs),
    )
    render_social._text_panel.cache_clear()
    render_social._compose(hero(photos), size)
    render_social._text_panel.cache_clear()
    assert len(calls) == 3 and all(calls), calls  # name, role and municipality, quote


def test_the_blend_palette_matches_pillows_blending_for_every_mask_value():
    mask = Image.new("L", (256, 4))
    mask.putdata([value for _ in range(4) for value in range(256)])
    for background in ("#FFFFFF", "#000000", "#1F4E3D", "#FCC30B"):
        for colour in ("#FFFFFF", "#1A1A1A", "#E5243B"):
            expected = Image.new("RGB", (262, 8), background)
            expected.paste(colour, (3, 2, 259, 6), mask)
            palette = social_text._blend_palette(background, colour)
            tinted = mask.convert("P")
            tinted.putpalette(palette)
            got = Image.new("RGB", (262, 8), background)
            got.paste(tinted.convert("RGB"), (3, 2))
            assert ImageChops.difference(expected, got).getbbox() is None, (background, colour)


def test_without_a_photo_the_box_is_a_colour_field(photos):
    card = hero(photos, photo_path=None, display_path=None)
    image = opened(render_social.render_hero_image(card, size=SocialSize.SQUARE))
    box = LAYOUTS[SocialSize.SQUARE].photo
    corner = render_social.Box(box.x0, box.y0, box.x0 + 200, box.y0 + 200)
    assert mean(image, corner) == pytest.approx((0x1F, 0x4E, 0x3D), abs=4)  # the edition's primary colour


def test_each_source_is_decoded_once(photos, tmp_path, monkeypatch):
    path = quadrant_photo(tmp_path / "once.jpg", (1600, 2000))
    decoded = []
    original = social_images._decode
    monkeypatch.setattr(social_images, "_decode", lambda p: decoded.append(p) or original(p))
    card = hero(photos, photo_path=path, display_path=None)
    for size in SocialSize:
        render_social.render_hero_image(card, size=size)
    render_social.render_hero_image(card, size=SocialSize.SQUARE)
    assert decoded == [path]
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a new version of the file
    render_social.render_hero_image(card, size=SocialSize.SQUARE)
    assert decoded == [path, path]


def test_large_jpegs_are_decoded_at_a_reduced_scale(tmp_path):
    path = quadrant_photo(tmp_path / "large.jpg", (4000, 3000))
    decoded = social_images._decode(path)
    assert decoded.size == (2000, 1500)  # 1/2 still covers every format's photo box
    for box in (spec.photo for spec in LAYOUTS.values()):
        assert min(decoded.width / box.width, decoded.height / box.height) >= 1


def test_naive_and_fast_renders_look_the_same(photos):
    card = hero(photos, focal=(0.3, 0.4))
    fast = opened(render_social.render_hero_image(card, size=SocialSize.SQUARE))
    naive = opened(render_social.naive_hero_image(card, size=SocialSize.SQUARE))
    assert fast.size == naive.size == (1080, 1080)
    whole = render_social.Box(0, 0, 1080, 1080)
    assert mean(fast, whole) == pytest.approx(mean(naive, whole), abs=2)


def test_fonts_are_loaded_once_per_size():
    assert render_social.font(36) is render_social.font(36)
    assert render_social.font(36, True) is not render_social.font(36)


# Colour.


def test_white_text_only_where_it_reaches_a_contrast_of_4_5():
    assert render_social.ink_on("#FCC30B") == render_social.INK  # SDG 7: white would be 1.6:1
    assert render_social.ink_on("#19486A") == render_social.WHITE
    with SDG_CSV.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            colour = row["color_hex"]
            ink = render_social.ink_on(colour)
            assert contrast_ratio(ink, colour) >= 4.5, (row["number"], colour, ink)
            if ink == render_social.WHITE:
                assert contrast_ratio("#FFFFFF", colour) >= 4.5


def test_tile_text_is_dark_on_the_yellow_tile(photos):
    card = hero(photos, sdgs=(SdgBadge(7, "Betaalbare en duurzame energie", "#FCC30B"),))
    layout = render_social.hero_layout(card, size=SocialSize.SQUARE)
    image = opened(render_social.render_hero_image(card, size=SocialSize.SQUARE)).convert("L")
    box = layout.boxes["sdgs"]
    darkest, lightest = image.crop((box.x0 + 10, box.y0 + 10, box.x1 - 10, box.y1 - 10)).getextrema()
    assert darkest < 60  # near-black text
    assert lightest < 240  # and no white text


def test_a_light_primary_colour_gets_dark_text_on_the_band(photos):
    card = hero(photos, visual=Visual(primary="#A8E6CF"))
    layout = render_social.hero_layout(card, size=SocialSize.SQUARE)
    assert layout.blocks["headline"].colour == render_social.INK
    assert layout.blocks["name"].colour == render_social.INK  # the light primary would not read on paper


# Captions.


def test_caption_in_dutch_with_hashtags_and_an_alt_text(photos):
    post, alt = render_social.hero_caption(hero(photos, name="Fien Claes"))
    assert "#DuurzameGemeente" in post and "#SDGs" in post
    assert "#SDG12" in post and "#SDG7" in post and "#SDG16" in post
    assert LONGEST_MUNICIPALITY in post and LONGEST_QUOTE in post
    assert "Fien Claes" in alt and "vrijwilliger bij het Repair Café" in alt and LONGEST_MUNICIPALITY in alt
    assert LONGEST_QUOTE in alt and "SDG 12 Verantwoorde consumptie en productie" in alt
    assert alt.startswith("Foto van")


def test_caption_adds_missing_hash_signs_and_lists_each_tag_once(photos):
    visual = Visual(hashtags=("DuurzameGemeente", "#SDG12"))
    post, alt = render_social.hero_caption(hero(photos, visual=visual, photo_path=None, display_path=None))
    assert post.count("#SDG12") == 1 and "#DuurzameGemeente" in post
    assert "Foto van" not in alt


def test_the_municipality_logo_sits_on_a_chip_clear_of_the_text(photos, tmp_path):
    logo = tmp_path / "gemeente.png"
    Image.new("RGBA", (300, 120), (200, 30, 30, 255)).save(logo)
    card = hero(photos, municipality_logo_path=str(logo))
    for size in SocialSize:
        layout = render_social.hero_layout(card, size=size)
        box = layout.boxes["municipality_logo"]
        assert box.inside(layout.safe)
        for text in ("name", "meta", "quote", "headline", "dates"):
            other = layout.boxes[text]
            assert box.x1 <= other.x0 or other.x1 <= box.x0 or box.y1 <= other.y0 or other.y1 <= box.y0, text
            assert not layout.blocks[text].truncated, text
        image = opened(render_social.render_hero_image(card, size=size))
        red, green, _ = image.getpixel(((box.x0 + box.x1) // 2, (box.y0 + box.y1) // 2))
        assert red > 150 and green < 90
        assert image.getpixel((box.x0 + 3, (box.y0 + box.y1) // 2)) > (230, 230, 230)  # the white chip


def test_blank_texts_and_no_sdgs_still_render(photos):
    card = hero(photos, name="", role="", quote="", sdgs=())
    for size in SocialSize:
        layout = render_social.hero_layout(card, size=size)
        assert "sdgs" not in layout.boxes and layout.blocks["quote"].lines == ()
        assert opened(render_social.render_hero_image(card, size=size)).size == size.pixels
