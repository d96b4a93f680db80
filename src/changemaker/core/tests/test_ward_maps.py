"""Ward maps: boundaries imported from an ONS GeoJSON file (all or nothing, errors with the
feature number and property) and the choropleth that core's {% ward_map %} tag draws, always
with a table of the same numbers; hidden (suppressed) numbers never appear."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.core import actions, wardmap
from changemaker.core.geo import BoundaryError, read_boundaries, simplify
from changemaker.core.models import AuditEvent, Council, Role, Ward
from changemaker.core.tests.factories import WardFactory

HOST = {"HTTP_HOST": "exampleton.test"}
DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "exampleton_wards.geojson"


def square(x: float, y: float, size: float = 0.01) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def feature(code: str, name: str, ring: Any, year: str = "24") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {f"WD{year}CD": code, f"WD{year}NM": name},
        "geometry": {"type": "Polygon", "coordinates": ring},
    }


def collection(*features: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


@pytest.fixture
def wards(council: Council) -> list[Ward]:
    return [
        WardFactory(council=council, name="Abbey", code="E05099001"),
        WardFactory(council=council, name="Castle Hill", code="E05099002"),
    ]


def boundaries(council: Council) -> dict[str, Any]:
    return dict(Ward.objects.filter(council=council).values_list("code", "boundary"))


# Reading and importing ------------------------------------------------------------------------


def test_a_national_file_keeps_the_councils_wards_by_code_any_year(
    council: Council, wards: list[Ward]
) -> None:
    data = collection(
        feature("E05099001", "Abbey", square(-1.9, 52.6), year="23"),
        feature("E05000999", "Elsewhere", square(0.1, 51.5), year="23"),
        feature("E05099002", "Castle Hill", square(-1.89, 52.6), year="23"),
    )
    result = actions.import_ward_boundaries(council, data, file="wards.geojson", by=None)
    assert result == {"drawn": ["Abbey", "Castle Hill"], "missing": []}
    stored = boundaries(council)
    assert stored["E05099001"]["type"] == "MultiPolygon"
    assert stored["E05099001"]["coordinates"][0][0][0] == [-1.9, 52.6]
    event = AuditEvent.objects.get(action="ward.boundaries_imported")
    assert event.detail == {"drawn": 2, "without": 0}


def test_a_ward_missing_from_the_file_is_named_and_keeps_no_boundary(
    council: Council, wards: list[Ward]
) -> None:
    data = collection(feature("E05099001", "Abbey", square(-1.9, 52.6)))
    result = actions.import_ward_boundaries(council, data, file="w.geojson", by=None)
    assert result["missing"] == ["Castle Hill"]
    assert boundaries(council)["E05099002"] is None


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        ({"type": "Feature"}, "w.geojson, feature 2, property 'properties'"),
        (
            {**feature("E05099002", "x", square(0, 0)), "properties": {"NAME": "x"}},
            "w.geojson, feature 2, property 'properties': the feature has no ward code",
        ),
        (feature("12", "x", square(0, 0)), "w.geojson, feature 2, property 'WD24CD'"),
        (
            feature("E05099002", "x", [[[400000, 100000], [1, 1], [2, 2], [400000, 100000]]]),
            "feature 2, property 'geometry': positions must be longitude and latitude",
        ),
        (
            feature("E05099002", "x", [[[0, 0], [1, 1], [2, 0], [3, 3]]]),
            "feature 2, property 'geometry': each ring must end where it starts",
        ),
        (
            {**feature("E05099002", "x", square(0, 0)), "geometry": {"type": "Point"}},
            "feature 2, property 'geometry': the ward's geometry must be a Polygon",
        ),
    ],
)
def test_a_bad_feature_says_where_and_nothing_is_stored(
    council: Council, wards: list[Ward], bad: dict[str, Any], where: str
) -> None:
    data = collection(feature("E05099001", "Abbey", square(-1.9, 52.6)), bad)
    with pytest.raises(BoundaryError) as caught:
        actions.import_ward_boundaries(council, data, file="w.geojson", by=None)
    assert where in str(caught.value)
    assert boundaries(council) == {"E05099001": None, "E05099002": None}
    assert not AuditEvent.objects.filter(action="ward.boundaries_imported").exists()


def test_not_geojson_and_no_matching_ward_are_explained(wards: list[Ward]) -> None:
    with pytest.raises(BoundaryError, match=r"w.geojson: this is not a GeoJSON file \(line 1"):
        read_boundaries(b"{nope", file="w.geojson", codes=["E05099001"])
    with pytest.raises(BoundaryError, match="must be a GeoJSON FeatureCollection"):
        read_boundaries(b"[]", file="w.geojson", codes=["E05099001"])
    with pytest.raises(BoundaryError, match="no feature has the code of one of the council"):
        read_boundaries(
            collection(feature("E05000999", "x", square(0, 0))), file="w", codes=["E05099001"]
        )


def test_douglas_peucker_drops_what_nobody_would_see_and_keeps_the_corners() -> None:
    wiggle = [[i / 100, 0.00001 * (i % 2)] for i in range(101)]
    assert simplify(wiggle, 0.0001) == [[0.0, 0.0], [1.0, 0.0]]
    corner = [[0, 0], [0.5, 0.00001], [1, 0], [1, 1]]
    assert simplify(corner, 0.0001) == [[0, 0], [1, 0], [1, 1]]


def test_the_command_imports_or_says_where(council: Council, wards: list[Ward], tmp_path: Path):
    good = tmp_path / "good.geojson"
    good.write_bytes(collection(feature("E05099001", "Abbey", square(-1.9, 52.6))))
    out = StringIO()
    call_command("import_ward_boundaries", str(good), council="exampleton", stdout=out)
    assert "Boundaries stored for 1 ward(s)" in out.getvalue()
    assert "No boundary in the file for: Castle Hill" in out.getvalue()
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(collection({"type": "Feature"}))
    with pytest.raises(CommandError, match=r"bad\.geojson, feature 1, property 'properties'"):
        call_command("import_ward_boundaries", str(bad), council="exampleton")


def test_the_demo_boundaries_cover_exampletons_wards(council: Council) -> None:
    from changemaker.core.management.commands.load_demo import WARDS

    for name, code, _districts in WARDS:
        WardFactory(council=council, name=name, code=code)
    result = actions.import_ward_boundaries(council, DEMO.read_bytes(), file="demo", by=None)
    assert result["missing"] == [] and len(result["drawn"]) == 6


# The admin page -------------------------------------------------------------------------------


def upload(client: Client, data: bytes) -> Any:
    return client.post(
        reverse("core:ward-boundaries"),
        {"file": SimpleUploadedFile("wards.geojson", data)},
        **HOST,
    )


def test_the_council_admin_imports_boundaries(
    council: Council, wards: list[Ward], client_as: Callable[..., Client]
) -> None:
    client = client_as(Role.COUNCIL_ADMIN)
    page = client.get(reverse("core:ward-boundaries"), **HOST)
    assert page.status_code == 200 and "Import ward boundaries" in page.text
    done = upload(client, collection(feature("E05099001", "Abbey", square(-1.9, 52.6))))
    assert done.status_code == 302
    assert boundaries(council)["E05099001"] is not None
    refused = upload(client, collection(feature("E05099002", "x", [[[0, 0], [1, 1]]])))
    assert refused.status_code == 200 and "There is a problem" in refused.text
    assert "wards.geojson, feature 1, property &#x27;geometry&#x27;" in refused.text
    assert boundaries(council)["E05099002"] is None


def test_a_file_too_big_for_the_page_points_to_the_command(
    council: Council, wards: list[Ward], client_as: Callable[..., Client]
) -> None:
    big = collection(feature("E05099001", "Abbey", square(-1.9, 52.6))) + b" " * (10 << 20)
    refused = upload(client_as(Role.COUNCIL_ADMIN), big)
    assert refused.status_code == 200 and "larger than 10 MB" in refused.text
    assert "manage.py import_ward_boundaries" in refused.text
    assert boundaries(council)["E05099001"] is None


RING = st.lists(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(-200, 200),
            st.booleans(),
            st.none(),
        ),
        max_size=3,
    ),
    max_size=6,
)
FEATURE = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["Feature", "feature", 3]),
        "properties": st.one_of(
            st.none(),
            st.dictionaries(
                st.sampled_from(["WD24CD", "wd21cd", "WD24NM", "X"]),
                st.one_of(st.sampled_from(["E05099001", "E05099002", "e05099001 "]), st.none()),
            ),
        ),
        "geometry": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {
                    "type": st.sampled_from(["Polygon", "MultiPolygon", "Point"]),
                    "coordinates": st.one_of(
                        st.lists(RING, max_size=2),
                        st.just(square(-1.9, 52.6)),
                        st.just([square(-1.9, 52.6)]),
                    ),
                }
            ),
        ),
    }
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=80),
        st.lists(FEATURE, max_size=4).map(
            lambda fs: json.dumps({"type": "FeatureCollection", "features": fs}).encode()
        ),
    )
)
def test_fuzzed_files_never_fail_and_never_half_write(
    data: bytes, council: Council, client_as: Callable[..., Client]
) -> None:
    for name, code in (("Abbey", "E05099001"), ("Castle Hill", "E05099002")):
        Ward.objects.get_or_create(code=code, defaults={"council": council, "name": name})
    Ward.objects.update(boundary=None)
    client = getattr(test_fuzzed_files_never_fail_and_never_half_write, "client", None)
    if client is None:
        client = client_as(Role.COUNCIL_ADMIN)
        test_fuzzed_files_never_fail_and_never_half_write.client = client  # type: ignore[attr-defined]
    response = upload(client, data)
    assert response.status_code in {200, 302}
    stored = {code: b for code, b in boundaries(council).items() if b is not None}
    if response.status_code == 200:  # refused: nothing stored, and said where
        assert "There is a problem" in response.text and not stored
    else:
        assert stored and all(b["type"] == "MultiPolygon" for b in stored.values())


# Drawing --------------------------------------------------------------------------------------


def render(m: wardmap.WardMap) -> str:
    return Template("{% load wardmaps %}{% ward_map m %}").render(Context({"m": m}))


def svg_of(html: str) -> str:
    found = re.search(r"<svg class=\"cm-ward-map__svg\".*?</svg>", html, re.S)
    assert found, "no map drawn"
    return found.group(0)


def drawn_council(council: Council) -> list[Ward]:
    wards = [
        WardFactory(council=council, name=n, code=c)
        for n, c in [("Abbey", "E05099001"), ("Castle Hill", "E05099002"), ("Quay", "E05099003")]
    ]
    data = collection(
        feature("E05099001", "Abbey", square(-1.9, 52.6)),
        feature("E05099002", "Castle Hill", square(-1.89, 52.6)),
    )
    actions.import_ward_boundaries(council, data, file="w", by=None)
    return wards


def test_the_map_has_title_desc_key_and_every_ward_with_its_table(council: Council) -> None:
    abbey, castle, quay = drawn_council(council)
    m = wardmap.build(
        council,
        {abbey: 12, castle: 3, quay: 7},
        title="Ideas by ward",
        description="How many ideas each ward has.",
        value_heading="Ideas",
    )
    html = render(m)
    svg = svg_of(html)
    assert '<title id="ward-map-title">Ideas by ward</title>' in svg
    assert "How many ideas each ward has." in re.search(r"<desc.*?</desc>", svg, re.S).group(0)
    assert 'aria-labelledby="ward-map-title ward-map-desc"' in svg
    assert "<title>Abbey: 12</title>" in svg and "<title>Castle Hill: 3</title>" in svg
    assert svg.count("<path") == 2  # Quay has no boundary: not drawn ...
    assert re.search(r"Quay.*not on the map: no boundary.*?</th>\s*<td[^>]*>7</td>", html, re.S)
    key = re.search(r'<dl class="cm-ward-map__legend">.*?</dl>', html, re.S).group(0)
    assert "None (0)" in key and "11 to 15" in key and "1 to 5" in key
    table = re.search(r"<table.*?</table>", html, re.S).group(0)
    for name, number in [("Abbey", "12"), ("Castle Hill", "3"), ("Quay", "7")]:
        assert re.search(rf"{name}.*?</th><td[^>]*>{number}</td>", table, re.S)


def test_hidden_numbers_are_hatched_and_never_shown(council: Council) -> None:
    abbey, castle, quay = drawn_council(council)
    m = wardmap.build(
        council,
        {
            abbey: wardmap.Cell(None, "fewer than 10", hidden=True),
            castle: wardmap.Cell(40, "40"),
            quay: wardmap.Cell(None, "fewer than 10", hidden=True),
        },
        title="People flagged",
        description="People with a flag.",
        value_heading="People",
        hidden_label="fewer than 10 (hidden)",
    )
    html = render(m)
    svg = svg_of(html)
    assert "<title>Abbey: fewer than 10</title>" in svg
    assert 'fill="url(#ward-map-hatch)"' in svg
    assert "fewer than 10 (hidden)" in html
    numbers = set(re.findall(r">\s*(\d+)\s*<", html))
    assert numbers <= {"40"} | {str(n) for n in range(0, 60, 10)}


def test_a_council_without_boundaries_still_gets_the_table(council: Council) -> None:
    ward = WardFactory(council=council, name="Abbey", code="E05099001")
    html = render(
        wardmap.build(council, {ward: 5}, title="T", description="D", value_heading="Ideas")
    )
    assert "cm-ward-map__svg" not in html and "No ward boundaries have been imported" in html
    assert re.search(r"Abbey</th><td[^>]*>5</td>", html)
