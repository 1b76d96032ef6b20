"""The charts: static SVG without the tooltip machinery or a stylesheet, named for assistive
technology, and drawn exactly as pygal's own SVG is (both printed with WeasyPrint and rasterised
by poppler; tests/e2e/test_charts.py does the same in Chromium)."""

from __future__ import annotations

import re
import subprocess
from xml.etree import ElementTree

import pygal
from PIL import Image, ImageChops
from weasyprint import HTML

from campaign.monitoring import charts


def test_a_chart_is_static_and_named():
    svg = charts.bars(("Gent", "Hasselt & Genk"), (12, 7), label="Helden <per> provincie")
    assert svg.startswith('<svg role="img" aria-label="Helden &lt;per&gt; provincie"')
    assert re.findall(r"<title>([^<]*)</title>", svg) == ["Helden &lt;per&gt; provincie"]  # the PDF's alt text
    assert "<desc" not in svg and "tooltip-overlay" not in svg and "<script" not in svg
    assert "<style" not in svg and "transition" not in svg and "ns0:" not in svg
    root = ElementTree.fromstring(svg)
    top_down = sorted(root.iter(f"{{{charts.SVG}}}text"), key=lambda t: float(t.get("y")))
    texts = {t.text: t for t in top_down}
    # top down as in the table next to it: each label, each value; no value axis repeating them
    assert [t.text for t in top_down if t.get("class") == "value"] == ["12", "7"]
    assert [t.text for t in top_down if t.get("class") != "value"] == ["Gent", "Hasselt & Genk"]
    assert texts["12"].get("font-size") == "13px" and texts["12"].get("fill") == "black"  # the stylesheet, applied
    assert svg.count('class="rect reactive') == 2 and "guide line" not in svg


def test_a_timeline_shows_its_day_labels_in_full():
    days = tuple(str(-d) for d in range(150, 0, -1))
    svg = charts.lines(days, (("2025", tuple(range(150))),), label="Inschrijvingen per dag", every=14)
    labels = [t.text for t in ElementTree.fromstring(svg).iter(f"{{{charts.SVG}}}text") if t.text]
    assert [label for label in labels if label.startswith("-")] == list(days[::14])
    assert "…" not in labels


def _png(svg: str, tmp_path, name: str) -> Image.Image:
    pdf = tmp_path / f"{name}.pdf"
    page = f'<style>@page {{ size: 190mm 100mm; margin: 0 }}</style><div style="width: 190mm">{svg}</div>'
    HTML(string=page).write_pdf(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", pdf, tmp_path / name], check=True)
    return Image.open(tmp_path / f"{name}.png").convert("RGB")


def _pygal_pairs():
    """(ours, pygal's own) for a plain bar chart, bars in SDG colours, and a line chart with a legend."""
    plain = charts._bar_chart(("Antwerpen", "Limburg", "Oost-Vlaanderen"), (41, 12, 30), "Acties per provincie")
    coloured = charts._bar_chart(("1", "2", "3"), (7, 3, 9), "Acties per SDG", ("#E5243B", "#DDA63A", "#4C9F38"),
                                 horizontal=False)  # fmt: skip
    line = pygal.Line(**charts._config(show_legend=True, legend_at_bottom=True, print_values=False, show_dots=False))
    line.x_labels = ["-3", "-2", "-1", "0"]
    line.add("2025", [1, 4, 9, 12])
    line.add("2024", [0, 2, None, 5])
    return [
        (charts._svg(plain, "a", values_from_bar_end=True), plain.render(is_unicode=True), True),
        (charts._svg(coloured, "b"), coloured.render(is_unicode=True), False),
        (charts._svg(line, "c"), line.render(is_unicode=True), False),
    ]


PAIRS = _pygal_pairs()


def test_our_charts_print_exactly_as_pygals_own(tmp_path):
    """Without the tooltip machinery and with the stylesheet written onto the elements, WeasyPrint
    prints every chart pixel for pixel as it prints pygal's own SVG (the horizontal bar chart's
    values aside: ours start at the bar's end, on purpose)."""
    for index, (ours, theirs, moved_values) in enumerate(PAIRS):
        assert "<style" in theirs and "tooltip" in theirs  # pygal's own output carries both
        if moved_values:
            theirs = theirs.replace('text-anchor="middle" x', 'text-anchor="start" x')
        printed = _png(ours, tmp_path, f"ours{index}"), _png(theirs, tmp_path, f"theirs{index}")
        difference = ImageChops.difference(*printed)
        assert difference.getbbox() is None, index


def _value_texts(svg: str) -> list[ElementTree.Element]:
    return [t for t in ElementTree.fromstring(svg).iter(f"{{{charts.SVG}}}text") if t.get("class") == "value"]


def _bars(svg: str) -> list[ElementTree.Element]:
    return [r for r in ElementTree.fromstring(svg).iter(f"{{{charts.SVG}}}rect") if "reactive" in r.get("class", "")]


def test_values_sit_past_their_bars_on_white():
    """Dark value labels inside dark bars are unreadable (WCAG 1.4.3): they go past the bar."""
    svg = charts.bars(("Antwerpen", "Limburg"), (41, 100), label="Deelnamegraad", percent=True)
    ends = [float(bar.get("x")) + float(bar.get("width")) for bar in _bars(svg)]
    texts = _value_texts(svg)
    assert all(t.get("text-anchor") == "start" for t in texts)
    starts = [float(t.get("x")) for t in texts]
    assert len(starts) == len(ends) == 2 and all(start > end for start, end in zip(starts, ends, strict=True))
    plot_width = float(re.search(r'class="plot"><rect x="0" y="0" width="([\d.]+)"', svg).group(1))
    assert max(starts) + 40 < plot_width  # "100 %" fits inside the chart
    vertical = charts.bars(("1", "2"), (7, 3), label="Acties per SDG", horizontal=False)
    tops = [float(bar.get("y")) for bar in _bars(vertical)]
    texts = _value_texts(vertical)
    assert all(t.get("text-anchor") == "middle" for t in texts)
    baselines = [float(t.get("y")) for t in texts]
    assert len(tops) == 2 and all(baseline < top for baseline, top in zip(baselines, tops, strict=True))  # above
