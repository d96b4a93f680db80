"""The evaluation extract (outcomes.py): insight's ward-by-month counts as a core outcome
source, only under an agreement covering evaluation, small numbers hidden, audited."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from changemaker.core.models import AuditEvent, Council
from changemaker.core.registry import OutcomeRefused, outcome_sources
from changemaker.insight import outcomes
from changemaker.insight.models import Flag, Indicator, Purpose, RecordLink
from changemaker.insight.tests.people_fixtures import World, make_world, record

pytestmark = pytest.mark.django_db

ABBEY, CASTLE = "E05099001", "E05099002"
#: newly flagged households: (ward's postcode, month) -> how many
COUNTS = {
    ("EX1 1AA", date(2025, 1, 1)): 14,
    ("EX1 1AA", date(2025, 2, 1)): 3,  # small: hidden, and one more with it
    ("EX1 1AA", date(2025, 3, 1)): 22,
    ("EX3 4BB", date(2025, 1, 1)): 12,
    ("EX3 4BB", date(2025, 2, 1)): 25,
    ("EX3 4BB", date(2025, 3, 1)): 31,
}


@pytest.fixture
def world(council: Council) -> World:
    world = make_world(council)
    indicator = Indicator.objects.create(
        council=council,
        name="Council tax arrears",
        kind=Indicator.Kind.FIELD,
        dataset=world.council_tax,
        field="arrears_amount",
        comparison="gt",
        threshold=500,
        level=Indicator.Level.HOUSEHOLD,
    )
    n = 0
    for (postcode, month), count in COUNTS.items():
        for _ in range(count):
            n += 1
            rec = record(world.council_tax, f"X{n}", postcode=postcode, surname="Example")
            household = f"H9{n:07d}"
            RecordLink.objects.create(
                run=world.run, record=rec, person_id=f"P9{n:07d}", household_id=household
            )
            Flag.objects.create(
                council=council,
                indicator=indicator,
                subject_kind=Indicator.Level.HOUSEHOLD,
                subject_id=household,
                raised_at=datetime(month.year, month.month, 10, 12, tzinfo=UTC),
            )
    return world


def _allow_evaluation(world: World) -> Purpose:
    purpose = Purpose.objects.create(
        council=world.council, name="Evaluating pilots", evaluation=True
    )
    world.council_tax.agreement.purposes.add(purpose)
    return purpose


def _source(world: World) -> outcomes.OutcomeSource:
    found = [s for s in outcome_sources(world.council) if s.label.endswith("arrears")]
    assert len(found) == 1
    return found[0]


def test_no_agreement_covering_evaluation_refuses_with_what_to_do(world: World) -> None:
    source = _source(world)
    with pytest.raises(OutcomeRefused) as refused:
        source.rows(date(2025, 1, 1), date(2025, 3, 31))
    message = str(refused.value)
    assert "DSA-CT" in message
    assert "Evaluating pilots with counts by ward and month" in message
    assert not AuditEvent.objects.filter(action="insight.evaluation_extract").exists()


def test_counts_by_ward_and_month_with_small_numbers_hidden(world: World) -> None:
    _allow_evaluation(world)
    source = _source(world)
    assert source.unit == "households"
    assert source.suppressed_below == 10
    rows = source.rows(date(2025, 1, 15), date(2025, 3, 2))
    got = {(ward, month): value for ward, month, value in rows}
    assert len(got) == 6
    # the 3 is hidden; so is the 14 beside it, with the same months of the other ward,
    # so that neither ward's total nor a month's total gives the 3 away
    assert got[(ABBEY, date(2025, 2, 1))] is None
    assert got[(ABBEY, date(2025, 3, 1))] == 22 or got[(ABBEY, date(2025, 1, 1))] == 14
    assert sum(v is None for v in got.values()) == 4
    for value in got.values():
        assert value is None or value >= 10
    published = {k: v for k, v in got.items() if v is not None}
    for (postcode, month), count in COUNTS.items():
        ward = ABBEY if postcode.startswith("EX1") else CASTLE
        if (ward, month) in published:
            assert published[(ward, month)] == count


def test_the_extract_is_in_the_access_log_as_aggregates(world: World) -> None:
    _allow_evaluation(world)
    _source(world).rows(date(2025, 1, 1), date(2025, 3, 31))
    event = AuditEvent.objects.get(action="insight.evaluation_extract")
    assert event.council == world.council
    assert event.detail["cells"] == 6
    assert event.detail["suppressed"] == 4
    assert event.detail["start"] == "2025-01-01"
    assert event.detail["end"] == "2025-03-01"
    assert "H9" not in str(event.detail) and "EX1" not in str(event.detail)


def test_an_agreement_no_longer_in_force_refuses(world: World) -> None:
    _allow_evaluation(world)
    world.council_tax.agreement.ends_on = date(2021, 1, 1)
    world.council_tax.agreement.save()
    with pytest.raises(OutcomeRefused, match="DSA-CT"):
        _source(world).rows(date(2025, 1, 1), date(2025, 3, 31))


def test_one_month_is_not_a_period(world: World) -> None:
    _allow_evaluation(world)
    with pytest.raises(OutcomeRefused, match="2 to 120 months"):
        _source(world).rows(date(2025, 1, 1), date(2025, 1, 31))
