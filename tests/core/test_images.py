"""The upload pipeline against a corpus of good and bad files (see image_corpus.py)."""

from __future__ import annotations

import os
import warnings
from io import BytesIO

import pytest
from PIL import Image, ImageCms, ImageStat, JpegImagePlugin

from campaign.core import media
from campaign.core.images import ImageLimits, ImageRejected, ProcessedImage, process_image, store_image
from tests.core import image_corpus as corpus

SMALL = ImageLimits(long_side=300, display_short_side=120, display_long_side=160, thumb_side=48)


def opened(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def assert_clean_jpeg(data: bytes) -> Image.Image:
    """A baseline JPEG in RGB that carries no metadata at all."""
    image = opened(data)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert not image.getexif()
    assert not {"exif", "icc_profile", "comment", "xmp", "photoshop", "adobe"} & set(image.info)
    for marker in (b"Exif\x00\x00", b"ICC_PROFILE", b"http://ns.adobe.com/xap/", b"\xff\xfe"):
        assert marker not in data
    return image


def close_to(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


# Rejections -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "reason"), [(name, reason) for name, (_, reason) in corpus.BAD.items()])
def test_bad_files_are_rejected_with_a_reason_and_a_message(name, reason):
    build, _ = corpus.BAD[name]
    with pytest.raises(ImageRejected) as caught:
        process_image(build())

    assert caught.value.reason == reason
    assert str(caught.value).strip()


def test_a_file_over_the_byte_limit_is_rejected_before_it_is_opened():
    limits = ImageLimits(max_bytes=3 * 1024 * 1024)
    with pytest.raises(ImageRejected) as caught:
        process_image(corpus.too_large(limits.max_bytes), limits=limits)

    assert caught.value.reason == "too_large"
    assert "3 MB" in str(caught.value)


def test_a_file_at_the_byte_limit_is_accepted():
    data = corpus.jpeg_photo((64, 48))
    assert process_image(data, limits=ImageLimits(max_bytes=len(data))).width == 64


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (7000, 7000),  # above our 40 million, below Pillow's own warning
        (20000, 20000),  # above twice Pillow's limit: Pillow raises DecompressionBombError itself
    ],
)
def test_too_many_pixels_are_refused_before_decoding(width, height):
    with pytest.raises(ImageRejected) as caught:
        process_image(corpus.bomb_png(width, height, full=False))
    assert caught.value.reason == "too_many_pixels"


def test_pillows_bomb_warning_is_an_error_whatever_the_warning_filters_say():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ImageRejected) as caught:
            process_image(corpus.bomb_png(), limits=ImageLimits(max_pixels=10**9))
    assert caught.value.reason == "too_many_pixels"
    assert isinstance(caught.value.__cause__, Image.DecompressionBombWarning)


def test_the_pixel_limit_is_the_callers():
    with pytest.raises(ImageRejected) as caught:
        process_image(corpus.jpeg_photo((640, 480)), limits=ImageLimits(max_pixels=640 * 480 - 1))
    assert caught.value.reason == "too_many_pixels"


def test_a_png_with_a_broken_checksum_is_damaged():
    data = bytearray(corpus.png_alpha())
    data[-20] ^= 0xFF  # inside the last IDAT chunk
    with pytest.raises(ImageRejected) as caught:
        process_image(bytes(data))
    assert caught.value.reason == "damaged"


def test_messages_are_lazy_and_translatable():
    with pytest.raises(ImageRejected) as caught:
        process_image(corpus.svg_as_jpg())
    assert str(caught.value) == "Choose a JPEG, PNG or WebP photo."
    assert not isinstance(caught.value.message, str)  # a LazyString, resolved per request


# Good files -------------------------------------------------------------------------


@pytest.mark.parametrize("name", corpus.GOOD)
def test_good_files_come_out_as_clean_rgb_jpegs(name):
    processed = process_image(corpus.GOOD[name]())

    original = assert_clean_jpeg(processed.original)
    assert original.size == (processed.width, processed.height)
    assert_clean_jpeg(processed.display)
    assert_clean_jpeg(processed.thumb)
    assert processed.sha256 == media.sha256_hex(processed.original)


def test_gps_camera_xmp_and_comment_are_gone():
    processed = process_image(corpus.jpeg_with_gps())

    for data in (processed.original, processed.display, processed.thumb):
        assert not opened(data).getexif().get_ifd(corpus.EXIF_GPS_IFD)
        for secret in (b"SpyCam", b"Secret Person", b"secret comment"):
            assert secret not in data


def test_exif_orientation_is_applied():
    processed = process_image(corpus.jpeg_rotated())

    assert (processed.width, processed.height) == (100, 200)
    image = opened(processed.original)
    assert close_to(image.getpixel((50, 20)), corpus.RED)  # the left half is now on top
    assert close_to(image.getpixel((50, 180)), corpus.BLUE)


def test_a_16_bit_gradient_is_scaled_not_clipped_to_white():
    image = opened(process_image(corpus.png_16bit_gray()).original)

    assert 100 < ImageStat.Stat(image.convert("L")).mean[0] < 155
    assert max(image.getpixel((2, 8))) < 20
    assert min(image.getpixel((253, 8))) > 235


@pytest.mark.parametrize(
    "icc_profile",
    [None, ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(), b"not a profile"],
    ids=["plain", "mismatched-profile", "garbage-profile"],
)
def test_cmyk_comes_out_rgb_with_plausible_colours(icc_profile):
    image = opened(process_image(corpus.jpeg_cmyk(icc_profile)).original)
    red, green, blue = image.getpixel((60, 40))
    assert red > 200
    assert green < 60
    assert blue < 60


def test_an_rgb_profile_is_converted_to_srgb():
    image = opened(process_image(corpus.png_with_icc(corpus.swapped_icc_profile(), (255, 0, 0))).original)
    red, _green, blue = image.getpixel((20, 20))
    assert blue > 180
    assert red < 60


@pytest.mark.parametrize(
    "icc_profile",
    [ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(), b"\x00" * 200],
    ids=["srgb", "garbage"],
)
def test_an_srgb_or_unusable_profile_leaves_colours_alone(icc_profile):
    image = opened(process_image(corpus.png_with_icc(icc_profile)).original)
    assert close_to(image.getpixel((20, 20)), corpus.RED, tolerance=8)


@pytest.mark.parametrize("build", [corpus.png_alpha, corpus.png_palette_transparent])
def test_transparency_is_laid_on_white(build):
    image = opened(process_image(build()).original)
    assert close_to(image.getpixel((10, 10)), corpus.RED)
    assert close_to(image.getpixel((image.width - 10, 10)), (255, 255, 255), tolerance=8)


def test_a_multi_picture_jpeg_is_a_still_photo_of_its_first_picture():
    processed = process_image(corpus.mpo_pair())
    assert (processed.width, processed.height) == (80, 60)
    assert close_to(opened(processed.original).getpixel((40, 30)), corpus.RED)


def test_data_after_the_jpeg_is_not_kept():
    processed = process_image(corpus.jpeg_with_trailer())
    assert b"<script" not in processed.original


def test_sizes_follow_the_limits():
    processed = process_image(corpus.jpeg_photo((640, 480)), limits=SMALL)

    assert (processed.width, processed.height) == (300, 225)
    # The display derivative: the short side at most 120, the long side at most 160.
    assert opened(processed.display).size == processed.display_size == (160, 120)
    assert opened(processed.thumb).size == processed.thumb_size == (48, 36)


@pytest.mark.parametrize(
    ("size", "display"),
    [
        ((2000, 2500), (1080, 1350)),  # a portrait: exactly as wide as the social formats
        ((3000, 2000), (1620, 1080)),
        ((4000, 1000), (1920, 480)),  # a panorama: the long side is capped
        ((900, 1200), (900, 1200)),  # never enlarged
    ],
)
def test_the_display_derivative_is_as_wide_as_the_social_formats(size, display):
    assert process_image(corpus.jpeg_photo(size)).display_size == display


def test_a_large_jpeg_is_decoded_in_draft_mode_and_still_fills_the_long_side(monkeypatch):
    drafts = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(image, mode, size):
        drafts.append(draft(image, mode, size))
        return drafts[-1]

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    processed = process_image(corpus.jpeg_photo((2400, 800)), limits=SMALL)

    assert drafts == [("RGB", (0, 0, 300, 100))]  # libjpeg decoded at 1/8 scale
    assert (processed.width, processed.height) == (300, 100)


def test_small_images_are_not_enlarged_and_share_their_bytes():
    processed = process_image(corpus.jpeg_photo((100, 40)), limits=SMALL)

    assert (processed.width, processed.height) == (100, 40)
    assert processed.display == processed.original
    assert processed.thumb_size == (48, 19)


def test_the_digest_is_stable():
    data = corpus.jpeg_photo((400, 300))
    assert process_image(data, limits=SMALL).sha256 == process_image(data, limits=SMALL).sha256


# Storage ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def processed() -> ProcessedImage:
    return process_image(corpus.jpeg_photo((640, 480)), limits=SMALL)


def test_store_image_is_content_addressed(tmp_path, processed):
    stored = store_image(tmp_path, processed)

    digest = processed.sha256
    assert stored.path == f"images/{digest[:2]}/{digest[2:4]}/{digest}.jpg"
    assert stored.display_path == f"images/{digest[:2]}/{digest[2:4]}/{digest}-160.jpg"
    assert stored.thumb_path == f"images/{digest[:2]}/{digest[2:4]}/{digest}-48.jpg"
    assert (tmp_path / stored.path).read_bytes() == processed.original
    assert (tmp_path / stored.display_path).read_bytes() == processed.display
    assert (tmp_path / stored.thumb_path).read_bytes() == processed.thumb
    assert (stored.width, stored.height, stored.size) == (300, 225, len(processed.original))
    assert sorted(os.listdir((tmp_path / stored.path).parent)) == [
        f"{digest}-160.jpg",
        f"{digest}-48.jpg",
        f"{digest}.jpg",
    ]


def test_storing_the_same_image_twice_writes_nothing_new(tmp_path, processed):
    first = store_image(tmp_path, processed)
    inodes = {path: (tmp_path / path).stat().st_ino for path in (first.path, first.display_path, first.thumb_path)}

    second = store_image(tmp_path, process_image(corpus.jpeg_photo((640, 480)), limits=SMALL))

    assert second == first
    assert {path: (tmp_path / path).stat().st_ino for path in inodes} == inodes


def test_truncated_uploads_stay_rejected_after_weasyprint_is_loaded():
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES when imported; the pipeline must not care."""
    from PIL import ImageFile

    import campaign.kits.render_print  # noqa: F401 - imports WeasyPrint

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint leaves it
    with pytest.raises(ImageRejected) as caught:
        process_image(corpus.truncated_jpeg())
    assert caught.value.reason == "damaged"
