"""The live figures budgeting gives the self-evaluation (core.registry.Capability.figures):
the latest budget whose voting closed, its voters and the ideas sent in, counted here from
what the test made."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from changemaker.budgeting.models import Ballot, Eligibility, Process
from changemaker.core.figures import live_figures
from changemaker.core.models import Council, Role, User

pytestmark = pytest.mark.django_db


def _by_key(council: Council) -> dict[str, object]:
    return {f.key: f.value for f in live_figures(council)}


def test_turnout_and_ideas_of_the_latest_closed_budget(
    council: Council,
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    eligible: Callable[..., Eligibility],
) -> None:
    assert _by_key(council)["budgeting.turnout"] is None  # nothing closed yet
    older = make_process(phase="delivery")
    latest = make_process(phase="results", costs=(1000, 2000, 3000, 4000))
    make_process(phase="voting")  # still voting: not counted
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    heading = latest.headings.get()
    for _ in range(3):  # online voters were checked first (an eligibility each)
        voter = make_user()
        eligible(latest, voter)
        Ballot.objects.create(process=latest, heading=heading, channel="account", voter=voter)
    for ref in ("A1", "A2"):
        Ballot.objects.create(
            process=latest,
            heading=heading,
            channel="paper",
            paper_reference=ref,
            entered_by=officer,
        )
    Ballot.objects.create(
        process=older, heading=older.headings.get(), channel="account", voter=make_user()
    )
    found = _by_key(council)
    assert found["budgeting.turnout"] == 5.0  # 3 online + 2 paper, the older budget's not
    assert found["budgeting.ideas"] == 4.0
