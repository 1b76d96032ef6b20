"""Print posters as PDF/X-4 with WeasyPrint: the hero poster and the "Wij doen mee" poster.

Renderers are pure: card data in, PDF bytes out. They run without a Flask app (a jobs worker
imports this module directly), so the templates in ``templates/print`` are loaded with a
standalone Jinja environment. The URL fetcher (``print_fetch``) serves only files under
``campaign/assets/`` and the media root, and ``data:`` URLs; it never reaches the network.

Each page is the trim size plus ``BLEED_MM`` on every side, with crop marks in the bleed.
Sizes and positions come from ``print_layout``, which fits the text in Python from the shipped
font's advance widths, so a poster needs one WeasyPrint layout pass. That one layout is made at
the master size (A3) and serves every size: each PDF draws the laid-out page scaled to its own
trim and sets its own page boxes and crop marks. A renderer keeps the last laid-out poster, so a
poster's A3 and A4 files rendered one after the other share their layout, and the page is
painted once for both (``_PosterFiles``). The bottom band (logos, municipality, edition) is laid
out once for all posters that have the same band, a municipality's heroes, and grafted onto each
page laid out without it (``_without_band``, ``_graft``): a fifth of a poster's time.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
from functools import cache, partial
from pathlib import Path
from xml.etree import ElementTree

import pydyf
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from PIL import Image, ImageFile
from weasyprint import CSS
from weasyprint.layout.replaced import replacedbox_layout
from weasyprint.text.fonts import FontConfiguration

from campaign.kits.cards import BLEED_MM, SAFE_MM, HeroCard, MunicipalityCard, PosterSize, Visual
from campaign.kits.print_fetch import DEFAULT_MEDIA_ROOT, AssetFetcher, _flatten_logo, _source
from campaign.kits.print_html import XmlHTML, printable
from campaign.kits.print_layout import (
    ASSET_ROOT,
    FONT_FILES,
    MASTER,
    MASTER_BLEED_MM,
    MASTER_SAFE_MM,
    MM_TO_PT,
    _colours,
    contrast,
    crop_marks,
    hero_geometry,
    ink_on,
    participation_geometry,
    scale,
)

# WeasyPrint's import switches Pillow to accepting truncated images, process-wide. Every
# image we print was re-encoded by our upload pipeline, so switch it back: the pipeline
# must keep rejecting truncated uploads in any process that also renders posters.
ImageFile.LOAD_TRUNCATED_IMAGES = False

TEMPLATE_DIR = ASSET_ROOT.parent / "templates" / "print"
CAMPAIGN_LOGO = "print/campaign-logo.png"
PDF_OPTIONS = {"pdf_variant": "pdf/x-4", "output_intent": "srgb"}  # sRGB: the photos and colours are sRGB
IMAGE_CACHE_ENTRIES = 16  # WeasyPrint's image cache is emptied past this many URLs
LOGO_CACHE_ENTRIES = 256  # flattened logos kept in memory
BAND_CACHE_ENTRIES = 16  # laid-out bottom bands kept: a municipality has two (heroes, "Wij doen mee")
PX_TO_MM = 25.4 / 96
MARK_HALO_PT, MARK_LINE_PT = 1.0, 0.25  # a 0.25 pt black line on a 1 pt white halo
Box = tuple[float, float, float, float]  # x, y, width, height in mm from the trim box's top-left corner

__all__ = ["AssetFetcher", "PrintRenderer", "contrast", "ink_on", "poster_layout"]


# Page size and crop marks ------------------------------------------------------------------


def _crop_marks_stream(size: PosterSize) -> bytes:
    """PDF operators that stroke the crop marks, halo first."""
    paths = " ".join(f"{x0:.3f} {y0:.3f} m {x1:.3f} {y1:.3f} l" for x0, y0, x1, y1 in crop_marks(size))
    return (f"q 0 J 1 1 1 RG {MARK_HALO_PT:g} w {paths} S 0 0 0 RG {MARK_LINE_PT:g} w {paths} S Q").encode()


def _placement(size: PosterSize) -> tuple[float, float]:
    """Scale and vertical shift (in mm, downwards) that put the master page on the trim of ``size``:
    the A sizes' aspect ratios differ by a hundredth of a millimetre, which is split evenly."""
    k = scale(size)
    return k, (size.trim_mm[1] - MASTER.trim_mm[1] * k) / 2


class _PosterFiles:
    """The files of one laid-out poster, one per size, painted once.

    The first file is written by WeasyPrint, which paints the master page into pydyf objects;
    ``_finish`` then turns that page into a page of the file's size, and each object is
    serialised once (``_serialised_once``). Every further size is written from the same objects:
    only the page dictionary and the two small streams around the page's content are set anew,
    so the page is not painted, its fonts not subset and its streams not deflated again. The
    files are the same as if each had been painted on its own, apart from the file identifier
    and the XMP DocumentID, which the sizes of a poster now share (its renditions, in XMP's
    terms); a test compares every object.

    This leans on pydyf 0.13's ``PDF.write``: it appends the Info dictionary, the object stream
    and the cross-reference stream to ``objects`` and counts ``current_position`` from zero,
    so both are put back after each file."""

    def __init__(self, document) -> None:
        self.document = document
        self.pdf: pydyf.PDF | None = None
        self.pages: list[tuple[pydyf.Dictionary, pydyf.Stream, pydyf.Stream]] = []
        self.objects = 0  # objects of the painted document, before pydyf appends its own
        self.write_args: tuple = ()  # version, identifier, compress: as WeasyPrint passed them
        self._pdf_write = None

    def write(self, size: PosterSize) -> bytes:
        if self.pdf is None:
            return self.document.write_pdf(finisher=partial(self._capture, size), **PDF_OPTIONS)
        self._finish(size)
        output = io.BytesIO()
        self._write(output, *self.write_args)
        return output.getvalue()

    def _capture(self, size: PosterSize, document, pdf: pydyf.PDF) -> None:
        """WeasyPrint's ``finisher``: the last step before pydyf writes the first file."""
        for page in [obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"]:
            before, after = pydyf.Stream(), pydyf.Stream()
            pdf.add_object(before)
            pdf.add_object(after)
            page["Contents"] = pydyf.Array([before.reference, page["Contents"], after.reference])
            self.pages.append((page, before, after))
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary | pydyf.Array | pydyf.Stream):
                obj.__class__ = _serialised_once(type(obj))
        self.pdf, self.objects = pdf, len(pdf.objects)
        self._finish(size)
        # WeasyPrint calls ``pdf.write`` next: record its arguments on the way, for the other sizes.
        self._pdf_write, pdf.write = pdf.write, self._write

    def _write(self, output, version, identifier, compress) -> None:
        self.write_args = (version, identifier, compress)
        try:
            self._pdf_write(output, version, identifier, compress)
        finally:
            del self.pdf.objects[self.objects :]
            self.pdf.current_position = 0

    def _finish(self, size: PosterSize) -> None:
        """Turn the laid-out master page into a page of ``size``.

        The page's content (drawn from the master's trim box, whose bottom-left corner is at
        (0, 0)) is scaled to the trim of ``size``; the MediaBox becomes that trim plus BLEED_MM on
        every side (the master's wider bleed falls outside it), TrimBox the trim and BleedBox the
        MediaBox. The crop marks are drawn on top, in the untransformed page space: WeasyPrint's
        own ``marks: crop`` lie under the backgrounds that run into the bleed (and go through its
        SVG renderer)."""
        k, shift = _placement(size)
        width, height = (value * MM_TO_PT for value in size.trim_mm)
        bleed = BLEED_MM * MM_TO_PT
        place = b"q" if k == 1 else f"q {k:.6f} 0 0 {k:.6f} 0 {shift * MM_TO_PT:.4f} cm".encode()
        marks = _crop_marks_stream(size)
        for page, before, after in self.pages:
            before.stream, after.stream = [place], [b"Q", marks]
            page["MediaBox"] = pydyf.Array([-bleed, -bleed, width + bleed, height + bleed])
            page["BleedBox"] = pydyf.Array([-bleed, -bleed, width + bleed, height + bleed])
            page["TrimBox"] = pydyf.Array([0, 0, width, height])
            for obj in (page, before, after):
                obj.__dict__.pop("_serialised", None)


@cache
def _serialised_once(cls: type) -> type:
    """``cls`` with its PDF serialisation (``data``) computed once per object. With a file
    identifier (PDF/X requires one) pydyf 0.13 serialises, and deflates, every object twice: once
    to write it and once more for the MD5 of the identifier; about 4 % of a poster. Safe because
    nothing changes the objects between the finisher and the end of ``pydyf.PDF.write``; the kit
    tests read every poster back with pypdf."""

    def data(self) -> bytes:
        value = self.__dict__.get("_serialised")
        if value is None:
            value = self.__dict__["_serialised"] = super(once, self).data
        return value

    once = type(cls.__name__, (cls,), {"data": property(data), "__module__": cls.__module__})
    return once


def _mm(value: float) -> str:
    return f"{value:.2f}mm"


# Rendering ---------------------------------------------------------------------------------


@cache
def _poster_ua() -> CSS:
    """The user-agent stylesheet for the poster templates: the few elements they use.

    WeasyPrint's HTML5 one has some 250 lines that are matched against every element on every
    render, about 4 ms of a poster. poster.css resets margins and paddings itself, so the output
    is the same with either."""
    return CSS(
        string="html, body, div, p, h1, blockquote, ul, li { display: block }"
        " head, meta, title, style, script, [hidden] { display: none }"
    )


class _PosterHTML(XmlHTML):
    """A poster template's HTML, parsed as XML (``XmlHTML``), with ``_poster_ua`` as its
    user-agent stylesheet."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_poster_ua()]


class PrintRenderer:
    """Renders posters with one FontConfiguration, one parsed stylesheet per size, one image
    cache and one caching URL fetcher for its whole life. Make one per process (not per thread:
    WeasyPrint's font configuration is not meant to be shared between threads)."""

    def __init__(self, *, asset_root: Path | None = None, media_root: Path | str | None = None) -> None:
        self.asset_root = Path(asset_root or ASSET_ROOT).resolve()
        self.media_root = Path(media_root).resolve() if media_root else None
        roots = [self.asset_root] + ([self.media_root] if self.media_root else [])
        self.fetcher = AssetFetcher(roots, asset_root=self.asset_root)
        self.font_config = FontConfiguration()
        self.image_cache: dict = {}
        self._stylesheet: CSS | None = None
        self._last: tuple[str, _PosterFiles] | None = None  # (HTML, files) of the last poster laid out
        self._bands: dict[bytes, tuple] = {}  # laid-out bottom bands, by their page's markup
        self.reuse_bands = True  # False: lay every poster out whole (the tests compare both ways)
        self._logo_cache: dict[tuple, str] = {}
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATE_DIR),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=printable,
        )
        self._env.filters["mm"] = _mm

    # Public API

    def hero_poster(self, card: HeroCard, *, size: PosterSize = PosterSize.A3) -> bytes:
        """The hero poster as PDF/X-4 bytes: trim ``size`` plus 3 mm bleed, crop marks, fonts embedded."""
        return self._files(self.hero_html(card)).write(size)

    def participation_poster(self, card: MunicipalityCard, *, size: PosterSize = PosterSize.A3) -> bytes:
        """The "Wij doen mee" poster as PDF/X-4 bytes, with the same bleed and marks."""
        return self._files(self.participation_html(card)).write(size)

    def layout(self, card: HeroCard | MunicipalityCard, *, size: PosterSize = PosterSize.A3) -> dict[str, Box]:
        """Boxes of the laid-out poster, see ``poster_layout``."""
        html = self.hero_html(card) if isinstance(card, HeroCard) else self.participation_html(card)
        return _boxes(self._laid_out(html), size)

    def hero_html(self, card: HeroCard) -> str:
        """The HTML that the hero poster is laid out from (at the master size)."""
        return self._env.get_template("hero_poster.html").render(
            card=card,
            g=hero_geometry(card),
            bleed=MASTER_BLEED_MM,
            colours=_colours(card.visual),
            photo_url=_source(card.photo_path, self.media_root),
            logos=self._logos(card.visual, card.municipality_logo_path),
        )

    def participation_html(self, card: MunicipalityCard) -> str:
        """The HTML that the "Wij doen mee" poster is laid out from (at the master size)."""
        return self._env.get_template("participation_poster.html").render(
            card=card,
            g=participation_geometry(card),
            bleed=MASTER_BLEED_MM,
            colours=_colours(card.visual),
            logos=self._logos(card.visual, card.municipality_logo_path),
        )

    # Internals

    def _logos(self, visual: Visual, municipality_logo: str | None) -> dict[str, str | None]:
        campaign = _source(visual.logo_path, self.media_root) or (self.asset_root / CAMPAIGN_LOGO).as_uri()
        return {
            "campaign": self._logo(campaign),
            "municipality": self._logo(_source(municipality_logo, self.media_root)),
        }

    def _logo(self, url: str | None) -> str | None:
        """The logo at ``url`` flattened on white (it sits on a white chip), scaled to LOGO_PIXELS and
        served as a JPEG at a memory: URL, since WeasyPrint embeds a JPEG as it is but re-encodes a
        PNG on every render. A URL the fetcher refuses, or a file that is no image, is returned
        unchanged: the fetcher then refuses it and WeasyPrint leaves the logo out."""
        if url is None:
            return None
        try:
            path = self.fetcher.allowed_path(url)
            stat = path.stat()
        except (ValueError, OSError):
            return url
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in self._logo_cache:
            try:
                jpeg = _flatten_logo(self.fetcher.read(path))
            except (OSError, ValueError, Image.DecompressionBombError):
                return url
            if len(self._logo_cache) >= LOGO_CACHE_ENTRIES:
                self._logo_cache.clear()
                self.fetcher.forget()
            digest = hashlib.sha256(jpeg).hexdigest()[:16]
            self._logo_cache[key] = self.fetcher.register(f"logo-{digest}.jpg", jpeg, "image/jpeg")
        return self._logo_cache[key]

    def stylesheet_text(self) -> str:
        """poster.css for the master size, with the font files as URLs under the asset root."""
        width, height = MASTER.trim_mm
        return self._env.get_template("poster.css").render(
            width=width,
            height=height,
            bleed=MASTER_BLEED_MM,
            safe=MASTER_SAFE_MM,
            fonts={weight: (self.asset_root / path).as_uri() for weight, path in FONT_FILES.items()},
        )

    def _laid_out(self, html: str):
        """The WeasyPrint document of ``html``, laid out at the master size; the last one is kept."""
        return self._files(html).document

    def _files(self, html: str) -> _PosterFiles:
        """The files of the poster laid out from ``html``: those of the last poster, or a new layout.
        The bottom band is laid out on its own, once for every poster that has the same band, and
        grafted onto the page laid out without it (``_without_band``, ``_graft``)."""
        if self._last is None or self._last[0] != html:
            self._last = None  # let the previous document go before the next one is made
            if len(self.image_cache) > IMAGE_CACHE_ENTRIES:
                self.image_cache.clear()
                self._bands.clear()  # a laid-out band's logos keep their data in the image cache
            if self.reuse_bands:
                page, band = _without_band(html)
                document = self._layout(page)
                if band is not None:
                    _graft(document, self._band(band))
            else:
                document = self._layout(html)
            self._last = (html, _PosterFiles(document))
        return self._last[1]

    def _layout(self, html: str | ElementTree.Element):
        """The WeasyPrint document of ``html`` (markup or its tree), laid out at the master size."""
        if self._stylesheet is None:
            self._stylesheet = CSS(
                string=self.stylesheet_text(), url_fetcher=self.fetcher, font_config=self.font_config
            )
        return _PosterHTML(html, base_url=self.asset_root.as_uri() + "/", url_fetcher=self.fetcher).render(
            stylesheets=[self._stylesheet], font_config=self.font_config, cache=self.image_cache, **PDF_OPTIONS
        )

    def _band(self, page: ElementTree.Element) -> tuple:
        """The laid-out boxes of the band on ``page`` (a poster page holding only its band), laid
        out once for all posters with the same band: a municipality's heroes share theirs."""
        key = ElementTree.tostring(page)
        if key not in self._bands:
            if len(self._bands) >= BAND_CACHE_ENTRIES:
                self._bands.clear()
            self._bands[key] = tuple(_body(self._layout(page)).children)
        return self._bands[key]


def _without_band(markup: str) -> tuple[ElementTree.Element, ElementTree.Element | None]:
    """The tree of a poster without its bottom band (``#band``), and the tree of the same page
    holding only the band (the same root element, without the head: its title names the hero);
    None for the latter when the poster has no band."""
    root = ElementTree.fromstring(markup)  # noqa: S314 - our own templates' output (print_html)
    body = root.find("body")
    band = None if body is None else body.find("div[@id='band']")
    if band is None:
        return root, None
    body.remove(band)
    page = ElementTree.Element(root.tag, root.attrib)
    ElementTree.SubElement(page, "body", body.attrib).append(band)
    return root, page


def _body(document):
    """The body's box on the (only) page of a laid-out poster."""
    (page,) = document.pages
    (html,) = page._page_box.children
    return next(box for box in html.children if getattr(box, "element_tag", None) == "body")


def _graft(document, band: tuple) -> None:
    """Put the laid-out ``band`` on the page of ``document``, as the body's last box.

    Both were laid out on the same page size with the same stylesheet, and the band is placed
    absolutely against the page: nothing else moves it, and it moves nothing else, so its boxes
    are where a layout of the whole poster puts them, and they are painted last, as the last
    element of the body is. This leans on WeasyPrint 70's box tree (``Page._page_box`` and the
    boxes' ``children``); a test compares grafted posters with posters laid out whole, PDF object
    for object and box for box. The band's element ids get no PDF destinations (nothing links to
    them); several documents share the band's boxes, which painting only reads."""
    body = _body(document)
    body.children = [*body.children, *band]


def _boxes(document, size: PosterSize) -> dict[str, Box]:
    """Boxes by element id, each the union of the element's border box and all boxes inside it
    (cut to any ``overflow: hidden`` box around them, as drawn), in mm from the trim box's top-left
    corner once the master page is scaled to ``size``; plus "safe" and, where a photo was drawn,
    "photo_image": the rectangle the photo is drawn in before it is clipped to its box."""
    width, height = size.trim_mm
    k, shift = _placement(size)
    boxes: dict[str, list[float]] = {}
    photo_image = None
    unclipped = (-math.inf, -math.inf, math.inf, math.inf)

    def walk(box, owners: tuple[str, ...], clip: tuple[float, float, float, float]) -> None:
        nonlocal photo_image
        box = getattr(box, "_box", box)  # absolutely positioned boxes sit in placeholders
        element = getattr(box, "element", None)
        ident = element.get("id") if element is not None and getattr(box, "element_tag", None) else None
        if ident and ident not in owners:
            owners = (*owners, ident)
        x, y, w, h = box.border_box_x(), box.border_box_y(), box.border_width(), box.border_height()
        left, top = max(x, clip[0]), max(y, clip[1])
        right, bottom = min(x + w, clip[2]), min(y + h, clip[3])
        if (w > 0 or h > 0) and right >= left and bottom >= top:
            for owner in owners:
                old = boxes.get(owner, [math.inf, math.inf, -math.inf, -math.inf])
                boxes[owner] = [min(old[0], left), min(old[1], top), max(old[2], right), max(old[3], bottom)]
        if ident == "photo" and getattr(box, "replacement", None) is not None:
            draw_width, draw_height, image_x, image_y = replacedbox_layout(box)
            photo_image = (image_x, image_y, draw_width, draw_height)
        if box.style["overflow"] != "visible":
            clip = (max(x, clip[0]), max(y, clip[1]), min(x + w, clip[2]), min(y + h, clip[3]))
        for child in getattr(box, "children", ()):
            walk(child, owners, clip)

    for child in document.pages[0]._page_box.children:
        walk(child, (), unclipped)

    def placed(left: float, top: float, right: float, bottom: float, *, page: bool = True) -> Box:
        """A master rectangle in px, in mm on the page of ``size``; cut to that page if ``page``."""
        left, right = left * PX_TO_MM * k, right * PX_TO_MM * k
        top, bottom = top * PX_TO_MM * k + shift, bottom * PX_TO_MM * k + shift
        if page:  # the master's wider bleed falls outside the page
            left, top = max(left, -BLEED_MM), max(top, -BLEED_MM)
            right, bottom = min(right, width + BLEED_MM), min(bottom, height + BLEED_MM)
        return tuple(round(value, 3) for value in (left, top, right - left, bottom - top))

    result: dict[str, Box] = {key: placed(*box) for key, box in boxes.items()}
    if photo_image:
        x, y, w, h = photo_image
        result["photo_image"] = placed(x, y, x + w, y + h, page=False)
    result["safe"] = (SAFE_MM, SAFE_MM, width - 2 * SAFE_MM, height - 2 * SAFE_MM)
    return result


_DEFAULT: PrintRenderer | None = None


def _default() -> PrintRenderer:
    """The renderer of this process, made on first use. Media come from CAMPAIGN_MEDIA_ROOT or the
    default media root; a worker with another configured root makes its own PrintRenderer."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = PrintRenderer(media_root=os.environ.get("CAMPAIGN_MEDIA_ROOT") or DEFAULT_MEDIA_ROOT)
    return _DEFAULT


def use_media_root(media_root: Path | str) -> None:
    """Serve media from ``media_root`` in the module-level functions of this process (call it once,
    e.g. in a worker's initializer, with the app's MEDIA_ROOT). Photos and logos outside the asset
    and media roots are refused, so without this they only come from CAMPAIGN_MEDIA_ROOT or the
    default media root."""
    global _DEFAULT
    root = Path(media_root).resolve()
    if _DEFAULT is None or _DEFAULT.media_root != root:
        _DEFAULT = PrintRenderer(media_root=root)


def render_hero_poster(card: HeroCard, *, size: PosterSize = PosterSize.A3) -> bytes:
    """The hero poster as PDF/X-4 bytes (trim ``size`` + 3 mm bleed, crop marks, fonts embedded)."""
    return _default().hero_poster(card, size=size)


def render_participation_poster(card: MunicipalityCard, *, size: PosterSize = PosterSize.A3) -> bytes:
    """The "Wij doen mee" poster as PDF/X-4 bytes (trim ``size`` + 3 mm bleed, crop marks)."""
    return _default().participation_poster(card, size=size)


def poster_layout(card: HeroCard | MunicipalityCard, *, size: PosterSize) -> dict[str, Box]:
    """Boxes of the laid-out poster as (x, y, width, height) in mm from the trim box's top-left
    corner, by element id: "safe" (the trim inset by SAFE_MM), "name", "role", "municipality",
    "quote", "sdgs", "photo", "band" for a HeroCard; "title", "municipality", "headline", "dates",
    "sdgs", "band" for a MunicipalityCard. Text boxes include every line inside them, so text that
    overflows its block shows."""
    return _default().layout(card, size=size)


def naive_hero_poster(card: HeroCard, *, size: PosterSize = PosterSize.A3) -> bytes:
    """The hero poster rendered the naive way, for the benchmark: a new renderer per call, so a new
    FontConfiguration, a freshly parsed stylesheet and no caches; its URL fetcher is restricted the
    same way as the default renderer's but reads every file again."""
    default = _default()
    renderer = PrintRenderer(asset_root=default.asset_root, media_root=default.media_root)
    renderer.fetcher = AssetFetcher(renderer.fetcher.roots, cache=False, asset_root=renderer.asset_root)
    renderer.reuse_bands = False  # laid out whole
    return renderer.hero_poster(card, size=size)
