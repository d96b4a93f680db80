from __future__ import annotations

from typing import Any

import pandas as pd

from changemaker.insight.engine.households import (
    assign_households,
    household_labels,
    household_memberships,
)
from changemaker.insight.engine.linkage.person_ids import record_keys
from changemaker.insight.engine.standardise import standardise_frame
from changemaker.insight.engine.synthetic import generate
from changemaker.insight.engine.synthetic.people import SyntheticConfig

from .conftest import Linked


def _records(rows: list[dict[str, str | None]]) -> pd.DataFrame:
    base = dict.fromkeys(
        [
            "address_from",
            "address_to",
            "first_name",
            "surname",
            "date_of_birth",
            "postcode",
            "address_line",
            "nino",
            "email",
            "phone",
        ]
    )
    return standardise_frame(pd.DataFrame([{**base, **row} for row in rows], dtype="object"))


def test_a_move_is_a_new_membership_not_a_new_person() -> None:
    records = _records(
        [
            {
                "source_dataset": "a",
                "record_id": "1",
                "postcode": "XM1 1AA",
                "address_line": "1 High St",
            },
            {
                "source_dataset": "b",
                "record_id": "2",
                "postcode": "xm11aa",
                "address_line": "1 high street",
            },
            {
                "source_dataset": "c",
                "record_id": "3",
                "postcode": "XM2 2BB",
                "address_line": "9 Low Rd",
            },
            {"source_dataset": "d", "record_id": "4", "postcode": None, "address_line": None},
            {"source_dataset": "e", "record_id": "5", "postcode": None, "address_line": None},
        ]
    )
    persons = pd.Series(["P1", "P1", "P1", "P1", "P2"], index=records.index)
    labels = household_labels(records, persons)
    assert labels[0] == labels[1] != labels[2]
    assert labels[3] == labels[0]  # no address: the person's usual household
    assert labels[4] == "person:P2"  # nobody knows where P2 lives: a household of their own
    ids = assign_households(records, persons)
    assert ids.nunique() == 3
    assert ids.str.fullmatch(r"H\d{8}").all()


def test_household_ids_are_stable(linked: Linked) -> None:
    previous = pd.Series(linked.households.to_numpy(), index=record_keys(linked.standard))
    again = assign_households(linked.standard, linked.result.person_ids, previous)
    pd.testing.assert_series_equal(again, linked.households)


def test_the_family_that_moved_out_and_the_family_that_moved_in_are_two_households() -> None:
    def row(record_id: str, start: str | None, end: str | None, **extra: str) -> dict[str, Any]:
        return {
            "source_dataset": "a",
            "record_id": record_id,
            "postcode": "XM1 1AA",
            "address_line": "1 High St",
            "address_from": start,
            "address_to": end,
            **extra,
        }

    records = _records(
        [
            row("1", "2015-01-01", "2020-06-30"),  # family A (two people) until they move
            row("2", "01/01/2015", "30/06/2020"),
            row("3", "2020-06-30", None),  # family B moves in the day A moves out
            row("4", "2020-07-01", None),
            row("5", None, None, postcode="XM2 2BB", address_line="9 Low Rd"),  # A's new home
        ]
    )
    persons = pd.Series(["P1", "P2", "P3", "P4", "P1"], index=records.index)
    ids = assign_households(records, persons)
    assert ids[0] == ids[1]
    assert ids[2] == ids[3]
    assert ids[0] != ids[2]  # same dwelling, different times
    assert ids[4] not in (ids[0], ids[2])  # a move is a new membership of the same person
    members = household_memberships(records, persons, ids)
    assert list(members.columns) == ["person_id", "household_id", "address_from", "address_to"]
    p1 = members[members["person_id"] == "P1"]
    assert len(p1) == 2
    assert p1["household_id"].tolist() == [ids[4], ids[0]]  # unknown start sorts first
    assert p1["address_to"].tolist()[1] == "2020-06-30"
    # a record with no period at all overlaps both families: one household again
    unknown = _records([*[row(str(i), None, None) for i in range(1, 3)]])
    assert assign_households(unknown, pd.Series(["P1", "P3"], index=unknown.index)).nunique() == 1


def test_generated_families_moving_in_after_others_are_kept_apart() -> None:
    """Records at one dwelling from two true households (a family that left and one that
    came after), at dwellings where every record has a period (a record with none overlaps
    everyone, by design), with the true persons: different households."""
    # seed 12: since the generator's names and streets changed (issue 15), seed 11 gives only
    # 6 such pairs; seeds 12, 13, 14 give 35, 31, 26, all kept apart
    raw = generate(SyntheticConfig(n_people=6000, seed=12))
    standard = standardise_frame(raw)
    persons = pd.Series(raw["true_person_id"].to_numpy(), index=standard.index)
    frame = standard.assign(
        truth=raw["true_household_id"].to_numpy(),
        got=assign_households(standard, persons).to_numpy(),
    ).dropna(subset=["address_key"])
    undated = frame["address_from"].isna() & frame["address_to"].isna()
    dated = frame[~frame["address_key"].isin(set(frame.loc[undated, "address_key"]))]
    pairs = dated.merge(dated, on="address_key")
    pairs = pairs[pairs["truth_x"] < pairs["truth_y"]]
    assert len(pairs) >= 10, "the data should have families moving into vacated homes"
    apart = (pairs["got_x"] != pairs["got_y"]).mean()
    assert apart >= 0.9
