"""What a count produces, and the names of its settings: shared by the counting rules
(:mod:`rules`) and the numpy side of MES (:mod:`mes`), so neither imports the other's module
for them. No numpy at run time (sequential Phragmén runs without it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]

Rule = Literal["greedy", "mes", "phragmen"]
Utility = Literal["cost", "cardinality", "points", "borda"]
Completion = Literal["none", "add1", "add1u"]
Add1Stop = Literal["exhaustive", "overspend"]
Add1Start = Literal["floor", "exact"]
TieBreak = Literal["lexicographic", "cost", "votes"]

RULES: tuple[Rule, ...] = ("greedy", "mes", "phragmen")
UTILITIES: tuple[Utility, ...] = ("cost", "cardinality", "points", "borda")
COMPLETIONS: tuple[Completion, ...] = ("none", "add1", "add1u")
ADD1_STOPS: tuple[Add1Stop, ...] = ("exhaustive", "overspend")
TIE_BREAKS: tuple[TieBreak, ...] = ("lexicographic", "cost", "votes")


@dataclass(frozen=True, slots=True)
class MesRound:
    """One purchase by MES: the project, its price factor, and what each class of voters paid.

    ``supporters`` are ballot indices; ``paid[g]`` is what one voter of group ``group[i]`` paid.
    """

    project: int
    rho: Fraction
    supporters: IntArray
    group: IntArray
    paid: tuple[Fraction, ...]


@dataclass(slots=True)
class MesTrace:
    """What a MES pass did, kept for explanations."""

    per_voter_budget: Fraction
    rounds: list[MesRound] = field(default_factory=list)
    final_budget: list[Fraction] = field(default_factory=list)  # per distinct ballot


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a count. ``selected`` lists project ids in order of selection."""

    selected: tuple[str, ...]
    cost: Fraction
    budget: Fraction
    rule: Rule
    utility: Utility
    completion: Completion
    tie_break: TieBreak
    add1_stop: Add1Stop = "exhaustive"
    passes: int = 1
    per_voter_budget: Fraction | None = None
    mes_selected: tuple[str, ...] = ()
    trace: MesTrace | None = None
    greedy_left: dict[str, Fraction] = field(default_factory=dict)
