"""core.registry's ``proposals`` hook, across capabilities: a theme of residents' stories
becomes a budget idea (carrying the number of stories and only quotable excerpts, never a
name) or a consultation statement, each through its capability's audited action; and a
statement every opinion group agreed with becomes a budget idea from the consultation's
results page, with no import of budgeting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.budgeting.models import Heading, Process, Project
from changemaker.consultations.models import Consultation, OpinionSnapshot, Statement
from changemaker.core.models import AuditEvent, Council, Role, User
from changemaker.core.registry import PROPOSALS
from changemaker.core.tests.factories import sign_in
from changemaker.listening import actions
from changemaker.listening.models import Story, StoryCollection, Theme

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "exampleton.test"}


def _budget(council: Council, *, open_for_ideas: bool = True) -> Heading:
    start = timezone.now() - timedelta(days=5 if open_for_ideas else 25)
    process = Process.objects.create(
        council=council,
        slug=f"pb-{Process.objects.count()}",
        title="Exampleton Community Fund",
        summary="s",
        ideas_from=start,
        review_from=start + timedelta(days=21),
        voting_from=start + timedelta(days=35),
        voting_until=start + timedelta(days=49),
        delivery_from=start + timedelta(days=63),
    )
    return Heading.objects.create(process=process, name="Borough", budget=50_000)


def _consultation(council: Council, officer: User) -> Consultation:
    now = timezone.now()
    return Consultation.objects.create(
        council=council,
        slug="parks",
        question="What next for our parks?",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        created_by=officer,
    )


def _theme(council: Council, officer: User) -> Theme:
    collection = StoryCollection.objects.create(
        council=council, slug="where-you-live", title="Where you live", question="Tell us"
    )
    told = [
        ("Shade by the splash pad, please", True, Story.Status.READ),
        ("Mrs Patel from number 4 runs the park cafe", True, Story.Status.HIDDEN),
        ("Benches near the play area", False, Story.Status.READ),
    ]
    stories = []
    for text, consent, status in told:
        story = actions.tell_story(collection, what_works=text, consent=consent)
        actions.check_story(story, by=officer, status=status, themes=[])
        stories.append(story)
    return actions.create_theme(collection, by=officer, name="Parks and play", stories=stories)


def test_both_sinks_are_registered() -> None:
    assert {"budgeting.idea", "consultations.statement"} <= set(PROPOSALS)


def test_a_theme_becomes_a_budget_idea_with_its_stories_as_evidence(
    council: Council, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    heading = _budget(council)
    _budget(council, open_for_ideas=False)
    theme = _theme(council, officer)
    staff = sign_in(Client(), officer, two_factor=True)
    url = reverse("listening:stories-theme", args=[theme.collection_id, theme.pk])
    page = staff.get(url, **HOST).content.decode()
    assert "Exampleton Community Fund: Borough" in page
    assert page.count("Exampleton Community Fund") == 1  # the budget in review is not offered
    response = staff.post(
        url,
        {"where": f"budgeting.idea|{heading.pk}", "title": "Shade in our parks", "text": "Shade"},
        **HOST,
    )
    idea = Project.objects.get()
    assert response["Location"] == reverse("budgeting:idea", args=[heading.process.slug, idea.code])
    assert (idea.title, idea.author, idea.status) == ("Shade in our parks", officer, "submitted")
    assert idea.evidence["count"] == 3
    assert idea.evidence["quotes"] == ["Shade by the splash pad, please"]
    assert "Patel" not in str(idea.evidence) and "Benches" not in str(idea.evidence)
    assert idea.evidence["source"] == f"listening.theme:{theme.pk}"
    event = AuditEvent.objects.get(action="pb.idea_from_evidence")
    assert (event.actor, event.detail["count"], event.detail["quotes"]) == (officer, 3, 1)
    assert AuditEvent.objects.filter(action="listening.theme_proposed").count() == 1
    theme.refresh_from_db()
    assert (theme.became_label, theme.became_url) == ("a budget idea", response["Location"])
    shown = staff.get(response["Location"], **HOST).content.decode()
    assert "Where this idea comes from" in shown and "Shade by the splash pad" in shown
    assert (
        "became"
        in staff.get(
            reverse("listening:stories-collection", args=[theme.collection_id]), **HOST
        ).content.decode()
    )


def test_a_theme_becomes_a_seed_statement(council: Council, make_user: Callable[..., User]) -> None:
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    consultation = _consultation(council, officer)
    theme = _theme(council, officer)
    staff = sign_in(Client(), officer, two_factor=True)
    url = reverse("listening:stories-theme", args=[theme.collection_id, theme.pk])
    staff.post(
        url,
        {
            "where": f"consultations.statement|{consultation.pk}",
            "title": "Our parks need more shade",
        },
        **HOST,
    )
    statement = Statement.objects.get()
    assert (statement.text, statement.is_seed, statement.author) == (
        "Our parks need more shade",
        True,
        None,
    )
    assert statement.status == Statement.Status.PUBLISHED
    event = AuditEvent.objects.get(action="consultation.statement_seeded")
    assert event.detail == {"source": f"listening.theme:{theme.pk}", "count": 3}
    again = staff.post(
        url,
        {
            "where": f"consultations.statement|{consultation.pk}",
            "title": "Our parks need more shade",
        },
        **HOST,
    )
    assert "already has this statement" in again.content.decode()
    assert Statement.objects.count() == 1


def test_a_uniting_statement_becomes_a_budget_idea(
    council: Council, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    heading = _budget(council)
    consultation = _consultation(council, officer)
    uniting = Statement.objects.create(
        consultation=consultation, number=0, text="Keep the park toilets open", status="published"
    )
    Statement.objects.create(
        consultation=consultation, number=1, text="Sell the park", status="published"
    )
    OpinionSnapshot.objects.create(
        consultation=consultation,
        votes=80,
        result={"n_participants": 12, "consensus": {"agree": [{"statement": 0}], "disagree": []}},
    )
    results = reverse("consultations:results", args=[consultation.slug])
    staff = sign_in(Client(), officer)
    page = staff.get(results, **HOST).content.decode()
    assert "Make this a budget idea" in page
    assert page.count("Make this a budget idea") == 1  # "Sell the park" unites no one
    resident_page = sign_in(Client(), make_user(Role.RESIDENT)).get(results, **HOST)
    assert "Make this a budget idea" not in resident_page.content.decode()
    propose = reverse("consultations:statement-proposal", args=[consultation.slug, 1])
    refused = staff.post(propose, {"sink": "budgeting.idea", "target": str(heading.pk)}, **HOST)
    assert refused.status_code == 404
    propose = reverse("consultations:statement-proposal", args=[consultation.slug, 0])
    done = staff.post(propose, {"sink": "budgeting.idea", "target": str(heading.pk)}, **HOST)
    idea = Project.objects.get()
    assert done["Location"] == reverse("budgeting:idea", args=[heading.process.slug, idea.code])
    assert idea.title == uniting.text
    assert idea.evidence["source"] == f"consultations.statement:{uniting.pk}"
    assert "Every opinion group" in idea.evidence["summary"]
    resident = sign_in(Client(), make_user(Role.RESIDENT))
    assert resident.post(propose, {"sink": "budgeting.idea"}, **HOST).status_code == 403


def test_a_story_held_back_after_its_idea_was_made_is_no_longer_quoted(
    council: Council, make_user: Callable[..., User]
) -> None:
    """Quotes are copied into the idea when it is made, but shown only while their story is
    still quotable: an officer marking it "never to be quoted" later takes it off the idea's
    page (and a theme deleted since takes all its quotes)."""
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    heading = _budget(council)
    theme = _theme(council, officer)
    actions.propose_theme(
        theme, by=officer, sink="budgeting.idea", target=str(heading.pk), title="Shade", text=""
    )
    idea = Project.objects.get()
    page = reverse("budgeting:idea", args=[heading.process.slug, idea.code])
    staff = sign_in(Client(), officer, two_factor=True)  # the idea is still in review
    assert "Shade by the splash pad" in staff.get(page, **HOST).content.decode()
    story = theme.stories.get(what_works__startswith="Shade")
    actions.check_story(story, by=officer, status=Story.Status.HIDDEN, themes=[theme])
    shown = staff.get(page, **HOST).content.decode()
    assert "Where this idea comes from" in shown
    assert "Shade by the splash pad" not in shown
    idea.refresh_from_db()
    assert idea.evidence["quotes"] == ["Shade by the splash pad, please"]  # the record stays
    actions.check_story(story, by=officer, status=Story.Status.READ, themes=[theme])
    assert "Shade by the splash pad" in staff.get(page, **HOST).content.decode()
    Theme.objects.filter(pk=theme.pk).delete()
    assert "Shade by the splash pad" not in staff.get(page, **HOST).content.decode()
