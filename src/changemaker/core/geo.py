"""Ward boundaries: read an ONS ward boundaries GeoJSON file (a FeatureCollection whose
features carry year-prefixed properties like ``WD24CD`` and ``WD24NM``), check it whole and
simplify each boundary for display (Douglas-Peucker, pure Python). Nothing here writes: the
action ``core.actions.import_ward_boundaries`` stores what this returns, all or nothing.

Errors name the feature (numbered from 1, as a person counts them) and the property."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from changemaker.engine.problems import MAX_PROBLEMS, InputError, Problem

#: ONS's ward code and name properties carry the boundaries' year: WD24CD, WD24NM, WD23CD...
CODE_PROPERTY = re.compile(r"^WD\d{2}CD$", re.IGNORECASE)
NAME_PROPERTY = re.compile(r"^WD\d{2}NM$", re.IGNORECASE)
#: Simplify to about 10 metres (in degrees of latitude): far below a pixel of a borough map.
TOLERANCE = 0.0001
#: Coordinates kept to about 10 centimetres.
DIGITS = 6
MAX_POINTS = 200_000

Ring = list[list[float]]
Polygon = list[Ring]


@dataclass(frozen=True, slots=True)
class Boundary:
    """One ward's boundary as read: its ONS code, name in the file, and a simplified
    GeoJSON MultiPolygon."""

    code: str
    name: str
    geometry: dict[str, Any]


class FeatureProblem(Problem):
    """The engines' Problem, where a GeoJSON file's "line" is a feature's number (from 1)
    and its "column" a property: a GeoJSON file's lines say little, its features' numbers do."""

    __slots__ = ()

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", feature {self.line}"
        if self.column is not None:
            where += f", property {self.column!r}"
        return f"{where}: {self.message}"


class BoundaryError(InputError):
    """The file could not be read and nothing was stored; ``problems`` says where and why."""


def _problem(file: str, feature: int | None, field: str | None, message: str) -> Problem:
    return FeatureProblem(file, feature, field, message)


def read_boundaries(data: bytes | str, *, file: str, codes: Iterable[str]) -> list[Boundary]:
    """The boundaries of the wards whose codes are in ``codes`` (other features, like the rest
    of a national file, are left out). Raises BoundaryError listing every problem: where
    (feature number, property) and what to do."""
    wanted = {c.upper() for c in codes}
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as error:
        where = (
            f" (line {error.lineno}, column {error.colno})"
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        raise BoundaryError(
            [
                _problem(
                    file,
                    None,
                    None,
                    f"this is not a GeoJSON file{where}: export the ward boundaries from "
                    "the ONS Open Geography Portal as GeoJSON",
                )
            ]
        ) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise BoundaryError(
            [_problem(file, None, "type", "the file must be a GeoJSON FeatureCollection")]
        )
    features = doc.get("features")
    if not isinstance(features, list):
        raise BoundaryError(
            [_problem(file, None, "features", "the file must have a list of features")]
        )
    problems: list[Problem] = []
    found: dict[str, Boundary] = {}
    for number, feature in enumerate(features, start=1):
        try:
            boundary = _feature(feature, number, file, wanted)
        except BoundaryError as error:
            problems.extend(error.problems)
            continue
        if boundary is None:
            continue
        if boundary.code in found:
            problems.append(
                _problem(file, number, "properties", f"ward {boundary.code} is here twice")
            )
        found[boundary.code] = boundary
    if not problems and not found:
        problems.append(
            _problem(
                file,
                None,
                "features",
                "no feature has the code of one of the council's wards: check the "
                "wards' ONS codes, or that this is the right year's file",
            )
        )
    if problems:
        raise BoundaryError(problems[:MAX_PROBLEMS], more=max(0, len(problems) - MAX_PROBLEMS))
    return sorted(found.values(), key=lambda b: b.code)


def _property(properties: dict[str, Any], pattern: re.Pattern[str]) -> tuple[str, Any] | None:
    for key, value in properties.items():
        if isinstance(key, str) and pattern.match(key):
            return key, value
    return None


def _feature(feature: Any, number: int, file: str, wanted: set[str]) -> Boundary | None:
    def fail(field: str | None, message: str) -> BoundaryError:
        return BoundaryError([_problem(file, number, field, message)])

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise fail("type", "each feature must be a GeoJSON Feature")
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise fail("properties", "the feature has no properties")
    code = _property(properties, CODE_PROPERTY)
    if code is None:
        raise fail("properties", "the feature has no ward code property like WD24CD")
    key, value = code
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]\d{8}", value.strip()):
        raise fail(key, "the ward code must be a nine-character ONS code like E05011234")
    value = value.strip().upper()
    if value not in wanted:
        return None
    name = _property(properties, NAME_PROPERTY)
    name_text = name[1] if name is not None and isinstance(name[1], str) else ""
    return Boundary(value, name_text.strip()[:120], _geometry(feature.get("geometry"), fail))


def _geometry(geometry: Any, fail: Any) -> dict[str, Any]:
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise fail("geometry", "the ward's geometry must be a Polygon or a MultiPolygon")
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise fail("geometry", "the geometry has no coordinates")
    out: list[Polygon] = []
    points = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise fail("geometry", "each polygon must be a list of rings")
        rings: Polygon = []
        for index, ring in enumerate(polygon):
            checked = _ring(ring, fail)
            points += len(checked)
            if points > MAX_POINTS:
                raise fail("geometry", f"the boundary has more than {MAX_POINTS:,} points")
            simple = simplify(checked, TOLERANCE)
            if len(simple) < 4:
                if index:  # a tiny hole: nobody would see it
                    continue
                simple = checked
            rings.append([[round(x, DIGITS), round(y, DIGITS)] for x, y in simple])
        out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


def _ring(ring: Any, fail: Any) -> Ring:
    if not isinstance(ring, list) or len(ring) < 4:
        raise fail("geometry", "each ring needs at least four positions")
    checked: Ring = []
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
        ):
            raise fail("geometry", "each position must be [longitude, latitude] in numbers")
        x, y = float(position[0]), float(position[1])
        if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
            raise fail(
                "geometry",
                "positions must be longitude and latitude (WGS 84, EPSG:4326), not "
                "eastings and northings: download the file in that system",
            )
        checked.append([x, y])
    if checked[0] != checked[-1]:
        raise fail("geometry", "each ring must end where it starts")
    return checked


def simplify(points: Sequence[Sequence[float]], tolerance: float) -> Ring:
    """Douglas-Peucker: the points that keep the line within ``tolerance`` of the original
    (iterative, so a long boundary cannot exhaust the stack). First and last are kept."""
    n = len(points)
    if n < 3:
        return [list(p[:2]) for p in points]
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first][:2], points[last][:2]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        far, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i][0], points[i][1]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs(dy * px - dx * py + bx * ay - by * ax) / length
            if distance > far:
                far, index = distance, i
        if index >= 0 and far > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [list(p[:2]) for p, k in zip(points, keep, strict=True) if k]
