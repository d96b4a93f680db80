"""pabutools 1.2.x as the oracle: the same count, run by the reference library.

Only the completion loop for the ``floor`` start of add1 (equalshares.net's convention) is
written here, around pabutools' own MES; everything else is a direct pabutools call.

:class:`FileOracle` gives the same answers for many settings on one big file with far fewer
pabutools passes (the agreement run over every shared file needs it): see its docstring.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from copy import deepcopy
from dataclasses import dataclass
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
from pabutools.election.profile import AbstractApprovalProfile
from pabutools.rules import (
    completion_by_rule_combination,
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)
from pabutools.rules.budgetallocation import BudgetAllocation
from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme
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


class _Recording(TieBreakingRule):
    """A tie-breaking rule that notes whether pabutools ever asked it to break a real tie.

    pabutools' MES and Phragmén call ``order`` only with the projects tied at the best value
    (MES only when there are two or more), so a run in which this stays ``False`` followed the
    same path under every tie-breaking rule."""

    def __init__(self, inner: TieBreakingRule) -> None:
        super().__init__(inner.func)
        self.used = False

    def order(self, instance: Any, profile: Any, projects: Any, key: Any = None) -> list[Any]:
        if len(projects) > 1:
            self.used = True
        return super().order(instance, profile, projects, key)


@dataclass
class _Loop:
    """The passes of one add1 run: the first (at budget/n), then base + 1, base + 2, ..."""

    first: list[Any]
    first_tie: bool
    passes: list[tuple[list[Any], bool]]  # (outcome, a tie was broken in this pass)
    at_bound: list[Any] | None  # everything eligible fits: the pass at base + floor(budget)
    bound_tie: bool


class FileOracle:
    """pabutools' answers for every setting on one file, with as few pabutools passes as
    possible. The answers are the ones :func:`select` gives (a test checks this):

    - add1 runs pabutools' own iterated MES (``method_of_equal_shares_scheme`` with
      ``voter_budget_increment=1``, voters and projects set up once) from base + 1, with the
      instance's feasibility and exhaustiveness checks replaced by hooks that record every
      pass. One run of passes answers both stops (exhaustive, overspend) and both add1 and
      add1u (add1u completes the add1 outcome with pabutools' greedy, as pabutools'
      ``completion_by_rule_combination`` does).
    - greedy with Borda utility runs pabutools' additive greedy scheme (Borda satisfaction
      is additive; pabutools would otherwise take its general, much slower scheme).
    - MES, add1 and Phragmén run with a recording tie-breaking rule; when the lexicographic run
      broke no tie, its answer is the answer for every tie-breaking rule (``derived``).
    """

    def __init__(self, instance: Any, profile: Any) -> None:
        self.instance = instance
        self.profile = profile
        self._runs: dict[tuple[str, ...], tuple[list[Any], bool]] = {}
        self._loops: dict[tuple[str, str, str], _Loop] = {}
        self._sats: dict[Any, Any] = {}
        self._eligibles: dict[Any, list[Any]] = {}

    def _sat_profile(self, sat: Any) -> Any:
        if sat not in self._sats:
            self._sats[sat] = self.profile.as_sat_profile(sat_class=sat)
        return self._sats[sat]

    def _eligible(self, sat: Any) -> list[Any]:
        if sat not in self._eligibles:
            sats = self._sat_profile(sat)
            self._eligibles[sat] = [
                p for p in self.instance if p.cost > 0 and any(s.sat_project(p) > 0 for s in sats)
            ]
        return self._eligibles[sat]

    def mes_at(self, utility: str, tie_break: str, per_voter: Fraction) -> tuple[list[Any], bool]:
        """pabutools' MES at ``per_voter`` per voter (one pass of an add1 loop), and whether
        the answer was derived from the lexicographic run."""
        params = {"sat_class": SAT[utility]}
        return _answer(
            tie_break,
            lambda tie: self._run(
                ("mes_at", utility, str(per_voter), tie),
                lambda rec: _mes_at(
                    self.instance, self.profile, per_voter, {**params, "tie_breaking": rec}
                ),
            ),
        )

    def _run(
        self, key: tuple[str, ...], fn: Callable[[TieBreakingRule], Any]
    ) -> tuple[list[Any], bool]:
        if key not in self._runs:
            rec = _Recording(_tie(self.profile, key[-1]))
            out = list(fn(rec))
            self._runs[key] = (out, rec.used)
        return self._runs[key]

    def _mes(self, utility: str, tie: str) -> tuple[list[Any], bool]:
        sat = SAT[utility]
        return self._run(
            ("mes", utility, tie),
            lambda rec: method_of_equal_shares(
                self.instance, self.profile, sat_class=sat, tie_breaking=rec
            ),
        )

    def _loop(self, utility: str, start: str, tie: str) -> _Loop:
        key = (utility, start, tie)
        if key in self._loops:
            return self._loops[key]
        inst = self.instance
        n = self.profile.num_ballots()
        sat = SAT[utility]
        first, first_tie = self._mes(utility, tie)
        exact = Fraction(str(inst.budget_limit)) / n
        base = Fraction(math.floor(exact)) if start == "floor" else exact
        k_max = math.floor(inst.budget_limit)
        eligible = self._eligible(sat)
        fits = sum(p.cost for p in eligible) <= inst.budget_limit
        rec = _Recording(_tie(self.profile, tie))
        passes: list[tuple[list[Any], bool]] = []
        hooked = deepcopy(inst)

        def feasible(projects: Collection[Any]) -> bool:
            passes.append((list(projects), rec.used))
            rec.used = False
            return sum(p.cost for p in projects) <= inst.budget_limit

        def exhaustive(projects: Collection[Any], available_projects: Any = None) -> bool:
            if len(passes) >= k_max:
                return True
            return fits and _is_exhaustive(inst, eligible, projects)

        hooked.is_feasible = feasible
        hooked.is_exhaustive = exhaustive
        method_of_equal_shares_scheme(
            hooked,
            self.profile,
            self._sat_profile(sat),
            mpq(str(base + 1)),
            BudgetAllocation(),
            rec,
            voter_budget_increment=1,
            binary_sat=isinstance(self.profile, AbstractApprovalProfile),
        )
        at_bound: list[Any] | None = None
        bound_tie = False
        if fits:
            rec_b = _Recording(_tie(self.profile, tie))
            params = {"sat_class": sat, "tie_breaking": rec_b}
            at_bound = _mes_at(inst, self.profile, base + k_max, params)
            bound_tie = rec_b.used
        loop = _Loop(first, first_tie, passes, at_bound, bound_tie)
        self._loops[key] = loop
        return loop

    def _add1(self, utility: str, start: str, stop: str, tie: str) -> tuple[list[Any], bool]:
        loop = self._loop(utility, start, tie)
        inst = self.instance
        eligible = self._eligible(SAT[utility])
        if stop == "exhaustive" and _is_exhaustive(inst, eligible, loop.first):
            return loop.first, loop.first_tie
        if stop == "overspend" and loop.at_bound is not None:
            used = loop.first_tie or loop.bound_tie or any(t for _, t in loop.passes)
            return loop.at_bound, used
        prev, used = loop.first, loop.first_tie
        for outcome, tie_used in loop.passes:
            used = used or tie_used
            if sum(p.cost for p in outcome) > inst.budget_limit:
                return prev, used
            prev = outcome
            if stop == "exhaustive" and _is_exhaustive(inst, eligible, prev):
                return prev, used
        return prev, used

    def select(
        self,
        rule: str = "greedy",
        utility: str = "cost",
        completion: str = "none",
        add1_stop: str = "exhaustive",
        tie_break: str = "lexicographic",
        add1_start: str = "exact",
    ) -> tuple[list[str], bool]:
        """The names pabutools selects, and whether the answer was derived from the
        lexicographic run (which broke no tie) rather than run with ``tie_break`` itself."""
        if rule == "greedy" and utility == "borda":
            # Borda satisfaction is a sum over the selected projects, but pabutools' class for
            # it is not an AdditiveSatisfaction, so its greedy works out every marginal gain
            # again each round (hours on Kraków). Its own additive scheme, asked for with
            # is_sat_additive, gives the same selection (a test checks this) in seconds.
            out = greedy_utilitarian_welfare(
                self.instance,
                self.profile,
                sat_class=Additive_Borda_Sat,
                sat_profile=self._sat_profile(Additive_Borda_Sat),
                is_sat_additive=True,
                tie_breaking=_tie(self.profile, tie_break),
            )
            return [p.name for p in out], False
        if rule == "greedy" or self.profile.num_ballots() == 0:
            kw = {"completion": completion, "add1_stop": add1_stop, "add1_start": add1_start}
            names = select(self.instance, self.profile, rule, utility, tie_break=tie_break, **kw)
            return names, False

        def answer(get: Callable[[str], tuple[list[Any], bool]]) -> tuple[list[Any], bool]:
            return _answer(tie_break, get)

        if rule == "phragmen":
            out, derived = answer(
                lambda tie: self._run(
                    ("phragmen", tie),
                    lambda rec: sequential_phragmen(self.instance, self.profile, tie_breaking=rec),
                )
            )
            return [p.name for p in out], derived
        if completion == "none":
            out, derived = answer(lambda tie: self._mes(utility, tie))
            return [p.name for p in out], derived
        out, derived = answer(lambda tie: self._add1(utility, add1_start, add1_stop, tie))
        if completion == "add1u":
            greedy_tie = _tie(self.profile, tie_break)
            out = completion_by_rule_combination(
                self.instance,
                self.profile,
                [lambda inst, prof, **kw: BudgetAllocation(out), greedy_utilitarian_welfare],
                [{}, {"sat_class": Cost_Sat, "tie_breaking": greedy_tie}],
            )
        return [p.name for p in out], derived


def _answer(tie_break: str, get: Callable[[str], tuple[list[Any], bool]]) -> tuple[list[Any], bool]:
    """The lexicographic run's answer when it broke no tie (then it is derived for any other
    tie-break), else the run with ``tie_break`` itself."""
    lexico, used = get("lexicographic")
    if tie_break == "lexicographic" or not used:
        return lexico, tie_break != "lexicographic"
    return get(tie_break)[0], False


def _is_exhaustive(instance: Any, eligible: list[Any], selected: Collection[Any]) -> bool:
    spent = sum(p.cost for p in selected)
    chosen = set(selected)
    return all(p in chosen or spent + p.cost > instance.budget_limit for p in eligible)
