"""Budgeting tells people (issue 19): an idea checked, voting opens, a ballot received (a
receipt that never says how they voted), results out. Each notice is published once, by the
action that did the thing, in its transaction, to the right people and subjects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from changemaker.budgeting import actions, jobs, notices
from changemaker.budgeting.models import Ballot, Process, Project
from changemaker.budgeting.selectors import describe_subject, receipt_reference
from changemaker.core import actions as core_actions
from changemaker.core.models import AuditEvent, Council, Notice, Role, User
from changemaker.core.notices import subject_key
from changemaker.core.registry import NOTICE_KINDS

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "exampleton.test"}


def _notices(kind: str) -> list[Notice]:
    return list(Notice.objects.filter(kind=kind).order_by("pk"))


def _words(notice: Notice, language: str = "en") -> str:
    kind = NOTICE_KINDS[notice.kind]
    with translation.override(language):
        return " ".join(str(f(notice.params)) for f in (kind.subject, kind.body, kind.url))


def _idea(process: Process, author: User, **fields: Any) -> Project:
    return Project.objects.create(
        process=process,
        heading=process.headings.first(),
        code=fields.pop("code", "I001"),
        title=fields.pop("title", "Benches along the river path"),
        description="Somewhere to rest on the walk into town.",
        rough_cost=3000,
        author=author,
        **fields,
    )


# An idea checked ---------------------------------------------------------------------------


def test_a_rejected_idea_tells_its_author_and_followers_with_the_public_reason(
    make_process: Callable[..., Process], make_user: Callable[..., User], client: Client
) -> None:
    process = make_process(phase="review")
    author, officer = make_user(), make_user(role=Role.ENGAGEMENT_OFFICER)
    idea = _idea(process, author, publication=Project.Publication.PUBLISHED)
    reason = "The land by the river belongs to the Environment Agency, not the council."
    actions.review_idea(idea, by=officer, decision="rejected", note=reason)

    [notice] = _notices(notices.IDEA_CHECKED)
    assert notice.recipients == [author.pk]
    assert notice.subjects == [subject_key(idea)]
    assert reason in _words(notice)
    assert _words(notice).rstrip().endswith(f"/budgets/{process.slug}/ideas/I001/")
    page = client.get(reverse("budgeting:idea", args=[process.slug, "I001"]), **HOST)
    assert reason in page.text  # the reason sent is the one shown to everyone


def test_a_joined_idea_links_to_the_idea_it_joined(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="review")
    author, officer = make_user(), make_user(role=Role.ENGAGEMENT_OFFICER)
    idea = _idea(process, author)
    other = process.projects.get(code="P1")
    actions.review_idea(idea, by=officer, decision="merged", note="Same place.", merge_into=other)

    [notice] = _notices(notices.IDEA_CHECKED)
    words = _words(notice)
    assert "Project 1" in words and words.endswith(f"/budgets/{process.slug}/ideas/P1/")
    assert notice.subjects == []  # never published: no one could follow it


def test_a_withheld_idea_is_told_to_its_author_only_with_the_reason(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="ideas", moderation=Process.Moderation.AFTER)
    author, officer = make_user(), make_user(role=Role.ENGAGEMENT_OFFICER)
    idea = _idea(process, author)  # public at once: it may have followers
    actions.publish_idea(idea, by=officer, publish=False, reason="personal")

    [notice] = _notices(notices.IDEA_CHECKED)
    assert notice.recipients == [author.pk]
    assert notice.subjects == []
    assert str(notices.WITHHELD_REASONS["personal"]) in _words(notice)


def test_publishing_an_idea_tells_its_author(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="ideas")
    author, officer = make_user(), make_user(role=Role.ENGAGEMENT_OFFICER)
    idea = _idea(process, author)
    actions.publish_idea(idea, by=officer, publish=True)
    [notice] = _notices(notices.IDEA_CHECKED)
    assert (notice.recipients, notice.subjects) == ([author.pk], [subject_key(idea)])
    assert notice.params["step"] == "published"


def test_a_refused_decision_publishes_nothing(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="review")
    idea = _idea(process, make_user())
    with pytest.raises(actions.ActionRefused):
        actions.review_idea(
            idea, by=make_user(role=Role.ENGAGEMENT_OFFICER), decision="rejected", note=""
        )
    with pytest.raises(actions.ActionRefused):
        actions.publish_idea(idea, by=make_user(), publish=False, reason="made-up")
    assert not Notice.objects.exists()


def test_the_staff_page_sends_the_chosen_reason(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
) -> None:
    process = make_process(phase="ideas")
    idea = _idea(process, make_user())
    client = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("budgeting:staff-publish", args=[process.slug, idea.code])
    review = client.get(reverse("budgeting:staff-review", args=[process.slug, idea.code]), **HOST)
    assert 'name="reason" type="radio" value="consent"' in review.text
    client.post(url, {"publish": "no", "reason": "consent"}, **HOST)
    assert _notices(notices.IDEA_CHECKED)[0].params["reason"] == "consent"


# Voting opens ------------------------------------------------------------------------------


def test_voting_opens_is_told_once_to_the_budget_and_its_wards(
    ward_process: Callable[..., Process],
) -> None:
    process = ward_process()  # voting opened 5 days ago, by its date
    job = core_actions.start_job("budgeting.voting_opens", title="Voting opens")
    assert jobs.voting_opens(job) == {"announced": 1}
    assert jobs.voting_opens(job) == {"announced": 0}  # the next run: nothing new

    [notice] = _notices(notices.VOTING_OPENS)
    wards = process.council.wards.filter(name__in=["Abbey", "Bridge"])
    assert sorted(notice.subjects) == sorted(
        [subject_key(process), *(subject_key(w) for w in wards)]
    )
    assert notice.recipients == []
    assert AuditEvent.objects.filter(action="pb.voting_announced").count() == 1


def test_voting_opened_by_an_officer_is_told_once_even_if_set_twice(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="review")
    officer = make_user(role=Role.ENGAGEMENT_OFFICER)
    now = timezone.now()

    def open_voting() -> None:
        dates = {
            "ideas_from": process.ideas_from,
            "review_from": process.review_from,
            "voting_from": now - timedelta(minutes=1),
            "voting_until": process.voting_until,
            "delivery_from": process.delivery_from,
        }
        actions.edit_process(
            process,
            by=officer,
            title=process.title,
            summary=process.summary,
            description="",
            dates=dates,
        )

    assert not _notices(notices.VOTING_OPENS)  # not open yet: nothing
    open_voting()
    open_voting()
    jobs.voting_opens(core_actions.start_job("budgeting.voting_opens", title="Voting opens"))
    assert len(_notices(notices.VOTING_OPENS)) == 1


# A ballot received -------------------------------------------------------------------------


def test_a_signed_in_voter_gets_a_receipt_that_names_no_project(
    make_process: Callable[..., Process], make_user: Callable[..., User], eligible: Any
) -> None:
    process = make_process()
    heading = process.headings.get()
    voter = make_user()
    eligible(process, voter)
    ballot = actions.cast_ballot(process, heading, {"P1": 1, "P3": 1}, voter=voter)

    [notice] = _notices(notices.BALLOT_RECEIVED)
    assert (notice.recipients, notice.subjects) == ([voter.pk], [])
    reference = receipt_reference(ballot)
    for language in ("en", "cy"):
        words = _words(notice, language)
        assert reference in words and heading.name in words
        for project in process.projects.all():
            assert project.title not in words and project.code not in words
    assert not {"P1", "P3", "Project 1", "Project 3"} & {str(v) for v in notice.params.values()}


def test_the_receipt_reference_is_keyed_and_shown_on_the_confirmation_page(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    eligible: Any,
    settings: Any,
) -> None:
    process = make_process()
    voter = make_user()
    eligible(process, voter)
    client = Client()
    client.force_login(voter)
    heading = process.headings.get()
    page = client.post(
        reverse("budgeting:ballot", args=[process.slug, heading.pk]), {"project": ["P1"]}, **HOST
    )
    ballot = Ballot.objects.get()
    assert receipt_reference(ballot) in page.text
    assert receipt_reference(ballot) == _notices(notices.BALLOT_RECEIVED)[0].params["reference"]
    settings.SECRET_KEY = "another install's secret " * 3
    assert receipt_reference(ballot) != _notices(notices.BALLOT_RECEIVED)[0].params["reference"]


def test_a_voting_code_voter_gets_nothing_and_is_told_so(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process()
    [code] = actions.issue_codes(process, count=1, by=make_user(role=Role.ENGAGEMENT_OFFICER))
    found = actions.redeem_code(process, code, token="browser")
    actions.cast_ballot(
        process, process.headings.get(), {"P1": 1}, code=found, code_token="browser"
    )
    assert not _notices(notices.BALLOT_RECEIVED)


def test_a_refused_ballot_or_a_rolled_back_one_sends_no_receipt(
    make_process: Callable[..., Process], make_user: Callable[..., User], eligible: Any
) -> None:
    process = make_process()
    heading = process.headings.get()
    voter = make_user()
    eligible(process, voter)
    with pytest.raises(actions.ActionRefused):
        actions.cast_ballot(process, heading, {"P2": 1, "P3": 1}, voter=voter)  # over budget
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.cast_ballot(process, heading, {"P1": 1}, voter=voter)
        raise RuntimeError("the request failed after the vote")
    assert not Notice.objects.exists() and not Ballot.objects.exists()


# Results -----------------------------------------------------------------------------------


def test_results_tell_followers_voters_and_each_author_whether_funded_once(
    make_process: Callable[..., Process], make_user: Callable[..., User], eligible: Any
) -> None:
    process = make_process(phase="voting")
    heading = process.headings.get()
    author, voter = make_user(), make_user()
    Project.objects.filter(code="P1").update(author=author)
    eligible(process, voter)
    actions.cast_ballot(process, heading, {"P1": 1}, voter=voter)
    Process.objects.filter(pk=process.pk).update(voting_until=timezone.now())
    process.refresh_from_db()
    for _run in range(2):  # a recount tells no one again
        job = core_actions.start_job(
            "budgeting.count",
            title="Count",
            params={"process": process.pk},
            council=process.council,
        )
        jobs.count_process(job)

    general, *per_idea = _notices(notices.RESULTS_PUBLISHED)
    assert general.recipients == [voter.pk]
    assert general.subjects == [subject_key(process)]
    assert len(per_idea) == 3
    mine = next(n for n in per_idea if n.recipients == [author.pk])
    assert mine.params["funded"] is True and "will be funded" in _words(mine)
    assert mine.subjects == [subject_key(process.projects.get(code="P1"))]
    others = [n for n in per_idea if n is not mine]
    assert all(n.recipients == [] and n.params["funded"] is False for n in others)


def test_the_welsh_receipt_names_the_budget_part_in_welsh(
    make_process: Callable[..., Process], make_user: Callable[..., User], eligible: Any
) -> None:
    """Walk F12: the params carry the heading's Welsh name, picked like the budget's."""
    process = make_process()
    heading = process.headings.get()
    heading.name, heading.name_cy = "Whole borough", "Y fwrdeistref gyfan"
    heading.save(update_fields=["name", "name_cy"])
    voter = make_user()
    eligible(process, voter)
    actions.cast_ballot(process, heading, {"P1": 1}, voter=voter)

    [notice] = _notices(notices.BALLOT_RECEIVED)
    welsh, english = _words(notice, "cy"), _words(notice, "en")
    assert "(Y fwrdeistref gyfan)" in welsh and "Whole borough" not in welsh
    assert "(Whole borough)" in english and "Y fwrdeistref gyfan" not in english


# Words and following -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_budgeting_notice_reads_in_words(language: str) -> None:
    when = timezone.now().isoformat()
    examples = {
        notices.IDEA_CHECKED: [
            {
                "slug": "s",
                "code": "I001",
                "title": "T",
                "budget": "B",
                "step": step,
                "reason": "R",
                "merged_code": "I002",
                "merged_title": "U",
            }
            for step in ("shortlisted", "rejected", "merged", "published", "withheld")
        ],
        notices.VOTING_OPENS: [{"slug": "s", "budget": "B", "until": when}],
        notices.BALLOT_RECEIVED: [
            {"slug": "s", "budget": "B", "heading": "H", "when": when, "reference": "AB-CD"}
        ],
        notices.RESULTS_PUBLISHED: [
            {"slug": "s", "budget": "B"},
            {"slug": "s", "budget": "B", "title": "T", "funded": True},
            {"slug": "s", "budget": "B", "title": "T", "funded": False},
        ],
    }
    assert set(examples) == {k for k in NOTICE_KINDS if k.startswith("budgeting.")}
    with translation.override(language):
        for kind, cases in examples.items():
            declared = NOTICE_KINDS[kind]
            assert str(declared.label).strip()
            for params in cases:
                assert declared.subject(params).strip() and declared.body(params).strip()
                assert declared.url(params).startswith("/budgets/s/")


def test_budgets_and_public_ideas_can_be_followed_unpublished_ones_name_nothing(
    make_process: Callable[..., Process], make_user: Callable[..., User], council: Council
) -> None:
    process = make_process(phase="ideas")
    hidden = _idea(process, make_user())
    shown = process.projects.get(code="P1")
    assert describe_subject(council, subject_key(process)) == (
        process.title,
        f"/budgets/{process.slug}/",
    )
    assert describe_subject(council, subject_key(shown)) == (
        shown.title,
        f"/budgets/{process.slug}/ideas/P1/",
    )
    assert describe_subject(council, subject_key(hidden)) is None
    assert describe_subject(council, "budgeting.ballot:1") is None
    elsewhere = Council.objects.create(name="Northbrook", slug="northbrook", contact_email="a@b.c")
    assert describe_subject(elsewhere, subject_key(process)) is None


def test_follow_buttons_on_the_budget_and_public_idea_pages(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="ideas")
    client = Client()
    client.force_login(make_user())
    budget = client.get(reverse("budgeting:detail", args=[process.slug]), **HOST).text
    assert f'name="subject" value="{subject_key(process)}"' in budget
    idea = client.get(reverse("budgeting:idea", args=[process.slug, "P1"]), **HOST).text
    assert f'name="subject" value="{subject_key(process.projects.get(code="P1"))}"' in idea
