"""The results page's map of opinion: people as points in the PCA plane with each group's hull
and label, a table with the same information, plurals and numbers the UK way, colours with AA
contrast, and nothing of the map (or of a small group) until enough people have voted, so that
nobody's votes can be read off it."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from changemaker.consultations import actions, adapter, charts
from changemaker.consultations.models import MIN_PEOPLE_FLOOR, Consultation
from changemaker.core.models import Council

HOST = {"HTTP_HOST": "exampleton.test"}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _page(client: Client, c: Consultation) -> str:
    response = client.get(reverse("consultations:results", args=[c.slug]), **HOST)
    assert response.status_code == 200
    return response.content.decode()


def _two_camps(c: Consultation, people: int, *, split: int | None = None) -> None:
    """``people`` anonymous people voting on every statement: the first ``split`` (half by
    default) agree with the first half of the statements and disagree with the rest, the
    others the opposite."""
    split = people // 2 if split is None else split
    statements = list(c.statements.order_by("number"))
    for person in range(people):
        camp = 1 if person < split else -1
        p = actions.participant_for(c, token=f"browser-{person}")
        for s in statements:
            value = camp if s.number < len(statements) / 2 else -camp
            if person % 3 == 2 and s.number == 0:
                value = 0  # a few pass, so that people do not all sit on two spots
            actions.cast_vote(p, s, value)


def _seattle(council: Council) -> Consultation:
    files = {name: (FIXTURES / name).read_bytes() for name in ("comments.csv", "votes.csv")}
    c = adapter.import_polis(council, files, slug="seattle", question="$15/hour")
    adapter.compute_map(c)
    return c


def test_one_person_is_never_exposed_and_the_page_says_why(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    p = actions.participant_for(c, token="only-one")
    actions.cast_vote(p, c.statements.get(number=0), 1)
    adapter.compute_map(c)
    page = _page(client, c)
    assert "The map is not shown yet" in page
    assert "at least 7 people have voted" in page
    # nothing of how that person voted: no statement, no group, no percentage, no picture
    for text in ("First statement", "Second statement", "Third statement"):
        assert text not in page
    assert "<svg" not in page and "Groups of opinion" not in page and "%" not in page
    assert "What brings people together" not in page


def test_plurals_say_one_person_and_one_vote(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    p = actions.participant_for(c, token="only-one")
    actions.cast_vote(p, c.statements.get(number=0), 1)
    adapter.compute_map(c)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", _page(client, c))).split())
    assert "1 person took part." in text and "1 people" not in text
    assert "Map made from 1 vote at" in text and "1 votes" not in text
    assert "So far 1 person has voted." in text


def test_the_map_appears_at_the_minimum_and_small_groups_keep_their_detail(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    seeds = [f"Statement number {n}" for n in range(8)]
    below = make_consultation(seeds=seeds)
    _two_camps(below, 6)
    adapter.compute_map(below)
    assert "The map is not shown yet" in _page(client, below)

    # 12 people: a group of 9 and a group of 3; the small group's detail stays hidden
    c = make_consultation(seeds=seeds)
    _two_camps(c, 12, split=9)
    adapter.compute_map(c)
    page = _page(client, c)
    assert "The map is not shown yet" not in page
    assert '<svg role="img" aria-labelledby="map-title map-desc"' in page
    assert '<title id="map-title">' in page and '<desc id="map-desc">' in page
    rows = re.findall(
        r'<tr class="govuk-table__row"><th scope="row"[^>]*>(\w)</th>(.*?)</tr>', page, re.S
    )
    sizes = {letter: int(re.search(r"numeric\">([\d,]+)<", row).group(1)) for letter, row in rows}  # type: ignore[union-attr]
    assert sorted(sizes.values()) == [3, 9]
    for letter, cells in rows:
        if sizes[letter] < 7:
            assert "Not shown: this group has fewer than 7 people" in cells
            assert "%" not in cells and "Statement number" not in cells
        else:
            assert "of this group agreed" in cells or "of this group disagreed" in cells
    assert "12 people are in the map." in page and "2 groups of opinion" in page


def test_the_minimum_is_set_per_consultation_never_below_the_floor(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    seeds = [f"Statement number {n}" for n in range(8)]
    stricter = make_consultation(seeds=seeds, min_participants=20)
    _two_camps(stricter, 12)
    adapter.compute_map(stricter)
    assert "at least 20 people have voted" in _page(client, stricter)

    lax = make_consultation(seeds=seeds, min_participants=1)  # below the floor: the floor
    _two_camps(lax, 3)
    adapter.compute_map(lax)
    assert f"at least {MIN_PEOPLE_FLOOR} people have voted" in _page(client, lax)
    with override_settings(CHANGEMAKER_CONSULTATION_MIN_PARTICIPANTS=10):
        assert make_consultation().min_participants == 10


def test_people_are_points_inside_their_groups_hulls_and_anonymous(
    council: Council, client: Client
) -> None:
    c = _seattle(council)
    snapshot = c.snapshots.get()
    page = _page(client, c)
    svg = page[page.index("<svg role=") : page.index("</svg>")]
    groups = snapshot.result["groups"]
    hulls = re.findall(r'<polygon points="([^"]+)"', svg)
    paths = re.findall(r'<path d="([^"]+)" fill="(#[0-9a-f]{6})"', svg)
    labels = re.findall(r"<text [^>]*>Group (\w)</text>", svg)
    assert len(hulls) == len(paths) == len(groups) >= 2
    assert labels == [chr(ord("A") + g["id"]) for g in groups]
    for hull, (d, _colour) in zip(hulls, paths, strict=True):
        polygon = [tuple(map(float, p.split(","))) for p in hull.split()]
        starts = [tuple(map(float, m)) for m in re.findall(r"M(-?[\d.]+) (-?[\d.]+)", d)]
        assert starts
        for x, y in starts:  # each mark's start is within its half-width of the hull's point
            assert _inside_or_near(polygon, (x + charts.POINT, y), 2 * charts.POINT + 1.5)
    # no participant number or coordinate from the stored result reaches the page
    assert "participant" not in svg.lower()
    assert str(snapshot.result["coordinates"]["participants"]["0"][0])[:8] not in page
    # the table has every group's size, with thousands separators where needed
    assert f"{snapshot.votes:,} votes" in page


def _inside_or_near(
    polygon: list[tuple[float, ...]], point: tuple[float, float], slack: float
) -> bool:
    """Inside the (anticlockwise in y-down space, either way here) convex polygon, or within
    ``slack`` of it."""
    if len(polygon) < 3:
        return min(abs(point[0] - p[0]) + abs(point[1] - p[1]) for p in polygon) <= 2 * slack
    signs = []
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        edge = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
        signs.append(((x2 - x1) * (point[1] - y1) - (y2 - y1) * (point[0] - x1)) / edge)
    return all(s >= -slack for s in signs) or all(s <= slack for s in signs)


def _luminance(hex_colour: str | tuple[float, float, float]) -> float:
    if isinstance(hex_colour, str):
        rgb = tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    else:
        rgb = tuple(v / 255 for v in hex_colour)
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str | tuple[float, float, float], b: str | tuple[float, float, float]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _over(colour: str, opacity: float, under: tuple[float, float, float]) -> tuple[float, ...]:
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(opacity * c + (1 - opacity) * u for c, u in zip(rgb, under, strict=True))


def test_labels_and_marks_have_aa_contrast_where_they_are_drawn(
    council: Council, client: Client
) -> None:
    c = _seattle(council)
    page = _page(client, c)
    svg = page[page.index("<svg role=") : page.index("</svg>")]
    assert 'fill="#ffffff"' in svg.split("<rect", 1)[1].split(">", 1)[0]  # a white plot
    tints = re.findall(r'<polygon [^>]*fill="(#[0-9a-f]{6})" fill-opacity="([\d.]+)"', svg)
    labels = re.findall(r'<text [^>]*fill="(#[0-9a-f]{6})"', svg)
    marks = [colour for _d, colour in re.findall(r'<path d="([^"]+)" fill="(#[0-9a-f]{6})"', svg)]
    assert tints and labels and marks
    white = (255.0, 255.0, 255.0)
    # every background a label can sit on: white, any hull's tint, any two hulls overlapping
    backgrounds = [white]
    for colour, opacity in tints:
        one = _over(colour, float(opacity), white)
        backgrounds.append(one)
        backgrounds += [_over(c2, float(o2), one) for c2, o2 in tints]  # type: ignore[arg-type]
    for label in labels:
        worst = min(_contrast(label, bg) for bg in backgrounds)  # type: ignore[arg-type]
        assert worst >= 4.5, (label, worst)  # WCAG 1.4.3 text
    for mark in marks + [c for c, _o in tints]:
        assert min(_contrast(mark, bg) for bg in backgrounds) >= 3, mark  # type: ignore[arg-type]
    # the old white-on-blue label was 3.4:1 at best: it must not come back
    assert 'fill="#ffffff">' not in svg.replace('<rect x="0.5" y="0.5"', "")


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (0, 7, "0%"),
        (7, 7, "100%"),
        (1, 3, "33%"),
        (2, 3, "67%"),
        (1, 400, "less than 1%"),
        (399, 400, "more than 99%"),
        (1, 200, "less than 1%"),
        (0, 0, "–"),
    ],
)
def test_percentages_are_rounded_but_never_to_none_or_all(
    part: int, whole: int, expected: str
) -> None:
    assert charts.share(part, whole) == expected


def test_convex_hull_of_a_square_with_inner_and_collinear_points() -> None:
    points = [(0.0, 0.0), (2.0, 0.0), (1.0, 0.0), (2.0, 2.0), (0.0, 2.0), (1.0, 1.0)]
    assert set(charts.convex_hull(points)) == {(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)}
    assert charts.convex_hull([(1.0, 1.0), (1.0, 1.0)]) == [(1.0, 1.0)]


def test_officers_set_the_minimum_when_they_start_a_consultation(
    client_as: Callable[[str | None], Client],
) -> None:
    from changemaker.core.models import Role

    officer = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("consultations:create")
    form = officer.get(url, **HOST).content.decode()
    assert 'name="min_participants"' in form and 'value="7"' in form
    data = {
        "question": "Should the library open on Sundays?",
        "slug": "library",
        "days": "28",
        "moderation": "after",
        "audience": "anyone",
        "min_participants": "4",
    }
    refused = officer.post(url, data, **HOST).content.decode()
    assert "Enter 5 or more, so that nobody" in refused and "govuk-error-summary" in refused
    assert not Consultation.objects.filter(slug="library").exists()
    officer.post(url, {**data, "min_participants": "12"}, **HOST)
    assert Consultation.objects.get(slug="library").min_participants == 12


def test_taking_part_counts_statements_with_plurals(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation(seeds=["Only statement", "Another one"])
    c.statements.filter(number=1).delete()
    page = client.get(reverse("consultations:take-part", args=[c.slug]), **HOST).content.decode()
    assert "You have voted on 0 of 1 statement." in page and "1 statements" not in page
