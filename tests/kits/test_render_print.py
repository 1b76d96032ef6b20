"""Print posters: page boxes, PDF/X-4, embedded fonts, text that fits, focal point, fetching."""

from __future__ import annotations

import dataclasses
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest
from PIL import Image, ImageDraw

from campaign.kits import print_layout, render_print
from campaign.kits.cards import BLEED_MM, SAFE_MM, HeroCard, MunicipalityCard, PosterSize, SdgBadge, Visual
from campaign.kits.render_print import AssetFetcher, PrintRenderer, contrast, ink_on, poster_layout

MM = 72 / 25.4  # PDF points per millimetre
LONGEST_MUNICIPALITY = "Beveren-Kruibeke-Zwijndrecht"
LONGEST_QUOTE = (
    "Ik geloof in een gemeente waar iedereen meedoet: jong en oud, nieuwkomer én geboren Vlaming. "
    "Geïnspireerd door de SDG's zetten we samen één stap per dag naar een eerlijkere wereld."
)
SDGS = (
    SdgBadge(7, "Betaalbare en duurzame energie", "#FCC30B"),
    SdgBadge(13, "Klimaatactie", "#3F7E44"),
    SdgBadge(11, "Duurzame steden en gemeenschappen", "#FD9D24"),
)
TEXT_KEYS = {
    "hero": ("kicker", "name", "role", "municipality", "quote", "sdgs", "band-municipality", "band-edition"),
    "participation": ("title", "municipality", "headline", "dates", "sdgs", "band-municipality", "band-edition"),
}


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("media")
    image = Image.new("RGB", (2000, 2500), "#6A8CAF")
    draw = ImageDraw.Draw(image)
    draw.ellipse((1300, 300, 1700, 700), fill="#E33B2E")
    (root / "images").mkdir()
    image.save(root / "images" / "photo.jpg", quality=85)
    logo = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rectangle((20, 20, 280, 180), fill=(31, 78, 61, 255))
    logo.save(root / "images" / "logo.png")
    return root


@pytest.fixture(scope="module")
def renderer(media_root: Path) -> PrintRenderer:
    return PrintRenderer(media_root=media_root)


@pytest.fixture(autouse=True)
def _default_renderer(renderer: PrintRenderer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The module-level functions use this module's renderer, so that they serve its media root."""
    monkeypatch.setattr(render_print, "_DEFAULT", renderer)


@pytest.fixture
def hero(media_root: Path) -> HeroCard:
    return HeroCard(
        name="Marie-Josée Vandenbroucke",
        role="Vrijwilliger bij het Repair Café",
        quote=LONGEST_QUOTE,
        municipality=LONGEST_MUNICIPALITY,
        sdgs=SDGS,
        visual=Visual(),
        photo_path=str(media_root / "images" / "photo.jpg"),
        focal=(0.75, 0.2),
        municipality_logo_path=str(media_root / "images" / "logo.png"),
        photo_credit="Jan Peeters",
    )


@pytest.fixture
def municipality() -> MunicipalityCard:
    return MunicipalityCard(municipality=LONGEST_MUNICIPALITY, visual=Visual(), focus_sdgs=SDGS)


def reader(pdf: bytes) -> pypdf.PdfReader:
    assert pdf.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(pdf))


def inside(box: tuple[float, float, float, float], area: tuple[float, float, float, float], slack=0.01) -> bool:
    x, y, width, height = box
    left, top, area_width, area_height = area
    return (
        x >= left - slack
        and y >= top - slack
        and x + width <= left + area_width + slack
        and y + height <= top + area_height + slack
    )


def fonts_of(resources) -> Iterator[pypdf.generic.DictionaryObject]:
    """Every font dictionary reachable from ``resources``, including those of form XObjects."""
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from fonts_of(xobject.get("/Resources"))


def render(kind: str, card, size: PosterSize) -> bytes:
    if kind == "hero":
        return render_print.render_hero_poster(card, size=size)
    return render_print.render_participation_poster(card, size=size)


@pytest.mark.parametrize("size", list(PosterSize))
@pytest.mark.parametrize("kind", ["hero", "participation"])
def test_poster_is_pdf_x4_with_bleed_marks_and_embedded_fonts(kind, size, hero, municipality):
    pdf = reader(render(kind, hero if kind == "hero" else municipality, size))
    assert len(pdf.pages) == 1
    page = pdf.pages[0]
    trim_width, trim_height = (value * MM for value in size.trim_mm)
    bleed = BLEED_MM * MM

    # The TrimBox is exactly A3 or A4; the MediaBox is the trim plus 2 × 3 mm; the BleedBox is
    # the trim plus 3 mm on every side (so here it equals the MediaBox).
    trim, media, bleed_box = page.trimbox, page.mediabox, page.bleedbox
    assert float(trim.width) == pytest.approx(trim_width, abs=0.5)
    assert float(trim.height) == pytest.approx(trim_height, abs=0.5)
    assert float(media.width) == pytest.approx(trim_width + 2 * bleed, abs=0.01)
    assert float(media.height) == pytest.approx(trim_height + 2 * bleed, abs=0.01)
    for side in ("left", "bottom"):
        assert float(getattr(trim, side)) - float(getattr(media, side)) == pytest.approx(bleed, abs=0.01)
        assert float(getattr(trim, side)) - float(getattr(bleed_box, side)) == pytest.approx(bleed, abs=0.01)
    for side in ("right", "top"):
        assert float(getattr(media, side)) - float(getattr(trim, side)) == pytest.approx(bleed, abs=0.01)
        assert float(getattr(bleed_box, side)) - float(getattr(trim, side)) == pytest.approx(bleed, abs=0.01)

    intents = pdf.trailer["/Root"]["/OutputIntents"]
    assert [intent.get_object()["/S"] for intent in intents] == ["/GTS_PDFX"]
    assert "/DestOutputProfile" in intents[0].get_object()

    fonts = list(fonts_of(page["/Resources"]))
    assert fonts
    for font in fonts:
        assert "+Atkinson-Hyperlegible" in font["/BaseFont"]  # only the shipped family
        described = [descendant.get_object() for descendant in font.get("/DescendantFonts", [])] or [font]
        for dictionary in described:
            descriptor = dictionary["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]

    text = " ".join(page.extract_text().split())
    if kind == "hero":
        assert "DUURZAME HELD" in text  # text-transform: uppercase
        assert "Vandenbroucke" in text
        assert "één stap per dag" in text
    else:
        assert "Wij doen mee!" in text
        assert "ONZE FOCUS" in text  # text-transform: uppercase
    assert "Week van de Duurzame Gemeente" in text


def stroked_segments(operations) -> list[tuple[str, float, tuple[float, float, float, float]]]:
    """(stroke colour, line width, segment) for every straight line that ``operations`` stroke."""
    colour, width, path, segments, point = "", 1.0, [], [], None
    for operands, operator in operations:
        values = [float(value) for value in operands if isinstance(value, int | float | pypdf.generic.FloatObject)]
        if operator == b"RG":
            colour = " ".join(f"{value:g}" for value in values)
        elif operator == b"w":
            width = values[0]
        elif operator == b"m":
            point = tuple(values)
        elif operator == b"l":
            path.append((*point, *values))
            point = tuple(values)
        elif operator == b"S":
            segments += [(colour, width, tuple(round(v, 1) + 0.0 for v in segment)) for segment in path]
            path = []
    return segments


@pytest.mark.parametrize("size", list(PosterSize))
@pytest.mark.parametrize("kind", ["hero", "participation"])
def test_crop_marks_are_drawn_last_in_the_outer_half_of_the_bleed(kind, size, hero, municipality):
    pdf = reader(render(kind, hero if kind == "hero" else municipality, size))
    page = pdf.pages[0]
    operations = pypdf.generic.ContentStream(page.get_contents(), pdf).operations
    # The page's own drawing is one q … Q group and the marks another after it: they are drawn in
    # the page's default space and on top of everything, including the backgrounds in the bleed.
    groups, depth = [], 0
    for index, (_, operator) in enumerate(operations):
        if operator == b"q":
            if depth == 0:
                groups.append(index)
            depth += 1
        elif operator == b"Q":
            depth -= 1
        else:
            assert depth > 0, "nothing is drawn outside a q … Q group"
    assert depth == 0 and len(groups) == 2
    marks = operations[groups[-1] :]
    assert not any(op in (b"Tj", b"TJ", b"Do", b"f") for _, op in marks)

    trim = page.trimbox
    left, bottom, right, top = (float(v) for v in (trim.left, trim.bottom, trim.right, trim.top))
    half, bleed = BLEED_MM * MM / 2, BLEED_MM * MM
    expected = set()
    for x, out_x in ((left, -1), (right, 1)):
        for y, out_y in ((bottom, -1), (top, 1)):
            expected.add((x + out_x * half, y, x + out_x * bleed, y))
            expected.add((x, y + out_y * half, x, y + out_y * bleed))
    expected = {tuple(round(v, 1) + 0.0 for v in segment) for segment in expected}  # 0.1 pt = 0.04 mm
    segments = stroked_segments(marks)
    black = {segment for colour, width, segment in segments if colour == "0 0 0" and width == pytest.approx(0.25)}
    halo = {segment for colour, width, segment in segments if colour == "1 1 1" and width >= 0.9}
    assert len(expected) == 8
    assert black == expected  # 8 hairlines, one per trim edge at each corner
    assert halo == expected  # each on a white halo, so it shows on any background
    media = page.mediabox
    for x0, y0, x1, y1 in black:  # every mark lies in the bleed, outside the trim
        assert float(media.left) - 0.1 <= min(x0, x1) and max(x0, x1) <= float(media.right) + 0.1
        assert float(media.bottom) - 0.1 <= min(y0, y1) and max(y0, y1) <= float(media.top) + 0.1
        assert not (left < (x0 + x1) / 2 < right and bottom < (y0 + y1) / 2 < top)


@pytest.mark.parametrize("size", list(PosterSize))
def test_longest_name_and_quote_stay_inside_the_safe_area(size, hero):
    layout = poster_layout(hero, size=size)
    width, height = size.trim_mm
    assert layout["safe"] == (SAFE_MM, SAFE_MM, width - 2 * SAFE_MM, height - 2 * SAFE_MM)
    for key in TEXT_KEYS["hero"]:
        assert inside(layout[key], layout["safe"]), (key, layout[key])
    # Nothing overflows into the next block.
    assert layout["quote"][1] + layout["quote"][3] <= layout["band"][1]
    assert layout["name"][0] + layout["name"][2] <= layout["sdgs"][0]
    assert layout["name"][1] + layout["name"][3] <= layout["role"][1] + 0.01
    # Backgrounds run 3 mm into the bleed: the photo at the top and sides, the band at the bottom.
    photo, band = layout["photo-field"], layout["band"]
    assert photo[:3] == pytest.approx((-BLEED_MM, -BLEED_MM, width + 2 * BLEED_MM), abs=0.01)
    assert 0.55 <= (photo[1] + photo[3]) / height <= 0.60
    assert band[0] == pytest.approx(-BLEED_MM, abs=0.01)
    assert band[0] + band[2] == pytest.approx(width + BLEED_MM, abs=0.01)
    assert band[1] + band[3] == pytest.approx(height + BLEED_MM, abs=0.05)


@pytest.mark.parametrize("size", list(PosterSize))
def test_long_unbreakable_name_stays_inside_the_safe_area(size, hero):
    card = dataclasses.replace(hero, name="Wolfgang Vandenbroucke-Vanderstraetenmeersschaert", role="Schepen " * 12)
    layout = poster_layout(card, size=size)
    for key in TEXT_KEYS["hero"]:
        assert inside(layout[key], layout["safe"]), (key, layout[key])
    assert layout["quote"][1] + layout["quote"][3] <= layout["band"][1]


@pytest.mark.parametrize("size", list(PosterSize))
def test_participation_poster_fits_the_longest_municipality(size, municipality):
    layout = poster_layout(municipality, size=size)
    for key in TEXT_KEYS["participation"]:
        assert inside(layout[key], layout["safe"]), (key, layout[key])
    assert layout["municipality"][1] + layout["municipality"][3] <= layout["field"][1] + layout["field"][3]
    assert layout["sdgs"][1] + layout["sdgs"][3] <= layout["band"][1]
    assert layout["field"][:2] == pytest.approx((-BLEED_MM, -BLEED_MM), abs=0.01)


def test_focal_point_moves_the_crop(renderer, hero):
    top_left = renderer.layout(dataclasses.replace(hero, focal=(0.0, 0.0)), size=PosterSize.A3)
    bottom_right = renderer.layout(dataclasses.replace(hero, focal=(1.0, 1.0)), size=PosterSize.A3)
    photo = top_left["photo"]
    assert top_left["photo"] == bottom_right["photo"]

    # object-fit: cover makes the 4:5 photo as wide as its box (which runs on into the master
    # layout's wider bleed, past the page) and taller than it; the focal point at the top shows
    # the top of the photo.
    x, y, width, height = top_left["photo_image"]
    assert x < photo[0] and x + width > photo[0] + photo[2]
    assert y == pytest.approx(x, abs=0.01)
    assert height > photo[3] + 50
    # The focal point at the bottom shows the bottom of the photo instead.
    x, y, width, height = bottom_right["photo_image"]
    assert y + height == pytest.approx(photo[1] + photo[3], abs=0.01)

    html = renderer.hero_html(dataclasses.replace(hero, focal=(0.25, 0.8)))
    assert "object-position: 25.0% 80.0%" in html


def test_hero_without_photo_gets_a_colour_field(renderer, hero):
    card = dataclasses.replace(hero, photo_path=None, photo_credit="Jan Peeters", name="An", quote="Samen!")
    html = renderer.hero_html(card)
    assert 'id="photo"' not in html
    assert 'class="disc"' in html
    assert "Foto:" not in html
    layout = renderer.layout(card, size=PosterSize.A4)
    assert "photo_image" not in layout
    assert layout["photo-field"][:2] == pytest.approx((-BLEED_MM, -BLEED_MM), abs=0.01)
    assert reader(renderer.hero_poster(card, size=PosterSize.A4)).pages[0].extract_text().count("Samen!") == 1


def test_card_text_is_escaped_and_colours_are_checked(renderer, hero):
    visual = Visual(primary="red; } html { display: none", accent="#zzzzzz", headline="Week <b>& co</b>")
    card = dataclasses.replace(hero, name="A & B <script>", visual=visual)
    html = renderer.hero_html(card)
    assert "A &amp; B &lt;script&gt;" in html
    assert "Week &lt;b&gt;&amp; co&lt;/b&gt;" in html
    assert "display: none" not in html
    assert f"--primary: {Visual().primary}" in html


def test_text_that_xml_does_not_allow_is_left_out(renderer, hero):
    """The templates are parsed as XML for speed; a pasted control character is left out."""
    card = dataclasses.replace(hero, name="Fien\x0bClaes", quote="Samen \x01sterk & <duurzaam>\ufffe")
    page = reader(renderer.hero_poster(card, size=PosterSize.A4)).pages[0]
    text = " ".join(page.extract_text().split())
    assert "Samen sterk & <duurzaam>" in text
    assert "FienClaes" in text


def test_sdg_tiles_use_white_only_where_it_contrasts(renderer, hero):
    assert ink_on("#FCC30B") == "#000000"  # SDG 7, yellow
    assert ink_on("#3F7E44") == "#FFFFFF"  # SDG 13, green
    html = renderer.hero_html(hero)
    for sdg in SDGS:
        ink = ink_on(sdg.colour)
        assert f"background-color: {sdg.colour}; color: {ink}" in html
        assert contrast(ink, sdg.colour) >= 4.5


def test_fetcher_serves_only_assets_media_and_data(renderer, media_root, tmp_path):
    fetcher = AssetFetcher([render_print.ASSET_ROOT, media_root])
    assert fetcher.fetch((media_root / "images" / "photo.jpg").as_uri()).read()[:2] == b"\xff\xd8"
    assert fetcher.fetch((render_print.ASSET_ROOT / render_print.CAMPAIGN_LOGO).as_uri()).read()[:4] == b"\x89PNG"
    assert fetcher.fetch("data:text/plain,hallo").read() == b"hallo"

    outside = tmp_path / "secret.jpg"
    outside.write_bytes(b"secret")
    escape = media_root / "escape.jpg"
    escape.symlink_to(outside)
    for url in (
        "http://example.com/photo.jpg",
        "https://example.com/photo.jpg",
        "ftp://example.com/photo.jpg",
        "file:///etc/passwd",
        outside.as_uri(),
        escape.as_uri(),  # a link inside the media root to a file outside it
        (media_root / ".." / "secret.jpg").as_uri(),
        "file://otherhost/" + str(media_root / "images" / "photo.jpg"),
        "memory:logo-unknown.jpg",
    ):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)


@pytest.mark.parametrize("path", ["/etc/passwd", "http://example.com/photo.jpg"])
def test_render_skips_photos_and_logos_outside_the_roots(renderer, hero, path, monkeypatch, caplog):
    read: list[Path] = []
    original = AssetFetcher.read
    monkeypatch.setattr(AssetFetcher, "read", lambda self, target: read.append(target) or original(self, target))
    card = dataclasses.replace(hero, photo_path=path, visual=Visual(logo_path=path), municipality_logo_path=path)
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = renderer.hero_poster(card, size=PosterSize.A4)
    assert reader(pdf).pages[0].extract_text()
    assert all("passwd" not in str(target) for target in read)
    refusals = [record.getMessage() for record in caplog.records if "Refused to fetch" in record.getMessage()]
    assert refusals  # WeasyPrint logged the fetcher's ValueError and left the image out
    # The photo box falls back to its colour field.
    assert "photo_image" not in renderer.layout(card, size=PosterSize.A4)


def test_use_media_root_sets_the_default_renderer(renderer, media_root, monkeypatch):
    monkeypatch.setattr(render_print, "_DEFAULT", None)
    render_print.use_media_root(media_root)
    configured = render_print._DEFAULT
    assert configured is not renderer
    assert configured.media_root == media_root.resolve()
    render_print.use_media_root(str(media_root))
    assert render_print._DEFAULT is configured  # same root: the renderer and its caches stay


def test_naive_render_gives_an_equivalent_pdf(hero):
    fast = reader(render_print.render_hero_poster(hero, size=PosterSize.A3)).pages[0]
    naive = reader(render_print.naive_hero_poster(hero, size=PosterSize.A3)).pages[0]
    assert naive.extract_text() == fast.extract_text()
    for box in ("mediabox", "trimbox", "bleedbox"):
        assert list(getattr(naive, box)) == list(getattr(fast, box))
    assert sorted(font["/BaseFont"][7:] for font in fonts_of(naive["/Resources"])) == sorted(
        font["/BaseFont"][7:] for font in fonts_of(fast["/Resources"])
    )


def test_text_fitting_shrinks_long_text():
    long = print_layout.fit_size(
        LONGEST_QUOTE, bold=False, width=190, height=45, largest=14, smallest=4, line_height=1.22
    )
    short = print_layout.fit_size("Samen!", bold=False, width=190, height=45, largest=14, smallest=4, line_height=1.22)
    assert short == 14
    assert 4 < long < 10
    lines = print_layout.count_lines(LONGEST_QUOTE, bold=False, size=long, width=190)
    assert lines * long * 1.22 <= 45


def _objects(pdf: bytes) -> list:
    """Every object of a PDF, as pypdf reads it: all but the Info dictionary and the XMP metadata
    (times and random ids) and the containers (the object stream and the cross-reference stream,
    which hold the identifier; their objects are compared one by one)."""

    def text(value) -> str:  # without pypdf's reader ids in its references
        return re.sub(r"IndirectObject\((\d+), (\d+), \d+\)", r"\1 \2 R", str(value))

    document = reader(pdf)
    found = []
    for number in range(1, document.trailer["/Size"]):
        try:
            value = document.get_object(number)
        except Exception:  # the object stream and the cross-reference stream themselves
            continue
        if isinstance(value, pypdf.generic.StreamObject):
            if value.get("/Type") in ("/Metadata", "/XRef", "/ObjStm"):
                continue
            found.append((number, {k: text(v) for k, v in value.items() if k != "/Length"}, value.get_data()))
        elif isinstance(value, pypdf.generic.DictionaryObject) and "/CreationDate" in value:
            continue
        else:
            found.append((number, text(value)))
    return found


def test_serialising_each_pdf_object_once_changes_nothing_in_the_file(renderer, hero, monkeypatch):
    """The finisher makes pydyf serialise each object once (it did it twice for PDF/X's file
    identifier): every object of the file is the same (the identifier and timestamps apart)."""
    ours = renderer.hero_poster(hero, size=PosterSize.A4)
    monkeypatch.setattr(render_print, "_serialised_once", lambda cls: cls)
    renderer._last = None  # lay the poster out again
    theirs = renderer.hero_poster(hero, size=PosterSize.A4)
    assert reader(ours).trailer.get("/ID")  # PDF/X's identifier is there
    mine, reference = _objects(ours), _objects(theirs)
    assert len(mine) > 10 and mine == reference


@pytest.mark.parametrize("kind", ["hero", "participation"])
def test_a_posters_other_size_written_from_its_painted_page_is_the_file_painted_on_its_own(
    kind, media_root, hero, municipality
):
    """A poster's second size is written from the objects painted for its first: each file has
    every object a renderer that paints only that size writes, and its own identifier."""
    card = hero if kind == "hero" else municipality

    def poster(renderer: PrintRenderer, size: PosterSize) -> bytes:
        make = renderer.hero_poster if kind == "hero" else renderer.participation_poster
        return make(card, size=size)

    both = PrintRenderer(media_root=media_root)
    first = {size: poster(both, size) for size in (PosterSize.A3, PosterSize.A4, PosterSize.A3)}
    again = poster(both, PosterSize.A3)  # the same size twice from the same objects
    painted = {size: poster(PrintRenderer(media_root=media_root), size) for size in (PosterSize.A4, PosterSize.A3)}
    for size in (PosterSize.A3, PosterSize.A4):
        assert len(_objects(first[size])) > 10
        assert _objects(first[size]) == _objects(painted[size]), size
        page = reader(first[size]).pages[0]
        width, height = size.trim_mm
        assert [round(float(v) / MM, 2) for v in page.trimbox] == [0, 0, width, height]
    assert _objects(again) == _objects(first[PosterSize.A3])
    identifiers = {reader(pdf).trailer["/ID"][0] for pdf in (first[PosterSize.A3], first[PosterSize.A4])}
    assert len(identifiers) == 2


def _without_destinations(objects: list) -> list:
    """``_objects`` with the catalog's named destinations (one for every element id) left out."""
    return [re.sub(r"'/Names': \{'/Dests': .*?\]\]\}\}, ", "", str(entry)) for entry in objects]


def _destinations(pdf: bytes) -> set[str]:
    return set(reader(pdf).named_destinations)


@pytest.mark.parametrize("size", list(PosterSize))
@pytest.mark.parametrize("kind", ["hero", "participation"])
def test_a_posters_band_laid_out_on_its_own_and_grafted_makes_the_poster_laid_out_whole(
    kind, size, media_root, hero, municipality
):
    """The bottom band is laid out once and put on each page laid out without it: every object
    of the file is the one of the poster laid out whole, the same boxes are where they were;
    only the band's element ids have no PDF destinations."""
    card = hero if kind == "hero" else municipality
    grafted, whole = PrintRenderer(media_root=media_root), PrintRenderer(media_root=media_root)
    whole.reuse_bands = False
    make = {renderer: renderer.hero_poster if kind == "hero" else renderer.participation_poster
            for renderer in (grafted, whole)}  # fmt: skip
    ours, theirs = make[grafted](card, size=size), make[whole](card, size=size)

    mine, reference = _objects(ours), _objects(theirs)
    assert len(mine) > 10 and _without_destinations(mine) == _without_destinations(reference)
    html = grafted.hero_html(card) if kind == "hero" else grafted.participation_html(card)
    band_ids = {e.get("id") for e in ElementTree.fromstring(html).find(".//div[@id='band']").iter() if e.get("id")}
    assert {"band", "band-municipality", "band-edition", "campaign-logo"} <= band_ids
    assert _destinations(ours) == _destinations(theirs) - band_ids
    assert grafted.layout(card, size=size) == whole.layout(card, size=size)


def test_a_municipalitys_posters_share_one_laid_out_band(media_root, hero, municipality, monkeypatch):
    renderer = PrintRenderer(media_root=media_root)
    layouts = []
    layout = renderer._layout
    monkeypatch.setattr(renderer, "_layout", lambda html: layouts.append(html) or layout(html))
    for name in ("An", "Bram", "Chloé"):
        renderer.hero_poster(dataclasses.replace(hero, name=name), size=PosterSize.A3)
    assert len(layouts) == 4  # three posters, one band
    renderer.participation_poster(municipality, size=PosterSize.A3)  # its band holds the hashtags
    renderer.hero_poster(dataclasses.replace(hero, name="Dirk", municipality="Gent"), size=PosterSize.A3)
    assert len(layouts) == 8
    assert len(renderer._bands) == 3


def test_a_laid_out_band_is_laid_out_again_once_the_image_cache_is_emptied(media_root, hero, monkeypatch):
    """WeasyPrint keeps an image's data in the renderer's image cache, which is emptied past
    IMAGE_CACHE_ENTRIES images: the bands laid out before go with it."""
    monkeypatch.setattr(render_print, "IMAGE_CACHE_ENTRIES", 1)
    other = media_root / "images" / "other.jpg"
    Image.new("RGB", (1600, 2000), "#A3C293").save(other, quality=85)
    renderer = PrintRenderer(media_root=media_root)
    posters = [
        renderer.hero_poster(dataclasses.replace(hero, name=name, photo_path=str(path)), size=PosterSize.A3)
        for name, path in (("An", hero.photo_path), ("Bram", other), ("Chloé", hero.photo_path))
    ]
    assert all(len(reader(pdf).pages) == 1 for pdf in posters)
    assert len(renderer._bands) == 1
