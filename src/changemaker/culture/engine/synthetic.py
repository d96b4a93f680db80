"""Generated organisations and survey answers, for tests, the benchmark and demos.

Nothing here is real: units, people and answers come from a seeded random generator. Teams
are deliberately small and uneven (many below any sensible minimum), some people are attached
directly to non-leaf units (managers), and answers follow a one-factor model per scale with
some blanks, so that reliability is realistic.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .csvio import Item, OrgChart, Responses

NORMS = ("mission", "creativity", "autonomy", "collaboration")


@dataclass(frozen=True, slots=True)
class Survey:
    units: OrgChart
    items: tuple[Item, ...]
    responses: Responses


def organisation(n_units: int, rng: np.random.Generator, fanout: int = 6) -> OrgChart:
    """A random tree of ``n_units`` units; each new unit joins a random earlier unit that has
    room (up to ``fanout``-ish children), so depth grows like a real council's."""
    parent = [-1]
    kids = [0]
    for u in range(1, n_units):
        while True:
            p = int(rng.integers(max(0, u - 4 * fanout), u)) if u > 1 else 0
            if kids[p] < fanout or rng.random() < 0.05:
                break
        parent.append(p)
        kids[p] += 1
        kids.append(0)
    ids = tuple(f"U{u:04d}" for u in range(n_units))
    names = tuple(f"Unit {u}" for u in range(n_units))
    return OrgChart(ids, names, tuple(parent))


def instrument(n_items: int, scales: tuple[str, ...] = NORMS) -> tuple[Item, ...]:
    """``n_items`` items spread over the scales; every fifth item reverse-keyed."""
    return tuple(
        Item(f"q{j + 1:02d}", scales[j % len(scales)], j % 5 == 4, f"Generated item {j + 1}")
        for j in range(n_items)
    )


def survey(
    *,
    n_units: int,
    n_respondents: int,
    n_items: int = 12,
    n_waves: int = 1,
    breakdowns: dict[str, int] | None = None,
    blank_rate: float = 0.05,
    seed: int = 0,
) -> Survey:
    """A whole survey: per wave ``n_respondents`` people over the units (uneven sizes: team
    weights are drawn from a heavy-tailed distribution), ``breakdowns`` maps a column name to
    its number of values (one value is blank, ""), and answers 1-5 with blanks."""
    rng = np.random.default_rng(seed)
    units = organisation(n_units, rng)
    items = instrument(n_items)
    breakdowns = breakdowns if breakdowns is not None else {"grade": 4}
    weight = rng.pareto(1.2, n_units) + 0.05
    weight /= weight.sum()
    total = n_respondents * n_waves
    unit = rng.choice(n_units, size=total, p=weight).astype(np.int64)
    wave = np.repeat(np.arange(n_waves, dtype=np.int64), n_respondents)
    columns: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
    for name, k in breakdowns.items():
        values = tuple([""] + [f"{name}-{i}" for i in range(1, k)])
        p = rng.dirichlet(np.ones(k) * 2)
        columns[name] = (values, rng.choice(k, size=total, p=p).astype(np.int64))
    scales = tuple(dict.fromkeys(it.scale for it in items))
    trait = rng.normal(size=(total, len(scales))) + rng.normal(size=(n_units, len(scales)))[unit]
    raw = np.empty((total, n_items))
    for j, it in enumerate(items):
        latent = 0.9 * trait[:, scales.index(it.scale)] + rng.normal(size=total) * 0.8
        raw[:, j] = -latent if it.reverse else latent
    answers = np.clip(np.round(3.2 + raw), 1, 5).astype(np.uint8)
    answers[rng.random(answers.shape) < blank_rate] = 0
    responses = Responses(
        waves=tuple(f"W{w + 1}" for w in range(n_waves)),
        wave=wave,
        unit=unit,
        breakdowns=columns,
        items=tuple(it.id for it in items),
        answers=answers,
    )
    return Survey(units, items, responses)


def write_csv(s: Survey, folder: str | Path) -> tuple[Path, Path, Path]:
    """Write RESPONSES.csv, UNITS.csv and ITEMS.csv of a survey into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    units_path, items_path, responses_path = (
        folder / "units.csv",
        folder / "items.csv",
        folder / "responses.csv",
    )
    with units_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["unit", "parent", "name"])
        for u, (uid, name) in enumerate(zip(s.units.ids, s.units.names, strict=True)):
            p = s.units.parent[u]
            w.writerow([uid, "" if p < 0 else s.units.ids[p], name])
    with items_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["item", "scale", "reverse", "text"])
        for it in s.items:
            w.writerow([it.id, it.scale, int(it.reverse), it.text])
    r = s.responses
    with responses_path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["respondent", "unit", "wave", *r.breakdowns, *r.items])
        columns = list(r.breakdowns.values())
        for i in range(len(r.unit)):
            w.writerow(
                [
                    f"r{i:06d}",
                    s.units.ids[r.unit[i]],
                    r.waves[r.wave[i]],
                    *(values[codes[i]] for values, codes in columns),
                    *(str(a) if a else "" for a in r.answers[i]),
                ]
            )
    return responses_path, units_path, items_path
