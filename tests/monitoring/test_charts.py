"""The charts: static SVG without the tooltip machinery, named for assistive technology, and
drawn exactly as pygal's own SVG is (both printed with WeasyPrint and rasterised by poppler)."""

from __future__ import annotations

import re
import subprocess

from PIL import Image, ImageChops
from weasyprint import HTML

from campaign.monitoring import charts


def test_a_chart_is_static_and_named():
    svg = charts.bars(("Gent", "Hasselt & Genk"), (12, 7), label="Helden <per> provincie")
    assert svg.startswith('<svg role="img" aria-label="Helden &lt;per&gt; provincie"')
    assert re.findall(r"<title>([^<]*)</title>", svg) == ["Helden &lt;per&gt; provincie"]  # the PDF's alt text
    assert "<desc" not in svg and "tooltip-overlay" not in svg and "<script" not in svg
    assert ":hover" not in svg and "transition" not in svg
    assert re.findall(r'class="value">(\d+)</text>', svg) == ["12", "7"]  # every value printed
    assert ">Hasselt &amp; Genk</text>" in svg and svg.count('class="rect reactive') == 2


def _png(svg: str, tmp_path, name: str) -> Image.Image:
    pdf = tmp_path / f"{name}.pdf"
    page = f'<style>@page {{ size: 190mm 100mm; margin: 0 }}</style><div style="width: 190mm">{svg}</div>'
    HTML(string=page).write_pdf(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", pdf, tmp_path / name], check=True)
    return Image.open(tmp_path / f"{name}.png").convert("RGB")


def test_dropping_the_tooltips_changes_nothing_on_paper(tmp_path):
    labels, values = ("Antwerpen", "Limburg", "Oost-Vlaanderen"), (41, 12, 30)
    chart = charts._bar_chart(labels, values, "Acties per provincie")
    ours, theirs = charts._svg(chart, "Acties per provincie"), chart.render(is_unicode=True)
    assert "<desc" in theirs  # pygal's own output does carry the tooltip data
    difference = ImageChops.difference(_png(ours, tmp_path, "ours"), _png(theirs, tmp_path, "theirs"))
    assert difference.getbbox() is None


def test_values_sit_past_their_bars_on_white():
    """Dark value labels inside dark bars are unreadable (WCAG 1.4.3): they go past the bar."""
    svg = charts.bars(("Antwerpen", "Limburg"), (41, 100), label="Deelnamegraad", percent=True)
    ends = [
        float(x) + float(w) for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" rx="0" ry="0" width="([\d.]+)"', svg)
    ]
    starts = [float(x) for x in re.findall(r'<text text-anchor="start" x="([\d.]+)"[^>]*class="value"', svg)]
    assert len(starts) == len(ends) == 2 and all(start > end for start, end in zip(starts, ends, strict=True))
    plot_width = float(re.search(r'class="plot"><rect x="0" y="0" width="([\d.]+)"', svg).group(1))
    assert max(starts) + 40 < plot_width  # "100 %" fits inside the chart
    vertical = charts.bars(("1", "2"), (7, 3), label="Acties per SDG", horizontal=False)
    tops = [float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)" rx="0"', vertical)]
    baselines = [
        float(y) for y in re.findall(r'<text text-anchor="middle" x="[\d.]+" y="([\d.]+)" class="value"', vertical)
    ]
    assert all(baseline < top for baseline, top in zip(baselines, tops, strict=True))  # above the bar
