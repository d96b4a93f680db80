"""A choropleth of a council's wards: what core's ``{% ward_map %}`` tag draws as inline SVG,
always with a table of the same numbers. Areas only, never homes: a ward is one shape coloured
by its band, labelled with the band's letter (colour is never the only cue), and a number
that must stay hidden (a small count, suppressed) is a hatched band that never shows it.

Projection: equirectangular with the longitude scaled by cos(latitude), fine for a borough."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from changemaker.core.models import Council, Ward

WIDTH = 600
PAD = 8
#: Light to dark; the darker two carry white letters. Every fill is edged in near-black, so a
#: ward stands out from the white page and from its neighbours (WCAG 1.4.11).
FILLS = ["#f3f2f1", "#c6dbef", "#7fb2dc", "#2f73b5", "#0b3d6e"]
INKS = ["#0b0c0c", "#0b0c0c", "#0b0c0c", "#ffffff", "#ffffff"]
LETTERS = "ABCDEFGH"


@dataclass(frozen=True, slots=True)
class Cell:
    """One ward's number: ``value`` bands it, ``text`` is what people read. ``hidden``: a
    small number that must not be shown (``text`` then says so without the number)."""

    value: float | None
    text: str
    hidden: bool = False


@dataclass
class Band:
    letter: str
    label: str
    fill: str
    ink: str
    hatched: bool = False


@dataclass
class Area:
    name: str
    code: str
    text: str
    band: Band | None
    path: str = ""
    label_x: float = 0.0
    label_y: float = 0.0

    @property
    def name_x(self) -> float:
        """Where a ward's name is centred: kept inside the map (names are up to ~200 wide)."""
        return min(max(self.label_x, 110.0), WIDTH - 110.0)

    @property
    def name_y(self) -> float:
        return self.label_y + 34


@dataclass
class WardMap:
    title: str
    description: str
    value_heading: str
    areas: list[Area]
    bands: list[Band]
    height: int = 0
    extra_rows: list[tuple[str, str]] = field(default_factory=list)
    map_id: str = "ward-map"

    @property
    def drawn(self) -> list[Area]:
        return [a for a in self.areas if a.path]

    @property
    def missing_band(self) -> bool:
        """Whether a drawn ward has no number (the key then explains its blank shape)."""
        return any(a.band is None for a in self.drawn)


def cell(value: int | float | Decimal | None, text: str | None = None) -> Cell:
    """A plain number (shown as it is, UK style) for ``build``."""
    if value is None:
        return Cell(None, text or _("No data"))
    return Cell(float(value), text if text is not None else f"{value:,}")


def build(
    council: Council,
    cells: Mapping[Ward | str, Cell | int | float | Decimal],
    *,
    title: str,
    description: str,
    value_heading: str,
    hidden_label: str = "",
    prefix: str = "",
    map_id: str = "ward-map",
    extra_rows: Iterable[tuple[str, str]] = (),
) -> WardMap:
    """The map and table of ``cells`` (keyed by Ward, ward code or ward name) over every
    ward of ``council``: a ward with no cell reads "No data"; one with no boundary is in the
    table only."""
    wards = list(council.wards.all())
    by_key: dict[str, Cell] = {}
    for key, raw in cells.items():
        c = raw if isinstance(raw, Cell) else cell(raw)
        if isinstance(key, Ward):
            by_key[key.code] = c
        else:
            by_key[str(key)] = c
    found = {w.code: by_key.get(w.code) or by_key.get(w.name) for w in wards}
    bands, band_of = _bands([c for c in found.values() if c is not None], hidden_label, prefix)
    areas = [
        Area(
            w.name,
            w.code,
            found[w.code].text if found[w.code] is not None else _("No data"),  # type: ignore[union-attr]
            band_of(found[w.code]),
        )
        for w in wards
    ]
    height = _draw(areas, {w.code: w.boundary for w in wards})
    return WardMap(
        title, description, value_heading, areas, bands, height, list(extra_rows), map_id
    )


def _nice(x: float) -> float:
    """A round number at or above x: 1, 2, 2.5, 5 times a power of ten."""
    if x <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(x))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= x:
            return step * power
    return 10 * power


def _number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.1f}"


def _bands(cells: list[Cell], hidden_label: str, prefix: str) -> tuple[list[Band], Any]:
    values = [c.value for c in cells if not c.hidden and c.value is not None]
    top = max(values, default=0.0)
    bands: list[Band] = [Band("", _("None (0)"), FILLS[0], INKS[0])]
    edges: list[float] = []
    if top > 0:
        count = 4 if top >= 4 else math.ceil(top)
        step = _nice(top / count)
        if all(float(v).is_integer() for v in values) and step < 1:
            step = 1.0
        count = max(1, math.ceil(top / step))  # no band above the largest number
        edges = [step * i for i in range(count + 1)]
        for i in range(count):
            low, high = edges[i], edges[i + 1]
            whole = step >= 1 and float(low).is_integer()
            start = (
                prefix + _number(low + 1)
                if whole
                else _("more than %(n)s") % {"n": prefix + _number(low)}
            )
            label = (
                _("%(low)s to %(high)s") % {"low": start, "high": prefix + _number(high)}
                if not whole or low + 1 != high
                else prefix + _number(high)
            )
            bands.append(Band("", label, FILLS[i + 1], INKS[i + 1]))
    hidden = None
    if hidden_label and any(c.hidden for c in cells):
        hidden = Band("", hidden_label, "#ffffff", "#0b0c0c", hatched=True)
        bands.append(hidden)
    for letter, band in zip(LETTERS, bands, strict=False):
        band.letter = letter

    def band_of(c: Cell | None) -> Band | None:
        if c is None or (c.value is None and not c.hidden):
            return None
        if c.hidden:
            return hidden
        assert c.value is not None
        if c.value <= 0:
            return bands[0]
        for i in range(1, len(edges)):
            if c.value <= edges[i]:
                return bands[i]
        return bands[len(edges) - 1]

    return bands, band_of


def _rings(geometry: Any) -> list[list[list[float]]]:
    if not isinstance(geometry, dict):
        return []
    polygons = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polygons = [polygons]
    return [ring for polygon in polygons for ring in polygon]


def _draw(areas: list[Area], boundaries: Mapping[str, Any]) -> int:
    """Project every ward's rings into one WIDTH-wide box and set each area's path and label
    point; returns the box's height (0 when no ward has a boundary)."""
    rings = {a.code: _rings(boundaries.get(a.code)) for a in areas}
    points = [p for rs in rings.values() for r in rs for p in r]
    if not points:
        return 0
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    k = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * k, 1e-9), max(north - south, 1e-9)
    scale = (WIDTH - 2 * PAD) / span_x
    height = round(span_y * scale + 2 * PAD)

    def xy(p: list[float]) -> tuple[float, float]:
        return (PAD + (p[0] - west) * k * scale, PAD + (north - p[1]) * scale)

    for area in areas:
        parts = []
        biggest, best = -1.0, (0.0, 0.0)
        for ring in rings[area.code]:
            projected = [xy(p) for p in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected) + "Z")
            size, centre = _centroid(projected)
            if size > biggest:
                biggest, best = size, centre
        area.path = "".join(parts)
        area.label_x, area.label_y = round(best[0], 1), round(best[1], 1)
    return int(height)


def _centroid(points: list[tuple[float, float]]) -> tuple[float, tuple[float, float]]:
    """A ring's area and centroid (the mean of its points when it has no area)."""
    twice = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        cross = x0 * y1 - x1 * y0
        twice += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(twice) < 1e-9:
        n = len(points) or 1
        return 0.0, (sum(p[0] for p in points) / n, sum(p[1] for p in points) / n)
    return abs(twice) / 2, (cx / (3 * twice), cy / (3 * twice))
