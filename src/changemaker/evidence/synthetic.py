"""Outcome tables for the demo and the tests, generated without the engine (plain random numbers):
ward-month panels, an A/B trial and a staggered roll-out, each with a known effect."""

from __future__ import annotations

import csv
import io
import random


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def did_panel(
    *, units: int = 20, periods: int = 12, start: int = 7, effect: float = -12.0, seed: int = 1
) -> str:
    """ward, month, referrals, pilot: the first half of the wards get the pilot from ``start``;
    each ward has its own level, each month a shared shock, plus noise."""
    rng = random.Random(seed)
    level = [rng.gauss(80, 15) for _ in range(units)]
    shock = [rng.gauss(0, 4) for _ in range(periods)]
    rows: list[list[object]] = []
    for u in range(units):
        for t in range(1, periods + 1):
            treated = int(u < units // 2 and t >= start)
            y = level[u] + shock[t - 1] + 0.5 * t + effect * treated + rng.gauss(0, 2)
            rows.append([f"W{u + 1:02d}", t, round(y, 2), treated])
    return _csv(["ward", "month", "referrals", "pilot"], rows)


def ab_trial(*, n: int = 400, base: float = 0.55, lift: float = 0.12, seed: int = 2) -> str:
    """person, arm, attended (0/1): a text-reminder trial."""
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for i in range(n):
        arm = "treatment" if i % 2 else "control"
        p = base + (lift if arm == "treatment" else 0.0)
        rows.append([f"P{i + 1:04d}", arm, int(rng.random() < p)])
    return _csv(["person", "arm", "attended"], rows)


def staggered_panel(
    *, units: int = 12, periods: int = 10, effect: float = -5.0, seed: int = 3
) -> str:
    """ward, month, repeats, started: wards start in waves (months 4, 6, 8) or never (0)."""
    rng = random.Random(seed)
    waves = [4, 6, 8, 0]
    rows: list[list[object]] = []
    for u in range(units):
        first = waves[u % len(waves)]
        level = rng.gauss(40, 6)
        for t in range(1, periods + 1):
            on = first and t >= first
            y = level + 0.3 * t + (effect if on else 0.0) + rng.gauss(0, 1.5)
            rows.append([f"W{u + 1:02d}", t, round(y, 2), first])
    return _csv(["ward", "month", "repeats", "started"], rows)
