"""Records past their agreement's retention period are deleted daily with their links and
false links; the audit log gets counts only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from changemaker.core.jobs import _EVERY, get_handler
from changemaker.core.models import AuditEvent, Council, Job
from changemaker.insight import jobs
from changemaker.insight.models import (
    Dataset,
    FalseLink,
    LinkRun,
    RecordLink,
    SourceRecord,
)
from changemaker.insight.tests.factories import CSV_HEADER, make_agreement, make_dataset

pytestmark = pytest.mark.django_db


def test_records_past_retention_go_with_their_links(
    council: Council,
    published_run: LinkRun,
    dataset: Dataset,
    publish_csv: Callable[[Dataset, str], None],
) -> None:
    short = make_agreement(council, "DSA-SHORT", retention_days=30)
    school = make_dataset(council, "school-attendance", short)
    publish_csv(school, CSV_HEADER + "SC1,Byron,Quillfeather,2014-05-01,EX1 1AA,,\n")
    old = SourceRecord.objects.get(record_id="CT1")
    kept = SourceRecord.objects.get(record_id="CT2")
    SourceRecord.objects.filter(pk=old.pk).update(received_on=date.today() - timedelta(days=366))
    SourceRecord.objects.filter(dataset=school).update(
        received_on=date.today() - timedelta(days=29)
    )
    a, b = sorted([old, kept], key=lambda r: r.pk)
    FalseLink.objects.create(council=council, record_a=a, record_b=b, note="Different people")

    assert jobs.apply_retention() == {"records": 1, "links": 1, "false_links": 1}
    assert not SourceRecord.objects.filter(pk=old.pk).exists()
    assert not RecordLink.objects.filter(record_id=old.pk).exists()
    assert not FalseLink.objects.exists()
    assert SourceRecord.objects.filter(pk=kept.pk).exists()
    assert SourceRecord.objects.filter(dataset=school).count() == 1  # 29 days < 30
    event = AuditEvent.objects.get(action="insight.retention.deleted")
    assert event.detail == {"records": 1, "links": 1, "false_links": 1}
    assert event.object_id == str(dataset.agreement_id)

    # two days later the school record is past its 30 days too; the job does it daily
    later = date.today() + timedelta(days=2)
    assert jobs.apply_retention(later)["records"] == 1
    assert jobs.apply_retention(later)["records"] == 0  # idempotent
    # nothing to delete: nothing audited (each deletion is an action, called only when needed)
    assert AuditEvent.objects.filter(action__startswith="insight.retention").count() == 2
    assert _EVERY["insight.retention"] == timedelta(days=1)
    job = Job.objects.create(kind="insight.retention", title="Retention", council=None)
    assert get_handler("insight.retention")(job) == {"records": 0, "links": 0, "false_links": 0}
