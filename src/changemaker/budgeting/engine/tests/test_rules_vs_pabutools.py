"""Real elections: identical selections to pabutools for every rule, utility and completion."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.pabulib import read_pabulib
from changemaker.budgeting.engine.rules import count
from changemaker.budgeting.engine.tests import oracle

FIXTURES = Path(__file__).parent / "fixtures"
APPROVAL = [
    "Netherlands_Assen_2024.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "US_Stanford_Dataset_PB_Cambridge_2019_vote_approvals.pb",
    "Poland_Warszawa_2020_Praga-Poludnie.pb",
]
CUMULATIVE = ["Switzerland_Zurich_D10.pb"]


@cache
def ours(name: str) -> Election:
    return read_pabulib(FIXTURES / name)


@cache
def theirs(name: str) -> tuple[Any, Any]:
    instance, profile = oracle.load(path=str(FIXTURES / name))
    return instance, profile.as_multiprofile()


def check(name: str, **kw: str) -> None:
    e = ours(name)
    instance, profile = theirs(name)
    expected = oracle.select(instance, profile, **kw)
    got = count(e, **kw).selected  # type: ignore[arg-type]
    zero = {p.id for p in e.projects if p.cost == 0}
    assert oracle.same(kw.get("rule", "greedy"), got, expected, zero), (got, expected)


@pytest.mark.parametrize("tie", ["lexicographic", "cost", "votes"])
@pytest.mark.parametrize("utility", ["cost", "cardinality"])
@pytest.mark.parametrize("name", APPROVAL[:4] + CUMULATIVE)
def test_greedy(name: str, utility: str, tie: str) -> None:
    check(name, rule="greedy", utility=utility, tie_break=tie)


def test_greedy_praga_poludnie() -> None:
    # pabutools needs ~15 s here, so one configuration only; the benchmark does the rest
    check("Poland_Warszawa_2020_Praga-Poludnie.pb", rule="greedy", utility="cost")


@pytest.mark.parametrize("utility", ["cost", "cardinality"])
@pytest.mark.parametrize("name", APPROVAL[:4] + CUMULATIVE)
def test_mes(name: str, utility: str) -> None:
    check(name, rule="mes", utility=utility)


@pytest.mark.parametrize("name", APPROVAL[:4])
def test_phragmen(name: str) -> None:
    check(name, rule="phragmen")


@pytest.mark.parametrize("rule", ["greedy", "mes"])
def test_points(rule: str) -> None:
    check("Switzerland_Zurich_D10.pb", rule=rule, utility="points")


@pytest.mark.parametrize(
    ("completion", "stop", "start"),
    [
        ("add1", "exhaustive", "exact"),
        ("add1", "overspend", "exact"),
        ("add1", "overspend", "floor"),
        ("add1u", "exhaustive", "floor"),
    ],
)
def test_assen_completions(completion: str, stop: str, start: str) -> None:
    check(
        "Netherlands_Assen_2024.pb",
        rule="mes",
        completion=completion,
        add1_stop=stop,
        add1_start=start,
    )
