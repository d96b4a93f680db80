"""Seeded random data sets for the reference tests (plain numpy/pandas: none of the engine's
code), so that a reference library and the engine see the same rows."""

from __future__ import annotations

import numpy as np
import pandas as pd


def did_panel(seed: int, units: int = 40, periods: int = 8, drop: float = 0.0) -> pd.DataFrame:
    """Units adopt at random periods (some never), effect 1.5, optional missing rows."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {"unit": np.repeat(np.arange(units), periods), "time": np.tile(np.arange(periods), units)}
    )
    start = np.where(rng.random(units) < 0.5, rng.integers(2, periods, units), 10_000)
    df["region"] = df["unit"] % 12
    df["treated"] = (df["time"] >= start[df["unit"]]).astype(int)
    df["y"] = (
        rng.normal(size=len(df))
        + 0.1 * df["unit"]
        + 0.3 * df["time"]
        + 1.5 * df["treated"]
        + rng.normal(size=units)[df["unit"]]
    )
    if drop:
        df = df[rng.random(len(df)) >= drop].reset_index(drop=True)
    return df


def two_by_two(seed: int, n: int = 400, clusters: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cluster = rng.integers(0, clusters, n)
    group = (cluster % 2).astype(int)
    post = rng.integers(0, 2, n)
    shock = rng.normal(size=clusters)[cluster]
    y = 2 + 0.5 * group + 0.7 * post + 0.9 * group * post + shock + rng.normal(size=n) * (1 + group)
    return pd.DataFrame({"cluster": cluster, "group": group, "post": post, "y": y})


def staggered_panel(seed: int, units: int = 60, periods: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "unit": np.repeat(np.arange(units), periods),
            "time": np.tile(np.arange(1, periods + 1), units),
        }
    )
    first = rng.choice([0, 4, 6, 8], units)
    df["first"] = first[df["unit"]]
    on = (df["time"] >= df["first"]) & (df["first"] > 0)
    effect = np.where(on, 1.0 + 0.2 * (df["time"] - df["first"]), 0.0)
    df["y"] = rng.normal(size=len(df)) + 0.1 * df["unit"] + 0.3 * df["time"] + effect
    return df


def ab_trial(seed: int, binary: bool, n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    arm = np.where(rng.random(n) < 0.45, "treatment", "control")
    if binary:
        y = (rng.random(n) < np.where(arm == "treatment", 0.45, 0.3)).astype(int)
    else:
        y = rng.normal(size=n) * np.where(arm == "treatment", 2.0, 1.0) + (arm == "treatment")
    return pd.DataFrame({"arm": arm, "y": y})
