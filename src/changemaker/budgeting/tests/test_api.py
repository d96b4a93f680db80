"""The open-data API gives the ideas anyone may see (not one waiting to be checked), and results
only from the results phase on (not while voting, even if a count exists)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from changemaker.budgeting.models import Count, Process, Project
from changemaker.core.models import Role, User

HOST = {"HTTP_HOST": "exampleton.test"}


def _items(client: Client, url: str) -> list[dict[str, object]]:
    response = client.get(url, **HOST)
    assert response.status_code == 200
    return response.json()["items"]  # type: ignore[no-any-return]


def _count(process: Process) -> None:
    Count.objects.create(
        process=process,
        heading=process.headings.get(),
        rule="greedy",
        voters=0,
        selected=["P1"],
        cost=4000,
    )


def test_ideas_are_the_published_ones_without_their_authors(
    make_process: Callable[..., Process], make_user: Callable[..., User], client: Client
) -> None:
    process = make_process("review")
    Project.objects.create(
        process=process,
        heading=process.headings.get(),
        code="P9",
        title="Waiting to be checked",
        description="d",
        rough_cost=100,
        author=make_user(Role.RESIDENT),
    )
    ideas = _items(client, f"/api/budgeting/processes/{process.slug}/ideas")
    assert [i["code"] for i in ideas] == ["P1", "P2", "P3"]
    assert all("author" not in i for i in ideas)


def test_results_only_once_they_are_out(
    make_process: Callable[..., Process], client: Client
) -> None:
    voting, out = make_process("voting"), make_process("results")
    _count(voting)
    _count(out)
    assert _items(client, f"/api/budgeting/processes/{voting.slug}/results") == []
    results = _items(client, f"/api/budgeting/processes/{out.slug}/results")
    assert [(r["code"], r["funded"], r["votes"]) for r in results] == [
        ("P1", True, 0),
        ("P2", False, 0),
        ("P3", False, 0),
    ]
    assert client.get("/api/budgeting/processes/no-such/ideas", **HOST).status_code == 404
