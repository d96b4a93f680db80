"""Supporting an idea shows that you support it, how many do, and lets you withdraw
(audited); an idea's page shows what has happened to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.budgeting import actions, adapter
from changemaker.budgeting.models import Ballot, Mark, Process, Project
from changemaker.core.models import AuditEvent, Role, User

HOST = {"HTTP_HOST": "exampleton.test"}


def _published_idea(process: Process, author: User, officer: User) -> Project:
    idea = actions.submit_idea(
        process,
        author=author,
        heading=process.headings.get(),
        title="Benches",
        description="Somewhere to sit",
        rough_cost=500,
    )
    return actions.publish_idea(idea, by=officer, publish=True)


def test_support_shows_the_count_and_can_be_withdrawn(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
) -> None:
    process = make_process(phase="ideas")
    idea = _published_idea(process, make_user(email="a@x.org"), make_user(email="o@x.org"))
    resident = client_as(Role.RESIDENT)
    page_url = reverse("budgeting:idea", args=[process.slug, idea.code])
    support_url = reverse("budgeting:idea-support", args=[process.slug, idea.code])

    before = resident.get(page_url, **HOST).text
    assert "0 people support this idea." in before and "Support this idea</button>" in before

    after = resident.post(support_url, follow=True, **HOST).text
    assert "1 person supports this idea." in after
    assert '<strong class="govuk-tag govuk-tag--green">You support this idea</strong>' in after
    assert "Stop supporting this idea" in after

    withdrawn = resident.post(support_url, {"withdraw": "yes"}, follow=True, **HOST).text
    assert "You no longer support this idea" in withdrawn
    assert "0 people support this idea." in withdrawn
    assert not idea.supports.exists()
    event = AuditEvent.objects.get(action="pb.idea_support_withdrawn")
    assert event.detail.get("removed") is True


def test_withdrawing_after_ideas_close_is_refused_with_the_error_summary(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
) -> None:
    process = make_process(phase="ideas")
    idea = _published_idea(process, make_user(email="a@x.org"), make_user(email="o@x.org"))
    Process.objects.filter(pk=process.pk).update(review_from=timezone.now() - timedelta(hours=1))
    url = reverse("budgeting:idea-support", args=[process.slug, idea.code])
    page = client_as(Role.RESIDENT).post(url, {"withdraw": "yes"}, follow=True, **HOST).text
    assert "There is a problem" in page and "while ideas are open" in page
    assert "govuk-notification-banner--success" not in page


def test_an_idea_shows_its_status_history(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client: Client,
) -> None:
    process = make_process(phase="ideas")
    officer = make_user(email="o@x.org")
    idea = _published_idea(process, make_user(email="a@x.org"), officer)
    actions.review_idea(idea, by=officer, decision="shortlisted", note="", final_cost=600)
    page = client.get(reverse("budgeting:idea", args=[process.slug, idea.code]), **HOST).text
    history = page[page.index("What has happened to this idea") :]
    assert (
        history.index("Sent in") < history.index("Published") < history.index("Put on the ballot")
    )


def test_a_funded_idea_history_says_so(
    make_process: Callable[..., Process], client: Client
) -> None:
    process = make_process(phase="results")
    heading = process.headings.get()
    ballot = Ballot.objects.create(
        process=process, heading=heading, channel="imported", paper_reference="1"
    )
    Mark.objects.create(ballot=ballot, project=Project.objects.get(process=process, code="P1"))
    adapter.store_count(process, heading, *adapter.count_heading(process, heading))
    page = client.get(reverse("budgeting:idea", args=[process.slug, "P1"]), **HOST).text
    assert "Funded, when the votes were counted" in page
