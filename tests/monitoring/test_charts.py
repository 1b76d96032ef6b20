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
    ours = charts.bars(labels, values, label="Acties per provincie")
    theirs = charts._bar_chart(labels, values, "Acties per provincie").render(is_unicode=True)
    assert "<desc" in theirs  # pygal's own output does carry the tooltip data
    difference = ImageChops.difference(_png(ours, tmp_path, "ours"), _png(theirs, tmp_path, "theirs"))
    assert difference.getbbox() is None
