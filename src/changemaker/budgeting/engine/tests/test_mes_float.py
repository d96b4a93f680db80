"""The all-float MES pass (with its error bounds) must give the exact pass's selection
whenever it gives one, and must give one on ordinary elections (else it would be useless)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.budgeting.engine.build import make_election
from changemaker.budgeting.engine.mes import Mes
from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.pabulib import read_pabulib
from changemaker.budgeting.engine.profile import Profile
from changemaker.budgeting.engine.rules import count, tie_order
from changemaker.budgeting.engine.tests.test_hypothesis_ties import elections

FIXTURES = Path(__file__).parent / "fixtures"


def mes(e: Election, utility: str = "cost", tie: str = "lexicographic") -> Mes:
    order = tie_order(e, tie)  # type: ignore[arg-type]
    rank = [0] * len(order)
    for pos, j in enumerate(order):
        rank[j] = pos
    return Mes(e, Profile(e, utility), rank)  # type: ignore[arg-type]


def agree(e: Election, per_voter: Fraction, utility: str = "cost", tie: str = "cost") -> bool:
    """The float pass equals the exact pass if it answers; True if it answered."""
    m = mes(e, utility, tie)
    fast = m.run_float(per_voter)
    exact, _ = m.run(per_voter, trace=True)  # with a trace: always exact
    if fast is not None:
        assert fast == exact, (fast, exact)
    return fast is not None


@st.composite
def awkward(draw: Any) -> Election:
    """Many voters, uneven costs: few exact ties, many voters run out of money."""
    k = draw(st.integers(2, 8))
    costs = draw(st.lists(st.integers(1, 10**6), min_size=k, max_size=k))
    cents = draw(st.lists(st.integers(0, 99), min_size=k, max_size=k))
    projects = [
        (f"p{i}", Fraction(c) + Fraction(ct, 100))
        for i, (c, ct) in enumerate(zip(costs, cents, strict=True))
    ]
    n = draw(st.integers(1, 60))
    ballots = [
        draw(st.lists(st.sampled_from([p for p, _ in projects]), unique=True, min_size=1))
        for _ in range(n)
    ]
    budget = draw(st.integers(1, sum(costs) + 1))
    return make_election(projects, budget, ballots)


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(awkward(), st.sampled_from(["cost", "cardinality"]), st.integers(0, 3000))
def test_float_pass_equals_exact_pass(e: Election, utility: str, extra: int) -> None:
    agree(e, e.budget / e.num_voters + extra, utility)


@SETTINGS
@given(elections("approval"), st.sampled_from(["cost", "cardinality"]), st.integers(0, 5))
def test_float_pass_on_ties_equals_exact_pass(e: Election, utility: str, extra: int) -> None:
    if e.num_voters:
        agree(e, e.budget / e.num_voters + extra, utility, "lexicographic")


@SETTINGS
@given(elections("cumulative"), st.integers(0, 5))
def test_float_pass_with_points_equals_exact_pass(e: Election, extra: int) -> None:
    if e.num_voters:
        agree(e, e.budget / e.num_voters + extra, "points", "votes")


@pytest.mark.parametrize(
    "name", ["Poland_Warszawa_2020_Praga-Poludnie.pb", "Poland_Wieliczka_2023_Green_Budget.pb"]
)
@pytest.mark.parametrize("utility", ["cost", "cardinality"])
def test_float_pass_answers_on_real_files(name: str, utility: str) -> None:
    e = read_pabulib(FIXTURES / name)
    start = e.budget / e.num_voters
    assert all(agree(e, start + k, utility) for k in (0, 1, 7, 100))


def test_add1_with_a_trace_gives_the_same_outcome() -> None:
    e = read_pabulib(FIXTURES / "Poland_Swiecie_2023.pb")
    plain = count(e, rule="mes", completion="add1")
    traced = count(e, rule="mes", completion="add1", trace=True)
    assert plain.selected == traced.selected and plain.passes == traced.passes > 1
    assert traced.trace is not None and traced.trace.per_voter_budget == traced.per_voter_budget
    assert [e.projects[r.project].id for r in traced.trace.rounds] == list(traced.mes_selected)
