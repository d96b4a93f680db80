"""What an analysis says, in plain English (translatable): the headline sentence, the
inference used and why, the pre-trend check, and the evidence rating with its reasons and what
would raise it. The numbers come from the engine's result; only the words are made here."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from changemaker.evidence.models import Design, Pilot

PRETREND_ALPHA = 0.05  # as the engine's rating
MIN_PRE_PERIODS = 2


def decimals_for(x: float) -> int:
    """Two significant figures, no more decimals than that: 12.3 -> 0, 2.38 -> 1, 0.045 -> 3."""
    if x == 0 or not math.isfinite(x):
        return 0
    return max(0, min(6, 1 - math.floor(math.log10(abs(x)))))


def number(x: float, places: int) -> str:
    """A number as people read it: rounded, grouped (1,200), no "-0"."""
    rounded = round(x, places)
    if rounded == 0:
        rounded = 0.0
    return str(number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True))


def _lower_first(text: str) -> str:
    """ "Crisis referrals" -> "crisis referrals" inside a sentence (not "NEET" -> "nEET")."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def where(pilot: Pilot) -> str:
    """Who the change is measured against, for the pilot's design."""
    if pilot.design == Design.AB:
        return _("in the treatment group compared with the control group")
    if pilot.design == Design.BEFORE_AFTER:
        return _("after the pilot started compared with before")
    comparison = pilot.comparison_group or _("the comparison group")
    return _("in the pilot group compared with %(comparison)s") % {"comparison": comparison}


def direction(result: dict[str, Any]) -> str:
    """ "fell", "rose" or "unclear": a clear change only when the 95% CI leaves out zero."""
    low, high = result["ci"]
    if low is not None and high is not None:
        if high < 0:
            return "fell"
        if low > 0:
            return "rose"
    return "unclear"


def _sized(way: str, estimate: float, low: float, high: float, places: int) -> dict[str, str]:
    """The size of a clear change and its 95% CI as positive numbers in the way it went
    (a fall of 12, CI 3 to 21, rather than -12, CI -21 to -3)."""
    if way == "fell":
        estimate, low, high = -estimate, -high, -low
    return {
        "size": number(estimate, places),
        "low": number(low, places),
        "high": number(high, places),
    }


def sentence(pilot: Pilot, result: dict[str, Any]) -> str:
    """The headline: "Crisis referrals fell by about 12 a month (95% CI 3 to 21) in the pilot
    group compared with similar wards." (or rose, or no clear change)."""
    estimate = result["estimate"] or 0.0
    low, high = result["ci"]
    places = decimals_for(estimate)
    values = {
        "outcome": pilot.primary_outcome,
        "unit": pilot.primary_unit,
        "where": where(pilot),
    }
    way = direction(result)
    if way == "fell":
        return _(
            "%(outcome)s fell by about %(size)s %(unit)s (95%% CI %(low)s to %(high)s) %(where)s."
        ) % {**values, **_sized(way, estimate, low, high, places)}
    if way == "rose":
        return _(
            "%(outcome)s rose by about %(size)s %(unit)s (95%% CI %(low)s to %(high)s) %(where)s."
        ) % {**values, **_sized(way, estimate, low, high, places)}
    values["outcome"] = _lower_first(pilot.primary_outcome)
    if low is None or high is None:
        return _(
            "There was no clear change in %(outcome)s %(where)s: the estimate is %(estimate)s "
            "%(unit)s, but the data cannot rule out large effects either way."
        ) % {**values, "estimate": number(estimate, places)}
    return _(
        "There was no clear change in %(outcome)s %(where)s: the estimate is %(estimate)s "
        "%(unit)s, and the 95%% CI runs from %(low)s to %(high)s, so the pilot may have made "
        "no difference."
    ) % {
        **values,
        "estimate": number(estimate, places),
        "low": number(low, places),
        "high": number(high, places),
    }


def inference(result: dict[str, Any]) -> str:
    """Which inference was used, and why (the engine chooses; this says it plainly)."""
    how = result["inference"]
    clusters = result.get("n_clusters")
    texts = {
        "cr1": _(
            "Cluster-robust standard errors with the usual small-sample correction, and a "
            "t distribution with one degree of freedom fewer than the number of clusters: "
            "there were enough clusters for this to be reliable."
        ),
        "wild": _(
            "A wild cluster bootstrap: with only %(clusters)s units (fewer than 30), ordinary "
            "cluster-robust standard errors are too small, so the interval and p-value come from "
            "a bootstrap that is safe with few units."
        )
        % {"clusters": clusters if clusters else _("a few")},
        "ri": _(
            "Randomisation inference: with a single treated unit, neither cluster-robust "
            "standard errors nor the bootstrap are valid, so each comparison unit took the "
            "treated one's place in turn to see how unusual the real result is."
        ),
        "cv3": _(
            "The cluster jackknife: with only %(clusters)s units (fewer than 12), ordinary "
            "cluster-robust standard errors are too small and even a wild cluster bootstrap's "
            "interval is too narrow, so the estimate was worked out again leaving out one unit "
            "at a time, and the spread of those estimates gives the standard error and the 95%% "
            "interval (in simulations with 6 units, 3 of them in the pilot, it held the true "
            "effect 95.6%% of the time)."
        )
        % {"clusters": clusters if clusters else _("a few")},
        "hc1": _(
            "Heteroskedasticity-robust standard errors (HC1): the rows were not grouped in "
            "clusters."
        ),
        "z": _(
            "A 0/1 outcome: the difference in proportions, with a Wald interval and a "
            "two-proportion z-test."
        ),
        "welch": _(
            "The difference in means with Welch's t-test (the two arms may vary differently)."
        ),
    }
    if how == "wild" and clusters and clusters < 12:
        return " ".join(
            [
                str(texts["wild"]),
                _(
                    "With fewer than 12 units even this interval can be too narrow (in simulations "
                    "with 6 units, 3 of them in the pilot, it held the true effect 91.5% of the "
                    "time): read it as a guide, and add comparison units if you can."
                ),
            ]
        )
    if how == "ri" and not any("Only one treated cluster" in r for r in result.get("reasons", [])):
        return _(
            "Randomisation inference: with only %(clusters)s units (fewer than 12), even the "
            "wild cluster bootstrap's interval is too narrow, so every way the treatment could "
            "have fallen on the units was tried to see how unusual the real result is."
        ) % {"clusters": clusters if clusters else _("a few")}
    return texts.get(how, how)


def suppressed(result: dict[str, Any]) -> str | None:
    """How many counts the source hid (too small to share), left out as missing; None when
    the data did not come from a source that suppresses."""
    found = result.get("suppressed")
    if not found:
        return None
    cells, of = int(found["cells"]), int(found["of"])
    if cells == 0:
        return _("No count was too small to share: all %(of)s were used.") % {"of": of}
    return ngettext(
        "%(cells)s of %(of)s counts by ward and month was too small to share (fewer than 10, "
        "or hidden so that a total cannot give a small one away) and is left out as missing.",
        "%(cells)s of %(of)s counts by ward and month were too small to share (fewer than 10, "
        "or hidden so that a total cannot give a small one away) and are left out as missing.",
        cells,
    ) % {"cells": cells, "of": of}


def pretrend(result: dict[str, Any]) -> str | None:
    """The pre-trend check in words (None when the design has no pre-periods to test)."""
    pre = result.get("pretrend")
    if pre is None:
        return None
    periods, p = pre["periods"], pre["p"]
    if periods < MIN_PRE_PERIODS or p is None:
        return _(
            "Not tested: %(periods)s period(s) before the start, and at least %(needed)s are "
            "needed to check that the groups were moving in parallel beforehand."
        ) % {"periods": periods, "needed": MIN_PRE_PERIODS}
    if p < PRETREND_ALPHA:
        return _(
            "The groups were already moving apart before the start (joint test of the "
            "periods before, p = %(p)s): the comparison may not show what would have happened "
            "without the pilot."
        ) % {"p": f"{p:.3f}"}
    return _(
        "No detectable pre-trend: the groups moved in parallel over the %(periods)s periods "
        "before the start (joint test, p = %(p)s)."
    ) % {"periods": periods, "p": f"{p:.3f}"}


@dataclass
class Rating:
    """A suggested (or overridden) rating on the Maryland scale and the Nesta standards."""

    sms: int | None
    nesta: int
    reasons: list[str] = field(default_factory=list)
    to_raise: list[str] = field(default_factory=list)
    overridden: bool = False
    suggested_sms: int | None = None
    suggested_nesta: int = 1


def _sms_words(result: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Why the engine's suggested Maryland level, and what would raise it."""
    design, level = result["design"], result["sms_level"]
    if design == Design.AB:
        return [
            _(
                "Maryland 5: who got the pilot was decided at random, so the groups differ only by "
                "chance."
            )
        ], [_("This is the top of the scale: keep drop-out low and the groups apart.")]
    if design == Design.BEFORE_AFTER:
        return [
            _(
                "Maryland 1: before and after with no comparison group; anything else that changed "
                "at the same time could explain the difference."
            )
        ], [
            _(
                "Add a comparison group that did not get the pilot (Maryland 2-3), or assign the "
                "pilot at random (Maryland 5)."
            )
        ]
    if design == Design.DID2X2:
        return [
            _(
                "Maryland 2: a comparison group, but only one period before the start, so it "
                "cannot be checked that the groups were moving in parallel beforehand."
            )
        ], [
            _(
                "Use at least two periods before the start, by unit and period, so the pre-trend "
                "can be tested (Maryland 3), or assign the pilot at random (Maryland 5)."
            )
        ]
    check = pretrend(result) or ""
    if level >= 3:
        return [_("Maryland 3: difference-in-differences against a comparison group."), check], [
            _("Decide at random which units start, or when (Maryland 5).")
        ]
    return [_("Maryland 2: a comparison group, but parallel trends cannot be supported."), check], [
        _(
            "Give at least two periods before the start with no pre-trend, for example by choosing "
            "comparison units that moved in parallel beforehand (Maryland 3)."
        )
    ]


def _nesta(sms: int | None, result: dict[str, Any] | None) -> tuple[int, str, str]:
    """The Nesta standard suggested, why, and what would raise it."""
    if result is None or sms is None:
        return (
            1,
            _("Nesta 1: the pilot has a theory of change and a hypothesis, but no results yet."),
            _("Upload outcome data and analyse it (Nesta 2), with a comparison group (Nesta 3)."),
        )
    if sms >= 3 and direction(result) != "unclear":
        return (
            3,
            _("Nesta 3: a comparison group shows a clear change that the pilot caused."),
            _("An independent evaluation, or a replication by another team or council (Nesta 4)."),
        )
    if sms >= 3:
        return (
            2,
            _(
                "Nesta 2: a robust comparison, but no clear change was found, so it does not show "
                "that the pilot caused one."
            ),
            _("A larger pilot able to detect a smaller effect (Nesta 3 if the change is clear)."),
        )
    return (
        2,
        _(
            "Nesta 2: the data show what changed, but without a sound comparison they cannot show "
            "that the pilot caused it."
        ),
        _("A comparison group that moved in parallel beforehand, or random assignment (Nesta 3)."),
    )


def rating(pilot: Pilot, result: dict[str, Any] | None) -> Rating:
    """The suggested rating with itemised reasons, then the evaluator's override if any."""
    reasons: list[str] = []
    to_raise: list[str] = []
    sms = None if result is None else int(result["sms_level"])
    if result is not None:
        reasons, to_raise = _sms_words(result)
        reasons = [r for r in reasons if r]
    nesta, why, how = _nesta(sms, result)
    reasons.append(why)
    to_raise.append(how)
    reasons.append(
        _(
            "The scale also weighs how the pilot was carried out (drop-out, groups mixing), which "
            "the data cannot show: an evaluator may override the suggestion with a reason."
        )
    )
    found = Rating(sms, nesta, reasons, to_raise, suggested_sms=sms, suggested_nesta=nesta)
    if pilot.sms_override is not None or pilot.nesta_override is not None:
        found.overridden = True
        found.sms = pilot.sms_override if pilot.sms_override is not None else sms
        found.nesta = pilot.nesta_override if pilot.nesta_override is not None else nesta
    return found


def pooled_headline(words: str, pooled: dict[str, Any], k: int, places: int) -> str:
    """ "Across 3 pilots, crisis referrals per month fell by about 10 on average (95% CI 7 to
    14)." (or rose, or no clear change)."""
    estimate, (low, high) = pooled["estimate"], pooled["ci"]
    way = direction(pooled)
    values = {"k": k, "outcome": words}
    if way == "fell":
        return _(
            "Across %(k)s pilots, %(outcome)s fell by about %(size)s on average (95%% CI "
            "%(low)s to %(high)s)."
        ) % {**values, **_sized(way, estimate, low, high, places)}
    if way == "rose":
        return _(
            "Across %(k)s pilots, %(outcome)s rose by about %(size)s on average (95%% CI "
            "%(low)s to %(high)s)."
        ) % {**values, **_sized(way, estimate, low, high, places)}
    return _(
        "Across %(k)s pilots there was no clear change in %(outcome)s on average: the pooled "
        "estimate is %(estimate)s, and the 95%% CI runs from %(low)s to %(high)s."
    ) % {
        **values,
        "estimate": number(estimate, places),
        "low": number(low, places),
        "high": number(high, places),
    }


def heterogeneity(pooled: dict[str, Any], places: int) -> list[str]:
    """What tau² and I² say about how much the effect differs from place to place."""
    tau2, i2 = pooled["tau2"] or 0.0, pooled["i2"] or 0.0
    lines = [
        _(
            "τ² (tau squared), the variance of the true effect between places, is %(tau2)s: "
            "the true effect in a typical place lies within about %(spread)s of the average."
        )
        % {
            "tau2": number(tau2, max(places, 2)),
            "spread": number(2 * math.sqrt(tau2), max(places, 1)),
        }
    ]
    if i2 < 25:
        how = _("little of the difference between the pilots' results is more than chance")
    elif i2 < 75:
        how = _("part of the difference between the pilots' results comes from real differences")
    else:
        how = _("most of the difference between the pilots' results comes from real differences")
    lines.append(
        _("I² is %(i2)s%%: %(how)s (differences between places, people or how it was done).")
        % {"i2": number(i2, 0), "how": how}
    )
    return lines


def pooling_limits(k: int, method: str) -> list[str]:
    """What the pooled estimate cannot tell, in plain words."""
    limits = [
        _(
            "Pooling only makes sense if every place defined and counted the outcome the same "
            "way, in the same unit: check each pilot's definition before relying on the average."
        ),
        _(
            "The average is no stronger than the pilots behind it: a weak design stays weak when "
            "pooled. Look at each pilot's evidence rating."
        ),
        _(
            "Only published pilots are pooled. Null results are published by default here, but "
            "if other places tried this and did not publish, the average can look better than "
            "the truth."
        ),
    ]
    if k < 5:
        limits.append(
            _(
                "With only %(k)s pilots, τ² and I² are very uncertain: the effect in a new place "
                "could differ from the average more than these numbers suggest."
            )
            % {"k": k}
        )
    if method == "dl":
        limits.append(
            _(
                "The restricted maximum likelihood estimate of τ² did not settle, so the "
                "DerSimonian-Laird estimate was used instead."
            )
        )
    return limits
