"""Telling people (``core.notices``), inside the action that did the thing: an idea was
checked, voting opened, a ballot was received, results are out. The words are in
``budgeting.notices``; the listening capability hands them on to followers and sends them.

The helpers run in their caller's transaction; the two actions here are started by the count
job (results) and the phase job (voting opens on its date)."""

from __future__ import annotations

from django.utils import timezone

from changemaker.budgeting import notices
from changemaker.budgeting.models import Ballot, Heading, Process, Project
from changemaker.budgeting.selectors import (
    account_voters,
    budget_subjects,
    funded_codes,
    ideas_on_ballot,
    receipt_reference,
)
from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.notices import publish, subject_key


def _tell_idea_checked(project: Project, step: str, reason: str = "") -> None:
    """The idea's author (and, for a public idea, its followers) hear how it was checked. An
    idea kept from the public is told to its author only."""
    process = project.process
    public = step != Project.Publication.WITHHELD and project.is_public
    merged = project.merged_into if step == Project.Status.MERGED else None
    publish(
        notices.IDEA_CHECKED,
        council=process.council,
        subjects=[subject_key(project)] if public else [],
        recipients=[project.author_id],
        slug=process.slug,
        code=project.code,
        title=project.title,
        title_cy=project.title_cy,
        budget=process.title,
        budget_cy=process.title_cy,
        step=str(step),
        reason=reason,
        merged_code=merged.code if merged is not None and merged.is_public else "",
        merged_title=merged.title if merged is not None and merged.is_public else "",
        merged_title_cy=merged.title_cy if merged is not None and merged.is_public else "",
    )


def _announce_voting_if_open(process: Process) -> None:
    """Followers of the budget and of its wards hear that voting is open (once a budget)."""
    if process.voting_from <= timezone.now() < process.voting_until:
        publish(
            notices.VOTING_OPENS,
            council=process.council,
            subjects=budget_subjects(process),
            key=notices.voting_key(process),
            slug=process.slug,
            budget=process.title,
            budget_cy=process.title_cy,
            until=process.voting_until.isoformat(),
        )


def _tell_ballot_received(process: Process, heading: Heading, ballot: Ballot) -> None:
    """A signed-in voter's receipt: which budget, when, and a reference; never the choices.
    (Voting-code and paper voters have no account: nothing is sent.)"""
    if ballot.voter_id is None:
        return
    publish(
        notices.BALLOT_RECEIVED,
        council=process.council,
        recipients=[ballot.voter_id],
        slug=process.slug,
        budget=process.title,
        budget_cy=process.title_cy,
        heading=heading.name,
        heading_cy=heading.name_cy,
        when=ballot.updated_at.isoformat(),
        reference=receipt_reference(ballot),
    )


@action("pb.voting_announced")
def announce_voting(process: Process) -> None:
    """Voting opened on its date: tell the budget's followers (once; the phase job)."""
    _announce_voting_if_open(process)
    audit.record("pb.voting_announced", council=process.council, obj=process)


@action("pb.results_announced")
def announce_results(process: Process) -> None:
    """The votes are counted: followers of the budget and its wards and the people who voted
    signed in hear the results are out; each idea on the ballot's author (and followers)
    whether it will be funded. Once a budget: a recount tells no one again."""
    council = process.council
    publish(
        notices.RESULTS_PUBLISHED,
        council=council,
        subjects=budget_subjects(process),
        recipients=account_voters(process),
        key=notices.results_key(process),
        slug=process.slug,
        budget=process.title,
        budget_cy=process.title_cy,
    )
    funded = funded_codes(process)
    for project in ideas_on_ballot(process):
        publish(
            notices.RESULTS_PUBLISHED,
            council=council,
            subjects=[subject_key(project)],
            recipients=[project.author_id],
            key=f"{notices.results_key(process)}:{project.pk}",
            slug=process.slug,
            budget=process.title,
            budget_cy=process.title_cy,
            title=project.title,
            title_cy=project.title_cy,
            funded=project.code in funded,
        )
    audit.record("pb.results_announced", council=council, obj=process)
