"""The open-data API's CSV of commitments: milestones read as words in one cell, not as
Python's text of a list of dictionaries."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client

from changemaker.core import commitments
from changemaker.core.models import Council
from changemaker.core.models.commitments import Commitment

from .conftest import HOST

pytestmark = pytest.mark.django_db


def _csv(client: Client, url: str) -> list[dict[str, str]]:
    response = client.get(url, **HOST)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_milestones_are_readable_in_the_csv(council: Council, client: Client) -> None:
    made = commitments.save_commitment(
        Commitment(council=council, title="Brighter street lights"), by=None
    )
    commitments.add_milestone(
        made,
        by=None,
        title="Design",
        title_cy="Dylunio",
        due=date(2027, 1, 31),
        done_on=date(2027, 2, 3),
    )
    commitments.add_milestone(made, by=None, title="Build", due=date(2027, 6, 30))

    [row] = _csv(client, "/api/listening/commitments?format=csv")
    assert row["milestones"] == (
        "Design (title_cy: Dylunio, due: 2027-01-31, done_on: 2027-02-03); Build (due: 2027-06-30)"
    )
    as_json = client.get("/api/listening/commitments", **HOST).json()["items"][0]
    assert [m["title"] for m in as_json["milestones"]] == ["Design", "Build"]  # JSON unchanged


def test_a_commitment_without_milestones_has_an_empty_cell(
    council: Council, client: Client
) -> None:
    commitments.save_commitment(Commitment(council=council, title="Cleaner parks"), by=None)
    [row] = _csv(client, "/api/listening/commitments?format=csv")
    assert row["milestones"] == ""
