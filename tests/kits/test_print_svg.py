"""SVG text in whole runs (kits/print_svg): drawn where WeasyPrint's own letter-by-letter drawing
puts it, as one run per text, and texts with per-letter positions left to WeasyPrint."""

from __future__ import annotations

import base64
import re
import subprocess

import pytest
import weasyprint.svg
from PIL import Image, ImageChops
from weasyprint import HTML

from campaign.kits import print_svg
from campaign.kits.print_layout import ASSET_ROOT

FONT = 'font-family="\'Atkinson Hyperlegible\', Arial, sans-serif" font-size="13"'
CASES = {  # an SVG text, and how many runs it has ("tspan": the text, the tspan, the text after it)
    "start": (f'<text x="12" y="40" {FONT}>West-Vlaanderen</text>', 1),
    "end": (
        f'<text x="388" y="40" text-anchor="end" {FONT}>Meer betrokkenheid van inwoners bij duurzaamheid</text>',
        1,
    ),
    "middle": (f'<text x="200" y="40" text-anchor="middle" {FONT} font-weight="bold">Één stap per dag</text>', 1),
    "central": (f'<text x="12" y="40" dominant-baseline="central" fill="#C5192D" {FONT}>SDG\'s op de agenda</text>', 1),
    "group": (f'<g transform="translate(30 10)"><text x="0" y="40" {FONT}>Vlaams-Brabant 91</text></g>', 1),
    "tspan": (f'<text x="12" y="40" {FONT}>Helden <tspan font-weight="bold">per SDG</tspan> en acties</text>', 3),
}
PER_LETTER = {
    "rotate": f'<text x="12" y="40" rotate="8" {FONT}>Gedraaid</text>',
    "dx": f'<text x="12" y="40" dx="0 2 4" {FONT}>Verschoven</text>',
    "positions": f'<text x="12 30 48" y="40" {FONT}>Los</text>',
    "letter-spacing": f'<text x="12" y="40" letter-spacing="3" {FONT}>Gespatieerd</text>',
}


@pytest.fixture
def drawer():
    """Install a text drawer for one test, and put back the one installed before."""
    before = weasyprint.svg.text
    yield print_svg.install
    print_svg.install(before)


def _pdf(text: str) -> bytes:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="80" viewBox="0 0 400 80">{text}</svg>'
    fonts = (ASSET_ROOT / "fonts").as_uri()
    html = (
        "<html><head><style>"
        f'@font-face {{ font-family: "Atkinson Hyperlegible"; src: url("{fonts}/AtkinsonHyperlegible-Regular.ttf"); }}'
        "@font-face { font-family: 'Atkinson Hyperlegible'; font-weight: 700;"
        f' src: url("{fonts}/AtkinsonHyperlegible-Bold.ttf"); }}'
        "@page { size: 400px 80px; margin: 0 } body { margin: 0 } img { display: block }"
        "</style></head><body>"
        f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" alt=""/>'
        "</body></html>"
    )
    return HTML(string=html).write_pdf(uncompressed_pdf=True)


def _image(pdf: bytes, tmp_path, name: str) -> Image.Image:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "192", "-png", "-singlefile", path, tmp_path / name], check=True)
    return Image.open(tmp_path / f"{name}.png").convert("RGB")


def _ink(image: Image.Image) -> tuple[int, int, int, int]:
    """The bounding box of everything drawn, in pixels at 192 dpi (2 pixels a CSS pixel)."""
    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    assert box is not None
    return box


def _text_matrices(pdf: bytes) -> int:
    """How many times the text position is set: once a run."""
    return len(re.findall(rb" Tm\b", pdf))


@pytest.mark.parametrize("case", CASES)
def test_a_text_is_drawn_in_one_run_where_weasyprint_draws_its_letters(case, drawer, tmp_path):
    text, runs = CASES[case]
    drawer(print_svg.WEASYPRINTS_TEXT)
    theirs = _pdf(text)
    drawer(print_svg.whole_run_text)
    ours = _pdf(text)

    assert _text_matrices(ours) == runs
    assert _text_matrices(theirs) > 3 * runs  # letter by letter

    mine, reference = _ink(_image(ours, tmp_path, "ours")), _ink(_image(theirs, tmp_path, "theirs"))
    # The same place, to within the kerning of a run: 2 pixels here is 0.26 mm; a letter is 14.
    assert all(abs(a - b) <= 2 for a, b in zip(mine, reference, strict=True)), (mine, reference)


@pytest.mark.parametrize("case", PER_LETTER)
def test_a_text_with_per_letter_positions_is_left_to_weasyprint(case, drawer, tmp_path):
    drawer(print_svg.WEASYPRINTS_TEXT)
    theirs = _image(_pdf(PER_LETTER[case]), tmp_path, "theirs")
    drawer(print_svg.whole_run_text)
    ours = _image(_pdf(PER_LETTER[case]), tmp_path, "ours")
    assert ImageChops.difference(ours, theirs).getbbox() is None


def test_printing_the_report_draws_its_charts_texts_in_whole_runs(drawer):
    from campaign.reports import document

    drawer(print_svg.WEASYPRINTS_TEXT)
    assert document.warm_up() == 1  # the warm-up prints as every build does
    assert weasyprint.svg.TAGS["text"] is print_svg.whole_run_text
    assert weasyprint.svg.TAGS["tspan"] is print_svg.whole_run_text
    assert weasyprint.svg.text is print_svg.whole_run_text
