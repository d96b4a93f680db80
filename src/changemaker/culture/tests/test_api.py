"""The open-data API gives each closed wave's organisation-wide score per norm, and nothing
per team: only the top of the chart, only cells the engine published."""

from __future__ import annotations

from django.test import Client

from changemaker.culture.models import Wave

HOST = {"HTTP_HOST": "exampleton.test"}


def test_only_the_organisation_and_only_published_cells(closed_wave: Wave, client: Client) -> None:
    rows = client.get("/api/culture/norm-scores", **HOST).json()["items"]
    cells = closed_wave.report.data["cells"]
    published = [
        c for c in cells if c["unit"] == "ORG" and c["breakdown"] is None and not c["suppressed"]
    ]
    assert published and len(rows) == len(published)
    assert {r["norm"] for r in rows} == {c["scale"] for c in published}
    assert {r["respondents"] for r in rows} == {sum((8, 2, 3, 9, 1))}
    assert all(r["wave"] == "2026" and r["survey"] == "Staff survey" for r in rows)
    assert "Reablement" not in client.get("/api/culture/norm-scores?format=csv", **HOST).text


def test_nothing_while_a_wave_is_open(closed_wave: Wave, client: Client) -> None:
    Wave.objects.filter(pk=closed_wave.pk).update(status=Wave.Status.OPEN)
    assert client.get("/api/culture/norm-scores", **HOST).json()["count"] == 0
