"""The register downloads in the UK Evaluation Registry's fields: mapped as the registry
reads them, fields without a source left empty, the download audited, staff only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent
from changemaker.evidence import registry
from changemaker.evidence.models import Analysis, Pilot
from changemaker.evidence.tests.conftest import HOST


def test_the_registry_csv_maps_every_pilot(
    lead: Client, analysed: Callable[..., Analysis], make_pilot: Callable[..., Pilot]
) -> None:
    done = analysed(toc_inputs="Two workers", toc_outcomes="Fewer referrals").pilot
    Pilot.objects.filter(pk=done.pk).update(status=Pilot.Status.PUBLISHED)
    make_pilot(slug="reminders", title="Text reminders", design="ab", status="live")
    make_pilot(slug="leaflets", title="Leaflets", design="before-after")
    response = lead.get(reverse("evidence:staff-registry"), **HOST)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert list(rows["crisis-wards"]) == list(registry.COLUMNS)
    did, ab, before = rows["crisis-wards"], rows["reminders"], rows["leaflets"]
    assert (did["status"], ab["status"], before["status"]) == ("complete", "ongoing", "planned")
    assert did["visibility"] == "public" and ab["visibility"] == "draft"
    assert did["evaluation_design_types"] == "difference"
    assert ab["evaluation_design_types"] == "individual_rct"
    assert before["evaluation_design_types"] == "other_impact"
    assert before["evaluation_design_type_detail"]
    assert did["is_final_report_published"] == "true"
    assert did["link_to_published_evaluation"] == "http://exampleton.test/evidence/crisis-wards/"
    assert ab["link_to_published_evaluation"] == ""
    assert did["lead_department"] == "Exampleton Borough Council"
    assert did["issue_description"] == done.problem and did["cost"] == "120000"
    assert did["primary_outcome_title"] == "Crisis referrals"
    assert did["intervention_rationale"] == "Two workers -> Fewer referrals"
    for name in registry.NO_SOURCE:
        assert {r[name] for r in rows.values()} == {""}, name
    event = AuditEvent.objects.get(action="evidence.registry_exported")
    assert event.detail["rows"] == 3
    page = lead.get(reverse("evidence:staff"), **HOST).content.decode()
    assert reverse("evidence:staff-registry") in page
