"""Designs (what the pilot did) and results (what the data say), as typed values."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

Inference = Literal["auto", "cr1", "wild", "ri", "cv3"]
Control = Literal["never", "notyet"]


@dataclass(frozen=True, slots=True)
class DiD:
    """Difference-in-differences on a panel: two-way fixed effects, y on ``treated`` (0/1)
    with unit and time effects; clustered by ``cluster`` (default: the unit)."""

    unit: str
    time: str
    treated: str
    cluster: str | None = None
    name: str = field(default="did", init=False)


@dataclass(frozen=True, slots=True)
class DiD2x2:
    """The classic two groups × two periods: y on group, post and group×post."""

    group: str
    post: str
    cluster: str | None = None
    name: str = field(default="did2x2", init=False)


@dataclass(frozen=True, slots=True)
class Staggered:
    """Staggered roll-out (Callaway and Sant'Anna 2021): ``first_treated`` is the period a unit
    started (0 = never); comparisons with never-treated or not-yet-treated units."""

    unit: str
    time: str
    first_treated: str
    control: Control = "never"
    name: str = field(default="staggered", init=False)


@dataclass(frozen=True, slots=True)
class AB:
    """A randomised A/B trial: ``arm`` holds ``control`` or ``treatment``."""

    arm: str
    name: str = field(default="ab", init=False)


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    """Before and after, with no comparison group: y on ``post``."""

    post: str
    cluster: str | None = None
    name: str = field(default="before-after", init=False)


Design = DiD | DiD2x2 | Staggered | AB | BeforeAfter


@dataclass(frozen=True, slots=True)
class Pretrend:
    """Joint test that the effects before the start (event-study leads) are all zero.

    ``periods`` is the number of periods observed before treatment starts (for the earliest
    treated units); ``leads`` the number of coefficients tested (``periods`` - 1: the period
    just before is the reference); ``p`` is None when there is nothing to test."""

    p: float | None
    periods: int
    leads: int
    statistic: float | None = None


@dataclass(frozen=True, slots=True)
class EventTime:
    """One row of the event-study table: periods relative to the start (−1 = reference)."""

    period: int
    estimate: float
    se: float | None
    ci: tuple[float | None, float | None]


@dataclass(frozen=True, slots=True)
class GroupTime:
    """Callaway and Sant'Anna's ATT(g, t): units first treated at ``group``, at ``time``."""

    group: float
    time: float
    att: float
    se: float


@dataclass(frozen=True, slots=True)
class Result:
    design: str
    outcome: str
    estimate: float
    se: float
    ci: tuple[float | None, float | None]
    p: float
    n_obs: int
    n_clusters: int | None
    inference: str
    pretrend: Pretrend | None = None
    att_gt: tuple[GroupTime, ...] = ()
    event_study: tuple[EventTime, ...] = ()
    sms_level: int = 0
    reasons: tuple[str, ...] = ()
    seed: int | None = None
    bootstrap_reps: int | None = None

    def to_dict(self) -> dict[str, object]:
        """The JSON of ``changemaker evidence analyse --format json``."""
        data: dict[str, object] = {
            "design": self.design,
            "outcome": self.outcome,
            "estimate": _num(self.estimate),
            "se": _num(self.se),
            "ci": [_num(self.ci[0]), _num(self.ci[1])],
            "p": _num(self.p),
            "n_obs": self.n_obs,
            "n_clusters": self.n_clusters,
            "inference": self.inference,
            "pretrend": None
            if self.pretrend is None
            else {
                "p": _num(self.pretrend.p),
                "periods": self.pretrend.periods,
                "leads": self.pretrend.leads,
            },
        }
        if self.design == "staggered":
            data["att_gt"] = [
                {"group": _num(g.group), "time": _num(g.time), "att": _num(g.att), "se": _num(g.se)}
                for g in self.att_gt
            ]
        data["event_study"] = [
            {
                "period": e.period,
                "estimate": _num(e.estimate),
                "se": _num(e.se),
                "ci": [_num(e.ci[0]), _num(e.ci[1])],
            }
            for e in self.event_study
        ]
        if self.bootstrap_reps is not None:
            data["bootstrap_reps"] = self.bootstrap_reps
            data["seed"] = self.seed
        data["sms_level"] = self.sms_level
        data["reasons"] = list(self.reasons)
        return data


@dataclass(frozen=True, slots=True)
class Pooled:
    """A random-effects meta-analysis: pooled estimate, between-study variance ``tau2`` and
    ``i2`` (the share of variation due to heterogeneity, in percent)."""

    estimate: float
    se: float
    ci: tuple[float, float]
    p: float
    tau2: float
    i2: float
    q: float
    k: int
    method: str

    def to_dict(self) -> dict[str, object]:
        return {
            "estimate": _num(self.estimate),
            "se": _num(self.se),
            "ci": [_num(self.ci[0]), _num(self.ci[1])],
            "p": _num(self.p),
            "tau2": _num(self.tau2),
            "i2": _num(self.i2),
            "q": _num(self.q),
            "k": self.k,
            "method": self.method,
        }


def _num(x: float | None) -> float | None:
    """JSON has no NaN or infinity: those become null."""
    if x is None or not math.isfinite(x):
        return None
    return float(x)
