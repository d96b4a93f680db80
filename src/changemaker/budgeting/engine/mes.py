"""The numpy side of the counting rules: the utility profile (greedy and MES) and MES itself.

:mod:`changemaker.budgeting.engine.rules` imports this module only when a count needs it, so
reading a file and sequential Phragmén run without loading numpy. numpy is used only for
integer bookkeeping (which ballots support which project, how many voters share a budget);
every decision is taken in exact numbers (see the rules module docstring).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import chain

import numpy as np
import numpy.typing as npt

from changemaker.budgeting.engine.errors import RuleError
from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.outcome import MesRound, MesTrace, Utility

IntArray = npt.NDArray[np.int64]
_UNSURE = object()


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


class _Floats:
    """A growable float64 array (the budgets of the voter classes, for screening)."""

    def __init__(self, first: float) -> None:
        self.data = np.empty(1024, dtype=np.float64)
        self.data[0] = first
        self.size = 1

    def append(self, x: float) -> None:
        if self.size == len(self.data):
            self.data = np.concatenate([self.data, np.empty_like(self.data)])
        self.data[self.size] = x
        self.size += 1

    def extend(self, xs: npt.NDArray[np.float64]) -> None:
        while self.size + len(xs) > len(self.data):
            self.data = np.concatenate([self.data, np.empty_like(self.data)])
        self.data[self.size : self.size + len(xs)] = xs
        self.size += len(xs)

    def view(self) -> npt.NDArray[np.float64]:
        return self.data[: self.size]


class Mes:
    """Method of Equal Shares on merged ballots with exact budgets grouped in classes."""

    def __init__(self, election: Election, profile: Profile, rank: Sequence[int]) -> None:
        self.election = election
        self.profile = profile
        self.rank = rank
        self.costs = [p.cost for p in election.projects]
        self.eligible: list[int] = []
        self.free: list[int] = []  # supported projects of cost 0: bought first
        self.sup: dict[int, IntArray] = {}
        self.uid: dict[int, IntArray] = {}
        self.uval: dict[int, list[Fraction]] = {}
        self.msup: dict[int, IntArray] = {}
        self.total: dict[int, Fraction] = {}
        self.uvf: dict[int, npt.NDArray[np.float64]] = {}
        self.costf = [float(c) for c in self.costs]
        for j in range(len(self.costs)):
            sup, uid, values = profile.positive(j)
            if len(sup) == 0:
                continue
            if self.costs[j] == 0:
                self.free.append(j)
                continue
            self.eligible.append(j)
            self.sup[j] = sup
            self.uid[j] = uid
            self.uval[j] = values
            self.msup[j] = profile.mult[sup]
            self.uvf[j] = np.asarray([float(v) for v in values])
            m = np.bincount(uid, weights=self.msup[j], minlength=len(values))
            self.total[j] = sum((int(c) * v for c, v in zip(m, values, strict=True)), Fraction(0))
        self.free.sort(key=lambda j: rank[j])
        # the lowest price factor each project can ever have (all supporters pay rho * u)
        self.floor_rho = {
            j: float(self.costs[j] / self.total[j]) * (1 - 1e-12) for j in self.eligible
        }
        self.voters = {j: int(self.msup[j].sum()) for j in self.eligible}

    def _affordable(self, per_voter: Fraction) -> set[int]:
        """Projects whose supporters can pay for them at the start. Money only goes down
        during a pass, so the others can never be bought in it."""
        start = float(per_voter)
        out = set()
        for j in self.eligible:
            have, cost = start * self.voters[j], self.costf[j]
            if have > cost * (1 + 1e-9) or (
                have >= cost * (1 - 1e-9) and per_voter * self.voters[j] >= self.costs[j]
            ):
                out.add(j)
        return out

    def _groups(
        self, j: int, cls: IntArray
    ) -> tuple[IntArray, IntArray, IntArray, IntArray, npt.NDArray[np.float64]]:
        """Voters supporting ``j`` grouped by (budget class, utility value)."""
        nk = len(self.uval[j])
        key = cls[self.sup[j]] * nk + self.uid[j]
        counts = np.bincount(key, weights=self.msup[j])
        nz = np.flatnonzero(counts)
        return key, nz, nz // nk, nz % nk, counts[nz]

    def _exact(
        self, j: int, cls: IntArray, budgets: list[Fraction], fb: npt.NDArray[np.float64]
    ) -> tuple[Fraction | None, IntArray, list[tuple[int, Fraction, Fraction]]]:
        """Exact price factor of ``j`` (None if its supporters cannot pay), with the groups.

        The groups are ordered by money per utility in floating point, the poor/rich split is
        found there, and then checked exactly: ``rho`` is the unique solution of
        sum(min(b, rho * u) * m) = cost, so a split that is exactly consistent is the answer.
        If the check fails (values too close for floats) the groups are sorted exactly.
        """
        key, nz, gc, gk, gm = self._groups(j, cls)
        values = self.uval[j]
        cost = self.costs[j]
        fkey = fb[gc] / self.uvf[j][gk]
        order = np.argsort(fkey, kind="stable")
        groups = [(int(nz[o]), budgets[int(gc[o])], values[int(gk[o])], int(gm[o])) for o in order]
        rho = self._water(groups, cost, self.total[j], fkey[order])
        if rho is None:
            return None, key, []
        if rho is _UNSURE:
            groups.sort(key=lambda t: t[1] / t[2])
            rho = self._water(groups, cost, self.total[j], None)
            if rho is None:
                return None, key, []
        assert isinstance(rho, Fraction)
        return rho, key, [(g, b, u) for g, b, u, _ in groups]

    @staticmethod
    def _water(
        groups: list[tuple[int, Fraction, Fraction, int]],
        cost: Fraction,
        total: Fraction,
        fkeys: npt.NDArray[np.float64] | None,
    ) -> object:
        paid = Fraction(0)
        denom = total
        for t, (_, b, u, m) in enumerate(groups):  # noqa: B007 - t is used after the loop
            r = (cost - paid) / denom
            if r * u <= b:
                break
            paid += b * m
            denom -= u * m
        else:
            return None
        if fkeys is None:
            return r
        # exact check of the groups whose float position is not clearly on the right side
        rf = float(r)
        close = np.flatnonzero(np.abs(fkeys - rf) <= 1e-9 * rf)
        for n in close.tolist():
            _, b, u, _ = groups[n]
            if (n < t and b > r * u) or (n >= t and b < r * u):
                return _UNSURE
        if (
            len(close) == 0
            and len(fkeys)
            and not ((t == 0 or fkeys[t - 1] < rf) and fkeys[t] >= rf * (1 - 1e-9))
        ):
            return _UNSURE
        return r

    # Note on groups close to the line. Let S be the groups taken as poor, rho_S the price
    # factor that split gives in exact arithmetic, rho* the true one, f(x) = sum min(b, x u) m
    # and g(x) = sum_S b m + x sum_notS u m. Then g(rho_S) = cost = f(rho*), g has slope denom,
    # and g(rho*) - f(rho*) only comes from misplaced groups, each at most m |b - rho* u|. So
    # |rho_S - rho*| <= sum m |b - rho* u| / denom over the groups close to the line; with
    # their u m at most denom / 4 this is at most 2 sum m (|gap| + margin) / denom.

    def run_float(self, per_voter: Fraction) -> list[int] | None:
        """One MES pass in floating point with a rigorous bound on every error, or ``None``.

        Each class of voters has a float budget and a bound on its distance from the exact
        budget. Each decision -- whether a project is affordable, which supporters pay all
        they have, which project has the lowest price factor -- is taken only if it holds for
        every exact value within the bounds; otherwise the pass gives up (``None``) and
        :meth:`run` decides in exact arithmetic. So the selection is the exact one. (Bounds
        are first-order and then doubled; every float operation is within ``eps``.)
        """
        eps = 2.0**-52  # twice the unit roundoff
        nb = len(self.profile.mult)
        cls: IntArray = np.zeros(nb, dtype=np.int64)
        start = float(per_voter)
        fbud = _Floats(start)
        ferr = _Floats(eps * start)
        fbud.append(0.0)  # class 1: voters with exactly nothing left
        ferr.append(0.0)
        lower = dict(self.floor_rho)
        remaining = self._affordable(per_voter)
        selected = list(self.free)
        Group = tuple[IntArray, IntArray, npt.NDArray[np.float64], npt.NDArray[np.float64]]
        while True:
            fb, fe = fbud.view(), ferr.view()
            best_hi = np.inf
            cands: list[tuple[float, float, float, int]] = []  # (rho, lo, hi, project)
            data: dict[int, tuple[Group, float, float]] = {}
            unseen_lo = np.inf  # a lower bound for the candidates not looked at
            for j in sorted(remaining, key=lambda p: lower[p]):
                if lower[j] > best_hi:
                    unseen_lo = lower[j]
                    break
                key, nz, gc, gk, gm = self._groups(j, cls)
                b, e = fb[gc], fe[gc]
                u = self.uvf[j][gk]
                cost = self.costf[j]
                k = len(gm)
                avail = float((b * gm).sum())
                slack = 2 * (float((e * gm).sum()) + (k + 6) * eps * (avail + cost))
                if avail < cost - slack:
                    remaining.discard(j)
                    continue
                if avail <= cost + slack:
                    return None  # affordable or not: too close to tell
                if k == 1:  # one group (often): the same float steps as below, on scalars
                    b0, e0, u0 = float(b[0]), float(e[0]), float(u[0])
                    denom0 = u0 * float(gm[0])
                    rho = cost / denom0
                    if not rho * u0 <= b0 or rho <= 0:
                        return None
                    rho_err = 2 * rho * (7 * eps * cost / cost + 7 * eps)
                    gap0 = b0 - rho * u0
                    if abs(gap0) <= e0 + u0 * rho_err + 4 * eps * (b0 + rho * u0) or gap0 < 0:
                        return None  # a group too close to the line outweighs denom / 4
                    lo, hi = rho - rho_err, rho + rho_err
                    lower[j] = lo
                    cands.append((rho, lo, hi, j))
                    data[j] = ((key, nz, b, e), rho, rho_err)
                    best_hi = min(best_hi, hi)
                    continue
                order = np.argsort(b / u, kind="stable")
                b, e, u, gm, nz = b[order], e[order], u[order], gm[order], nz[order]
                paid = np.concatenate(([0.0], np.cumsum(b * gm)[:-1]))
                denom = np.cumsum((u * gm)[::-1])[::-1]
                r = (cost - paid) / denom
                ok = np.flatnonzero(r * u <= b)
                if len(ok) == 0:
                    return None
                t = int(ok[0])
                rho = float(r[t])
                left = cost - paid[t]
                if left <= 0 or rho <= 0:
                    return None
                # rho = (cost - paid) / denom, where paid (what the poor groups have) is off
                # by the poor groups' errors plus rounding, denom by rounding only
                poor_err = float((e[:t] * gm[:t]).sum())
                rel = (poor_err + (k + 6) * eps * (cost + paid[t])) / left + (k + 6) * eps
                rho_err = 2 * rho * rel
                # Each group is poor (b <= rho u: pays all it has) or rich. A group too close
                # to the line to tell moves rho by at most m |b - rho u| / denom (note above).
                gap = b - rho * u
                margin = e + u * rho_err + 4 * eps * (b + rho * u)
                close = np.abs(gap) <= margin
                if (gap[:t][~close[:t]] > 0).any() or (gap[t:][~close[t:]] < 0).any():
                    return None
                if close.any():
                    if float((u * gm)[close].sum()) > denom[t] / 4:
                        return None
                    shift = 2 * float((gm * (np.abs(gap) + margin))[close].sum()) / denom[t]
                    if not np.array_equal(close, np.abs(gap) <= margin + u * shift):
                        return None
                    rho_err += shift
                lo, hi = rho - rho_err, rho + rho_err
                lower[j] = lo
                cands.append((rho, lo, hi, j))
                data[j] = ((key, nz, b, e), rho, rho_err)
                best_hi = min(best_hi, hi)
            if not cands:
                break
            _, _, hi_w, winner = min(cands)
            # the winner must be cheaper than every other candidate for all exact values
            if unseen_lo <= hi_w or any(lo <= hi_w for _, lo, _, j in cands if j != winner):
                return None
            (key, nz, g_b, g_e), rho, rho_err = data[winner]
            u = self.uvf[winner][nz % len(self.uval[winner])]
            if len(nz) == 1:  # one group: the same steps as below, on Python floats
                u0, b0, e0 = float(u[0]), float(g_b[0]), float(g_e[0])
                pay0 = rho * u0
                bound0 = e0 + u0 * rho_err + 4 * eps * (b0 + pay0)
                gap0 = b0 - pay0
                if gap0 > bound0 or abs(gap0) <= bound0:
                    fbud.append(gap0 if gap0 > bound0 else 0.0)
                    ferr.append(bound0 if gap0 > bound0 else abs(gap0) + bound0)
                    cls[self.sup[winner]] = fbud.size - 1
                else:
                    cls[self.sup[winner]] = 1
                selected.append(winner)
                remaining.discard(winner)
                continue
            pay = rho * u
            # rich groups keep b - rho u; poor ones have exactly 0 left, and so, within the
            # bound, do the groups too close to the line to tell
            bound = g_e + u * rho_err + 4 * eps * (g_b + pay)
            gap = g_b - pay
            rich = gap > bound
            close = np.abs(gap) <= bound
            new_err = np.where(rich, bound, np.where(close, np.abs(gap) + bound, 0.0))
            lut = np.full(int(nz.max()) + 1, -1, dtype=np.int64)
            keep = rich | close
            lut[nz[keep]] = np.arange(fbud.size, fbud.size + int(keep.sum()))
            lut[nz[~keep]] = 1
            fbud.extend(np.where(rich, gap, 0.0)[keep])
            ferr.extend(new_err[keep])
            cls[self.sup[winner]] = lut[key]
            selected.append(winner)
            remaining.discard(winner)
        return selected

    def run(self, per_voter: Fraction, trace: bool = False) -> tuple[list[int], MesTrace | None]:
        """One MES pass with ``per_voter`` money each.

        Prices are screened in floating point with a rigorous error bound; whenever two
        projects cannot be told apart by the bound (a tie or near-tie) or a supporter group is
        borderline, the decision is taken in exact arithmetic. Budgets are kept exact.
        Without a trace, the all-float pass (:meth:`run_float`) is tried first.
        """
        if not trace:
            fast = self.run_float(per_voter)
            if fast is not None:
                return fast, None
        eps = 2.0**-52
        nb = len(self.profile.mult)
        cls: IntArray = np.zeros(nb, dtype=np.int64)
        budgets: list[Fraction] = [per_voter]
        fbud = _Floats(float(per_voter))
        zero = -1  # the class of voters with no money left
        lower = dict(self.floor_rho)
        remaining = self._affordable(per_voter)
        selected = list(self.free)
        tr = MesTrace(per_voter) if trace else None
        while True:
            fb = fbud.view()
            best_hi = np.inf
            cands: list[tuple[int, float, float]] = []
            exact_needed: list[int] = []
            for j in sorted(remaining, key=lambda p: lower[p]):
                if lower[j] > best_hi:
                    break
                _key, _nz, gc, gk, gm = self._groups(j, cls)
                b = fb[gc]
                u = self.uvf[j][gk]
                cost = self.costf[j]
                bm = b * gm
                avail = float(bm.sum())
                slack = 16 * (len(gm) + 4) * eps * (avail + cost)
                if avail < cost - slack:
                    remaining.discard(j)
                    continue
                if avail <= cost + slack:
                    exact_needed.append(j)
                    lower[j] = 0.0
                    continue
                order = np.argsort(b / u, kind="stable")
                b, u, gm, bm = b[order], u[order], gm[order], bm[order]
                um = u * gm
                paid = np.concatenate(([0.0], np.cumsum(bm)[:-1]))
                denom = np.cumsum(um[::-1])[::-1]
                r = (cost - paid) / denom
                ok = np.flatnonzero(r * u <= b)
                if len(ok) == 0 or cost - paid[ok[0]] <= 0:
                    exact_needed.append(j)
                    lower[j] = 0.0
                    continue
                t = int(ok[0])
                rho = float(r[t])
                rel = 16 * (len(gm) + 4) * eps * ((cost + paid[t]) / (cost - paid[t]) + 1)
                lo, hi = rho * (1 - rel), rho * (1 + rel)
                lower[j] = lo
                cands.append((j, lo, hi))
                best_hi = min(best_hi, hi)
            if not cands and not exact_needed:
                break
            contenders = [j for j, lo, _ in cands if lo <= best_hi] + exact_needed
            best: Fraction | None = None
            winner = -1
            win_key: IntArray = np.zeros(0, dtype=np.int64)
            win_groups: list[tuple[int, Fraction, Fraction]] = []
            for j in contenders:
                rho_j, key, groups = self._exact(j, cls, budgets, fb)
                if rho_j is None:
                    remaining.discard(j)
                    continue
                lower[j] = float(rho_j) * (1 - 1e-12)
                if (
                    best is None
                    or rho_j < best
                    or (rho_j == best and self.rank[j] < self.rank[winner])
                ):
                    best, winner, win_key, win_groups = rho_j, j, key, groups
            if best is None:
                continue  # a contender turned out unaffordable: decide the round again
            lut = np.full(int(win_key.max()) + 1, -1, dtype=np.int64)
            gpos = np.full(len(lut), -1, dtype=np.int64)
            paid_list: list[Fraction] = []
            price: dict[Fraction, Fraction] = {}
            for n, (g, b_g, u_g) in enumerate(win_groups):
                pay = price.get(u_g)
                if pay is None:
                    pay = price[u_g] = best * u_g
                if b_g <= pay:
                    pay = b_g
                    if zero < 0:
                        zero = len(budgets)
                        budgets.append(Fraction(0))
                        fbud.append(0.0)
                    c = zero
                else:
                    # voters of different classes rarely end with equal money: no merging
                    c = len(budgets)
                    newb = b_g - pay
                    budgets.append(newb)
                    fbud.append(float(newb))
                lut[g] = c
                gpos[g] = n
                paid_list.append(pay)
            if tr is not None:
                tr.rounds.append(
                    MesRound(winner, best, self.sup[winner], gpos[win_key], tuple(paid_list))
                )
            cls[self.sup[winner]] = lut[win_key]
            selected.append(winner)
            remaining.discard(winner)
        if tr is not None:
            tr.final_budget = [budgets[int(c)] for c in cls]
        return selected, tr
