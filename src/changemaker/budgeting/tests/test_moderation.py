"""Ideas and their pictures are checked before residents see them (unless a budget chooses
to publish at once): until then only the author and the budget's officers see them,
on every page and at the picture's own address."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from changemaker.budgeting import actions
from changemaker.budgeting.models import Process, Project
from changemaker.budgeting.tests.test_process import _form
from changemaker.core.models import AuditEvent, Role, User
from changemaker.core.tests.pictures import png

HOST = {"HTTP_HOST": "exampleton.test"}


def _idea(process: Process, author: User) -> Project:
    return actions.submit_idea(
        process,
        author=author,
        heading=process.headings.get(),
        title="Bench by the house of Ada Lovelace",
        description="d",
        rough_cost=5,
        image=SimpleUploadedFile("p.png", png()),
        image_alt="A park",
    )


def _sees(client: Client, process: Process, idea: Project) -> dict[str, bool]:
    listed = client.get(reverse("budgeting:ideas", args=[process.slug]), **HOST)
    page = client.get(reverse("budgeting:idea", args=[process.slug, idea.code]), **HOST)
    picture = client.get(idea.image.url, **HOST)
    return {
        "list": idea.title in listed.content.decode(),
        "page": page.status_code == 200,
        "picture": picture.status_code == 200,
    }


ALL = {"list": True, "page": True, "picture": True}
NONE = {"list": False, "page": False, "picture": False}


def test_a_new_idea_is_seen_only_by_its_author_and_officers_until_published(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
    client: Client,
    settings: Any,
    tmp_path: Path,
) -> None:
    """Found in production: ideas and their pictures were public before anyone checked them."""
    settings.MEDIA_ROOT = tmp_path  # the media view serves files from MEDIA_ROOT
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    process = make_process(phase="ideas")
    assert process.moderation == Process.Moderation.BEFORE  # the default
    author = make_user(email="ada@x.org")
    idea = _idea(process, author)
    owner = Client()
    owner.force_login(author, backend="django.contrib.auth.backends.ModelBackend")
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    neighbour = client_as(Role.RESIDENT)

    assert _sees(client, process, idea) == NONE
    assert _sees(neighbour, process, idea) == NONE
    assert _sees(owner, process, idea) == ALL
    assert _sees(officer, process, idea) == ALL
    private = owner.get(idea.image.url, **HOST)
    assert private["Cache-Control"] == "private, no-store"
    support = reverse("budgeting:idea-support", args=[process.slug, idea.code])
    assert neighbour.post(support, **HOST).status_code == 404
    assert not idea.supports.exists()

    publish = reverse("budgeting:staff-publish", args=[process.slug, idea.code])
    assert officer.post(publish, {"publish": "yes"}, **HOST).status_code == 302
    assert _sees(client, process, idea) == ALL
    assert client.get(idea.image.url, **HOST)["Cache-Control"].startswith("public")
    assert AuditEvent.objects.filter(action="pb.idea_published").count() == 1

    officer.post(publish, {"publish": "no"}, **HOST)
    assert _sees(client, process, idea) == NONE and _sees(owner, process, idea) == ALL
    assert AuditEvent.objects.filter(action="pb.idea_withheld").count() == 1


def test_a_budget_can_publish_ideas_at_once_and_withhold_them_after(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client: Client,
) -> None:
    process = make_process(phase="ideas", moderation=Process.Moderation.AFTER)
    idea = _idea(process, make_user())
    page = reverse("budgeting:idea", args=[process.slug, idea.code])
    assert client.get(page, **HOST).status_code == 200
    actions.publish_idea(idea, by=make_user(Role.ENGAGEMENT_OFFICER), publish=False)
    assert client.get(page, **HOST).status_code == 404


def test_putting_an_idea_on_the_ballot_publishes_it(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="review")
    idea = Project.objects.create(
        process=process,
        heading=process.headings.get(),
        code="I001",
        title="t",
        description="d",
        rough_cost=5,
    )
    assert not idea.is_public
    actions.review_idea(
        idea, by=make_user(Role.ENGAGEMENT_OFFICER), decision="shortlisted", note="", final_cost=5
    )
    assert idea.is_public


def test_officers_choose_when_ideas_are_checked_when_they_start_a_budget(
    client_as: Callable[[str | None], Client],
) -> None:
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    page = officer.get(reverse("budgeting:staff-new"), **HOST).content.decode()
    assert "Check each idea before it is published" in page
    assert "Publish ideas at once, and check them afterwards" in page


def test_the_officers_choice_of_when_ideas_are_checked_is_kept(
    client_as: Callable[[str | None], Client],
) -> None:
    form = _form(slug="parks", moderation="after")
    response = client_as(Role.ENGAGEMENT_OFFICER).post(reverse("budgeting:staff-new"), form, **HOST)
    assert response.status_code == 302
    assert Process.objects.get(slug="parks").moderation == Process.Moderation.AFTER


def test_a_new_budget_left_empty_says_which_date_is_missing(
    client_as: Callable[[str | None], Client],
) -> None:
    page = (
        client_as(Role.ENGAGEMENT_OFFICER)
        .post(reverse("budgeting:staff-new"), {"title": ""}, **HOST)
        .content.decode()
    )
    for message in (
        "Enter the date ideas open",
        "Enter the date ideas close",
        "Enter the date voting opens",
        "Enter the last day of voting",
        "Enter the date delivery starts",
    ):
        assert page.count(message) == 2, message  # in the summary, and by its field
    assert "Enter the date<" not in page
