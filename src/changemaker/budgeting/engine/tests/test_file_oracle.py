"""The agreement run's faster oracle (``oracle.FileOracle``) answers exactly as ``select``.

FileOracle runs pabutools' iterated MES once for both add1 stops and both completions, and
reuses the lexicographic run for the other tie-breaking rules when that run broke no tie; the
small random elections here are full of ties, so both paths are exercised.
"""

from __future__ import annotations

from fractions import Fraction

from gmpy2 import mpq
from hypothesis import given
from hypothesis import strategies as st

from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.pabulib import election_to_pabulib
from changemaker.budgeting.engine.tests import oracle
from changemaker.budgeting.engine.tests.test_hypothesis_ties import SETTINGS, TIES, elections


def check(e: Election, **kw: str) -> None:
    inst, prof = oracle.load(text=election_to_pabulib(e))
    expected = oracle.select(inst, prof, **kw)
    got, _derived = oracle.FileOracle(inst, prof.as_multiprofile()).select(**kw)
    # pabutools buys cost-0 projects in set order (string hashes differ per process), so
    # those are compared as a set, everything else in order.
    zero = {p.id for p in e.projects if p.cost == 0}
    assert oracle.same(kw["rule"], got, expected, zero), (kw, got, expected)


@SETTINGS
@given(
    elections("approval"),
    st.sampled_from(["cost", "cardinality"]),
    st.sampled_from(["none", "add1", "add1u"]),
    st.sampled_from(["exhaustive", "overspend"]),
    st.sampled_from(["exact", "floor"]),
    TIES,
)
def test_mes_approval(
    e: Election, utility: str, completion: str, stop: str, start: str, tie: str
) -> None:
    kw = {"completion": completion, "add1_stop": stop, "add1_start": start, "tie_break": tie}
    check(e, rule="mes", utility=utility, **kw)


@SETTINGS
@given(elections("approval"), TIES)
def test_phragmen(e: Election, tie: str) -> None:
    got, _ = oracle.FileOracle(*_multi(e)).select(rule="phragmen", tie_break=tie)
    inst, prof = oracle.load(text=election_to_pabulib(e))
    assert sorted(got) == sorted(oracle.select(inst, prof, rule="phragmen", tie_break=tie))


@SETTINGS
@given(
    elections("cumulative"),
    st.sampled_from(["add1", "add1u"]),
    st.sampled_from(["exhaustive", "overspend"]),
    TIES,
)
def test_cumulative_points_add1(e: Election, completion: str, stop: str, tie: str) -> None:
    kw = {"completion": completion, "add1_stop": stop, "tie_break": tie}
    check(e, rule="mes", utility="points", **kw)


@SETTINGS
@given(elections("approval"), st.sampled_from(["cost", "cardinality"]), TIES)
def test_mes_at_a_pass_is_mes_at_that_budget(e: Election, utility: str, tie: str) -> None:
    """``mes_at`` (the agreement run's --passes) answers as MES with the budget of that pass."""
    inst, prof = oracle.load(text=election_to_pabulib(e))
    n = prof.num_ballots()
    per_voter = Fraction(e.budget + 3, n) if n else Fraction(0)
    got, _ = oracle.FileOracle(inst, prof.as_multiprofile()).mes_at(utility, tie, per_voter)
    inst.budget_limit = mpq(str(per_voter * n))
    expected = oracle.select(inst, prof, rule="mes", utility=utility, tie_break=tie)
    zero = {p.id for p in e.projects if p.cost == 0}
    assert oracle.same("mes", [p.name for p in got], expected, zero)


@SETTINGS
@given(elections("ordinal"), TIES)
def test_borda_greedy(e: Election, tie: str) -> None:
    check(e, rule="greedy", utility="borda", tie_break=tie)


def test_a_tie_free_run_answers_for_every_tie_break() -> None:
    """Two voters, no ties anywhere: the cost and votes answers come from the lexicographic run."""
    text = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
    text += "a;6\nb;5\nVOTES\nvoter_id;vote\nv1;a\nv2;a,b\nv3;b\nv4;a\n"
    inst, prof = oracle.load(text=text)
    fo = oracle.FileOracle(inst, prof.as_multiprofile())
    assert fo.select(rule="mes", completion="add1", tie_break="lexicographic") == (["a"], False)
    assert fo.select(rule="mes", completion="add1", tie_break="votes") == (["a"], True)


def _multi(e: Election) -> tuple[object, object]:
    inst, prof = oracle.load(text=election_to_pabulib(e))
    return inst, prof.as_multiprofile()
