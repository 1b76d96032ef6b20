"""Server-side SVG charts (pygal): data in, SVG text out. Static, readable without JavaScript;
each chart on a page sits next to a table with the same numbers. pygal takes tens of
milliseconds per chart, so charts are cached by their data (pass tuples): a dashboard whose
figures did not change since the last view draws nothing again.

pygal always adds an inline configuration script for its optional tooltips; it is removed, so
the SVG holds no script at all (the site's Content-Security-Policy would block it anyway). So is
everything else that only serves those tooltips (the data in ``<desc>`` elements, a title per
guide, the tooltip layer and the stylesheet's hover, tooltip and transition rules): a static chart
looks the same without them, and the policy report's PDF draws it in half the time.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Sequence
from functools import lru_cache

import pygal
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
_STYLESHEET = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_VALUE_LABEL = re.compile(r'(<text text-anchor=")middle("[^>]*class="value")')
HEADROOM = 1.15  # the axis runs this far past the largest bar, so that its printed value fits
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


def _svg(chart: pygal.graph.graph.Graph, label: str) -> str:
    """The chart as an inline SVG element named ``label`` for assistive technology (and, as its
    title, for a PDF's alternative text); the details are in the table next to it."""
    svg = _COMMENT.sub("", _SCRIPT.sub("", chart.render(is_unicode=True)))
    svg = _TOOLTIP_LAYER.sub("", _TOOLTIP_DATA.sub("", svg))
    svg = _STYLESHEET.sub(lambda m: m[1] + _static_rules(m[2]) + m[3], svg, count=1)
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
    return svg.replace("<defs>", f"<title>{label}</title><defs>", 1)


def _static_rules(css: str) -> str:
    """pygal's stylesheet without the selectors and declarations that only matter for
    interaction (hover, tooltips, transitions)."""
    kept = []
    for selectors, body in _RULE.findall(css):
        static = [s.strip() for s in selectors.split(",") if not _INTERACTIVE.search(s)]
        declarations = [d for d in body.split(";") if d.strip() and not _INTERACTIVE.search(d)]
        if static and declarations:
            kept.append(",".join(static) + "{" + ";".join(declarations) + "}")
    return "".join(kept)


def _nice_top(value: float) -> int:
    """The top of a count axis: a round number at or above ``value`` that five steps divide."""
    top = max(5, math.ceil(value))
    magnitude = 10 ** (len(str(top)) - 1)
    for step in (1, 2, 5, 10):
        nice = math.ceil(top / (step * magnitude / 10 * 5)) * (step * magnitude / 10 * 5)
        if nice >= top:
            return int(max(nice, 5))
    return top


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
    is printed just past the end of its bar, dark on white whatever the bar's colour."""
    svg = _svg(_bar_chart(labels, values, label, colours, percent, horizontal, height), label)
    return _VALUE_LABEL.sub(r"\1start\2", svg) if horizontal else svg


def _bar_chart(labels, values, label, colours=None, percent=False, horizontal=True, height=None) -> pygal.Bar:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    top = 100 if percent else _nice_top(max(values, default=0) * HEADROOM)
    chart = kind(
        **_config(
            height=height or max(160, 34 * len(labels) + 60),
            value_formatter=(lambda v: f"{v:.0f} %") if percent else (lambda v: f"{v:.0f}"),
            range=(0, round(top * HEADROOM) if percent else top),  # room for the value past the bar
            y_labels=list(range(0, top + 1, max(1, top // 5))),
            x_label_rotation=0,
            print_values_position="top",
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
            stroke_style={"width": 3},
            height=380,
        )
    )
    chart.x_labels = list(x_labels)
    for name, values in series:
        chart.add(name, list(values))
    return _svg(chart, label)
