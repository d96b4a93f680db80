"""Ward maps on the ideas and results pages: ideas by ward and funded money by ward, drawn
from the wards' boundaries with a table of the same numbers (a ward without a boundary is in
the table only)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.budgeting.models import Process, Project
from changemaker.budgeting.tests.test_results import _count, _vote
from changemaker.core import actions
from changemaker.core.models import Ward
from changemaker.core.tests.factories import WardFactory
from changemaker.core.tests.test_ward_maps import collection, feature, square

HOST = {"HTTP_HOST": "exampleton.test"}


def _wards(process: Process) -> tuple[Ward, Ward]:
    abbey = Ward.objects.get(name="Abbey")
    castle = WardFactory(council=process.council, name="Castle Hill", code="E05099002")
    WardFactory(council=process.council, name="Quay", code="E05099003")  # no boundary
    data = collection(
        feature("E05099001", "Abbey", square(-1.9, 52.6)),
        feature("E05099002", "Castle Hill", square(-1.89, 52.6)),
    )
    actions.import_ward_boundaries(process.council, data, file="w", by=None)
    return abbey, castle


def _map(page: str, map_id: str) -> tuple[str, str]:
    block = page.split(f'id="{map_id}"')[1]
    return block.split("</svg>")[0], block.split("<table")[1].split("</table>")[0]


def test_the_ideas_page_maps_ideas_by_ward(
    make_process: Callable[..., Process], client: Client
) -> None:
    process = make_process(phase="voting")
    abbey, _castle = _wards(process)
    Project.objects.filter(code__in=["P1", "P2"]).update(ward=abbey)
    page = client.get(reverse("budgeting:ideas", args=[process.slug]), **HOST).text
    svg, table = _map(page, "ideas-map")
    assert "<title>Abbey: 2</title>" in svg and "<title>Castle Hill: 0</title>" in svg
    assert "Quay" not in svg and re.search(r"Quay.*?</th><td[^>]*>0</td>", table, re.S)
    assert re.search(r"Whole area or no ward given</th><td[^>]*>1</td>", table)


def test_the_results_page_maps_the_funded_money_by_ward(
    make_process: Callable[..., Process], client: Client
) -> None:
    process = make_process(phase="results", rule="greedy")  # P1 £4000, P2 £5000, P3 £6000
    abbey, castle = _wards(process)
    Project.objects.filter(code="P1").update(ward=abbey)
    Project.objects.filter(code__in=["P2", "P3"]).update(ward=castle)
    _vote(process, abbey, ["P1"], 12)
    _vote(process, castle, ["P3"], 10)
    assert _count(process).selected == ["P1", "P3"]
    page = client.get(reverse("budgeting:results", args=[process.slug]), **HOST).text
    svg, table = _map(page, "funded-map")
    assert "<title>Abbey: £4,000</title>" in svg and "<title>Castle Hill: £6,000</title>" in svg
    assert re.search(r"Castle Hill.*?</th><td[^>]*>£6,000</td>", table, re.S)
    assert "£1 to £2,000" in page.split('id="funded-map"')[1]
