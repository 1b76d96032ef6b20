"""The participation map: the 285 municipalities of Flanders as SVG paths.

The shipped GeoJSON (Statbel boundaries via Provincies in Cijfers, WGS84) is projected once per
process and simplified (Douglas-Peucker, about 60 m) into path data in a fixed viewBox; the
pages colour and label the paths. Pure: no database, no Flask.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent.parent / "reference" / "data" / "flanders_municipalities.geojson"
WIDTH = 1000  # viewBox width; the height follows from the projection
TOLERANCE = 0.6  # simplification tolerance in viewBox units (≈ 60 m)


@dataclass(frozen=True)
class Shape:
    nis_code: str
    name: str
    path: str  # SVG path data in the map's viewBox
    centre: tuple[float, float]


@dataclass(frozen=True)
class MapGeometry:
    width: int
    height: int
    shapes: tuple[Shape, ...]


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; keeps the first and last point."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = -1, tolerance
        for index in range(first + 1, last):
            px, py = points[index]
            d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length if length else math.hypot(px - x1, py - y1)
            if d > distance:
                farthest, distance = index, d
        if farthest >= 0:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@cache
def geometry() -> MapGeometry:
    """The projected, simplified map, built once per process."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    lons = [x for f in features for ring in _rings(f["geometry"]) for x, _ in ring]
    lats = [y for f in features for ring in _rings(f["geometry"]) for _, y in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squeeze = math.cos(math.radians((south + north) / 2))  # equirectangular at Flanders' latitude
    scale = WIDTH / ((east - west) * squeeze)
    height = math.ceil((north - south) * scale)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * squeeze * scale, (north - lat) * scale

    shapes = []
    for feature in features:
        parts, xs, ys = [], [], []
        for ring in _rings(feature["geometry"]):
            points = _simplify([project(lon, lat) for lon, lat in ring], TOLERANCE)
            if len(points) < 4:
                continue
            xs += [x for x, _ in points]
            ys += [y for _, y in points]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points[:-1]) + "Z")
        props = feature["properties"]
        centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
        shapes.append(Shape(props["nis_code"], props["name_nl"], "".join(parts), centre))
    shapes.sort(key=lambda shape: shape.name)
    return MapGeometry(WIDTH, height, tuple(shapes))


@lru_cache(maxsize=32)
def render_svg(statuses: tuple[str, ...], labels: tuple[tuple[str, str], ...], href: str, title: str) -> str:
    """The map as SVG markup: one link per municipality (in ``geometry().shapes`` order, with
    ``statuses`` in the same order), named by its name and status label, to ``href`` with its
    NIS code in place of ``{nis}``. Cached: a map is drawn again only when a status changes."""
    g = geometry()
    names = dict(labels)
    parts = [f'<svg viewBox="0 0 {g.width} {g.height}" role="group" aria-label="{escape(title)}" class="map-svg">']
    for shape, status in zip(g.shapes, statuses, strict=True):
        name = escape(f"{shape.name}: {names[status]}")
        parts.append(
            f'<a href="{escape(href.replace("{nis}", shape.nis_code))}" class="map-link"><title>{name}</title>'
            f'<path d="{shape.path}" class="map-shape status-{escape(status)}"/></a>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class MapView:
    svg: str
    counts: dict[str, int]


def participation_map(statuses: dict[str, str], legend: dict[str, str], *, href: str, title: str) -> MapView:
    """The map for ``statuses`` by NIS code (missing: the legend's first status), with a count
    per status for the legend."""
    default = next(iter(legend))
    ordered = tuple(statuses.get(shape.nis_code, default) for shape in geometry().shapes)
    counts = {status: ordered.count(status) for status in legend}
    labels = tuple((status, str(label)) for status, label in legend.items())
    return MapView(render_svg(ordered, labels, href, str(title)), counts)
