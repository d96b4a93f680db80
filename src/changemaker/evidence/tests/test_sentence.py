"""The headline sentence says fell, rose or no clear change, with sensible numbers."""

from __future__ import annotations

from typing import Any

import pytest

from changemaker.evidence.explain import decimals_for, direction, number, sentence
from changemaker.evidence.models import Pilot


def _pilot(**changes: Any) -> Pilot:
    values = {
        "design": "did",
        "primary_outcome": "Crisis referrals",
        "primary_unit": "a month",
        "comparison_group": "similar wards",
    }
    return Pilot(**{**values, **changes})


def _result(estimate: float, low: float | None, high: float | None) -> dict[str, Any]:
    return {"estimate": estimate, "ci": [low, high]}


def test_a_fall() -> None:
    said = sentence(_pilot(), _result(-12.3, -21.04, -3.4))
    assert said == (
        "Crisis referrals fell by about 12 a month (95% CI 3 to 21) in the pilot group "
        "compared with similar wards."
    )


def test_a_rise_in_a_randomised_trial() -> None:
    pilot = _pilot(design="ab", primary_outcome="Attendance", primary_unit="percentage points")
    said = sentence(pilot, _result(0.1234, 0.0512, 0.1956))
    assert said == (
        "Attendance rose by about 0.12 percentage points (95% CI 0.05 to 0.20) in the "
        "treatment group compared with the control group."
    )


def test_no_clear_change() -> None:
    said = sentence(_pilot(design="before-after"), _result(-1.6, -5.2, 2.1))
    assert said.startswith("There was no clear change in crisis referrals after the pilot")
    assert "the estimate is -1.6 a month" in said and "from -5.2 to 2.1" in said
    assert "may have made no difference" in said


def test_an_unbounded_interval_is_no_clear_change() -> None:
    said = sentence(_pilot(), _result(-30.0, None, 4.0))
    assert direction(_result(-30.0, None, 4.0)) == "unclear"
    assert "cannot rule out large effects" in said and "95% CI" not in said


def test_acronyms_keep_their_capitals() -> None:
    said = sentence(_pilot(primary_outcome="NEET rate"), _result(0.5, -1, 2))
    assert "no clear change in NEET rate" in said


@pytest.mark.parametrize(
    ("x", "places", "shown"),
    [(12.3, 0, "12"), (2.38, 1, "2.4"), (0.0451, 3, "0.045"), (1234.5, 0, "1,234")],
)
def test_numbers_are_rounded_for_people(x: float, places: int, shown: str) -> None:
    assert decimals_for(x) == places
    assert number(x, places) == shown


def test_no_minus_zero() -> None:
    assert number(-0.001, 0) == "0"


def test_the_cluster_jackknife_is_said_in_words_in_english_and_welsh() -> None:
    from django.utils import translation

    from changemaker.evidence.explain import inference

    result = {"inference": "cv3", "n_clusters": 6, "reasons": []}
    said = inference(result)
    assert said.startswith("The cluster jackknife: with only 6 units (fewer than 12)")
    assert "leaving out one unit at a time" in said and "95.6% of the time" in said
    with translation.override("cy"):
        assert inference(result).startswith("Y jacknife clwstwr: gyda dim ond 6 o unedau")
