"""Scores, % positive and n against an independent computation in exact fractions."""

from __future__ import annotations

from fractions import Fraction

import pytest

from changemaker.culture.engine import synthetic
from changemaker.culture.engine.report import build_report


def _expected(s: synthetic.Survey, columns: tuple[str, ...]) -> dict:
    """Walk every respondent up to the root; no numpy, no shared code with the engine."""
    r = s.responses
    out: dict = {}
    for i in range(len(r.unit)):
        wave = r.waves[r.wave[i]]
        keys = [None] + [(c, r.breakdowns[c][0][r.breakdowns[c][1][i]]) for c in columns]
        for scale in dict.fromkeys(it.scale for it in s.items):
            answers = []
            for j, it in enumerate(s.items):
                a = int(r.answers[i, j])
                if it.scale == scale and a:
                    answers.append(6 - a if it.reverse else a)
            if not answers:
                continue
            person = (Fraction(sum(answers), len(answers)) - 1) * 25
            positive = sum(1 for a in answers if a >= 4)
            u = int(r.unit[i])
            while u >= 0:
                for key in keys:
                    acc = out.setdefault((s.units.ids[u], wave, key, scale), [0, 0, 0, 0])
                    acc[0] += 1
                    acc[1] += person
                    acc[2] += positive
                    acc[3] += len(answers)
                u = s.units.parent[u]
    return out


@pytest.mark.parametrize("seed", [0, 1])
def test_scores_and_n_are_exact(seed: int) -> None:
    s = synthetic.survey(
        n_units=25,
        n_respondents=400,
        n_items=11,
        n_waves=2,
        breakdowns={"grade": 3, "site": 2},
        blank_rate=0.3,
        seed=seed,
    )
    columns = ("grade", "site")
    report = build_report(s.units, s.items, s.responses, min_group=1, breakdowns=columns)
    expected = _expected(s, columns)
    seen = 0
    for cell in report["cells"]:
        b = cell["breakdown"]
        key = (
            cell["unit"],
            cell["wave"],
            None if b is None else next(iter(b.items())),
            cell["scale"],
        )
        if cell["suppressed"]:
            continue
        n, total, positive, answered = expected[key]
        assert cell["n"] == n
        assert cell["score"] == float(total / n)  # the exact mean, correctly rounded
        assert cell["percent_positive"] == float(Fraction(100 * positive, answered))
        seen += 1
    assert seen > 0.3 * len(report["cells"])
    # every unit x wave x (overall + each value) x scale has a cell
    values = sum(len(s.responses.breakdowns[c][0]) for c in columns)
    assert len(report["cells"]) == len(s.units.ids) * 2 * (1 + values) * 4


def test_reversed_items_and_the_0_to_100_mapping() -> None:
    import numpy as np

    from changemaker.culture.engine.csvio import Item, OrgChart, Responses

    units = OrgChart(("ORG",), ("Org",), (-1,))
    items = (Item("a", "s", False, "A"), Item("b", "s", True, "B"))
    # person 1: 5 and reversed 1 (= 5) -> 100; person 2: 1 and blank -> 0
    answers = np.array([[5, 1], [1, 0]], dtype=np.uint8)
    resp = Responses(("W",), np.zeros(2, np.int64), np.zeros(2, np.int64), {}, ("a", "b"), answers)
    report = build_report(units, items, resp, min_group=1)
    (cell,) = report["cells"]
    assert (cell["n"], cell["score"]) == (2, 50.0)
    assert cell["percent_positive"] == pytest.approx(100 * 2 / 3)
