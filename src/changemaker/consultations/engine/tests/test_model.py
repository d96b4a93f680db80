"""OpinionMap: determinism, warm updates, API shape."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.consultations.engine import OpinionMap, Statement, VoteError, VoteLog

from .conftest import MATH_FIXTURE


def _split(log: VoteLog, at: int) -> tuple[VoteLog, VoteLog]:
    order = np.argsort(log.timestamp, kind="stable")

    def take(idx: Any) -> VoteLog:
        return VoteLog(log.participant[idx], log.statement[idx], log.vote[idx], log.timestamp[idx])

    return take(order[:at]), take(order[at:])


def test_deterministic(conversation: Any, fitted: Any) -> None:
    conv = conversation(MATH_FIXTURE)
    again = OpinionMap().fit(conv.votes, conv.statements)
    assert json.dumps(again.result_.to_dict()) == json.dumps(fitted(MATH_FIXTURE).result_.to_dict())


def test_shuffled_input_gives_the_same_groups(conversation: Any, fitted: Any) -> None:
    conv = conversation("brexit-consensus")
    perm = np.random.default_rng(7).permutation(len(conv.votes))
    log = VoteLog(
        conv.votes.participant[perm],
        conv.votes.statement[perm],
        conv.votes.vote[perm],
        conv.votes.timestamp[perm],
    )
    shuffled = OpinionMap().fit(log, reversed(conv.statements)).result_
    assert shuffled.participant_group == fitted("brexit-consensus").result_.participant_group


def test_warm_update_without_changes_keeps_groups(conversation: Any) -> None:
    conv = conversation(MATH_FIXTURE)
    om = OpinionMap().fit(conv.votes, conv.statements)
    before = om.result_.to_dict()
    # re-sending votes already counted changes nothing
    om.update(_split(conv.votes, 100)[0])
    assert om.result_.to_dict() == before
    om.update(VoteLog.empty())
    assert om.result_.to_dict() == before


@pytest.mark.parametrize("name", [MATH_FIXTURE, "brexit-consensus", "15-per-hour-seattle"])
def test_warm_path_on_unchanged_data_keeps_groups(name: str, conversation: Any) -> None:
    """The warm computation itself (not only the shortcut) is stable on the same data."""
    conv = conversation(name)
    om = OpinionMap().fit(conv.votes, conv.statements)
    before = om.result_
    assert om._state is not None
    after = om._compute(om._state, warm=True)
    assert after.participant_group == before.participant_group
    assert [g.representative for g in after.groups] == [g.representative for g in before.groups]


def test_warm_update_after_new_votes(conversation: Any) -> None:
    conv = conversation(MATH_FIXTURE)
    first, rest = _split(conv.votes, 4500)
    om = OpinionMap().fit(first, conv.statements)
    om.update(rest)
    cold = OpinionMap().fit(conv.votes, conv.statements)
    assert om.matrix_.same_cells(cold.matrix_)
    warm_r, cold_r = om.result_, cold.result_
    assert warm_r is not None and cold_r is not None
    # the same data: the same PCA, clustered participants (once in, stay in) and consensus
    assert np.allclose(warm_r.pca.components, cold_r.pca.components, atol=1e-8)
    assert warm_r.in_conv >= cold_r.in_conv
    assert warm_r.consensus == cold_r.consensus
    assert 2 <= len(warm_r.groups) <= 5


def test_update_applies_moderation(conversation: Any) -> None:
    conv = conversation(MATH_FIXTURE)
    om = OpinionMap().fit(conv.votes, conv.statements)
    top = om.result_.consensus["agree"][0].statement
    moderated = [
        Statement(s.id, s.text, s.author_id, -1 if s.id == top else s.moderated, s.is_meta)
        for s in conv.statements
    ]
    om.update(VoteLog.empty(), moderated)
    assert top in om.result_.moderated_out
    assert top not in [c.statement for c in om.result_.consensus["agree"]]
    col = om.result_.statements.index(top)
    assert np.all(om.result_.pca.components[:, col] == 0)


def test_result_shape(fitted: Any) -> None:
    r = fitted(MATH_FIXTURE).result_
    d = r.to_dict()
    assert set(d) >= {"participant_group", "groups", "consensus", "coordinates"}
    assert set(d["consensus"]) == {"agree", "disagree"}
    clustered = [g for g in r.participant_group.values() if g is not None]
    assert sum(g.size for g in r.groups) == len(clustered) == len(r.in_conv)
    assert set(d["coordinates"]["participants"]) == set(d["participant_group"])
    json.dumps(d, allow_nan=False)


def test_unknown_statement_rejected(conversation: Any) -> None:
    conv = conversation(MATH_FIXTURE)
    bad = VoteLog.from_records([(1, 999, 1)])
    with pytest.raises(VoteError):
        OpinionMap().fit(conv.votes.concat(bad), conv.statements)


def test_tiny_conversations() -> None:
    for records in (
        [(0, 0, 1)],
        [(0, 0, 1), (1, 0, -1)],
        [(p, s, 1) for p in range(3) for s in range(2)],
    ):
        r = OpinionMap().fit(VoteLog.from_records(records)).result_
        assert r is not None
        assert len(r.participant_group) == len({p for p, _, _ in records})


def test_plain_polis_cold_run_is_available(conversation: Any) -> None:
    conv = conversation(MATH_FIXTURE)
    r = OpinionMap(n_restarts=1).fit(conv.votes, conv.statements).result_
    assert r is not None and 2 <= len(r.groups) <= 5


def test_divisive_statements_split_the_groups(fitted: Any) -> None:
    r = fitted("brexit-consensus").result_
    assert r.divisive
    spreads = [d.spread for d in r.divisive]
    assert spreads == sorted(spreads, reverse=True)
    top = r.divisive[0]
    assert max(top.p_agree) - min(top.p_agree) == top.spread > 0.5
    assert top.statement not in r.moderated_out


_small_event = st.tuples(st.integers(0, 40), st.integers(0, 8), st.integers(-1, 1))


@settings(max_examples=60, deadline=None)
@given(
    events=st.lists(_small_event, min_size=1, max_size=250),
    rejected=st.sets(st.integers(0, 8), max_size=3),
    split=st.integers(0, 250),
)
def test_any_small_conversation_maps(
    events: list[tuple[int, int, int]], rejected: set[int], split: int
) -> None:
    statements = [Statement(i, f"s{i}", moderated=-1 if i in rejected else 1) for i in range(9)]
    log = VoteLog.from_arrays(
        [e[0] for e in events], [e[1] for e in events], [e[2] for e in events], range(len(events))
    )
    om = OpinionMap(n_restarts=2).fit(log, statements)
    r = om.result_
    assert r is not None
    assert set(r.participant_group) == {e[0] for e in events}
    clustered = {p for p, g in r.participant_group.items() if g is not None}
    assert clustered == r.in_conv
    assert sum(g.size for g in r.groups) == len(clustered)
    assert all(np.isfinite(xy).all() for xy in map(np.array, r.participant_xy.values()))
    assert all(s.statement not in rejected for g in r.groups for s in g.representative)
    json.dumps(r.to_dict(), allow_nan=False)
    # warm path: first part cold, the rest as an update
    head = VoteLog(
        log.participant[:split], log.statement[:split], log.vote[:split], log.timestamp[:split]
    )
    tail = VoteLog(
        log.participant[split:], log.statement[split:], log.vote[split:], log.timestamp[split:]
    )
    warm = OpinionMap(n_restarts=2).fit(head, statements).update(tail)
    assert warm.matrix_.same_cells(om.matrix_)
    w = warm.result_
    assert w is not None
    assert sum(g.size for g in w.groups) == len(w.in_conv)


def test_warm_state_survives_json_and_a_new_process(conversation: Any) -> None:
    conv = conversation(MATH_FIXTURE)
    first, rest = _split(conv.votes, 4500)
    live = OpinionMap().fit(first, conv.statements)
    saved = json.loads(json.dumps(live.warm_state()))
    live.update(rest)
    resumed = OpinionMap().resume(saved, conv.votes, conv.statements)
    assert resumed.result_ is not None and live.result_ is not None
    assert json.dumps(resumed.result_.to_dict()) == json.dumps(live.result_.to_dict())


def test_bad_warm_state_is_rejected(conversation: Any) -> None:
    from changemaker.consultations.engine import OpinionEngineError

    conv = conversation(MATH_FIXTURE)
    state = OpinionMap().fit(conv.votes, conv.statements).warm_state()
    for broken in (
        {**state, "version": 99},
        {**state, "base": {**state["base"], "cluster": [12345] * len(state["base"]["cluster"])}},
        {k: v for k, v in state.items() if k != "pca"},
    ):
        with pytest.raises(OpinionEngineError):
            OpinionMap().resume(broken, conv.votes, conv.statements)
