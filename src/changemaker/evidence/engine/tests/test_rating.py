"""The suggested Maryland SMS level follows the design and the data, with reasons."""

from __future__ import annotations

import numpy as np
import pandas as pd

from changemaker.evidence.engine import AB, BeforeAfter, DiD, DiD2x2, analyse

from .panels import ab_trial, did_panel, two_by_two


def test_randomised_ab_is_level_5() -> None:
    r = analyse(ab_trial(1, binary=True), design=AB(arm="arm"), outcome="y")
    assert r.sms_level == 5
    assert r.reasons[-2].startswith("SMS 5")


def test_before_after_is_level_1_and_says_how_to_raise_it() -> None:
    r = analyse(two_by_two(1), design=BeforeAfter(post="post"), outcome="y")
    assert r.sms_level == 1
    assert any(x.startswith("To raise it") and "comparison group" in x for x in r.reasons)


def test_two_by_two_is_level_2_for_want_of_pre_periods() -> None:
    r = analyse(two_by_two(1), design=DiD2x2(group="group", post="post"), outcome="y")
    assert r.sms_level == 2


def test_did_with_parallel_pre_periods_is_level_3() -> None:
    df = did_panel(2, units=60, periods=10)
    r = analyse(df, design=DiD(unit="unit", time="time", treated="treated"), outcome="y")
    assert r.pretrend is not None and r.pretrend.periods >= 2
    assert r.pretrend.p is not None and r.pretrend.p >= 0.05
    assert r.sms_level == 3
    assert any("no detectable pre-trend" in x for x in r.reasons)


def test_did_with_one_pre_period_is_level_2() -> None:
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"u": np.repeat(np.arange(40), 4), "t": np.tile(np.arange(4), 40)})
    df["d"] = ((df["u"] < 20) & (df["t"] >= 1)).astype(int)
    df["y"] = rng.normal(size=len(df)) + df["d"]
    r = analyse(df, design=DiD(unit="u", time="t", treated="d"), outcome="y")
    assert r.pretrend is not None and r.pretrend.periods == 1 and r.pretrend.p is None
    assert r.sms_level == 2
    assert any("Only 1 period(s) before the start" in x for x in r.reasons)
