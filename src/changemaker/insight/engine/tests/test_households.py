from __future__ import annotations

import pandas as pd

from changemaker.insight.engine.households import assign_households, household_labels
from changemaker.insight.engine.linkage import record_keys
from changemaker.insight.engine.standardise import standardise_frame

from .conftest import Linked


def _records(rows: list[dict[str, str | None]]) -> pd.DataFrame:
    base = dict.fromkeys(
        [
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
