from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from changemaker.insight.engine.linkage.clustering import constrained_clusters
from changemaker.insight.engine.linkage.linker import PersonLinker, with_parameters
from changemaker.insight.engine.linkage.parameters import (
    DEFAULT_BLOCKING_RULES,
    LARGE_INPUT_BLOCKING_RULES,
    MODEL_VERSION,
    BlockingTooCostly,
    LinkageParameters,
    ModelFileError,
)
from changemaker.insight.engine.linkage.person_ids import assign_person_ids, record_keys

from .conftest import Linked


def test_blocking_costs_are_counted_before_the_run(linked: Linked) -> None:
    costs = linked.result.blocking
    assert [c.rule for c in costs] == list(linked.linker.parameters.blocking_rules)
    assert costs[-1].cumulative_pairs == sum(c.marginal_pairs for c in costs)
    assert 0 < costs[-1].cumulative_pairs <= linked.linker.pair_budget(len(linked.standard))


def test_a_costly_blocking_rule_is_refused(linked: Linked) -> None:
    costly = with_parameters(
        linked.linker,
        blocking_rules=("l.postcode_outward = r.postcode_outward",),
        min_pair_budget=10_000,
        max_pairs_per_record=1.0,
    )
    with pytest.raises(BlockingTooCostly, match="postcode_outward"):
        costly.link(linked.standard)


def test_model_round_trips_through_versioned_json(linked: Linked, tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    linked.linker.save(path)
    document = json.loads(path.read_text())
    assert document["format"] == "changemaker.insight.linkage-model"
    assert document["version"] == MODEL_VERSION
    assert document["splink_version"]
    loaded = PersonLinker.load(path)
    assert loaded.parameters == linked.linker.parameters
    again = loaded.link(linked.standard, check_cost=False)
    pd.testing.assert_series_equal(again.person_ids, linked.result.person_ids)


def test_bad_model_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"format": "changemaker.insight.linkage-model", "version": 99}))
    with pytest.raises(ModelFileError, match="newer"):
        PersonLinker.load(path)
    path.write_text("{not json")
    with pytest.raises(ModelFileError):
        PersonLinker.load(path)
    path.write_text(json.dumps({"format": "something else"}))
    with pytest.raises(ModelFileError):
        PersonLinker.load(path)


def test_unfitted_linker_cannot_be_saved() -> None:
    with pytest.raises(RuntimeError, match="not fitted"):
        PersonLinker().to_json()


def test_person_ids_are_stable_across_reruns(linked: Linked) -> None:
    previous = linked.result.ids_by_record_key()
    assert previous.index.equals(record_keys(linked.standard))
    # a later run: the same records in another order plus a few removed
    subset = linked.standard.sample(frac=0.9, random_state=1)
    rerun = linked.linker.link(subset, previous=previous, check_cost=False)
    old = linked.result.person_ids.loc[subset.index]
    same = (rerun.person_ids == old).mean()
    assert same >= 0.97
    # ids of the same input are identical
    full = linked.linker.link(linked.standard, previous=previous, check_cost=False)
    pd.testing.assert_series_equal(full.person_ids, linked.result.person_ids)


def test_assign_person_ids_overlap_rules() -> None:
    keys = pd.Index(["a", "b", "c", "d", "e"])
    previous = pd.Series(["P00000007", "P00000007", "P00000003", "P00000003", None], index=keys)
    previous = previous.dropna()
    # new run: {a, b, c} merged, {d} alone, {e} new
    clusters = pd.Series([0, 0, 0, 1, 2], index=keys)
    ids = assign_person_ids(clusters, previous)
    assert ids["a"] == ids["b"] == ids["c"] == "P00000007"  # largest overlap wins
    assert ids["d"] == "P00000003"  # keeps the id it overlaps
    assert ids["e"] == "P00000008"  # fresh id above every old one
    assert assign_person_ids(clusters, None).tolist() == [
        "P00000001",
        "P00000001",
        "P00000001",
        "P00000002",
        "P00000003",
    ]


def test_rules_can_be_switched_off(linked: Linked) -> None:
    plain = PersonLinker(
        replace(linked.linker.parameters, personal_evidence_rule=False, nino_rule=False),
        model=linked.linker.to_json()["splink_model"],
    )
    pairs = plain.predict(linked.standard)
    assert not pairs["vetoed"].any()
    assert linked.result.pairs["vetoed"].any()


def test_unstandardised_records_are_refused(linked: Linked) -> None:
    with pytest.raises(ValueError, match="not standardised"):
        linked.linker.predict(linked.raw)


def test_builtin_model_matches_the_defaults() -> None:
    builtin = PersonLinker.builtin()
    assert builtin.is_fitted
    assert builtin.parameters == LinkageParameters()


def test_large_input_rules_are_the_defaults() -> None:
    assert LARGE_INPUT_BLOCKING_RULES == DEFAULT_BLOCKING_RULES
    # no rule may pair every record with every other of the same (common) name
    assert "l.first_name_canonical = r.first_name_canonical and l.surname = r.surname" not in (
        DEFAULT_BLOCKING_RULES
    )


def test_constrained_clustering_keeps_cannot_link_records_apart() -> None:
    import numpy as np

    # 0 and 1 are twins (cannot link); 2 has no first name and links to both; 3 links to 0
    left = np.array([0, 1, 0], dtype=np.int64)
    right = np.array([2, 2, 3], dtype=np.int64)
    weight = np.array([5.0, 4.0, 9.0])
    labels = constrained_clusters(
        4, left, right, weight, np.array([0], dtype=np.int64), np.array([1], dtype=np.int64)
    )
    assert labels[0] != labels[1]
    assert labels[2] == labels[0]  # the stronger link wins
    assert labels[3] == labels[0]
    # without the constraint, connected components would chain the twins together
    plain = constrained_clusters(
        4, left, right, weight, np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    )
    assert len(set(plain.tolist())) == 1


def test_constrained_clustering_equals_the_plain_constrained_algorithm() -> None:
    """The fast path (connected components, the constrained algorithm only where a
    cannot-link pair falls inside a component) gives the same clusters as running the
    constrained algorithm on every link."""
    import numpy as np
    import pandas as pd

    from changemaker.insight.engine.linkage.clustering import _constrained_roots

    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(2, 40))
        m, k = int(rng.integers(0, 80)), int(rng.integers(0, 10))
        left, right = rng.integers(0, n, m), rng.integers(0, n, m)
        weight = rng.integers(0, 4, m).astype(np.float64)  # many ties
        cannot_left, cannot_right = rng.integers(0, n, k), rng.integers(0, n, k)
        fast = constrained_clusters(n, left, right, weight, cannot_left, cannot_right)
        roots = _constrained_roots(n, left, right, weight, cannot_left, cannot_right)
        assert fast.tolist() == pd.factorize(roots)[0].tolist()


def _strangers(n: int, seed: int = 3) -> pd.DataFrame:
    """``n`` standardised records of ``n`` different people: no two agree on anything the
    prior's deterministic rules compare."""
    import random

    from changemaker.insight.engine.standardise import standardise_frame

    rng = random.Random(seed)

    def word(k: int) -> str:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(k))

    raw = pd.DataFrame(
        {
            "source_dataset": "housing",
            "record_id": [str(i) for i in range(n)],
            "first_name": [word(7) for _ in range(n)],
            "surname": [word(8) for _ in range(n)],
            "date_of_birth": [
                f"{1930 + i % 80}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)
            ],
            "postcode": [f"XM{1 + i % 90} {1 + i % 9}AB" for i in range(n)],
            "address_line": [f"{i} {word(6)} road" for i in range(n)],
            "nino": None,
            "email": None,
            "phone": None,
        },
        dtype="object",
    )
    return standardise_frame(raw)


def test_training_that_cannot_estimate_the_prior_fails_clearly() -> None:
    """Was ``ValueError: math domain error`` from Splink's EM (a prior of 0, log2(0))."""
    from changemaker.insight.engine.linkage.parameters import TrainingFailed

    linker = PersonLinker(LinkageParameters(u_max_pairs=1e5))
    with pytest.raises(TrainingFailed, match="no two records agree"):
        linker.fit(_strangers(1200))
    assert not linker.is_fitted


def test_prior_rules_hold_without_uk_postcodes_or_ninos() -> None:
    """The deterministic rules compare what any data set has: the same people twice with
    non-UK postcodes and no NINO still give a prior (FEBRL4's case)."""
    from changemaker.insight.engine.standardise import standardise_frame

    people = _strangers(600)
    raw = pd.DataFrame(
        {
            "source_dataset": ["a"] * 600 + ["b"] * 600,
            "record_id": [str(i) for i in range(1200)],
            "first_name": list(people["first_name"]) * 2,
            "surname": list(people["surname"]) * 2,
            "date_of_birth": list(people["date_of_birth"]) * 2,
            "postcode": [str(2000 + i) for i in range(600)] * 2,  # Australian, say
            "address_line": list(people["address_line"]) * 2,
            "nino": None,
            "email": None,
            "phone": None,
        },
        dtype="object",
    )
    standard = standardise_frame(raw)
    assert standard["address_key"].isna().all() and standard["nino"].isna().all()
    linker = PersonLinker(LinkageParameters(u_max_pairs=1e5)).fit(standard)
    prior = linker.to_json()["splink_model"]["probability_two_random_records_match"]
    assert 0 < prior < 1


def _scored(rows: list[tuple[int, int, float, bool, bool]]) -> pd.DataFrame:
    """Scored pairs as ``predict`` gives them: left, right, match weight, vetoed, cannot-link
    (a vetoed pair's probability is 0)."""
    import numpy as np

    frame = pd.DataFrame(rows, columns=["left", "right", "match_weight", "vetoed", "cannot_link"])
    probability = 1.0 / (1.0 + 2.0 ** -frame["match_weight"])
    frame["match_probability"] = np.where(frame["vetoed"], 0.0, probability)
    # records with no first name or no date of birth
    bare = {3, 7, 8, 9, 10, 11}
    frame["bare_left"] = frame["left"].isin(bare)
    frame["bare_right"] = frame["right"].isin(bare)
    return frame


def test_a_record_without_personal_evidence_joins_the_only_person_it_can_be() -> None:
    """Issue 15: a record with neither first name nor date of birth (3) is vetoed with every
    record at its dwelling; when they are all one person (0, 1) it joins that person. Record 7
    is at a dwelling of two people of that surname (4 and 5, twins): it stays alone; so do
    record 8, whose only pair scored low, record 9, which cannot be 0 and 1's person, and
    records 10 and 11, bound for 0 and 1's person but not one person themselves (a
    cannot-link pair)."""
    pairs = _scored(
        [
            (0, 1, 20.0, False, False),
            (0, 3, 6.0, True, False),
            (1, 3, 6.0, True, False),
            (4, 5, 8.0, True, True),
            (4, 7, 6.0, True, False),
            (5, 7, 6.0, True, False),
            (0, 8, 1.0, True, False),
            (0, 9, 6.0, True, False),
            (1, 9, 3.0, True, True),
            (0, 10, 6.0, True, False),
            (0, 11, 6.0, True, False),
            (10, 11, 1.0, True, True),
        ]
    )
    labels = PersonLinker(LinkageParameters()).cluster(12, pairs)
    assert labels[3] == labels[0] == labels[1]
    assert len({labels[4], labels[5], labels[7]}) == 3
    assert labels[8] not in {labels[0], labels[9]}
    assert labels[9] != labels[0]
    assert len({labels[0], labels[10], labels[11]}) == 3
    off = PersonLinker(LinkageParameters(attach_unambiguous=False)).cluster(12, pairs)
    assert off[3] != off[0]


def test_records_at_one_dwelling_with_one_surname_are_compared() -> None:
    """Issue 15: a record whose postcode is mistyped but whose dwelling was matched, under a
    first name the linker cannot relate ("Nollie" / "Olivia") and no date of birth, is still a
    candidate pair (same dwelling and surname)."""
    from changemaker.insight.engine.standardise import standardise_frame

    raw = pd.DataFrame(
        {
            "source_dataset": "housing",
            "record_id": ["1", "2"],
            "first_name": ["Olivia", "Nollie"],
            "surname": ["Clarke", "Clarke"],
            "date_of_birth": ["2002-10-28", None],
            "postcode": ["XM14 7ZS", "XM14 7ZT"],
            "address_line": ["41 Bridge Terrace", "41 Bridge Tce"],
            "nino": None,
            "email": None,
            "phone": None,
        }
    )
    records = standardise_frame(raw).assign(address_key="U:100000000001")
    costs = PersonLinker(LinkageParameters()).blocking_cost(records)
    assert costs[-1].cumulative_pairs == 1


def test_a_rare_first_name_differing_vetoes_the_pair_but_keeps_no_clusters_apart() -> None:
    """Issue 15: "Ssebby" (a typo on a nickname, carried by one record) differing from
    "Sebastian" is too weak a sign of two people to keep their clusters apart for good; two
    common names differing (twins: "Oliver" and "Harry") still are."""
    import numpy as np

    from changemaker.insight.engine.linkage.comparisons import apply_rules, rare_first_names

    model = PersonLinker.builtin().to_json()["splink_model"]
    frame = pd.DataFrame(
        {
            "unique_id_l": [0, 0],
            "unique_id_r": [1, 2],
            "match_weight": [12.0, 12.0],
            "match_probability": [0.9998, 0.9998],
            "gamma_first_name": [0, 0],
            "gamma_date_of_birth": [1, 1],
            "gamma_nino": [-1, -1],
        }
    )
    rare = np.array([False, False, True])
    pairs = apply_rules(frame, model, LinkageParameters(), rare)
    assert pairs["vetoed"].tolist() == [True, True]
    assert pairs["cannot_link"].tolist() == [True, False]
    # rare: carried by fewer than 5 records (a missing name is not rare)
    names = pd.Series(["oliver"] * 5 + ["ssebby", None])
    assert rare_first_names(names, 5).tolist() == [False] * 5 + [True, False]


def test_a_date_of_birth_a_day_or_a_decade_out_is_one_person_a_namesake_is_not() -> None:
    """Issue 15: dates of birth keyed a day out across a month's end (31/12/1999, 01/01/2000)
    or a decade out (14/02/2006, 14/02/1996) differ by three characters or more, beyond the
    edit levels, and were vetoed as two people. They are levels of their own now; a mother
    and daughter of one name at one address (born 1976 and 2006, different days) stay two."""
    from changemaker.insight.engine.standardise import standardise_frame

    raw = pd.DataFrame(
        {
            "source_dataset": ["housing", "schools", "housing", "council_tax", "housing"],
            "record_id": ["1", "2", "3", "4", "5"],
            "first_name": ["Amara", "Amara", "Michelle", "Michelle", "Michelle"],
            "surname": ["Osei", "Osei", "Porter", "Porter", "Porter"],
            "date_of_birth": [
                "1999-12-31",
                "2000-01-01",
                "2006-02-14",
                "1996-02-14",
                "1976-09-03",
            ],
            "postcode": ["XM3 2JP", "XM3 2JP", "XM8 1DQ", "XM8 1DQ", "XM8 1DQ"],
            "address_line": [
                "4 Mill Lane",
                "4 Mill Ln",
                "9 Field Terrace",
                "9 Field Tce",
                "9 Field Terrace",
            ],
            "nino": None,
            "email": None,
            "phone": None,
        }
    )
    records = standardise_frame(raw)
    linker = PersonLinker.builtin()
    # every blocked pair, however low its score
    pairs = with_parameters(linker, keep_threshold=0.0).predict(records)
    pairs = pairs.set_index(["left", "right"])
    assert not pairs.loc[(0, 1), "vetoed"]
    assert not pairs.loc[(2, 3), "vetoed"]
    assert pairs.loc[(2, 4), "cannot_link"]
    persons = linker.link(records).cluster_ids
    assert persons[0] == persons[1]
    assert persons[2] == persons[3] != persons[4]


def test_a_common_name_written_alike_outweighs_a_nickname_form_of_it() -> None:
    """Issue 15: the exact first-name level is weighed by how common the name is; the nickname
    and learned-form levels are too, or "Bill" / "William" (a son) outweighed "Bill" / "Bill"
    (his father) for a record of a common name with no date of birth."""
    from changemaker.insight.engine.standardise import standardise_frame

    raw = pd.DataFrame(
        {
            "source_dataset": "housing",
            "record_id": [str(n) for n in range(6)],
            "first_name": ["Bill", "Bill", "William", "Bill", "Bill", "Bill"],
            "surname": ["Jones", "Jones", "Jones", "Price", "Ahmed", "Lewis"],
            "date_of_birth": [None, "1960-03-02", "1990-07-15", None, None, None],
            "postcode": ["XM3 2JP"] * 3 + ["XM5 1AA", "XM6 1AB", "XM7 1AD"],
            "address_line": ["4 Mill Lane"] * 3 + ["1 High St", "2 Low St", "3 Hill Rd"],
            "nino": None,
            "email": None,
            "phone": None,
        }
    )
    pairs = with_parameters(PersonLinker.builtin(), keep_threshold=0.0).predict(
        standardise_frame(raw)
    )
    weight = pairs.set_index(["left", "right"])["match_weight"]
    assert weight[(0, 1)] > weight[(0, 2)]


def test_a_level_no_sampled_pair_reached_still_counts_as_evidence(linked: Linked) -> None:
    """Issue 15: when no randomly sampled pair of records reaches a level (NINOs one character
    apart; on one generated 200,000 records, two strangers sharing a phone), Splink saved no u
    for it and scored it as no evidence: that seed's persons F1 was 0.9792 where the others
    were 0.9814 and more. Such a level gets u's upper 95% bound, 3 / pairs sampled."""
    sampled = 20_000.0  # few pairs: rare levels go unseen
    linker = PersonLinker(replace(linked.linker.parameters, u_max_pairs=sampled))
    model = linker.fit(linked.standard).to_json()["splink_model"]
    levels = [
        level
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    ]
    assert all("u_probability" in level for level in levels)
    bounded = [level for level in levels if level["u_probability"] == pytest.approx(3 / sampled)]
    assert bounded, "some level should have gone unseen in so small a sample"
