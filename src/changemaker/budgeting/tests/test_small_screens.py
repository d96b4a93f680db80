"""Small screens and long text (WCAG 1.4.10): wide tables scroll inside a focusable region,
residents' words wrap, idea titles and descriptions have limits stated, counted and enforced
on the server; the results chart names its bars, uses the page font and shows its key."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.budgeting import adapter
from changemaker.budgeting.models import Ballot, Mark, Process, Project
from changemaker.core.models import Role

HOST = {"HTTP_HOST": "exampleton.test"}


def _idea(client: Client, process: Process, **extra: str) -> str:
    data = {
        "title": "Benches",
        "description": "Somewhere to sit",
        "heading": str(process.headings.get().pk),
        "rough_cost": "4000",
        **extra,
    }
    response = client.post(reverse("budgeting:idea-new", args=[process.slug]), data, **HOST)
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_an_over_long_description_is_refused_with_its_limit(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    page = _idea(client_as(Role.RESIDENT), process, description="word " * 9_000)
    assert "There is a problem" in page
    assert "The description must be 2,000 characters or less" in page
    assert not Project.objects.filter(title="Benches").exists()


def test_an_over_long_title_is_refused_with_its_limit(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    page = _idea(client_as(Role.RESIDENT), process, title="B" * 101)
    assert "The title must be 100 characters or less" in page
    assert not Project.objects.filter(title__startswith="BBB").exists()


def test_the_idea_form_states_its_limits_with_a_character_count(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    page = (
        client_as(Role.RESIDENT)
        .get(reverse("budgeting:idea-new", args=[process.slug]), **HOST)
        .text
    )
    assert 'data-module="govuk-character-count" data-maxlength="2000"' in page
    assert "You can enter up to 2,000 characters" in page  # said without JavaScript
    assert "govuk-js-character-count" in page and 'id="id_description-info"' in page
    assert "Up to 100 characters." in page
    assert ' maxlength="2000"' not in page  # the browser does not cut text off silently


def test_the_ideas_table_scrolls_in_its_own_region_and_words_wrap(
    make_process: Callable[..., Process], client: Client
) -> None:
    process = make_process(phase="results")
    page = client.get(reverse("budgeting:ideas", args=[process.slug]), **HOST).text
    assert '<div class="cm-table-scroll" role="region" aria-label="All ideas" tabindex="0">' in (
        page
    )
    assert '<table class="govuk-table cm-user-text">' in page


def test_the_results_chart_names_projects_and_shows_its_key(
    make_process: Callable[..., Process], client: Client
) -> None:
    process = make_process(phase="results")
    heading = process.headings.get()
    for n in range(3):
        ballot = Ballot.objects.create(
            process=process, heading=heading, channel="imported", paper_reference=f"{n}"
        )
        Mark.objects.create(ballot=ballot, project=Project.objects.get(process=process, code="P1"))
    election, outcome = adapter.count_heading(process, heading)
    adapter.store_count(process, heading, election, outcome)
    page = client.get(reverse("budgeting:results", args=[process.slug]), **HOST).text
    chart = page[page.index('<figure class="cm-chart') : page.index("</figure>")]
    assert "P1: Project 1 (funded)</text>" in chart
    assert "P2: Project 2</text>" in chart
    assert 'class="govuk-list cm-chart__legend"' in chart
    assert "Funded</li>" in chart and "Not funded</li>" in chart
    assert "<desc id=" in chart
    assert 'aria-label="Every project, most votes first" tabindex="0"' in page  # the table
