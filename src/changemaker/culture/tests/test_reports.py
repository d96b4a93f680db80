"""A closed wave's "we asked, you said, we did" draft: the whole organisation's score on each
norm (the top unit's cell of the stored report, read here straight from its JSON), nothing
per team, and nothing at all where the engine suppressed the cell."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from changemaker.core.figures import told_rows
from changemaker.core.models import Council, User
from changemaker.core.notices import subject_key
from changemaker.culture import reports, selectors
from changemaker.culture.models import Wave

from .conftest import PEOPLE, close_with_people

pytestmark = pytest.mark.django_db


def _organisation_score(wave: Wave, scale: str) -> float:
    (cell,) = [
        c
        for c in wave.report.data["cells"]
        if c["unit"] == "ORG" and c["breakdown"] is None and c["scale"] == scale
    ]
    assert cell["n"] == sum(PEOPLE.values())
    return float(cell["score"])


def test_the_draft_gives_the_organisation_s_scores_only(
    council: Council, closed_wave: Wave
) -> None:
    sources = reports.closed_waves(council)
    assert [s.key for s in sources] == [subject_key(closed_wave)]
    draft = sources[0].draft()
    answered = sum(PEOPLE.values())
    assert f"{answered} staff answered." in draft.you_said
    assert ("Staff who answered", str(answered)) in told_rows(draft.figures)
    scales = list(dict.fromkeys(closed_wave.items.values_list("scale", flat=True)))
    for scale in scales:
        label = str(selectors.scale_label(scale))
        score = f"{_organisation_score(closed_wave, scale):.0f}"
        assert f"{label}: a score of {score} out of 100" in draft.you_said
        assert (f"Score out of 100: {label}", score) in told_rows(draft.figures)
    for team in ("Occupational therapy", "Reablement", "Parks", "Adult social care"):
        assert team not in draft.you_said and team not in draft.we_asked
    assert draft.url == ""


def test_a_suppressed_organisation_cell_is_left_out(
    council: Council, make_wave: Callable[..., Wave], lead: User
) -> None:
    wave = close_with_people(make_wave(min_group=sum(PEOPLE.values()) + 1), lead)
    draft = reports.closed_waves(council)[0].draft()
    assert "out of 100" not in draft.you_said
    assert [label for label, _v in told_rows(draft.figures)] == ["Staff who answered"]
    assert wave.status == Wave.Status.CLOSED


def test_an_open_wave_is_not_listed(council: Council, make_wave: Callable[..., Wave]) -> None:
    make_wave()
    assert reports.closed_waves(council) == []
