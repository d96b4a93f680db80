"""The utility profile the numpy counting rules (greedy and MES) work on: for each project,
the ballots that list it and the utility each gives it, in exact numbers."""

from __future__ import annotations

from fractions import Fraction
from itertools import chain

import numpy as np
import numpy.typing as npt

from changemaker.budgeting.engine.errors import RuleError
from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.outcome import Utility

IntArray = npt.NDArray[np.int64]


class Profile:
    """Utilities per project over the distinct ballots, in exact numbers.

    For project ``j``: ``listed[j]`` are the ballots that list it, ``uvals[j]`` the distinct
    utility values (exact), ``uidx[j]`` for each listed ballot the index of its value.
    """

    def __init__(self, election: Election, utility: Utility) -> None:
        if utility == "points" and election.vote_type not in ("cumulative", "scoring"):
            raise RuleError(
                f"the points utility needs cumulative or scoring ballots, this election has "
                f"{election.vote_type} ballots (use --utility cost or cardinality)"
            )
        if utility == "borda" and election.vote_type != "ordinal":
            raise RuleError(
                f"the borda utility needs ordinal (ranked) ballots, this election has "
                f"{election.vote_type} ballots (use --utility cost or cardinality)"
            )
        self.election = election
        nproj = len(election.projects)
        self.mult: IntArray = np.asarray(election.multiplicity, dtype=np.int64)
        sizes = np.fromiter(
            (len(b.projects) for b in election.ballots), dtype=np.int64, count=len(self.mult)
        )
        ballots = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        projs = np.fromiter(
            chain.from_iterable(b.projects for b in election.ballots),
            dtype=np.int64,
            count=int(sizes.sum()),
        )
        raw_u: list[Fraction | int] = []
        for b in election.ballots if utility in ("points", "borda") else ():
            if utility == "points":
                assert b.points is not None
                raw_u.extend(b.points)
            else:
                raw_u.extend(range(len(b.projects) - 1, -1, -1))
        order = np.argsort(projs, kind="stable")
        bounds = np.searchsorted(projs[order], np.arange(nproj + 1))
        self.listed: list[IntArray] = [
            ballots[order[bounds[j] : bounds[j + 1]]] for j in range(nproj)
        ]
        self.uvals: list[list[Fraction]] = []
        self.uidx: list[IntArray] = []
        self.total: list[Fraction] = []
        if utility in ("cost", "cardinality"):
            for j, p in enumerate(election.projects):
                u = p.cost if utility == "cost" else Fraction(1)
                self.uvals.append([u])
                self.uidx.append(np.zeros(len(self.listed[j]), dtype=np.int64))
                self.total.append(u * int(self.mult[self.listed[j]].sum()))
            return
        values = sorted(set(raw_u))
        where = {v: k for k, v in enumerate(values)}
        codes = np.asarray([where[v] for v in raw_u], dtype=np.int64)[order]
        for j in range(nproj):
            c = codes[bounds[j] : bounds[j + 1]]
            used, inverse = np.unique(c, return_inverse=True)
            vals = [Fraction(values[int(k)]) for k in used]
            self.uvals.append(vals)
            self.uidx.append(inverse.astype(np.int64).reshape(-1))
            counts = np.bincount(
                self.uidx[j], weights=self.mult[self.listed[j]], minlength=len(vals)
            )
            self.total.append(
                sum((v * int(n) for v, n in zip(vals, counts, strict=True)), Fraction(0))
            )

    def positive(self, j: int) -> tuple[IntArray, IntArray, list[Fraction]]:
        """Supporters with positive utility, their utility-value index, the distinct values."""
        vals = self.uvals[j]
        keep_vals = [k for k, v in enumerate(vals) if v > 0]
        if len(keep_vals) == len(vals):
            return self.listed[j], self.uidx[j], vals
        remap = np.full(max(len(vals), 1), -1, dtype=np.int64)
        for n, k in enumerate(keep_vals):
            remap[k] = n
        new = remap[self.uidx[j]]
        mask = new >= 0
        return self.listed[j][mask], new[mask], [vals[k] for k in keep_vals]
