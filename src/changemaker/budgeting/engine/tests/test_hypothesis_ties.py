"""Thousands of small random elections full of ties: identical selections to pabutools."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.pabulib import election_to_pabulib, parse_pabulib
from changemaker.budgeting.engine.rules import count
from changemaker.budgeting.engine.tests import oracle

IDS = ["1", "2", "10", "a", "B", "p9"]  # string order differs from numeric order


@st.composite
def elections(draw: Any, vote_type: str) -> Election:
    k = draw(st.integers(1, 6))
    ids = IDS[:k]
    costs = draw(st.lists(st.sampled_from([0, 1, 2, 2, 3, 3, 5, 6, 10]), min_size=k, max_size=k))
    budget = draw(st.integers(0, 16))
    n = draw(st.integers(0, 7))
    lines = [
        "META",
        "key;value",
        f"budget;{budget}",
        f"vote_type;{vote_type}",
        "PROJECTS",
        "project_id;cost",
    ]
    lines += [f"{i};{c}" for i, c in zip(ids, costs, strict=True)]
    lines += ["VOTES", "voter_id;vote" + (";points" if vote_type == "cumulative" else "")]
    for v in range(n):
        chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=k))
        if vote_type == "cumulative":
            chosen = chosen or [ids[0]]
            pts = draw(st.lists(st.integers(1, 3), min_size=len(chosen), max_size=len(chosen)))
            lines.append(f"v{v};{','.join(chosen)};{','.join(map(str, pts))}")
        else:
            lines.append(f"v{v};{','.join(chosen)}")
    return parse_pabulib("\n".join(lines) + "\n")


def check(e: Election, **kw: str) -> None:
    text = election_to_pabulib(e)
    inst, prof = oracle.load(text=text)
    theirs = oracle.select(inst, prof, **kw)
    ours = count(e, **kw).selected  # type: ignore[arg-type]
    zero = {p.id for p in e.projects if p.cost == 0}
    assert oracle.same(kw.get("rule", "greedy"), ours, theirs, zero), (kw, ours, theirs, text)


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TIES = st.sampled_from(["lexicographic", "cost", "votes"])


@SETTINGS
@given(elections("approval"), st.sampled_from(["cost", "cardinality"]), TIES)
def test_greedy_approval(e: Election, utility: str, tie: str) -> None:
    check(e, rule="greedy", utility=utility, tie_break=tie)


@SETTINGS
@given(elections("approval"), st.sampled_from(["cost", "cardinality"]), TIES)
def test_mes_approval(e: Election, utility: str, tie: str) -> None:
    check(e, rule="mes", utility=utility, tie_break=tie)


@SETTINGS
@given(elections("approval"), TIES)
def test_phragmen(e: Election, tie: str) -> None:
    check(e, rule="phragmen", tie_break=tie)


@SETTINGS
@given(
    elections("approval"),
    st.sampled_from(["cost", "cardinality"]),
    st.sampled_from(["add1", "add1u"]),
    st.sampled_from(["exhaustive", "overspend"]),
    st.sampled_from(["exact", "floor"]),
    TIES,
)
def test_mes_completions(
    e: Election, utility: str, completion: str, stop: str, start: str, tie: str
) -> None:
    check(
        e,
        rule="mes",
        utility=utility,
        completion=completion,
        add1_stop=stop,
        add1_start=start,
        tie_break=tie,
    )


@SETTINGS
@given(
    elections("approval"),
    st.sampled_from(["cost", "cardinality"]),
    st.sampled_from(["exhaustive", "overspend"]),
    st.sampled_from(["exact", "floor"]),
    TIES,
)
def test_add1u_starts_from_the_add1_outcome(
    e: Election, utility: str, stop: str, start: str, tie: str
) -> None:
    """add1u is add1's outcome filled greedily; ``bench/agreement.py --passes`` relies on it."""
    kw: dict[str, Any] = {"utility": utility, "add1_stop": stop, "add1_start": start}
    add1 = count(e, rule="mes", completion="add1", tie_break=tie, **kw)
    add1u = count(e, rule="mes", completion="add1u", tie_break=tie, **kw)
    assert add1u.mes_selected == add1.selected
    assert add1u.selected[: len(add1.selected)] == add1.selected
    assert (add1u.per_voter_budget, add1u.passes) == (add1.per_voter_budget, add1.passes)


@SETTINGS
@given(
    elections("cumulative"),
    st.sampled_from(["greedy", "mes"]),
    st.sampled_from(["cost", "cardinality", "points"]),
    TIES,
)
def test_cumulative(e: Election, rule: str, utility: str, tie: str) -> None:
    check(e, rule=rule, utility=utility, tie_break=tie)


@SETTINGS
@given(
    elections("cumulative"),
    st.sampled_from(["add1", "add1u"]),
    st.sampled_from(["exhaustive", "overspend"]),
    TIES,
)
def test_cumulative_points_add1(e: Election, completion: str, stop: str, tie: str) -> None:
    check(
        e,
        rule="mes",
        utility="points",
        completion=completion,
        add1_stop=stop,
        add1_start="exact",
        tie_break=tie,
    )


@SETTINGS
@given(
    elections("ordinal"),
    st.sampled_from(["greedy", "mes"]),
    st.sampled_from(["cost", "cardinality", "borda"]),
    TIES,
)
def test_ordinal(e: Election, rule: str, utility: str, tie: str) -> None:
    check(e, rule=rule, utility=utility, tie_break=tie)
