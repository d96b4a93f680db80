"""The numpy side of the counting rules: MES itself (its utility profile is in profile.py).

:mod:`changemaker.budgeting.engine.rules` imports this module only when a count needs it, so
reading a file and sequential Phragmén run without loading numpy. numpy is used only for
integer bookkeeping (which ballots support which project, how many voters share a budget);
every decision is taken in exact numbers (see the rules module docstring).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt

from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.outcome import MesRound, MesTrace
from changemaker.budgeting.engine.profile import IntArray, Profile

_UNSURE = object()


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
        state = _FloatPass(self, per_voter)
        while True:
            found = state.candidates()
            if found is None:
                return None
            cands, data, unseen_lo = found
            if not cands:
                break
            _, _, hi_w, winner = min(cands)
            # the winner must be cheaper than every other candidate for all exact values
            if unseen_lo <= hi_w or any(lo <= hi_w for _, lo, _, j in cands if j != winner):
                return None
            state.pay(winner, *data[winner])
        return state.selected

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
        state = _ExactPass(self, per_voter, trace)
        while True:
            fb = state.fbud.view()
            cands, exact_needed, best_hi = state.screen(fb)
            if not cands and not exact_needed:
                break
            contenders = [j for j, lo, _ in cands if lo <= best_hi] + exact_needed
            best, winner, win_key, win_groups = state.decide(contenders, fb)
            if best is None:
                continue  # a contender turned out unaffordable: decide the round again
            state.pay(best, winner, win_key, win_groups)
        if state.tr is not None:
            state.tr.final_budget = [state.budgets[int(c)] for c in state.cls]
        return state.selected, state.tr


FloatArray = npt.NDArray[np.float64]
#: A project's supporter groups in a float pass: keys, group ids, budgets and their errors.
Group = tuple[IntArray, IntArray, FloatArray, FloatArray]
_EPS = 2.0**-52  # twice the unit roundoff


class _FloatPass:
    """The state of one all-float MES pass (:meth:`Mes.run_float`): each class of voters
    has a float budget and a bound on its distance from the exact one."""

    def __init__(self, mes: Mes, per_voter: Fraction) -> None:
        self.mes = mes
        self.cls: IntArray = np.zeros(len(mes.profile.mult), dtype=np.int64)
        start = float(per_voter)
        self.fbud = _Floats(start)
        self.ferr = _Floats(_EPS * start)
        self.fbud.append(0.0)  # class 1: voters with exactly nothing left
        self.ferr.append(0.0)
        self.lower = dict(mes.floor_rho)
        self.remaining = mes._affordable(per_voter)
        self.selected = list(mes.free)

    def candidates(
        self,
    ) -> (
        tuple[list[tuple[float, float, float, int]], dict[int, tuple[Group, float, float]], float]
        | None
    ):
        """This round's candidates (rho, lo, hi, project) with their groups, and a lower bound
        for the projects not looked at; None if a decision is too close to tell."""
        fb, fe = self.fbud.view(), self.ferr.view()
        best_hi = np.inf
        cands: list[tuple[float, float, float, int]] = []
        data: dict[int, tuple[Group, float, float]] = {}
        unseen_lo = np.inf
        for j in sorted(self.remaining, key=lambda p: self.lower[p]):
            if self.lower[j] > best_hi:
                unseen_lo = self.lower[j]
                break
            found = self._screen(j, fb, fe)
            if found == "unaffordable":
                self.remaining.discard(j)
                continue
            if isinstance(found, str):
                return None
            rho, rho_err, group = found
            lo, hi = rho - rho_err, rho + rho_err
            self.lower[j] = lo
            cands.append((rho, lo, hi, j))
            data[j] = (group, rho, rho_err)
            best_hi = min(best_hi, hi)
        return cands, data, unseen_lo

    def _screen(
        self, j: int, fb: FloatArray, fe: FloatArray
    ) -> tuple[float, float, Group] | Literal["unaffordable", "unsure"]:
        """Project ``j``'s price factor and its error bound, if it can be told."""
        key, nz, gc, gk, gm = self.mes._groups(j, self.cls)
        b, e = fb[gc], fe[gc]
        u = self.mes.uvf[j][gk]
        cost = self.mes.costf[j]
        k = len(gm)
        avail = float((b * gm).sum())
        slack = 2 * (float((e * gm).sum()) + (k + 6) * _EPS * (avail + cost))
        if avail < cost - slack:
            return "unaffordable"
        if avail <= cost + slack:
            return "unsure"  # affordable or not: too close to tell
        if k == 1:  # one group (often): the same float steps as below, on scalars
            return _screen_one((key, nz, b, e), u, gm, cost)
        return _screen_many(key, nz, b, e, u, gm, cost)

    def pay(self, winner: int, group: Group, rho: float, rho_err: float) -> None:
        """The winner's supporters pay: rich groups keep b - rho u; poor ones have exactly 0
        left, and so, within the bound, do the groups too close to the line to tell."""
        key, nz, g_b, g_e = group
        mes, fbud, ferr = self.mes, self.fbud, self.ferr
        u = mes.uvf[winner][nz % len(mes.uval[winner])]
        if len(nz) == 1:  # one group: the same steps as below, on Python floats
            u0, b0, e0 = float(u[0]), float(g_b[0]), float(g_e[0])
            pay0 = rho * u0
            bound0 = e0 + u0 * rho_err + 4 * _EPS * (b0 + pay0)
            gap0 = b0 - pay0
            if gap0 > bound0 or abs(gap0) <= bound0:
                fbud.append(gap0 if gap0 > bound0 else 0.0)
                ferr.append(bound0 if gap0 > bound0 else abs(gap0) + bound0)
                self.cls[mes.sup[winner]] = fbud.size - 1
            else:
                self.cls[mes.sup[winner]] = 1
        else:
            pay = rho * u
            bound = g_e + u * rho_err + 4 * _EPS * (g_b + pay)
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
            self.cls[mes.sup[winner]] = lut[key]
        self.selected.append(winner)
        self.remaining.discard(winner)


def _screen_one(
    group: Group, u: FloatArray, gm: FloatArray, cost: float
) -> tuple[float, float, Group] | Literal["unsure"]:
    """One supporter group: its price factor and error bound, on Python floats."""
    _, _, b, e = group
    b0, e0, u0 = float(b[0]), float(e[0]), float(u[0])
    denom0 = u0 * float(gm[0])
    rho = cost / denom0
    if not rho * u0 <= b0 or rho <= 0:
        return "unsure"
    rho_err = 2 * rho * (7 * _EPS * cost / cost + 7 * _EPS)
    gap0 = b0 - rho * u0
    if abs(gap0) <= e0 + u0 * rho_err + 4 * _EPS * (b0 + rho * u0) or gap0 < 0:
        return "unsure"  # a group too close to the line outweighs denom / 4
    return rho, rho_err, group


def _screen_many(
    key: IntArray,
    nz: IntArray,
    b: FloatArray,
    e: FloatArray,
    u: FloatArray,
    gm: FloatArray,
    cost: float,
) -> tuple[float, float, Group] | Literal["unsure"]:
    """Several supporter groups: ordered by money per utility, the poor/rich split, the
    price factor and its error bound (the note above :meth:`Mes.run_float`)."""
    k = len(gm)
    order = np.argsort(b / u, kind="stable")
    b, e, u, gm, nz = b[order], e[order], u[order], gm[order], nz[order]
    paid = np.concatenate(([0.0], np.cumsum(b * gm)[:-1]))
    denom = np.cumsum((u * gm)[::-1])[::-1]
    r = (cost - paid) / denom
    ok = np.flatnonzero(r * u <= b)
    if len(ok) == 0:
        return "unsure"
    t = int(ok[0])
    rho = float(r[t])
    left = cost - paid[t]
    if left <= 0 or rho <= 0:
        return "unsure"
    # rho = (cost - paid) / denom, where paid (what the poor groups have) is off
    # by the poor groups' errors plus rounding, denom by rounding only
    poor_err = float((e[:t] * gm[:t]).sum())
    rel = (poor_err + (k + 6) * _EPS * (cost + paid[t])) / left + (k + 6) * _EPS
    rho_err = 2 * rho * rel
    # Each group is poor (b <= rho u: pays all it has) or rich. A group too close
    # to the line to tell moves rho by at most m |b - rho u| / denom (note above).
    gap = b - rho * u
    margin = e + u * rho_err + 4 * _EPS * (b + rho * u)
    close = np.abs(gap) <= margin
    if (gap[:t][~close[:t]] > 0).any() or (gap[t:][~close[t:]] < 0).any():
        return "unsure"
    if close.any():
        if float((u * gm)[close].sum()) > denom[t] / 4:
            return "unsure"
        shift = 2 * float((gm * (np.abs(gap) + margin))[close].sum()) / denom[t]
        if not np.array_equal(close, np.abs(gap) <= margin + u * shift):
            return "unsure"
        rho_err += shift
    return rho, rho_err, (key, nz, b, e)


class _ExactPass:
    """The state of one MES pass with exact budgets (:meth:`Mes.run`): floats screen the
    prices with a rigorous bound, exact numbers decide."""

    def __init__(self, mes: Mes, per_voter: Fraction, trace: bool) -> None:
        self.mes = mes
        self.cls: IntArray = np.zeros(len(mes.profile.mult), dtype=np.int64)
        self.budgets: list[Fraction] = [per_voter]
        self.fbud = _Floats(float(per_voter))
        self.zero = -1  # the class of voters with no money left
        self.lower = dict(mes.floor_rho)
        self.remaining = mes._affordable(per_voter)
        self.selected = list(mes.free)
        self.tr = MesTrace(per_voter) if trace else None

    def screen(self, fb: FloatArray) -> tuple[list[tuple[int, float, float]], list[int], float]:
        """Candidates (project, lo, hi) whose price the floats bound, the projects that need
        exact arithmetic, and the lowest upper bound."""
        best_hi = np.inf
        cands: list[tuple[int, float, float]] = []
        exact_needed: list[int] = []
        for j in sorted(self.remaining, key=lambda p: self.lower[p]):
            if self.lower[j] > best_hi:
                break
            found = self._bounds(j, fb)
            if found == "unaffordable":
                self.remaining.discard(j)
                continue
            if isinstance(found, str):
                exact_needed.append(j)
                self.lower[j] = 0.0
                continue
            lo, hi = found
            self.lower[j] = lo
            cands.append((j, lo, hi))
            best_hi = min(best_hi, hi)
        return cands, exact_needed, best_hi

    def _bounds(
        self, j: int, fb: FloatArray
    ) -> tuple[float, float] | Literal["unaffordable", "exact"]:
        _key, _nz, gc, gk, gm = self.mes._groups(j, self.cls)
        b = fb[gc]
        u = self.mes.uvf[j][gk]
        cost = self.mes.costf[j]
        bm = b * gm
        avail = float(bm.sum())
        slack = 16 * (len(gm) + 4) * _EPS * (avail + cost)
        if avail < cost - slack:
            return "unaffordable"
        if avail <= cost + slack:
            return "exact"
        order = np.argsort(b / u, kind="stable")
        b, u, gm, bm = b[order], u[order], gm[order], bm[order]
        um = u * gm
        paid = np.concatenate(([0.0], np.cumsum(bm)[:-1]))
        denom = np.cumsum(um[::-1])[::-1]
        r = (cost - paid) / denom
        ok = np.flatnonzero(r * u <= b)
        if len(ok) == 0 or cost - paid[ok[0]] <= 0:
            return "exact"
        t = int(ok[0])
        rho = float(r[t])
        rel = 16 * (len(gm) + 4) * _EPS * ((cost + paid[t]) / (cost - paid[t]) + 1)
        return rho * (1 - rel), rho * (1 + rel)

    def decide(
        self, contenders: list[int], fb: FloatArray
    ) -> tuple[Fraction | None, int, IntArray, list[tuple[int, Fraction, Fraction]]]:
        """The contender with the lowest exact price factor (ties: the tie-break order)."""
        best: Fraction | None = None
        winner = -1
        win_key: IntArray = np.zeros(0, dtype=np.int64)
        win_groups: list[tuple[int, Fraction, Fraction]] = []
        rank = self.mes.rank
        for j in contenders:
            rho_j, key, groups = self.mes._exact(j, self.cls, self.budgets, fb)
            if rho_j is None:
                self.remaining.discard(j)
                continue
            self.lower[j] = float(rho_j) * (1 - 1e-12)
            if best is None or rho_j < best or (rho_j == best and rank[j] < rank[winner]):
                best, winner, win_key, win_groups = rho_j, j, key, groups
        return best, winner, win_key, win_groups

    def pay(
        self,
        best: Fraction,
        winner: int,
        win_key: IntArray,
        win_groups: list[tuple[int, Fraction, Fraction]],
    ) -> None:
        """Buy ``winner``: each supporter group pays min(budget, rho u) and moves to a new
        class (or the class with nothing left)."""
        budgets, fbud = self.budgets, self.fbud
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
                if self.zero < 0:
                    self.zero = len(budgets)
                    budgets.append(Fraction(0))
                    fbud.append(0.0)
                c = self.zero
            else:
                # voters of different classes rarely end with equal money: no merging
                c = len(budgets)
                newb = b_g - pay
                budgets.append(newb)
                fbud.append(float(newb))
            lut[g] = c
            gpos[g] = n
            paid_list.append(pay)
        sup = self.mes.sup[winner]
        if self.tr is not None:
            self.tr.rounds.append(MesRound(winner, best, sup, gpos[win_key], tuple(paid_list)))
        self.cls[sup] = lut[win_key]
        self.selected.append(winner)
        self.remaining.discard(winner)
