"""The demo loads Exampleton's datasets and one published run in seconds, twice the same."""

from __future__ import annotations

import pytest

from changemaker.core import demo_story as story
from changemaker.core.models import Council
from changemaker.insight import demo
from changemaker.insight.models import Dataset, LinkRun, SourceRecord, current_run

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_fictional(council: Council) -> None:
    made = demo.load(council)
    assert any(line.startswith("linkage run:") for line in made)
    assert Dataset.objects.filter(council=council).count() == len(demo.DATASETS) == 6
    run = current_run(council)
    assert run is not None and run.status == LinkRun.Status.PUBLISHED
    records = SourceRecord.objects.filter(dataset__council=council)
    assert 0.5 * demo.N_PEOPLE < records.count() < 1.5 * demo.N_PEOPLE
    assert run.links.count() == records.count()
    # the generated area's gazetteer is imported and the run matched addresses to its UPRNs
    assert any(line.startswith("gazetteer:") for line in made)
    assert run.report["address_match"]["rates"]["uprn"] >= 0.9
    surnames = list(records.exclude(surname="").values_list("surname", flat=True))
    invented = [s for s in surnames if s.lower().endswith("quill")]
    assert len(invented) > 0.95 * len(surnames)  # the rest: first name and surname swapped
    kept = records.filter(dataset__code="council-tax").first()
    assert kept is not None and "arrears_amount" in kept.attributes
    assert demo.load(council) == []
    assert LinkRun.objects.count() == 1


def _number(shown: str) -> int:
    """A count as "Need by ward" shows it (rounded to tens), 0 for a suppressed one."""
    return 0 if shown == "fewer than 10" else int(shown.replace(",", ""))


def test_need_by_ward_counts_the_demo_by_ward(council: Council) -> None:
    """Issue 20: "Need by ward" was zero in every ward (the demo's people lived in postal
    districts no ward has). Now they live in the wards' districts: most wards show counts,
    small ones still suppressed, and the flags are at believable rates."""
    from changemaker.core.management.commands.load_demo import WARDS
    from changemaker.core.models import Ward
    from changemaker.insight.models import Flag, Indicator
    from changemaker.insight.selectors import flagged_by_ward

    for name, code, districts in WARDS:
        Ward.objects.create(council=council, name=name, code=code, postcode_districts=districts)
    demo.load(council)
    tables = {t["level"]: t for t in flagged_by_ward(council)}
    people = tables[Indicator.Level.PERSON]
    by_ward = {row["ward"]: row for row in people["rows"]}
    wards = [name for name, _code, _districts in WARDS]
    # nearly everyone lives in a ward (the rest: no usable postcode on their latest record)
    unknown = _number(by_ward.get("Ward not known", {"any": "0"})["any"])
    assert unknown < 0.1 * sum(_number(by_ward[w]["any"]) for w in wards), by_ward
    assert all(by_ward[w]["any"] != "0" for w in wards), by_ward  # need in every ward
    shown = [w for w in wards if by_ward[w]["any"] not in {"0", "fewer than 10"}]
    assert len(shown) >= 3, by_ward  # and counted (rounded to tens) in several
    cells = [cell for w in wards for cell in by_ward[w]["cells"]]
    # small numbers suppressed, the rest rounded to tens
    assert all(c == "fewer than 10" or _number(c) % 10 == 0 for c in cells), cells
    # believable rates: a minority of people and households flagged
    run = current_run(council)
    assert run is not None
    persons = run.links.values("person_id").distinct().count()
    households = run.links.values("household_id").distinct().count()
    flagged = Flag.objects.filter(council=council)
    person_flags = flagged.filter(subject_kind=Indicator.Level.PERSON)
    household_flags = flagged.filter(subject_kind=Indicator.Level.HOUSEHOLD)
    assert 0.05 < person_flags.values("subject_id").distinct().count() / persons < 0.25
    # (known to 3 or more of the six services: a third of the households any service knows)
    assert 0.03 < household_flags.count() / households < 0.4


def test_flags_are_spread_over_the_year_around_the_pilot_s_start(council: Council) -> None:
    """Issue 17: the linkage run raised every flag in one month, so a pilot's ward-month
    counts had nothing before its start. The demo spreads them over the months before the
    start and since (``core.demo_story``), none in the future, fewer after the start in the
    pilot wards (the first three by code) than in the others."""
    from django.utils import timezone

    from changemaker.core.management.commands.load_demo import WARDS
    from changemaker.core.models import AuditEvent, Ward
    from changemaker.insight.models import Flag
    from changemaker.insight.selectors import latest_postcodes, postcode_district

    for name, code, districts in WARDS:
        Ward.objects.create(council=council, name=name, code=code, postcode_districts=districts)
    demo.load(council)
    now = timezone.now()
    start = story.pilot_start(timezone.localdate())
    flags = list(Flag.objects.filter(council=council))
    months = {timezone.localtime(f.raised_at).date().replace(day=1) for f in flags}
    assert len(months) == story.PILOT_MONTHS_BEFORE + story.PILOT_MONTHS_AFTER
    assert min(months) < start <= max(months)
    assert all(f.raised_at <= now for f in flags)
    pilot = {
        str(d).upper()
        for _n, _c, districts in sorted(WARDS, key=lambda w: w[1])[:3]
        for d in districts
    }
    run = current_run(council)
    postcodes = {kind: latest_postcodes(run, kind) for kind in {f.subject_kind for f in flags}}
    share = {True: [0, 0], False: [0, 0]}  # in the pilot wards: [after, all]
    for f in flags:
        district = postcode_district(postcodes[f.subject_kind].get(f.subject_id, ""))
        after = timezone.localtime(f.raised_at).date() >= start
        share[district in pilot][0] += int(after)
        share[district in pilot][1] += 1
    assert share[True][0] / share[True][1] < share[False][0] / share[False][1]
    dated = AuditEvent.objects.get(action="insight.flags_dated")
    assert dated.detail["flags"] == len(flags)
