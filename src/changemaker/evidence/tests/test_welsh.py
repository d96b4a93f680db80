"""Practice cards in Welsh (issue 20): the card's public words (title, problem, who it
affects, what it did) have a Welsh companion; writing it makes no new version of the plan."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.evidence.models import Pilot
from changemaker.evidence.tests.conftest import HOST, PLAN

WELSH = {**HOST, "HTTP_ACCEPT_LANGUAGE": "cy"}


def test_the_form_saves_the_welsh_after_each_english_field_and_makes_no_version(
    lead: Client, make_pilot: Callable[..., Pilot]
) -> None:
    pilot = make_pilot()
    lead.post(reverse("evidence:staff-register", args=[pilot.slug]), **HOST)
    url = reverse("evidence:staff-edit", args=[pilot.slug])
    page = lead.get(url, **HOST).content.decode()
    labels = re.findall(r'<label class="govuk-label[^"]*" for="id_(\w+)"', page)
    assert labels[:2] == ["title", "title_cy"]
    assert labels.index("problem_cy") == labels.index("problem") + 1
    data = {k: v for k, v in PLAN.items() if k != "slug"}
    data.update(title_cy="Atal argyfwng mewn wardiau", problem_cy="Gormod o deuluoedd")
    assert lead.post(url, data, **HOST).status_code == 302
    pilot.refresh_from_db()
    assert (pilot.title_cy, pilot.problem_cy) == (
        "Atal argyfwng mewn wardiau",
        "Gormod o deuluoedd",
    )
    assert pilot.versions.count() == 1  # a translation is not a change to the plan


def test_a_welsh_reader_sees_the_card_in_welsh_and_english_marked(
    make_pilot: Callable[..., Pilot],
) -> None:
    pilot = make_pilot(status=Pilot.Status.PUBLISHED, title_cy="Atal argyfwng mewn wardiau")
    page = Client().get(reverse("evidence:card", args=[pilot.slug]), **WELSH).content.decode()
    assert ">Atal argyfwng mewn wardiau</h1>" in page
    assert f'<div lang="en"><p>{PLAN["problem"]}</p></div>' in page
    library = Client().get(reverse("evidence:library"), **WELSH).content.decode()
    assert "Atal argyfwng mewn wardiau" in library


def test_the_open_data_and_still_to_translate(
    make_pilot: Callable[..., Pilot], lead: Client
) -> None:
    done = dict(title_cy="T", problem_cy="P", affects_cy="A", intervention_cy="I")
    make_pilot(status=Pilot.Status.PUBLISHED, slug="done", **done)
    lacking = make_pilot(status=Pilot.Status.PUBLISHED, slug="lacking", title_cy="T")
    make_pilot(slug="planned")  # not published: not on the list
    cards = Client().get("/api/evidence/practice-cards", **HOST).json()["items"]
    assert {c["slug"]: c["title_cy"] for c in cards} == {"done": "T", "lacking": "T"}
    html = lead.get(reverse("core:translations"), **HOST).content.decode()
    links = re.findall(r'href="(/[^"]+)" lang="en"', html)
    assert links == [reverse("evidence:staff-edit", args=[lacking.slug])]
    assert "The problem, Who it affects, What it did" in html
