"""The culture index the self-evaluation shows: the whole organisation's mean score on the
four norms of the latest closed wave, recomputed here from the raw answers (each person's
norm score is the mean of their answers, reversed items as 6 - x, mapped to 0-100)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from changemaker.core.figures import live_figures
from changemaker.core.models import Council
from changemaker.culture.engine.synthetic import NORMS
from changemaker.culture.models import Response, Wave

pytestmark = pytest.mark.django_db


def _index(council: Council) -> float | None:
    return next(f.value for f in live_figures(council) if f.key == "culture.index")


def _by_hand(wave: Wave) -> float:
    items = {i.code: i for i in wave.items.all()}
    per_norm: dict[str, list[float]] = defaultdict(list)
    for response in Response.objects.filter(wave=wave):
        answers: dict[str, list[int]] = defaultdict(list)
        for code, value in response.answers.items():
            item = items[code]
            answers[item.scale].append(6 - value if item.reverse else value)
        for norm, values in answers.items():
            per_norm[norm].append((sum(values) / len(values) - 1) * 25)
    means = [sum(v) / len(v) for n, v in per_norm.items() if n in NORMS]
    return round(sum(means) / len(means), 1)


def test_the_index_is_the_mean_of_the_organisations_norm_scores(
    council: Council, closed_wave: Wave
) -> None:
    assert _index(council) == pytest.approx(_by_hand(closed_wave), abs=0.05)


def test_no_index_before_a_wave_closes(council: Council) -> None:
    assert _index(council) is None
