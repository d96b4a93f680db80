"""Explanations: reasons per project, group shares, EJR check."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from changemaker.budgeting.engine.build import make_election
from changemaker.budgeting.engine.explain import ejr_violations, explain, group_shares
from changemaker.budgeting.engine.pabulib import read_pabulib
from changemaker.budgeting.engine.rules import count

FIXTURES = Path(__file__).parent / "fixtures"


def test_greedy_says_how_much_was_left() -> None:
    e = make_election([("a", 6), ("b", 5), ("c", 3)], 10, [["a"], ["a"], ["b"], ["c"]])
    out = count(e, rule="greedy")
    assert out.selected == ("a", "c")
    why = {x.project_id: x for x in explain(e, out)}
    assert why["a"].funded and not why["b"].funded
    assert why["b"].money_left == 4
    assert "only 4 was left" in why["b"].reason and "costs 5" in why["b"].reason


def test_mes_names_who_took_the_money() -> None:
    # voters 1-2 like a and b; a is bought with all their money, b cannot be paid for
    e = make_election([("a", 6), ("b", 6), ("c", 4)], 12, [["a", "b"], ["a", "b"], ["c"]])
    out = count(e, rule="mes")
    why = {x.project_id: x for x in explain(e, out)}
    assert why["a"].funded and why["c"].funded and not why["b"].funded
    assert why["b"].supporters_money == 2  # each had 4, paid 3 for a
    assert why["b"].took_their_money == "a" and why["b"].taken == 6
    assert "went to project a" in why["b"].reason


def test_swiecie_every_unfunded_project_is_explained() -> None:
    e = read_pabulib(FIXTURES / "Poland_Swiecie_2023.pb")
    out = count(e, rule="mes", completion="add1", trace=True)
    why = explain(e, out)
    assert len(why) == len(e.projects)
    for x in why:
        if not x.funded:
            assert x.supporters_money is not None and x.supporters_money < x.cost


def test_group_shares_add_up() -> None:
    e = read_pabulib(FIXTURES / "Switzerland_Zurich_D10.pb")
    out = count(e, rule="greedy")
    shares = group_shares(e, out)
    assert sum(s.voters for s in shares) == e.num_voters
    assert sum((s.fair_share for s in shares), Fraction(0)) == e.budget
    assert sum((s.received for s in shares), Fraction(0)) == out.cost


def test_ejr() -> None:
    # 2 of 4 voters approve x and y (cost 1 each, budget 4): they deserve 2 projects
    e = make_election([("x", 1), ("y", 1), ("z", 2)], 4, [["x", "y"], ["x", "y"], ["z"], ["z"]])
    assert ejr_violations(e, ["x", "y", "z"]) == []
    assert ("x", "y") in (ejr_violations(e, ["x", "z"]) or [])
    mes = count(e, rule="mes", utility="cardinality")
    assert ejr_violations(e, mes.selected) == []
