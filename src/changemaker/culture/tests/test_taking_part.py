"""The whole flow without JavaScript: invite -> answer over several pages, saving and coming
back -> send -> close -> results."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from changemaker.core.jobs import run_job
from changemaker.core.models import Job, Role
from changemaker.culture.models import Invitation, Response, Wave
from changemaker.culture.tests.conftest import HOST, invite, links_from_mail

pytestmark = pytest.mark.django_db
GRADES = ["Grade A", "Grade B"]


def staff_list() -> str:
    rows = [f"ot{i}@exampleton.example,OT," for i in range(6)]
    rows += [f"parks{i}@exampleton.example,PARKS," for i in range(6)]
    rows += ["boss@exampleton.example,ADULTS,yes"]
    return "email,unit,manager\n" + "\n".join(rows) + "\n"


def page_data(client: Client, number: int, value: str) -> dict[str, str]:
    """Every statement of the page answered: ``value`` for all, or "mixed": varied answers
    around 4 (real answers vary; all-equal answers leave reliability undefined)."""
    form = client.get(reverse("culture:take-page", args=[number]), **HOST).context["form"]
    if value != "mixed":
        return {name: value for name in form.fields}
    pick = random.Random(f"{id(client)}-{number}")
    person = pick.choice([-1, 0, 1])
    return {
        name: str(min(5, max(1, 4 + person + pick.choice([-1, 0, 0, 1])))) for name in form.fields
    }


def answer_all(link: str, value: str, grade: str = "Grade A") -> Client:
    client = Client()
    assert client.get(link, **HOST)["Location"] == reverse("culture:take-intro")
    number = 1
    while True:
        response = client.post(
            reverse("culture:take-page", args=[number]), page_data(client, number, value), **HOST
        )
        if response["Location"] != reverse("culture:take-page", args=[number + 1]):
            break
        number += 1
    if response["Location"] == reverse("culture:take-about"):
        client.post(reverse("culture:take-about"), {"characteristic": grade}, **HOST)
    else:
        assert response["Location"] == reverse("culture:take-check")
    sent = client.post(reverse("culture:take-check"), **HOST)
    assert sent["Location"] == reverse("culture:take-done")
    return client


def test_invite_answer_save_come_back_close_and_see_results(
    make_wave: Callable[..., Wave],
    client_as: Callable[[str | None], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    wave = make_wave(characteristic="What is your grade?", characteristic_options=GRADES)
    lead = client_as(Role.SURVEY_LEAD)
    assert lead.post(reverse("culture:wave-open", args=[wave.pk]), **HOST).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(lead, wave, staff_list()).status_code == 302
    assert len(mail.outbox) == 13
    assert all("@" not in link for link in links_from_mail())
    links = links_from_mail()
    assert len(links) == 13 and Invitation.objects.filter(wave=wave).count() == 13

    # Someone answers the first page, saves and leaves, then comes back with the same link.
    first = Client()
    first.get(links[0], **HOST)
    left = first.post(
        reverse("culture:take-page", args=[1]), {**page_data(first, 1, "2"), "leave": "1"}, **HOST
    )
    assert left["Location"] == reverse("culture:take-saved")
    assert "saved" in first.get(left["Location"], **HOST).text
    again = Client()
    assert again.get(links[0], **HOST).status_code == 302
    assert "Carry on" in again.get(reverse("culture:take-intro"), **HOST).text
    page = again.get(reverse("culture:take-page", args=[1]), **HOST).text
    assert 'value="2" checked' in page
    assert not Response.objects.exists()  # nothing is a response until it is sent

    answer_all(links[0], "2")
    assert Response.objects.count() == 1
    assert Client().get(links[0], **HOST).status_code == 404  # single use
    for link in links[1:12]:
        answer_all(link, "mixed", grade="Grade B")
    assert Response.objects.count() == 12

    closed = lead.post(reverse("culture:wave-close", args=[wave.pk]), **HOST)
    job = Job.objects.get(kind="culture.report")
    assert closed["Location"] == reverse("core:job", args=[job.pk])
    assert Client().get(links[12], **HOST).status_code == 404  # closed: links stop working
    run_job.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error

    results = lead.get(reverse("culture:results", args=[wave.pk]), **HOST)
    assert results.status_code == 200
    text = results.text
    assert "Occupational therapy" in text and "Hidden" in text
    assert "Reliability of the scales" in text
    # The whole council: 12 people, 6 in each published team.
    assert "12 people" in text and "6 people" in text


def test_the_link_of_an_unknown_or_closed_wave_does_not_work(
    make_wave: Callable[..., Wave],
) -> None:
    make_wave()
    response = Client().get(reverse("culture:take-start", args=["not-a-token"]), **HOST)
    assert response.status_code == 404
    assert "This survey link is not working" in response.text
    assert Client().get(reverse("culture:take-page", args=[1]), **HOST).status_code == 404


def test_people_answering_in_welsh_see_the_welsh_wording(
    make_wave: Callable[..., Wave], client_as: Callable[[str | None], Client], lead: Any
) -> None:
    from changemaker.culture import actions
    from changemaker.culture.engine.items import BANK

    wave = make_wave()
    survey = wave.survey
    actions.add_item(
        survey, scale="mission", text="Our own statement", reverse=False, by=lead
    )  # no Welsh: Welsh pages show the English
    actions.open_wave(wave, by=lead)
    invite(client_as(Role.SURVEY_LEAD), wave, "email,unit\na@exampleton.example,OT\n")
    client = Client()
    client.get(links_from_mail()[0], **HOST)
    first = wave.items.filter(scale="mission").order_by("position", "pk")
    english = client.get(reverse("culture:take-page", args=[1]), **HOST).text
    english = english.replace("&#x27;", "'")
    assert first[0].text in english and first[0].text_cy not in english
    client.get("/language/cy/?next=/survey/", **HOST)
    welsh = client.get(reverse("culture:take-page", args=[1]), **HOST).text
    assert '<html lang="cy"' in welsh
    for item in first:
        bank = next((b for b in BANK if b.id == item.code), None)
        expected = bank.text_cy if bank else "Our own statement"
        with translation.override("en"):
            assert item.wording == item.text  # on English pages: English
        assert expected in welsh.replace("&#x27;", "'"), item.code
    client.post(reverse("culture:take-page", args=[1]), page_data(client, 1, "4"), **HOST)
    check = client.get(reverse("culture:take-check"), **HOST).text.replace("&#x27;", "'")
    assert first[0].text_cy in check
