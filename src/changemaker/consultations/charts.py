"""Where the opinion map's points, groups and labels go (the results template draws the inline
SVG; a table beside it gives the same information), and what of a map may be shown at all.

As Polis draws it: every person in the map is a point in the plane of the first two principal
components (people who voted alike are close), each group is the convex hull of its members'
points with its label. Points are anonymous (no participant number reaches the page) and
people at the same spot share one point. Nothing of a map is shown until at least
``Consultation.map_minimum`` people are in it, and a smaller group's statements and
percentages are never shown, so that nobody's votes can be read off the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

WIDTH, HEIGHT, PAD = 320, 240, 28
POINT = 3.5  # half the width of a point's mark, in the picture's units
LABEL_HALF_WIDTH = 34  # about half of "Group A" at the label's font size

# Each group's colour (at least 4.5:1 on white and where any two tinted hulls overlap, so they
# serve as text as well as graphics) and the shape of its points, so that groups are told
# apart without colour too (WCAG 1.4.1).
GROUP_COLOURS = ("#1d5f9e", "#b1240f", "#00703c", "#4c2c92", "#6f3c00", "#505a5f")
HULL_OPACITY = 0.08
SHAPES = ("circle", "square", "triangle", "diamond", "cross", "circle")


@dataclass(frozen=True)
class Statement:
    """A statement that defines a group (or unites everyone), and how many agreed."""

    text: str
    direction: str  # "agree" or "disagree": what the group (or everyone) did most
    share: str  # the share who did so, rounded sensibly ("85%", "more than 99%")
    voted: int  # how many voted on it
    lang: str = ""  # "en" where a Welsh reader sees the English (no Welsh version yet)


@dataclass(frozen=True)
class Group:
    letter: str
    size: int
    colour: str
    shape: str
    points: str  # one SVG path: every point of the group
    hull: str  # the convex hull's polygon points ("" for a single point)
    label_x: str  # where the label goes, as SVG numbers (never localised)
    label_y: str
    statements: list[Statement] | None  # None: the group is too small to show what it thinks


@dataclass(frozen=True)
class OpinionPicture:
    """What the results page may show of one map."""

    people: int  # people whose votes are in the map
    minimum: int
    shown: bool  # False: too few people; nothing below is filled in
    width: int = WIDTH
    height: int = HEIGHT
    hull_opacity: str = str(HULL_OPACITY)
    groups: list[Group] = field(default_factory=list)
    ungrouped: int = 0
    consensus: dict[str, list[Statement]] = field(default_factory=dict)
    divisive: list[Statement] = field(default_factory=list)  # only .text and .lang are used


def share(part: int, whole: int) -> str:
    """A percentage to a whole number, never rounded to 0% or 100% when it is not so."""
    if whole <= 0:
        return "–"
    if 0 < part < whole:
        exact = 100 * part / whole
        if exact < 1:
            return _("less than 1%")
        if exact > 99:
            return _("more than 99%")
    return f"{round(100 * part / whole)}%"


def _mark(shape: str, x: float, y: float) -> str:
    """One point's mark as a closed SVG subpath, centred on (x, y)."""
    r = POINT
    if shape == "square":
        return f"M{x - r:.1f} {y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f} {y - r - 0.5:.1f}l{r + 0.5:.1f} {2 * r + 1:.1f}h{-2 * r - 1:.1f}z"
    if shape == "diamond":
        d = r + 1
        return f"M{x:.1f} {y - d:.1f}l{d:.1f} {d:.1f}l{-d:.1f} {d:.1f}l{-d:.1f} {-d:.1f}z"
    if shape == "cross":
        t = r / 2.5
        return (
            f"M{x - t:.1f} {y - r:.1f}h{2 * t:.1f}v{r - t:.1f}h{r - t:.1f}v{2 * t:.1f}"
            f"h{t - r:.1f}v{r - t:.1f}h{-2 * t:.1f}v{t - r:.1f}h{t - r:.1f}v{-2 * t:.1f}"
            f"h{r - t:.1f}z"
        )
    return f"M{x - r:.1f} {y:.1f}a{r} {r} 0 1 0 {2 * r:.1f} 0a{r} {r} 0 1 0 {-2 * r:.1f} 0z"


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull, anticlockwise, without repeated or collinear points (monotone chain)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _placed(result: dict[str, Any]) -> dict[int, list[tuple[float, float]]]:
    """Each group's points in the picture's units (y downwards), people at the same spot once."""
    coordinates = result.get("coordinates", {}).get("participants", {})
    grouped: list[tuple[int, float, float]] = [
        (int(g), float(coordinates[p][0]), float(coordinates[p][1]))
        for p, g in result.get("participant_group", {}).items()
        if g is not None and p in coordinates
    ]
    if not grouped:
        return {}
    xs, ys = [x for _g, x, _y in grouped], [y for _g, _x, y in grouped]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    scale = min(
        (WIDTH - 2 * PAD) / span_x if span_x > 1e-9 else float("inf"),
        (HEIGHT - 2 * PAD) / span_y if span_y > 1e-9 else float("inf"),
    )
    scale = 1.0 if scale == float("inf") else scale
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    placed: dict[int, set[tuple[float, float]]] = {}
    for g, x, y in grouped:
        spot = (
            round(WIDTH / 2 + (x - mid_x) * scale, 1),
            round(HEIGHT / 2 - (y - mid_y) * scale, 1),
        )
        placed.setdefault(g, set()).add(spot)
    return {g: sorted(spots) for g, spots in placed.items()}


def _label_spot(
    hull: list[tuple[float, float]], taken: list[tuple[float, float]]
) -> tuple[str, str]:
    """Above the hull (below it when there is no room), clear of the labels placed before."""
    x = sum(p[0] for p in hull) / len(hull)
    x = min(max(x, LABEL_HALF_WIDTH + 2), WIDTH - LABEL_HALF_WIDTH - 2)
    y = min(p[1] for p in hull) - POINT - 6
    if y < 16:
        y = max(p[1] for p in hull) + POINT + 18
    while any(abs(x - tx) < 2 * LABEL_HALF_WIDTH and abs(y - ty) < 18 for tx, ty in taken):
        y = y + 18 if y + 18 <= HEIGHT - 4 else y - 36
    taken.append((x, y))
    return f"{x:.1f}", f"{y:.1f}"


def _statement(
    item: dict[str, Any], texts: dict[int, str], direction: str, english: frozenset[int]
) -> Statement:
    n, voted = int(item.get("n_success", 0)), int(item.get("n_trials", 0))
    number = int(item["statement"])
    return Statement(
        text=texts[number].strip(),
        direction=direction,
        share=share(n, voted),
        voted=voted,
        lang="en" if number in english else "",
    )


def _groups(
    result: dict[str, Any], texts: dict[int, str], minimum: int, english: frozenset[int]
) -> list[Group]:
    placed = _placed(result)
    groups: list[Group] = []
    taken: list[tuple[float, float]] = []
    for g in result.get("groups", []):
        gid = int(g["id"])
        spots = placed.get(gid, [])
        if not spots:
            continue
        shape, colour = SHAPES[gid % len(SHAPES)], GROUP_COLOURS[gid % len(GROUP_COLOURS)]
        hull = convex_hull(spots)
        label_x, label_y = _label_spot(hull, taken)
        shown = int(g["size"]) >= minimum
        groups.append(
            Group(
                letter=chr(ord("A") + gid),
                size=int(g["size"]),
                colour=colour,
                shape=shape,
                points="".join(_mark(shape, x, y) for x, y in spots),
                hull=" ".join(f"{x},{y}" for x, y in hull) if len(hull) > 1 else "",
                label_x=label_x,
                label_y=label_y,
                statements=[
                    _statement(s, texts, str(s.get("direction", "agree")), english)
                    for s in g.get("representative", [])
                    if int(s["statement"]) in texts
                ]
                if shown
                else None,
            )
        )
    return groups


def opinion_picture(
    result: dict[str, Any],
    texts: dict[int, str],
    *,
    minimum: int,
    english: frozenset[int] = frozenset(),
) -> OpinionPicture:
    """What the results page may show of a stored map (``OpinionSnapshot.result``); statement
    texts are the published ones (others are never shown), in the reader's language: those
    numbered in ``english`` are English shown to a Welsh reader (marked lang="en")."""
    people = int(result.get("n_participants", len(result.get("participant_group", {}))))
    if people < minimum:
        return OpinionPicture(people=people, minimum=minimum, shown=False)
    groups = _groups(result, texts, minimum, english)
    grouped = sum(g.size for g in groups)
    consensus = result.get("consensus", {})
    return OpinionPicture(
        people=people,
        minimum=minimum,
        shown=True,
        groups=groups,
        ungrouped=max(0, people - grouped),
        consensus={
            d: [
                _statement(s, texts, d, english)
                for s in consensus.get(d, [])
                if int(s["statement"]) in texts
            ]
            for d in ("agree", "disagree")
        },
        divisive=[
            _statement(d, texts, "", english)
            for d in result.get("divisive", [])
            if int(d["statement"]) in texts
        ][:5],
    )
