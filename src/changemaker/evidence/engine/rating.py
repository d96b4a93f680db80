"""The Maryland Scientific Methods Scale, suggested from the design and the data.

Computed, not asserted: randomised → 5; difference-in-differences (or a staggered roll-out)
with at least two periods before the start and no detectable pre-trend → 3, otherwise 2;
before/after with no comparison → 1. Every level comes with its reasons and with what would
raise it. The scale also weighs how well a study was carried out (attrition, spill-overs,
contamination), which data alone cannot show: an evaluator may override the suggestion.
"""

from __future__ import annotations

from .model import AB, BeforeAfter, Design, DiD, DiD2x2, Result, Staggered

PRETREND_ALPHA = 0.05
MIN_PRE_PERIODS = 2
CAVEAT = (
    "The scale also weighs how the study was carried out (drop-out, spill-over between groups), "
    "which the data cannot show: an evaluator can override this suggestion with a reason."
)


def sms_level(design: Design, result: Result) -> tuple[int, list[str]]:
    """(level 1-5, reasons), the reasons ending with what would raise the level."""
    if isinstance(design, AB):
        return 5, [
            "SMS 5: treatment and control were assigned at random (an A/B trial), so the groups "
            "differ only by chance.",
            CAVEAT,
        ]
    if isinstance(design, BeforeAfter):
        return 1, [
            "SMS 1: a before-and-after comparison with no comparison group; anything else that "
            "changed at the same time could explain the difference.",
            "To raise it: add a comparison group that did not get the pilot and analyse it as a "
            "difference-in-differences (SMS 2-3), or assign the pilot at random (SMS 5).",
            CAVEAT,
        ]
    if isinstance(design, DiD2x2):
        return 2, [
            "SMS 2: a comparison group, but only one period before the start, so it cannot be "
            "checked that the groups were moving in parallel beforehand.",
            "To raise it: use at least two periods of data before the start (the did design, "
            "by unit and period) so that the pre-trend can be tested (SMS 3), or assign the "
            "pilot at random (SMS 5).",
            CAVEAT,
        ]
    assert isinstance(design, DiD | Staggered)
    pre = result.pretrend
    periods = 0 if pre is None else pre.periods
    reasons: list[str] = []
    level = 3
    if periods < MIN_PRE_PERIODS:
        level = 2
        reasons.append(
            f"Only {periods} period(s) before the start: at least {MIN_PRE_PERIODS} are needed to "
            "check that the groups were moving in parallel beforehand."
        )
    elif pre is None or pre.p is None:
        level = 2
        reasons.append("The pre-trend could not be tested.")
    elif pre.p < PRETREND_ALPHA:
        level = 2
        reasons.append(
            f"The groups were already moving apart before the start (pre-trend test p = "
            f"{pre.p:.3f}, below {PRETREND_ALPHA}): the comparison may not show what would have "
            "happened without the pilot."
        )
    else:
        reasons.append(
            f"{periods} periods before the start and no detectable pre-trend (joint test of "
            f"{pre.leads} lead(s), p = {pre.p:.3f}, not below {PRETREND_ALPHA})."
        )
    if level == 3:
        reasons.insert(0, "SMS 3: difference-in-differences against a comparison group.")
        reasons.append(
            "To raise it: assign which units start (or when) at random (SMS 5), or use a "
            "source of as-good-as-random variation (SMS 4)."
        )
    else:
        reasons.insert(0, "SMS 2: a comparison group, but parallel trends cannot be supported.")
        reasons.append(
            "To raise it: give at least two periods before the start with no pre-trend, e.g. by "
            "choosing comparison units that moved in parallel beforehand (SMS 3)."
        )
    reasons.append(CAVEAT)
    return level, reasons
