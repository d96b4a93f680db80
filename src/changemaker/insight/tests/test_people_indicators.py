"""Early-help indicators: lenient numbers, every comparison, both kinds and levels, and the
flag life cycle across runs (raise, update, clear, keep reviewed, reopen on new evidence)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from changemaker.core.models import AuditEvent, Council
from changemaker.insight.indicators import (
    compares,
    evaluate,
    load_indicators,
    normalise_evidence,
    parse_number,
)
from changemaker.insight.models import (
    Flag,
    FlagReview,
    Indicator,
    LinkRun,
    RecordLink,
)
from changemaker.insight.tests.people_fixtures import World, demo_indicators, make_world


@pytest.fixture
def world(council: Council) -> World:
    return make_world(council)


# Pure logic ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("£1,234.50", Decimal("1234.50")),
        (" 95 %", Decimal("95")),
        ("8 weeks", Decimal("8")),
        ("1 week", Decimal("1")),
        ("(12.00)", Decimal("-12.00")),
        ("-£3", Decimal("-3")),
        ("£-3", Decimal("-3")),
        (".5", Decimal(".5")),
        (12, Decimal("12")),
        (7.5, Decimal("7.5")),
        ("500", Decimal("500")),
        ("89.9 per cent", Decimal("89.9")),
    ],
)
def test_numbers_are_read_leniently(raw: object, expected: Decimal) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "n/a", "1-2", "twelve", None, True, "£", "1.2.3", "nan", float("inf")]
)
def test_what_is_not_a_number(raw: object) -> None:
    assert parse_number(raw) is None


@pytest.mark.parametrize(
    ("comparison", "value", "expected"),
    [
        ("gt", 501, True),
        ("gt", 500, False),
        ("gte", 500, True),
        ("gte", 499, False),
        ("lt", 89, True),
        ("lt", 90, False),
        ("lte", 90, True),
        ("lte", 91, False),
        ("eq", 90, True),
        ("eq", 91, False),
    ],
)
def test_comparisons(comparison: str, value: int, expected: bool) -> None:
    assert (
        compares(Decimal(value), comparison, Decimal(500 if comparison.startswith("g") else 90))
        is expected
    )


def test_unknown_comparison_is_an_error() -> None:
    with pytest.raises(ValueError):
        compares(Decimal(1), "about", Decimal(1))


def test_evidence_order_does_not_matter() -> None:
    a = [
        {"record": 2, "dataset": "x", "field": "f", "value": "1"},
        {"record": 1, "dataset": "y", "field": "f", "value": 2},
    ]
    assert normalise_evidence(a) == normalise_evidence(list(reversed(a)))
    assert normalise_evidence(a)[0]["record"] == 1
    assert normalise_evidence(a)[0]["value"] == "2"


# With the database --------------------------------------------------------------------------


def flags(world: World) -> dict[tuple[str, str], Flag]:
    return {(f.indicator.name, f.subject_id): f for f in Flag.objects.select_related("indicator")}


def test_demo_indicators_are_loaded_once(world: World) -> None:
    first = load_indicators(world.council)
    # the demo pilot's "Referred to the crisis team" needs the early-help dataset, not here
    assert (
        len(first) == 5
        and first[-2] == "indicator 'Referred to the crisis team' skipped: no dataset early-help"
    )
    assert load_indicators(world.council) == [first[-2]]
    assert Indicator.objects.filter(council=world.council).count() == 4


def test_demo_indicator_without_its_dataset_is_skipped(council: Council) -> None:
    done = load_indicators(council)
    assert Indicator.objects.filter(council=council).count() == 1  # services needs no dataset
    assert sum("skipped" in line for line in done) == 4


def test_evaluate_raises_flags_with_evidence(world: World) -> None:
    demo_indicators(world)
    counts = evaluate(world.run)
    raised = flags(world)
    assert set(raised) == {
        ("Council tax arrears over £500", "P00000001"),
        ("Rent arrears over 8 weeks", "P00000001"),
        ("School attendance under 90%", "P00000002"),
        ("Known to 3 or more services", "H00000001"),
    }
    assert counts["raised"] == 4
    assert counts["unparseable"] == 1  # Dora's "n/a"
    assert counts["indicators"] == 4
    ct = raised[("Council tax arrears over £500", "P00000001")]
    assert ct.evidence == [
        {
            "record": world.records["ct1"].pk,
            "dataset": "council-tax",
            "field": "arrears_amount",
            "value": "£750.00",
        }
    ]
    assert ct.status == Flag.Status.OPEN
    assert ct.subject_kind == "person"
    assert ct.raised_by_run == world.run
    services = raised[("Known to 3 or more services", "H00000001")]
    assert services.subject_kind == "household"
    assert {e["dataset"] for e in services.evidence} == {
        "council-tax",
        "housing",
        "school-attendance",
    }
    event = AuditEvent.objects.get(action="insight.flags_evaluated")
    assert event.detail["raised"] == 4
    assert "Lovelace" not in str(event.detail)


def test_household_level_field_indicator_and_person_field(world: World) -> None:
    Indicator.objects.create(
        council=world.council,
        name="Arrears in the household",
        dataset=world.council_tax,
        field="arrears_amount",
        comparison="gte",
        threshold=Decimal("100"),
        level="household",
    )
    Indicator.objects.create(
        council=world.council,
        name="Abbey postcode",
        dataset=world.council_tax,
        field="postcode",
        comparison="gt",
        threshold=Decimal("0"),
        level="person",
    )
    counts = evaluate(world.run)
    assert set(flags(world)) == {
        ("Arrears in the household", "H00000001"),
        ("Arrears in the household", "H00000002"),
    }
    assert counts["unparseable"] == 2  # postcodes are not numbers: never a match, counted


def test_services_indicator_at_person_level(world: World) -> None:
    Indicator.objects.create(
        council=world.council,
        name="Two services",
        kind="services",
        comparison="gte",
        threshold=Decimal("2"),
        level="person",
    )
    evaluate(world.run)
    assert set(flags(world)) == {("Two services", "P00000001")}


def test_inactive_indicators_and_other_councils_are_ignored(world: World, council: Council) -> None:
    from changemaker.core.tests.factories import CouncilFactory

    indicators = demo_indicators(world)
    indicators["housing"].active = False
    indicators["housing"].save()
    other: Council = CouncilFactory()  # type: ignore[assignment]
    Indicator.objects.create(
        council=other,
        name="Other council",
        kind="services",
        comparison="gte",
        threshold=Decimal("1"),
    )
    counts = evaluate(world.run)
    assert counts["indicators"] == 3
    assert not Flag.objects.filter(
        indicator__name__in=["Rent arrears over 8 weeks", "Other council"]
    ).exists()


def next_run(
    world: World, changes: dict[str, str] | None = None, drop: tuple[str, ...] = ()
) -> LinkRun:
    """A new current run with the same links, minus ``drop``; ``changes``: record key -> new
    arrears/attendance value."""
    world.run.current = False
    world.run.save()
    run = LinkRun.objects.create(
        council=world.council, status=LinkRun.Status.PUBLISHED, current=True
    )
    for link in RecordLink.objects.filter(run=world.run):
        key = next(k for k, r in world.records.items() if r.pk == link.record_id)
        if key in drop:
            continue
        RecordLink.objects.create(
            run=run, record=link.record, person_id=link.person_id, household_id=link.household_id
        )
    for key, value in (changes or {}).items():
        rec = world.records[key]
        name = next(iter(k for k in rec.attributes if k != "hb_claim"))
        rec.attributes[name] = value
        rec.save()
    world.run = run
    return run


def test_same_facts_change_nothing(world: World) -> None:
    demo_indicators(world)
    evaluate(world.run)
    counts = evaluate(next_run(world))
    assert counts["unchanged"] == 4
    assert counts["raised"] == counts["updated"] == counts["cleared"] == counts["reopened"] == 0


def test_open_flag_evidence_is_updated(world: World) -> None:
    demo_indicators(world)
    evaluate(world.run)
    counts = evaluate(next_run(world, {"ct1": "900"}))
    assert counts["updated"] == 1
    flag = flags(world)[("Council tax arrears over £500", "P00000001")]
    assert flag.evidence[0]["value"] == "900"
    assert flag.status == Flag.Status.OPEN


def test_flags_that_no_longer_hold_are_cleared(world: World) -> None:
    demo_indicators(world)
    evaluate(world.run)
    counts = evaluate(next_run(world, {"ct1": "100"}, drop=("sc2",)))
    assert counts["cleared"] == 3  # arrears paid down; school record gone; now only 2 services
    assert (
        flags(world)[("Council tax arrears over £500", "P00000001")].status == Flag.Status.CLEARED
    )
    assert flags(world)[("Rent arrears over 8 weeks", "P00000001")].status == Flag.Status.OPEN


def review(flag: Flag) -> None:
    FlagReview.objects.create(flag=flag, outcome=FlagReview.Outcome.NO_ACTION)
    flag.status = Flag.Status.REVIEWED
    flag.save()


def test_reviewed_flag_stays_reviewed_while_evidence_is_the_same(world: World) -> None:
    demo_indicators(world)
    evaluate(world.run)
    review(flags(world)[("Council tax arrears over £500", "P00000001")])
    counts = evaluate(next_run(world))
    assert counts["reopened"] == 0
    assert (
        flags(world)[("Council tax arrears over £500", "P00000001")].status == Flag.Status.REVIEWED
    )


def test_reviewed_flag_reopens_when_evidence_changes(world: World) -> None:
    demo_indicators(world)
    evaluate(world.run)
    flag = flags(world)[("Council tax arrears over £500", "P00000001")]
    review(flag)
    counts = evaluate(next_run(world, {"ct1": "1200"}))
    assert counts["reopened"] == 1
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN
    assert flag.evidence[0]["value"] == "1200"
    assert flag.raised_by_run == world.run
    event = AuditEvent.objects.get(action="insight.flag_reopened")
    assert event.object_id == str(flag.pk)
    assert event.detail["previous_status"] == "reviewed"
    assert "evidence changed" in event.reason
    assert "1200" not in str(event.detail)


def test_cleared_flag_that_holds_again(world: World) -> None:
    demo_indicators(world)
    evaluate(world.run)
    name = ("Council tax arrears over £500", "P00000001")
    review(flags(world)[name])
    evaluate(next_run(world, {"ct1": "10"}))
    assert flags(world)[name].status == Flag.Status.CLEARED
    # back to exactly what was reviewed: still reviewed, not reopened
    evaluate(next_run(world, {"ct1": "£750.00"}))
    assert flags(world)[name].status == Flag.Status.REVIEWED
    # cleared again, then back with different evidence: open for review
    evaluate(next_run(world, {"ct1": "10"}))
    counts = evaluate(next_run(world, {"ct1": "800"}))
    assert counts["reopened"] == 1
    assert flags(world)[name].status == Flag.Status.OPEN


def test_unreviewed_cleared_flag_comes_back_open(world: World) -> None:
    demo_indicators(world)
    evaluate(world.run)
    name = ("Council tax arrears over £500", "P00000001")
    evaluate(next_run(world, {"ct1": "10"}))
    evaluate(next_run(world, {"ct1": "£750.00"}))
    assert flags(world)[name].status == Flag.Status.OPEN
