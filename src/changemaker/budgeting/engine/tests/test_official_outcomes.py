"""The official outcomes, read from the ``selected`` column of the files themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from changemaker.budgeting.engine.pabulib import read_pabulib
from changemaker.budgeting.engine.rules import count

FIXTURES = Path(__file__).parent / "fixtures"

CASES = [
    ("Poland_Swiecie_2023.pb", dict(rule="mes", utility="cost", completion="add1")),
    ("Netherlands_Assen_2024.pb", dict(rule="mes", utility="cost", completion="add1")),
    (
        "Poland_Wieliczka_2023_Green_Budget.pb",
        dict(rule="mes", utility="cost", completion="add1", add1_stop="overspend"),
    ),
    ("Poland_Warszawa_2020_Praga-Poludnie.pb", dict(rule="greedy", utility="cost")),
]


@pytest.mark.parametrize(("name", "kw"), CASES, ids=[c[0] for c in CASES])
def test_official_outcome(name: str, kw: dict[str, str]) -> None:
    election = read_pabulib(FIXTURES / name)
    official = {p.id for p in election.projects if p.meta["selected"] == "1"}
    assert official, "the file must say which projects were selected"
    outcome = count(election, **kw)  # type: ignore[arg-type]
    assert set(outcome.selected) == official
    assert outcome.cost <= election.budget


def test_wieliczka_needs_the_overspend_stop() -> None:
    election = read_pabulib(FIXTURES / "Poland_Wieliczka_2023_Green_Budget.pb")
    official = {p.id for p in election.projects if p.meta["selected"] == "1"}
    outcome = count(election, rule="mes", completion="add1", add1_stop="exhaustive")
    assert set(outcome.selected) != official
