"""Budgets, their budgets' names and ideas in Welsh (issue 20): officers write the Welsh
beside the English; Welsh readers see it, or the English marked lang="en" where it is not
written yet; the open data carries both; the staff area lists what is still to translate."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.budgeting import actions, demo
from changemaker.budgeting.models import Process, Project
from changemaker.core.models import AuditEvent, Council, Role, User

HOST = {"HTTP_HOST": "exampleton.test"}
WELSH = {**HOST, "HTTP_ACCEPT_LANGUAGE": "cy"}
ENGLISH = {**HOST, "HTTP_ACCEPT_LANGUAGE": "en-gb"}


def _translated(process: Process) -> Process:
    """The budget, its budget and P1 in Welsh; P2 and P3 in English only."""
    Process.objects.filter(pk=process.pk).update(
        title_cy="Cyllideb brawf",
        summary_cy="Crynodeb",
        description="More about it",
        description_cy="Mwy amdani",
    )
    process.headings.update(name_cy="Y fwrdeistref")
    process.projects.filter(code="P1").update(title_cy="Prosiect un", description_cy="Disgrifiad")
    process.refresh_from_db()
    return process


def _new_budget_form(**extra: str) -> dict[str, str]:
    return {
        "title": "Parks 2030",
        "slug": "parks-2030",
        "summary": "Residents decide",
        "ideas_from": "01/01/2030",
        "review_from": "01/02/2030",
        "voting_from": "01/03/2030",
        "voting_last_day": "31/03/2030",
        "delivery_from": "01/04/2030",
        "ballot_type": "knapsack",
        "rule": "mes",
        "evidence": "self",
        "split": "council",
        "budget": "50000",
        "max_projects": "5",
        "points_total": "10",
        "min_age": "16",
        **extra,
    }


def test_a_new_budget_saves_its_welsh_beside_the_english(
    council: Council, client_as: Callable[[str | None], Client]
) -> None:
    client = client_as(Role.ENGAGEMENT_OFFICER)
    page = client.get(reverse("budgeting:staff-new"), **HOST).content.decode()
    labels = re.findall(r'<label class="govuk-label[^"]*" for="id_(\w+)"', page)
    assert labels[:4] == ["title", "title_cy", "slug", "summary"]  # Welsh after its English
    assert "Title in Welsh (optional)" in page
    assert "Leave blank until it is translated. Welsh readers see the English until then." in page
    form = _new_budget_form(title_cy="Parciau 2030", summary_cy="Preswylwyr sy'n penderfynu")
    response = client.post(reverse("budgeting:staff-new"), form, **HOST)
    assert response.status_code == 302
    process = Process.objects.get(slug="parks-2030")
    assert (process.title, process.title_cy) == ("Parks 2030", "Parciau 2030")
    assert process.summary_cy == "Preswylwyr sy'n penderfynu"
    assert process.description_cy == ""


def test_editing_saves_the_welsh_and_each_budgets_welsh_name(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    head = process.headings.get()
    client = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("budgeting:staff-edit", args=[process.slug])
    page = client.get(url, **HOST).content.decode()
    assert "Name of the budget “Borough” in Welsh (optional)" in page
    form = {
        "title": process.title,
        "title_cy": "Cyllideb brawf",
        "summary": process.summary,
        "summary_cy": "",
        "description": "",
        "description_cy": "",
        f"heading_{head.pk}": "Y fwrdeistref",
        "ideas_from": process.ideas_from.strftime("%d/%m/%Y"),
        "review_from": process.review_from.strftime("%d/%m/%Y"),
        "voting_from": process.voting_from.strftime("%d/%m/%Y"),
        "voting_last_day": process.voting_until.strftime("%d/%m/%Y"),
        "delivery_from": process.delivery_from.strftime("%d/%m/%Y"),
    }
    assert client.post(url, form, **HOST).status_code == 302
    process.refresh_from_db()
    head.refresh_from_db()
    assert (process.title_cy, head.name_cy) == ("Cyllideb brawf", "Y fwrdeistref")
    event = AuditEvent.objects.filter(action="pb.process_edited").latest("pk")
    assert {"title_cy", "heading_cy"} <= set(event.detail["changed"])


def test_an_edit_that_leaves_the_welsh_out_keeps_it(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = _translated(make_process(phase="ideas"))
    dates = {
        name: getattr(process, name)
        for name in ("ideas_from", "review_from", "voting_from", "voting_until", "delivery_from")
    }
    actions.edit_process(process, by=make_user(Role.ENGAGEMENT_OFFICER), title="New",
                         summary="s", description="", dates=dates)  # fmt: skip
    process.refresh_from_db()
    assert (process.title, process.title_cy) == ("New", "Cyllideb brawf")


def test_an_officer_saves_an_ideas_welsh_version_at_any_phase(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="results")  # after voting: the ballot is fixed, words are not
    client = client_as(Role.ENGAGEMENT_OFFICER)
    review = client.get(reverse("budgeting:staff-review", args=[process.slug, "P2"]), **HOST)
    assert "Welsh missing" in review.content.decode()
    url = reverse("budgeting:staff-idea-welsh", args=[process.slug, "P2"])
    form = {"title_cy": "Prosiect dau", "description_cy": "Disgrifiad dau"}
    assert client.post(url, form, **HOST).status_code == 302
    project = Project.objects.get(process=process, code="P2")
    assert (project.title, project.title_cy) == ("Project 2", "Prosiect dau")
    assert project.description_cy == "Disgrifiad dau"
    event = AuditEvent.objects.get(action="pb.idea_translated")
    assert event.detail["changed"] == ["title_cy", "description_cy"]
    assert "Prosiect" not in str(event.detail)  # the audit names fields, not words


def test_an_ideas_welsh_too_long_is_refused_by_its_field(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    url = reverse("budgeting:staff-idea-welsh", args=[process.slug, "P1"])
    response = client_as(Role.ENGAGEMENT_OFFICER).post(url, {"title_cy": "x" * 151}, **HOST)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_title_cy"' in page  # the error summary links to the field
    assert "The Welsh must be 150 characters or fewer" in page
    assert Project.objects.get(process=process, code="P1").title_cy == ""


def test_a_welsh_reader_sees_the_welsh_and_english_marked_where_it_is_missing(
    make_process: Callable[..., Process],
) -> None:
    process = _translated(make_process(phase="voting"))
    client = Client()
    idea = client.get(reverse("budgeting:idea", args=[process.slug, "P1"]), **WELSH)
    page = idea.content.decode()
    assert '<html lang="cy"' in page
    assert ">Prosiect un</h1>" in page
    assert "<p>Disgrifiad</p>" in page
    assert "Cyllideb brawf" in page and "Y fwrdeistref" in page
    assert "<title>Prosiect un" in page
    ideas = client.get(reverse("budgeting:ideas", args=[process.slug]), **WELSH).content.decode()
    assert '<span lang="en">Project 2</span>' in ideas  # the fallback, marked
    assert "Prosiect un" in ideas
    detail = client.get(reverse("budgeting:detail", args=[process.slug]), **WELSH)
    assert "<p>Mwy amdani</p>" in detail.content.decode()


def test_a_welsh_page_says_when_parts_of_it_are_in_english(
    make_process: Callable[..., Process],
) -> None:
    process = _translated(make_process(phase="voting"))
    notice = "Nid yw rhannau o’r dudalen hon wedi’u cyfieithu i’r Gymraeg eto"
    client = Client()

    def page(code: str, headers: dict[str, str]) -> str:
        return client.get(reverse("budgeting:idea", args=[process.slug, code]), **headers).text

    assert notice in page("P2", WELSH)  # its title and description are English only
    assert notice not in page("P1", WELSH)  # written in Welsh
    assert "have not been translated" not in page("P2", ENGLISH)
    assert notice not in client.get(reverse("budgeting:detail", args=[process.slug]), **WELSH).text


def test_an_english_reader_sees_english_with_no_language_marks(
    make_process: Callable[..., Process],
) -> None:
    process = _translated(make_process(phase="voting"))
    page = Client().get(reverse("budgeting:ideas", args=[process.slug]), **ENGLISH)
    html = page.content.decode()
    assert "Project 1" in html and "Prosiect un" not in html
    assert 'lang="en"' not in html.split("<body", 1)[1]  # the page itself is English


def test_results_and_the_delivery_feed_are_in_the_readers_language(
    make_process: Callable[..., Process],
) -> None:
    process = _translated(make_process(phase="results"))
    results = Client().get(reverse("budgeting:results", args=[process.slug]), **WELSH)
    assert "Cyllideb brawf" in results.content.decode()
    feed = Client().get(reverse("budgeting:delivery-feed", args=[process.slug]), **WELSH)
    assert "Cyllideb brawf" in feed.content.decode()


def test_the_open_data_carries_the_english_and_the_welsh(
    make_process: Callable[..., Process],
) -> None:
    process = _translated(make_process(phase="results"))
    found = Client().get("/api/budgeting/processes", **HOST).json()["items"][0]
    assert (found["title"], found["title_cy"]) == ("Test budget", "Cyllideb brawf")
    budgets = Client().get(f"/api/budgeting/processes/{process.slug}/budgets", **HOST).json()
    assert budgets["items"][0]["name_cy"] == "Y fwrdeistref"
    ideas = Client().get(f"/api/budgeting/processes/{process.slug}/ideas", **HOST).json()
    by_code = {i["code"]: i for i in ideas["items"]}
    assert by_code["P1"]["title_cy"] == "Prosiect un"
    assert by_code["P1"]["description_cy"] == "Disgrifiad"
    assert by_code["P2"]["title_cy"] == ""  # not written yet: blank, the English beside it


def test_still_to_translate_lists_exactly_the_published_items_lacking_welsh(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = _translated(make_process(phase="ideas", moderation="before"))
    process.projects.filter(code="P3").update(
        status=Project.Status.SUBMITTED, publication=Project.Publication.WAITING
    )  # not published: nothing to translate yet
    other = make_process(phase="ideas")  # all English
    page = client_as(Role.ENGAGEMENT_OFFICER).get(reverse("core:translations"), **HOST)
    html = page.content.decode()
    items = re.findall(r'<a class="govuk-link" href="([^"]+)" lang="en">', html)
    assert sorted(items) == sorted(
        [
            reverse("budgeting:staff-idea-welsh", args=[process.slug, "P2"]),
            reverse("budgeting:staff-edit", args=[other.slug]),
            *[
                reverse("budgeting:staff-idea-welsh", args=[other.slug, c])
                for c in ("P1", "P2", "P3")
            ],
        ]
    )
    staff = client_as(Role.ENGAGEMENT_OFFICER).get(
        reverse("budgeting:staff", args=[process.slug]), **HOST
    )
    tagged = re.findall(
        r"(P\d): Project \d</a>[^<]*<strong class=\"govuk-tag govuk-tag--yellow\">Welsh missing",
        staff.content.decode(),
    )
    assert set(tagged) == {"P2"}  # the staff lists tag the published idea lacking Welsh


def test_the_demo_has_welsh_and_deliberate_fallbacks_and_loads_twice(council: Council) -> None:
    demo.load(council)
    demo.load(council)
    process = Process.objects.get(council=council, slug="neighbourhoods-2026")
    assert process.title_cy == "Eich Cymdogaeth 2026"
    assert process.headings.get().name_cy == "Y fwrdeistref gyfan"
    translated = set(process.projects.exclude(title_cy="").values_list("code", flat=True))
    assert translated == {"P01", "P02", "P03", "P04"}  # P05 and P06 show the fallback
