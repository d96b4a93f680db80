"""Sending the survey links is a background job: the request only checks the list; the job
sends a batch at a time with progress, tries again while the mail server refuses for now,
reports refused addresses by line (never by address) and carries on after a lost worker."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse

from changemaker.core.jobs import run_job, summary
from changemaker.core.models import AuditEvent, Job, Role, User
from changemaker.culture import actions, jobs
from changemaker.culture.models import Invitation, Wave
from changemaker.culture.tests.conftest import HOST, invite, links_from_mail

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """locmem, but the server refuses as the test says: ``plan[address]`` is a list of
    exceptions raised by the next tries for that address (then it takes the message)."""

    plan: ClassVar[dict[str, list[Exception]]] = {}
    tries: ClassVar[list[str]] = []

    def send_messages(self, messages: Any) -> int:
        for message in messages:
            address = message.to[0]
            FlakyBackend.tries.append(address)
            waiting = FlakyBackend.plan.get(address)
            if waiting:
                raise waiting.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings: Any, monkeypatch: pytest.MonkeyPatch) -> type[FlakyBackend]:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyBackend"}}
    monkeypatch.setattr(jobs, "RETRY_PAUSES", (0, 0, 0))
    FlakyBackend.plan = {}
    FlakyBackend.tries = []
    return FlakyBackend


@pytest.fixture
def open_wave(make_wave: Callable[..., Wave], lead: User) -> Wave:
    wave = make_wave()
    actions.open_wave(wave, by=lead)
    return wave


def staff(n: int) -> str:
    return "email,unit\n" + "".join(f"p{i}@exampleton.example,OT\n" for i in range(n))


def the_job() -> Job:
    return Job.objects.get(kind="culture.invite")


def test_the_request_sends_nothing_and_shows_the_job(
    open_wave: Wave,
    client_as: Callable[..., Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_as(Role.SURVEY_LEAD), open_wave, staff(3), run=False)
    job = the_job()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert mail.outbox == [] and not Invitation.objects.exists()
    assert job.status == Job.Status.QUEUED
    # The list waits in private storage only; the job's params and the audit hold no address.
    assert storages["private"].exists(job.params["file"])
    assert "@" not in str(job.params)
    assert "@" not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_a_large_list_is_sent_in_batches_with_progress(
    open_wave: Wave, client_as: Callable[..., Client], flaky: type[FlakyBackend]
) -> None:
    lead = client_as(Role.SURVEY_LEAD)
    invite(lead, open_wave, staff(250))
    job = the_job()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.done, job.total) == (250, 250)
    assert len(mail.outbox) == 250 and Invitation.objects.filter(wave=open_wave).count() == 250
    assert len(set(links_from_mail())) == 250
    # one kept batch at a time, each audited with its count only
    batches = AuditEvent.objects.filter(action="culture.invitations_sent")
    assert sorted(int(e.detail["sent"]) for e in batches) == [50, 100, 100]
    assert not storages["private"].exists(job.params["file"])
    page = lead.get(reverse("core:job", args=[job.pk]), **HOST).text
    assert "250 people were sent their link." in page
    assert reverse("culture:wave", args=[open_wave.pk]) in page


def test_refusals_for_now_are_tried_again_and_for_good_reported_by_line(
    open_wave: Wave, client_as: Callable[..., Client], flaky: type[FlakyBackend]
) -> None:
    flaky.plan = {
        "p1@exampleton.example": [smtplib.SMTPServerDisconnected("gone"), OSError("reset")],
        "p2@exampleton.example": [smtplib.SMTPResponseException(451, b"try later")],
        "p3@exampleton.example": [
            smtplib.SMTPRecipientsRefused({"p3@exampleton.example": (550, b"no such user")})
        ],
    }
    invite(client_as(Role.SURVEY_LEAD), open_wave, staff(5))
    job = the_job()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert flaky.tries.count("p1@exampleton.example") == 3
    assert flaky.tries.count("p2@exampleton.example") == 2
    assert flaky.tries.count("p3@exampleton.example") == 1  # 5xx: not tried again
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"p{i}@exampleton.example" for i in (0, 1, 2, 4)
    ]
    assert Invitation.objects.filter(wave=open_wave).count() == 4
    assert job.result["refused"] == [5]  # p3 is on line 5 of the file (header on line 1)
    said = summary(job)
    assert said[0] == "4 people were sent their link."
    assert "lines of staff.csv: 5." in said[1]
    assert "@" not in str(job.result) + " ".join(said)


def test_a_mail_server_that_stays_down_stops_the_job_and_says_where(
    open_wave: Wave, client_as: Callable[..., Client], flaky: type[FlakyBackend]
) -> None:
    flaky.plan = {"p120@exampleton.example": [ConnectionRefusedError("down")] * 4}
    invite(client_as(Role.SURVEY_LEAD), open_wave, staff(200))
    job = the_job()
    assert job.status == Job.Status.FAILED
    assert "120 of 200 links were sent" in job.error
    assert "from line 122 of staff.csv on" in job.error
    # what was sent is kept (those links work); nothing after; the list is gone
    assert Invitation.objects.filter(wave=open_wave).count() == len(mail.outbox) == 120
    assert not storages["private"].exists(job.params["file"])


def test_a_job_run_again_after_a_lost_worker_carries_on_after_the_kept_batches(
    open_wave: Wave, client_as: Callable[..., Client], flaky: type[FlakyBackend]
) -> None:
    invite(client_as(Role.SURVEY_LEAD), open_wave, staff(150), run=False)
    job = the_job()
    # The first attempt kept one batch, then its worker died (what recover_lost_jobs requeues).
    Job.objects.filter(pk=job.pk).update(done=100, total=150, result={"refused": [7]})
    run_job.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"p{i}@exampleton.example" for i in range(100, 150)
    )
    assert job.result["refused"] == [7] and job.result["sent"] == 149


def test_a_wave_closed_while_sending_stops_the_job(
    open_wave: Wave, client_as: Callable[..., Client], lead: User
) -> None:
    invite(client_as(Role.SURVEY_LEAD), open_wave, staff(3), run=False)
    actions.close_wave(open_wave, by=lead, report_now=True)
    job = the_job()
    run_job.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "closed" in job.error
    assert mail.outbox == [] and not storages["private"].exists(job.params["file"])


def test_the_report_job_says_what_it_did_in_words(
    open_wave: Wave, lead: User, client_as: Callable[..., Client]
) -> None:
    from changemaker.culture.tests.conftest import PEOPLE, add_responses

    add_responses(open_wave, PEOPLE)
    job = actions.close_wave(open_wave, by=lead)
    assert job is not None
    run_job.call(str(job.pk))
    job.refresh_from_db()
    cells = open_wave.report.data["cells"]
    published = sum(1 for c in cells if not c["suppressed"])
    assert summary(job) == [
        f"{published} of {len(cells)} results are shown; the others are hidden to protect "
        "groups smaller than the minimum."
    ]
    page = client_as(Role.SURVEY_LEAD).get(reverse("core:job", args=[job.pk]), **HOST).text
    assert reverse("culture:results", args=[open_wave.pk]) in page


def test_each_invitation_is_in_the_persons_language_or_else_in_welsh_and_english(
    open_wave: Wave, client_as: Callable[..., Client], lead: User
) -> None:
    """Walk finding F9: the invitation was English only. A ``language`` column says what each
    person asked for; without it (or blank) the email is in both, the Welsh first."""
    actions.translate_wave(open_wave, by=lead, survey_name_cy="Arolwg staff", name_cy="Cylch 26")
    text = (
        "email,unit,language\n"
        "cy@exampleton.example,OT,Cymraeg\n"
        "en@exampleton.example,OT,en\n"
        "both@exampleton.example,OT,\n"
    )
    invite(client_as(Role.SURVEY_LEAD), open_wave, text)
    assert the_job().status == Job.Status.SUCCEEDED, the_job().error
    sent = {m.to[0]: m for m in mail.outbox}
    welsh, english, both = (sent[f"{k}@exampleton.example"] for k in ("cy", "en", "both"))
    assert welsh.subject == "Arolwg staff Cylch 26: eich dolen"
    assert "Mae Exampleton Borough Council yn holi’r holl staff" in welsh.body
    assert "Do not forward" not in welsh.body and "2026" not in welsh.body
    assert english.subject == "Staff survey 2026: your link"
    assert "is asking all staff" in english.body and "Peidiwch" not in english.body
    assert both.subject == "Arolwg staff Cylch 26: eich dolen / Staff survey 2026: your link"
    body = str(both.body)
    assert body.index("yn holi’r holl staff") < body.index("is asking all staff")
    assert body.splitlines()[0] == "Mae’r Saesneg isod. The English is below."
    assert len(set(links_from_mail())) == 3  # one link a person, in both languages alike


def test_a_list_without_a_language_column_is_sent_in_both_languages(
    open_wave: Wave, client_as: Callable[..., Client]
) -> None:
    invite(client_as(Role.SURVEY_LEAD), open_wave, staff(1))
    (message,) = mail.outbox
    assert "your link" in message.subject and "eich dolen" in message.subject


def test_a_language_the_list_cannot_mean_is_refused_where_it_is(
    open_wave: Wave, client_as: Callable[..., Client]
) -> None:
    text = "email,unit,language,manager\na@exampleton.example,OT,French,\n"
    page = invite(client_as(Role.SURVEY_LEAD), open_wave, text).text.replace("&#x27;", "'")
    assert "staff.csv, line 2, column 'language': 'french' must be cy, en or left blank" in page
    assert mail.outbox == [] and not Invitation.objects.exists()
