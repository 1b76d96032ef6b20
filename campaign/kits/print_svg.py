"""SVG text drawn by WeasyPrint in whole runs: the report's charts.

WeasyPrint 70 draws every SVG ``<text>`` letter by letter: it lays out the whole string with
Pango, then lays out and draws each letter on its own, at the advance of the letters before
it, so that per-letter positions (several ``x`` or ``y`` values, ``dx``, ``dy``, ``rotate``)
and ``letter-spacing`` or ``textLength`` can apply. The report's 15 charts have some 220 texts
and 1,300 letters, and drawing them was half the time WeasyPrint spent painting the charts
(0.4 s of a build here, 0.2 s with whole runs).

``whole_run_text`` draws a text that has none of those per-letter features as one run: the
layout WeasyPrint made of the whole string is drawn at the text's position. Everything else
(position, anchors, baselines, fill and stroke, the bounding box that ``text-anchor`` uses) is
computed as WeasyPrint does it. The glyphs are the same; within a run they are spaced by the
font's kerning, as in HTML text, instead of by each letter's own advance. Texts with
per-letter features, and empty ones, go to WeasyPrint's own function.

It leans on WeasyPrint 70.x internals: the ``TAGS`` table of ``weasyprint.svg`` and the name
``text`` it compares against, and ``split_first_line``, ``draw_first_line`` and the SVG
drawing state. ``install`` replaces WeasyPrint's function in that table, for the whole
process; tests compare both functions' output text by text.
"""

from __future__ import annotations

import importlib
from math import inf

import weasyprint.svg as svg_module
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.draw.text import draw_emojis, draw_first_line
from weasyprint.matrix import Matrix
from weasyprint.svg.bounding_box import extend_bounding_box
from weasyprint.svg.utils import normalize, size
from weasyprint.text.line_break import split_first_line

_text_module = importlib.import_module("weasyprint.svg.text")  # the name ``text`` is the function
WEASYPRINTS_TEXT = _text_module.text
PER_LETTER = frozenset(("dx", "dy", "rotate", "textLength", "letter-spacing"))
WEIGHTS = {"normal": 400, "bold": 700}


def _one_value(node, key: str) -> tuple[bool, str | None]:
    """Whether attribute ``key`` of ``node`` holds at most one value, and that value."""
    value = node.attrib.get(key)
    if value is None:
        return True, None
    values = normalize(value).strip().split(" ")
    return len(values) == 1, values[0]


def _style(svg, node, font_size: float):
    """The text's style, as WeasyPrint's own function makes it."""
    style = _text_module.Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    style["font_size"] = font_size
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    weight = node.get("font-weight", 400)
    try:
        style["font_weight"] = WEIGHTS.get(weight) or int(weight)
    except ValueError:
        style["font_weight"] = 400
    return style


def _baseline_shift(node, font_size: float, height: float) -> float:
    """WeasyPrint's vertical alignment of a text (its ``y_align``)."""
    ascent, descent = font_size * 0.8, font_size * 0.2
    display_anchor = node.get("display-anchor")
    alignment_baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
    if display_anchor == "middle":
        return -height / 2
    if display_anchor == "top":
        return 0
    if display_anchor == "bottom":
        return -height
    if alignment_baseline in ("central", "middle"):
        return (ascent + descent) / 2 - descent
    if alignment_baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
        return ascent
    if alignment_baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
        return -descent
    return 0


def whole_run_text(svg, node, font_size: float) -> None:
    """Draw the text ``node`` as one run, or hand it to WeasyPrint's own function (see above)."""
    single_x, x = _one_value(node, "x")
    single_y, y = _one_value(node, "y")
    if not node.text or not (single_x and single_y) or not PER_LETTER.isdisjoint(node.attrib):
        return WEASYPRINTS_TEXT(svg, node, font_size)

    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = None if x is None else size(x, font_size, svg.inner_width)
    y = None if y is None else size(y, font_size, svg.inner_height)
    if x:  # as WeasyPrint's own: a position of 0 keeps the shift of an earlier dx or dy
        svg.cursor_d_position[0] = 0
    if y:
        svg.cursor_d_position[1] = 0
    x = svg.cursor_position[0] if x is None else x
    y = svg.cursor_position[1] if y is None else y
    svg.cursor_position = x + width, y
    x_position = x + svg.cursor_d_position[0]
    y_position = y + svg.cursor_d_position[1] + _baseline_shift(node, font_size, height)
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height)),
    )

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = _text_module.TextBox(layout, style)
    box.baseline = baseline
    emojis = draw_first_line(svg.stream, box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def install(function=whole_run_text) -> None:
    """Make WeasyPrint draw SVG text with ``function`` in this process (``WEASYPRINTS_TEXT`` puts
    WeasyPrint's own back). WeasyPrint compares each tag's function with its name ``text`` to
    find text elements, so both are replaced."""
    current = svg_module.text
    if current is function:
        return
    for tag, drawer in list(svg_module.TAGS.items()):
        if drawer is current:
            svg_module.TAGS[tag] = function
    svg_module.text = function
