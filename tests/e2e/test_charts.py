"""The dashboard shows its charts as inline SVG. Ours (no tooltip machinery, pygal's stylesheet
written onto the elements) look in Chromium exactly as pygal's own output does."""

from __future__ import annotations

import io

from PIL import Image, ImageChops

from tests.monitoring.test_charts import PAIRS


def _shot(browser, svg: str) -> Image.Image:
    page = browser.new_page(viewport={"width": 760, "height": 420})
    try:
        page.set_content(f'<body style="margin:0;background:#fff"><div style="width:720px">{svg}</div></body>')
        return Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    finally:
        page.close()


def test_our_charts_look_like_pygals_own_in_the_browser(browser):
    for index, (ours, theirs, moved_values) in enumerate(PAIRS):
        if moved_values:
            theirs = theirs.replace('text-anchor="middle" x', 'text-anchor="start" x')
        difference = ImageChops.difference(_shot(browser, ours), _shot(browser, theirs))
        assert difference.getbbox() is None, index
