"""The demo publishes at least three "we asked, you said, we did" pages (a closed Exampleton
budget, a closed consultation, and a pilot or a staff survey wave), each with what the
council did; loading it again changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from changemaker.listening.models import Report

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_three_pages_or_more_once() -> None:
    call_command("load_demo", stdout=StringIO())
    published = Report.objects.filter(status=Report.Status.PUBLISHED)
    kinds = set(published.values_list("kind", flat=True))
    assert published.count() >= 3
    assert {"budgeting.process", "consultations.consultation"} <= kinds
    assert kinds & {"evidence.pilot", "culture.wave"}
    assert all(r.we_did.strip() and r.figures for r in published)
    budget = published.get(kind="budgeting.process")
    assert budget.title == "Youth Fund 2025" and "cabinet" in budget.we_did.lower()
    before = list(Report.objects.values_list("pk", "drafted_at"))
    call_command("load_demo", stdout=StringIO())
    assert list(Report.objects.values_list("pk", "drafted_at")) == before
