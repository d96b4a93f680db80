"""The demo loads Exampleton's datasets and one published run in seconds, twice the same."""

from __future__ import annotations

import pytest

from changemaker.core.models import Council
from changemaker.insight import demo
from changemaker.insight.models import Dataset, LinkRun, SourceRecord, current_run

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_fictional(council: Council) -> None:
    made = demo.load(council)
    assert any(line.startswith("linkage run:") for line in made)
    assert Dataset.objects.filter(council=council).count() == 5
    run = current_run(council)
    assert run is not None and run.status == LinkRun.Status.PUBLISHED
    records = SourceRecord.objects.filter(dataset__council=council)
    assert 300 < records.count() < 2000
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
