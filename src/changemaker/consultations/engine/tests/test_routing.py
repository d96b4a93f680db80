"""Routing: the next statement is drawn by priority among those not voted yet."""

from __future__ import annotations

from typing import Any

from changemaker.consultations.engine import next_statement
from changemaker.consultations.engine.routing import NEW_STATEMENT_PRIORITY

from .conftest import MATH_FIXTURE


def test_next_statement_skips_voted_and_is_seeded(fitted: Any) -> None:
    prio = fitted(MATH_FIXTURE).result_.priorities
    voted = set(list(prio)[:10])
    picks = [next_statement(prio, voted, seed) for seed in range(20)]
    assert all(p is not None and p not in voted for p in picks)
    assert picks == [next_statement(prio, voted, seed) for seed in range(20)]


def test_nothing_left() -> None:
    assert next_statement({1: 1.0}, {1}) is None


def test_priority_favours_heavier_statements() -> None:
    counts = {1: 0, 2: 0}
    for seed in range(300):
        pick = next_statement({1: 100.0, 2: 1.0}, set(), seed)
        assert pick is not None
        counts[pick] += 1
    assert counts[1] > counts[2] * 10


def test_new_statements_get_the_fresh_priority(fitted: Any) -> None:
    r = fitted(MATH_FIXTURE).result_
    # statements 0, 51, 53 exist in comments.csv but have no votes
    assert r.priorities[53] == NEW_STATEMENT_PRIORITY
    assert r.priorities[6] == 49.0  # meta statement, as in Polis


def test_opinion_map_routes_a_participant(fitted: Any, conversation: Any) -> None:
    om = fitted(MATH_FIXTURE)
    conv = conversation(MATH_FIXTURE)
    rejected = {s.id for s in conv.statements if s.moderated == -1}
    unmoderated = {s.id for s in conv.statements if s.moderated == 0 and not s.is_meta}
    voted = set(conv.votes.statement[conv.votes.participant == 1].tolist())
    for seed in range(30):
        pick = om.next_statement(1, seed=seed)
        assert pick is not None and pick not in voted and pick not in rejected
        strict = om.next_statement(1, seed=seed, strict_moderation=True)
        assert strict is not None and strict not in unmoderated and strict not in voted
    # a newcomer can be shown anything not rejected
    assert om.next_statement(10_000, seed=1) not in rejected
