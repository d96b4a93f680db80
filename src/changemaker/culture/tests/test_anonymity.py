"""Nobody can link a response to a person through the application: not the data model, not
the survey lead's pages, not a platform administrator (Django admin), not the audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse

from changemaker.core.models import AuditEvent, Job, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.culture import actions
from changemaker.culture.models import Invitation, Response, Wave
from changemaker.culture.tests.conftest import HOST, invite, links_from_mail
from changemaker.culture.tests.test_taking_part import answer_all

pytestmark = pytest.mark.django_db
EMAILS = [f"person{i}@exampleton.example" for i in range(6)]


def test_a_response_holds_nothing_that_points_at_a_person() -> None:
    fields = {f.name: f for f in Response._meta.get_fields()}
    assert set(fields) == {"id", "wave", "unit", "characteristic", "answers"}
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields.values())
    assert fields["id"].default is not None  # random ids, not a sequence
    invitation = {f.name for f in Invitation._meta.get_fields()}
    assert invitation == {"id", "wave", "unit", "token_hash", "responded_on", "draft"}
    assert not {Response, Invitation} & set(admin.site._registry)


def test_after_the_wave_nothing_links_people_to_answers(
    make_wave: Callable[..., Wave],
    client_as: Callable[..., Client],
    lead: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    wave = make_wave()
    actions.open_wave(wave, by=lead)
    survey_lead = client_as(Role.SURVEY_LEAD)
    text = "email,unit\n" + "".join(f"{e},OT\n" for e in EMAILS)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invite(survey_lead, wave, text)
    sent = {m.to[0]: m.body for m in mail.outbox}
    assert set(sent) == set(EMAILS)
    # Two people answer differently; the answers must not lead back to either of them.
    links = links_from_mail()
    answer_all(links[0], "1")
    answer_all(links[1], "5")
    before = set(Response.objects.values_list("pk", flat=True))
    actions.close_wave(wave, by=lead, report_now=True)

    responses = list(Response.objects.all())
    assert len(responses) == 2
    assert not before & {r.pk for r in responses}  # rewritten under new ids at close
    # Same unit, same wave, no other field: the rows differ only in their answers.
    assert {(r.wave_id, r.unit_id, r.characteristic) for r in responses} == {
        (wave.pk, responses[0].unit_id, "")
    }
    assert all(i.draft == {} for i in Invitation.objects.all())
    # No stored value anywhere in the culture tables or the audit log is an email address.
    everything = [
        *Invitation.objects.values_list("token_hash", "draft"),
        *AuditEvent.objects.values_list("object_type", "object_id", "detail", "reason"),
        *Job.objects.values_list("params", "result", "error", "message"),
    ]
    assert not any(e in str(everything) for e in EMAILS)
    # The audit log never names an invitation or a response.
    assert not AuditEvent.objects.filter(
        object_type__in=["culture.invitation", "culture.response"]
    ).exists()
    taking_part = AuditEvent.objects.filter(action="culture.response_submitted")
    assert taking_part.count() == 2
    assert {(e.actor_id, e.object_type, e.object_id) for e in taking_part} == {
        (None, "culture.wave", str(wave.pk))
    }

    # The survey lead's pages and a platform administrator's admin show no one's answers.
    for name in ("culture:wave", "culture:results"):
        url = reverse(name, args=[wave.pk])
        page = survey_lead.get(url, **HOST).text
        assert not any(e in page for e in EMAILS)
    platform = sign_in(Client(), make_user(Role.PLATFORM_ADMIN, is_staff=True, is_superuser=True))
    index = platform.get(reverse("admin:index"), **HOST).text
    assert "Responses" not in index and "culture" not in index.lower()
    with pytest.raises(NoReverseMatch):
        reverse("admin:culture_response_changelist")
    # A superuser is a platform administrator, neither survey lead nor manager: no results.
    assert platform.get(reverse("culture:results", args=[wave.pk]), **HOST).status_code in {
        403,
        404,
    }
