"""A survey with a wave and its chart, made through the actions as a survey lead would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from changemaker.core.models import Council, Role, User
from changemaker.culture import actions
from changemaker.culture.models import Survey, Wave

HOST = {"HTTP_HOST": "exampleton.test"}
# A council of 3 directorates; ADULTS has two teams and people attached directly to it.
CHART = (
    "unit,parent,name\n"
    "ORG,,Exampleton Borough Council\n"
    "ADULTS,ORG,Adult social care\n"
    "OT,ADULTS,Occupational therapy\n"
    "REABLE,ADULTS,Reablement\n"
    "PLACE,ORG,Place\n"
    "PARKS,PLACE,Parks\n"
)


@pytest.fixture
def lead(make_user: Callable[..., User]) -> User:
    return make_user(Role.SURVEY_LEAD)


@pytest.fixture
def survey(council: Council, lead: User) -> Survey:
    return actions.create_survey(council, name="Staff survey", instrument="staff", by=lead)


def new_wave(
    survey: Survey, lead: User, name: str = "2026", chart: str = CHART, **fields: Any
) -> Wave:
    fields.setdefault("min_group", 5)
    wave = actions.create_wave(Wave(survey=survey, name=name, **fields), by=lead)
    actions.upload_chart(wave, chart, source="units.csv", by=lead)
    return wave


@pytest.fixture
def make_wave(survey: Survey, lead: User) -> Callable[..., Wave]:
    def make(name: str = "2026", chart: str = CHART, **fields: Any) -> Wave:
        return new_wave(survey, lead, name, chart, **fields)

    return make


def links_from_mail() -> list[str]:
    """The survey link of each invitation email sent so far (one a message: an email in
    Welsh and English gives the same link in both)."""
    found = []
    for message in mail.outbox:
        links = [
            line.strip().split("testserver", 1)[-1].split("exampleton.test")[-1]
            for line in str(message.body).splitlines()
            if "/survey/start/" in line
        ]
        assert len(set(links)) == 1, "one link a message"
        found.append(links[0])
    return found


def invite(client: Client, wave: Wave, text: str, *, run: bool = True) -> Any:
    """Upload the staff list; with ``run``, then do what the worker does: run the job that
    sends the links."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from changemaker.core.jobs import run_job
    from changemaker.core.models import Job

    upload = SimpleUploadedFile("staff.csv", text.encode(), content_type="text/csv")
    response = client.post(
        reverse("culture:wave-invite", args=[wave.pk]), {"staff-file": upload}, **HOST
    )
    if run:
        for job in Job.objects.filter(kind="culture.invite", status=Job.Status.QUEUED):
            run_job.call(str(job.pk))
    return response


def add_responses(wave: Wave, per_unit: dict[str, int], seed: int = 0) -> None:
    """Test set-up: answers as if people in these units had sent them (varied, 1-5)."""
    import numpy as np

    from changemaker.culture.models import Response

    rng = np.random.default_rng(seed)
    units = {u.code: u for u in wave.units.all()}
    items = list(wave.items.all())
    rows = []
    for code, count in per_unit.items():
        for _ in range(count):
            level = rng.integers(2, 5)
            answers = {it.code: int(np.clip(level + rng.integers(-1, 2), 1, 5)) for it in items}
            rows.append(Response(wave=wave, unit=units[code], answers=answers))
    Response.objects.bulk_create(rows)


#: Big enough teams to publish OT and PARKS, too few in REABLE (hidden), some in ADULTS itself.
PEOPLE = {"OT": 8, "REABLE": 2, "ADULTS": 3, "PARKS": 9, "PLACE": 1}


def close_with_people(wave: Wave, lead: User) -> Wave:
    actions.open_wave(wave, by=lead)
    add_responses(wave, PEOPLE)
    actions.close_wave(wave, by=lead, report_now=True)
    return wave


@pytest.fixture
def closed_wave(make_wave: Callable[..., Wave], lead: User) -> Wave:
    return close_with_people(make_wave(), lead)
