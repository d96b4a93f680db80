"""The whole journey without JavaScript: register -> upload -> analyse -> publish -> library."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent, Job
from changemaker.evidence.models import Analysis, OutcomeData, Pilot
from changemaker.evidence.synthetic import did_panel
from changemaker.evidence.tests.conftest import DID_COLUMNS, HOST, PLAN, run_latest, upload


def _post(client: Client, name: str, *args: object) -> str:
    response = client.post(reverse(name, args=args), **HOST)
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


def test_register_upload_analyse_publish_and_find_in_the_library(lead: Client) -> None:
    response = lead.post(reverse("evidence:staff-new"), PLAN, **HOST)
    assert response.status_code == 302
    pilot = Pilot.objects.get(slug="crisis-wards")
    _post(lead, "evidence:staff-register", pilot.slug)
    _post(lead, "evidence:staff-status", pilot.slug)  # live
    pilot.refresh_from_db()
    assert pilot.status == "live" and pilot.versions.count() == 1 and pilot.mde is not None

    sent = upload(lead, pilot, did_panel(), DID_COLUMNS)
    job = Job.objects.get(kind="evidence.upload")
    assert sent["Location"] == reverse("core:job", args=[job.pk])
    job = run_latest("evidence.upload")
    assert job.status == Job.Status.SUCCEEDED, job.error
    data = OutcomeData.objects.get()
    assert data.n_rows == 240 and data.columns == DID_COLUMNS

    _post(lead, "evidence:staff-analyse", pilot.slug, data.pk)
    job = run_latest("evidence.analyse")
    assert job.status == Job.Status.SUCCEEDED, job.error
    analysis = Analysis.objects.get()
    assert analysis.sms_level in (2, 3) and -14 < analysis.estimate < -10
    page = lead.get(job.result["link"], **HOST).content.decode()
    said = f"Crisis referrals fell by about {round(-analysis.estimate)} a month (95% CI"
    assert said in page
    assert "<svg" in page and "Event study in numbers" in page

    public = Client().get(reverse("evidence:library"), **HOST).content.decode()
    assert "Crisis prevention in wards" not in public  # not published yet
    _post(lead, "evidence:staff-status", pilot.slug)  # complete
    _post(lead, "evidence:staff-status", pilot.slug)  # published
    public = Client().get(reverse("evidence:library"), **HOST).content.decode()
    assert "Crisis prevention in wards" in public and said in public
    card = Client().get(reverse("evidence:card", args=[pilot.slug]), **HOST)
    assert card.status_code == 200 and "Maryland" in card.content.decode()
    events = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "evidence.pilot_created",
        "evidence.pilot_registered",
        "evidence.status_changed",
        "evidence.upload_started",
        "evidence.data_stored",
        "evidence.analysis_started",
        "evidence.analysed",
    } <= events
