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


@pytest.fixture
def make_wave(survey: Survey, lead: User) -> Callable[..., Wave]:
    def make(name: str = "2026", chart: str = CHART, **fields: Any) -> Wave:
        fields.setdefault("min_group", 5)
        wave = actions.create_wave(Wave(survey=survey, name=name, **fields), by=lead)
        actions.upload_chart(wave, chart, source="units.csv", by=lead)
        return wave

    return make


def links_from_mail() -> list[str]:
    """The survey links in the invitation emails sent so far."""
    found = []
    for message in mail.outbox:
        for line in str(message.body).splitlines():
            if "/survey/start/" in line:
                found.append(line.strip().split("testserver", 1)[-1].split("exampleton.test")[-1])
    return found


def invite(client: Client, wave: Wave, text: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("staff.csv", text.encode(), content_type="text/csv")
    return client.post(
        reverse("culture:wave-invite", args=[wave.pk]), {"staff-file": upload}, **HOST
    )
