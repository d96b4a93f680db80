"""The open-data API (core.api): a valid OpenAPI 3.1 schema with the licence, every registered
router mounted, pages with a limit, JSON or CSV, public cache headers, a throttle, no
interactive documentation (its scripts would come from a CDN)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client, override_settings
from openapi_spec_validator import validate

from changemaker.core import api
from changemaker.core.models import Council
from changemaker.core.registry import CAPABILITIES

HOST = {"HTTP_HOST": "exampleton.test"}


def _wards(council: Council, n: int) -> None:
    for i in range(n):
        council.wards.create(name=f"Ward {i:03d}", code=f"E05{i:06d}")


def test_the_schema_is_valid_openapi_3_1_and_says_the_licence(
    council: Council, client: Client
) -> None:
    response = client.get("/api/openapi.json", **HOST)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    validate(schema)  # raises on anything invalid
    assert schema["info"]["license"]["name"] == "Open Government Licence v3.0"
    assert "/api/council/" in schema["paths"] and "/api/council/wards" in schema["paths"]
    for label, capability in CAPABILITIES.items():  # every router is mounted under its label
        if capability.api is not None:
            assert any(p.startswith(f"/api/{label}/") for p in schema["paths"]), label
    for operations in schema["paths"].values():
        assert set(operations) == {"get"}  # read-only


def test_the_council_and_its_wards(council: Council, client: Client) -> None:
    _wards(council, 2)
    body = client.get("/api/council/", **HOST).json()
    assert body["name"] == "Exampleton Borough Council"
    assert body["wards"] == [
        {"name": "Ward 000", "code": "E05000000"},
        {"name": "Ward 001", "code": "E05000001"},
    ]
    assert "contact_email" not in body and "@" not in str(body)


def test_lists_are_paged_with_a_limit(council: Council, client: Client) -> None:
    _wards(council, 7)
    page = client.get("/api/council/wards?limit=3&offset=5", **HOST).json()
    assert (page["count"], page["limit"], page["offset"]) == (7, 3, 5)
    assert [w["name"] for w in page["items"]] == ["Ward 005", "Ward 006"]
    assert client.get("/api/council/wards", **HOST).json()["limit"] == api.DEFAULT_LIMIT
    big = client.get(f"/api/council/wards?limit={api.MAX_LIMIT}", **HOST)
    assert big.status_code == 200
    for query in (f"limit={api.MAX_LIMIT + 1}", "limit=0", "offset=-1", "format=xml"):
        refused = client.get(f"/api/council/wards?{query}", **HOST)
        assert refused.status_code == 422, query
        [problem] = refused.json()["detail"]
        assert problem["loc"] == ["query", query.split("=")[0]]  # says which parameter


def test_a_list_as_csv(council: Council, client: Client) -> None:
    _wards(council, 3)
    response = client.get("/api/council/wards?format=csv&limit=2", **HOST)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="wards.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["name", "code"], ["Ward 000", "E05000000"], ["Ward 001", "E05000001"]]


def test_answers_are_public_and_cacheable(council: Council, client: Client) -> None:
    response = client.get("/api/council/wards", **HOST)
    assert "public" in response["Cache-Control"]
    assert f"max-age={api.CACHE_SECONDS}" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    missing = client.get("/api/council/nothing-here", **HOST)
    assert missing.status_code == 404 and "public" not in missing.get("Cache-Control", "")


@pytest.mark.django_db
@override_settings(CHANGEMAKER_THROTTLES={"api.read": "3/minute"})
def test_the_api_is_throttled_per_address(council: Council) -> None:
    one, other = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert [one.get("/api/council/", **HOST).status_code for _ in range(3)] == [200] * 3
    refused = one.get("/api/council/", **HOST)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and "Wait" in refused.json()["detail"]
    assert other.get("/api/council/", **HOST).status_code == 200


def test_no_interactive_documentation(council: Council, client: Client) -> None:
    assert client.get("/api/docs", **HOST).status_code == 404
