"""How large an effect a planned pilot could detect (for registration).

Minimum detectable effect of a cluster-randomised (or cluster-assigned) comparison of means
(Bloom 1995; Bloom, Richburg-Hayes and Black 2007): MDE = M · σ · √((ρ + (1−ρ)/m) / (P(1−P)J)),
with M = t(1−α/2, J−2) + t(power, J−2), J clusters of m people, intra-cluster correlation ρ
and a share P of clusters treated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import special

from .errors import EvidenceError


@dataclass(frozen=True, slots=True)
class Detectable:
    mde: float  # in the outcome's units (standardised when sd is 1)
    multiplier: float
    df: int


def minimum_detectable_effect(
    *,
    clusters: int,
    cluster_size: float,
    icc: float,
    sd: float = 1.0,
    treated_share: float = 0.5,
    alpha: float = 0.05,
    power: float = 0.8,
) -> Detectable:
    if clusters < 3:
        raise EvidenceError("at least three clusters are needed to estimate an effect")
    if cluster_size < 1:
        raise EvidenceError("each cluster needs at least one person")
    if not 0 <= icc <= 1:
        raise EvidenceError("the intra-cluster correlation must be between 0 and 1")
    if not 0 < treated_share < 1:
        raise EvidenceError("the treated share must be between 0 and 1")
    if not (0 < alpha < 1 and 0 < power < 1) or sd <= 0:
        raise EvidenceError("alpha and power must be between 0 and 1, and sd above 0")
    df = clusters - 2
    m = float(special.stdtrit(df, 1 - alpha / 2) + special.stdtrit(df, power))
    variance = (icc + (1 - icc) / cluster_size) / (treated_share * (1 - treated_share) * clusters)
    return Detectable(m * sd * math.sqrt(variance), m, df)
