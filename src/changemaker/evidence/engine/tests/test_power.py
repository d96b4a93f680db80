"""Minimum detectable effect at registration."""

from __future__ import annotations

import math

import pytest
from statsmodels.stats.power import TTestIndPower

from changemaker.evidence.engine import EvidenceError, minimum_detectable_effect


def test_large_sample_multiplier_is_blooms_2_8() -> None:
    """Bloom (1995): with many degrees of freedom, alpha 0.05 two-sided and power 0.8, the
    multiplier is 1.96 + 0.84 = 2.80."""
    d = minimum_detectable_effect(clusters=100_000, cluster_size=1, icc=0.0)
    assert round(d.multiplier, 2) == 2.80
    assert d.mde == pytest.approx(2.80 * math.sqrt(4 / 100_000), rel=1e-3)


def test_icc_zero_individuals_close_to_a_two_sample_t_test() -> None:
    ours = minimum_detectable_effect(clusters=200, cluster_size=1, icc=0.0).mde
    ref = TTestIndPower().solve_power(nobs1=100, alpha=0.05, power=0.8, ratio=1.0)
    assert ours == pytest.approx(ref, rel=0.01)  # central-t approximation of the noncentral t


def test_clustering_inflates_the_mde() -> None:
    few = minimum_detectable_effect(clusters=10, cluster_size=200, icc=0.05)
    none = minimum_detectable_effect(clusters=10, cluster_size=200, icc=0.0)
    assert few.mde > 2 * none.mde
    with pytest.raises(EvidenceError):
        minimum_detectable_effect(clusters=2, cluster_size=10, icc=0.1)
