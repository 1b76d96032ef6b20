"""Server-side SVG charts (pygal): data in, SVG text out. Static, readable without JavaScript;
each chart on a page sits next to a table with the same numbers. pygal takes tens of
milliseconds per chart, so charts are cached by their data (pass tuples): a dashboard whose
figures did not change since the last view draws nothing again.

pygal always adds an inline configuration script for its optional tooltips; it is removed, so
the SVG holds no script at all (the site's Content-Security-Policy would block it anyway). So is
everything else that only serves those tooltips (the data in ``<desc>`` elements, a title per
guide, the tooltip layer and the stylesheet's hover, tooltip and transition rules): a static chart
looks the same without them, and the policy report's PDF draws it in half the time.

pygal styles its SVG with a stylesheet of some sixty rules. Its result is written onto the
elements instead, as presentation attributes (``_inline_styles``), and the stylesheet goes: the
chart looks the same in a browser and in WeasyPrint, which no longer parses and matches those
rules for each of the report's fifteen charts.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from functools import lru_cache
from xml.etree import ElementTree

import cssselect2
import pygal
import tinycss2
from pygal.style import Style

# pygal appends a legacy import hook (for its optional map plugins, which we do not use) to
# sys.meta_path; it lacks find_spec, so every later import of a missing module warns. Drop it.
sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, pygal.PluginImportFixer)]

PRIMARY = "#1F4E3D"
PREVIOUS = "#6B6B6B"  # 5.3:1 on white
_SCRIPT = re.compile(r"<script.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TOOLTIP_DATA = re.compile(r"<desc\b[^>]*>[^<]*</desc>|<title>[^<]*</title>")
_TOOLTIP_LAYER = re.compile(r'<g [^>]*class="plot tooltip-overlay">.*?</g></g>', re.S)
SVG = "http://www.w3.org/2000/svg"
HEADROOM = 1.15  # the scale runs this far past the longest bar, so that its printed value fits
_INTERACTIVE = re.compile(r":hover|\.tooltip|\.active|transition|user-select|font-smoothing")

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1A1A1A",
    foreground_strong="#1A1A1A",
    foreground_subtle="#4A4A4A",
    font_family="'Atkinson Hyperlegible', Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    colors=(PRIMARY, PREVIOUS),
    opacity="1",
    opacity_hover="1",
)


def _config(**overrides: object) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "show_legend": False,
        "width": 720,
        "height": 360,
        "margin": 12,
        "print_values": True,
        "print_zeroes": True,
        "show_y_guides": True,
        "tooltip_fancy_mode": False,
        **overrides,
    }


def _svg(chart: pygal.graph.graph.Graph, label: str, *, values_from_bar_end: bool = False) -> str:
    """The chart as an inline SVG element named ``label`` for assistive technology (and, as its
    title, for a PDF's alternative text); the details are in the table next to it. With
    ``values_from_bar_end``, printed values start where their (horizontal) bar ends."""
    svg = _COMMENT.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))
    svg = _TOOLTIP_LAYER.sub("", _TOOLTIP_DATA.sub("", svg))
    root = ElementTree.fromstring(svg)  # noqa: S314 - pygal's output, labels escaped by pygal
    _inline_styles(root)
    if values_from_bar_end:
        for text in root.iter(f"{{{SVG}}}text"):
            if text.get("class") == "value":
                text.set("text-anchor", "start")
    title = ElementTree.Element(f"{{{SVG}}}title")
    title.text = label
    root.insert(0, title)
    for element in root.iter():  # serialised as plain SVG, with the namespace as its default
        element.tag = element.tag.removeprefix(f"{{{SVG}}}")
    attributes = {"role": "img", "aria-label": label, "focusable": "false", "xmlns": SVG, **root.attrib}
    root.attrib.clear()
    root.attrib.update(attributes)
    return ElementTree.tostring(root, encoding="unicode")


def _inline_styles(root: ElementTree.Element) -> None:
    """Apply the chart's stylesheet to its elements as presentation attributes (by specificity
    and order, ``!important`` last, an element's own ``style`` attribute still winning) and
    remove it, with the chart's random id that only served to scope it."""
    chart_id = root.attrib.pop("id", "")
    matcher = None
    for style in list(root.iter(f"{{{SVG}}}style")):
        matcher = _matcher((style.text or "").replace(f"#{chart_id}", "svg"))
        for parent in root.iter():
            if style in list(parent):
                parent.remove(style)
    if matcher is None:
        return
    for element in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        matched = [declarations for *_, declarations in matcher.match(element)]
        for important in (False, True):
            for declarations in matched:
                for name, value, is_important in declarations:
                    if is_important == important:
                        element.etree_element.set(name, value)


@lru_cache(maxsize=4)
def _matcher(css: str) -> cssselect2.Matcher:
    """pygal's stylesheet (the same for every chart once its id is taken out) compiled, without
    the rules and declarations that only serve interaction (hover, tooltips, transitions) and
    the root's background colour (no SVG attribute; it is transparent)."""
    matcher = cssselect2.Matcher()
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declarations = [
            (d.lower_name, tinycss2.serialize(d.value).strip(), d.important)
            for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration" and d.lower_name != "background-color" and not _INTERACTIVE.search(d.lower_name)
        ]
        for part in tinycss2.serialize(rule.prelude).split(","):  # pygal's selectors hold no comma
            if declarations and not _INTERACTIVE.search(part):
                for selector in cssselect2.compile_selector_list(part):
                    if selector.pseudo_element is None and not selector.never_matches:
                        matcher.add_selector(selector, declarations)
    return matcher


@lru_cache(maxsize=64)
def bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    label: str,
    colours: Sequence[str] | None = None,
    percent: bool = False,
    horizontal: bool = True,
    height: int | None = None,
) -> str:
    """A bar chart: one bar per label, each in its own colour if ``colours`` is given. Each value
    is printed just past the end of its bar, dark on white whatever the bar's colour, so the chart
    has no value axis or grid lines to read it from: they would only repeat the numbers."""
    chart = _bar_chart(labels, values, label, colours, percent, horizontal, height)
    return _svg(chart, label, values_from_bar_end=horizontal)


def _bar_chart(labels, values, label, colours=None, percent=False, horizontal=True, height=None) -> pygal.Bar:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    if horizontal:  # pygal draws the first bar at the bottom; ours reads top down, like the table
        labels, values, colours = labels[::-1], values[::-1], colours[::-1] if colours else None
    top = 100 if percent else max(5, max(values, default=0))
    chart = kind(
        **_config(
            height=height or max(160, 34 * len(labels) + 60),
            value_formatter=(lambda v: f"{v:.0f} %") if percent else (lambda v: f"{v:.0f}"),
            range=(0, top * HEADROOM),  # room for the value past the longest bar
            x_label_rotation=0,
            print_values_position="top",
            # no value axis, no grid lines (the values are printed); pygal's value axis is the x
            # axis of a horizontal bar chart
            **{f"show_{'x' if horizontal else 'y'}_labels": False, f"show_{'x' if horizontal else 'y'}_guides": False},
        )
    )
    chart.x_labels = list(labels)
    points = []
    for index, value in enumerate(values):
        point: dict[str, object] = {"value": value}
        if colours:
            point["color"] = colours[index]
        points.append(point)
    chart.add(label, points)
    return chart


@lru_cache(maxsize=16)
def lines(
    x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]], *, label: str, every: int = 7
) -> str:
    """A line chart with a legend: one line per (name, values)."""
    chart = pygal.Line(
        **_config(
            show_legend=True,
            legend_at_bottom=True,
            print_values=False,
            show_dots=False,
            x_labels_major_every=every,
            show_minor_x_labels=False,
            truncate_label=-1,  # pygal shortens labels to fit every day's slot, minor ones included: "…"
            stroke_style={"width": 3},
            height=380,
        )
    )
    chart.x_labels = list(x_labels)
    for name, values in series:
        chart.add(name, list(values))
    return _svg(chart, label)
