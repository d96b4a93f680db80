"""A finished upload or analysis says what it did in words on its job page, not as data."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.core.jobs import summary
from changemaker.core.models import Job
from changemaker.evidence.models import Analysis, OutcomeData, Pilot
from changemaker.evidence.synthetic import did_panel
from changemaker.evidence.tests.conftest import DID_COLUMNS, HOST, run_latest, upload


def test_upload_and_analysis_jobs_read_as_sentences(
    lead: Client, make_pilot: Callable[..., Pilot]
) -> None:
    pilot = make_pilot()
    upload(lead, pilot, did_panel(), DID_COLUMNS)
    job = run_latest("evidence.upload")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert summary(job) == [
        "240 rows of outcome data were checked and saved.",
        "Analyse it from the pilot's page.",
    ]
    page = lead.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert "240 rows of outcome data were checked and saved." in page and "Rows: " not in page

    data = OutcomeData.objects.get()
    lead.post(reverse("evidence:staff-analyse", args=[pilot.slug, data.pk]), **HOST)
    job = run_latest("evidence.analyse")
    assert job.status == Job.Status.SUCCEEDED, job.error
    analysis = Analysis.objects.get()
    lines = summary(job)
    assert lines[0] == "The analysis is finished."
    fell = f"Crisis referrals fell by about {round(-analysis.estimate)} a month"
    assert lines[1].startswith(fell)
    page = lead.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert lines[1] in page and "Estimate: " not in page
    # the analysis deleted since: the estimate alone, rounded, still in words
    analysis.delete()
    assert summary(job) == [
        f"The analysis is finished: the estimated effect is {analysis.estimate:.1f}."
    ]
