"""pabutools 1.2.x as the oracle: the same count, run by the reference library.

Only the completion loop for the ``floor`` start of add1 (equalshares.net's convention) is
written here, around pabutools' own MES; everything else is a direct pabutools call.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from copy import deepcopy
from fractions import Fraction
from typing import Any

from gmpy2 import mpq
from pabutools.election import (
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    Cardinality_Sat,
    Cost_Sat,
)
from pabutools.election.pabulib import parse_pabulib, parse_pabulib_from_string
from pabutools.rules import (
    completion_by_rule_combination,
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)
from pabutools.tiebreaking import TieBreakingRule, lexico_tie_breaking

SAT = {
    "cost": Cost_Sat,
    "cardinality": Cardinality_Sat,
    "points": Additive_Cardinal_Sat,
    "borda": Additive_Borda_Sat,
}


def load(path: str | None = None, text: str | None = None) -> tuple[Any, Any]:
    if path is not None:
        return parse_pabulib(path)
    assert text is not None
    return parse_pabulib_from_string(text)


def _tie(profile: Any, tie_break: str) -> TieBreakingRule:
    if tie_break == "lexicographic":
        return lexico_tie_breaking
    votes: dict[str, int] = {}
    for ballot in profile:
        for p in ballot:
            votes[p.name] = votes.get(p.name, 0) + profile.multiplicity(ballot)
    if tie_break == "cost":
        return TieBreakingRule(lambda i, pr, p: (p.cost, -votes.get(p.name, 0), p.name))
    return TieBreakingRule(lambda i, pr, p: (-votes.get(p.name, 0), p.name))


def _mes_at(
    instance: Any, profile: Any, per_voter: Fraction, params: dict[str, Any], initial: Any = None
) -> list[Any]:
    inst = deepcopy(instance)
    inst.budget_limit = mpq(str(per_voter * profile.num_ballots()))
    return list(method_of_equal_shares(inst, profile, **params))


def _floor_add1(instance: Any, profile: Any, params: dict[str, Any], stop: str) -> list[Any]:
    """equalshares.net's add1: budget/n first, then floor(budget/n) + k per voter."""
    n = profile.num_ballots()
    if n == 0:
        return list(method_of_equal_shares(instance, profile, **params))
    start = Fraction(str(instance.budget_limit)) / n
    outcome = list(method_of_equal_shares(instance, profile, **params))
    sats = profile.as_sat_profile(params["sat_class"])
    eligible = [p for p in instance if p.cost > 0 and any(s.sat_project(p) > 0 for s in sats)]

    def exhaustive(sel: list[Any]) -> bool:
        spent = sum(p.cost for p in sel)
        return all(p in sel or spent + p.cost > instance.budget_limit for p in eligible)

    def cost(sel: list[Any]) -> Any:
        return sum(p.cost for p in sel)

    if stop == "exhaustive" and exhaustive(outcome):
        return outcome
    k = 1
    k_max = math.floor(instance.budget_limit)
    while stop == "exhaustive" or k <= k_max:
        new = _mes_at(instance, profile, Fraction(math.floor(start)) + k, params)
        if cost(new) > instance.budget_limit:
            return outcome
        outcome = new
        if stop == "exhaustive" and exhaustive(outcome):
            return outcome
        k += 1
    return outcome


def select(
    instance: Any,
    profile: Any,
    rule: str = "greedy",
    utility: str = "cost",
    completion: str = "none",
    add1_stop: str = "exhaustive",
    tie_break: str = "lexicographic",
    add1_start: str = "exact",
) -> list[str]:
    """Project names selected by pabutools, in its order."""
    tie = _tie(profile, tie_break)
    sat = SAT[utility]
    if rule == "greedy":
        return [
            p.name
            for p in greedy_utilitarian_welfare(instance, profile, sat_class=sat, tie_breaking=tie)
        ]
    if rule == "phragmen":
        return [p.name for p in sequential_phragmen(instance, profile, tie_breaking=tie)]
    params: dict[str, Any] = {"sat_class": sat, "tie_breaking": tie}
    if completion == "none":
        return [p.name for p in method_of_equal_shares(instance, profile, **params)]
    mes_rule: Callable[..., Any]
    if add1_start == "floor":

        def mes_rule(inst: Any, prof: Any, **kw: Any) -> Any:
            return _floor_add1(inst, prof, params, add1_stop)
    elif add1_stop == "exhaustive":

        def mes_rule(inst: Any, prof: Any, **kw: Any) -> Any:
            return method_of_equal_shares(inst, prof, voter_budget_increment=1, **params)
    else:

        def mes_rule(inst: Any, prof: Any, **kw: Any) -> Any:
            return exhaustion_by_budget_increase(
                inst,
                prof,
                method_of_equal_shares,
                dict(params),
                budget_step=max(prof.num_ballots(), 1),
                exhaustive_stop=False,
            )

    if completion == "add1":
        return [p.name for p in mes_rule(instance, profile)]
    out = completion_by_rule_combination(
        instance,
        profile,
        [mes_rule, greedy_utilitarian_welfare],
        [{}, {"sat_class": Cost_Sat, "tie_breaking": tie}],
    )
    return [p.name for p in out]


def same(
    rule: str, ours: tuple[str, ...] | list[str], theirs: list[str], zero_cost: set[str]
) -> bool:
    """Equal selections: phragmén is compared as a set (pabutools sorts it); projects of cost
    0 that MES buys up front are compared as a set (pabutools takes them in set order)."""
    if rule == "phragmen":
        return sorted(ours) == sorted(theirs)
    oz = [p for p in ours if p in zero_cost]
    tz = [p for p in theirs if p in zero_cost]
    return sorted(oz) == sorted(tz) and [p for p in ours if p not in zero_cost] == [
        p for p in theirs if p not in zero_cost
    ]
