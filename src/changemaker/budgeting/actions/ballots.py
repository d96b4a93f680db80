"""Voting: issue per-ward voting codes, redeem a code, cast a ballot (online, by code or a
paper slip; a paper one after a count only with a recount), and start the count."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.budgeting.actions.notify import _tell_ballot_received
from changemaker.budgeting.engine.ballots import check_ballot
from changemaker.budgeting.errors import ActionRefused, CountExists
from changemaker.budgeting.messages import ballot_problems_text
from changemaker.budgeting.models import (
    Ballot,
    Heading,
    Mark,
    Phase,
    Process,
    Project,
    UnusablePaper,
    VotingCode,
)
from changemaker.budgeting.selectors import (
    ballot_ward,
    find_code,
    hash_code,
    rules_for,
    session_token_hash,
)
from changemaker.core import actions as core_actions
from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.dates import moment
from changemaker.core.models import Job, User, Ward

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: easy to type from a letter


@action("pb.codes_issued")
def issue_codes(process: Process, *, count: int, by: User, ward: Ward | None = None) -> list[str]:
    """Make ``count`` one-time voting codes for one ward (or, with no ward, for the council-wide
    budgets); returns them once (only hashes are stored)."""
    if ward is not None and not process.headings.filter(ward=ward).exists():
        raise ActionRefused(_("This budget has no budget for that ward. Choose another ward."))
    if ward is None and not process.headings.filter(ward__isnull=True).exists():
        raise ActionRefused(_("Choose the ward the letters are for."))
    codes = [
        "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
        for _ in range(count)
    ]
    VotingCode.objects.bulk_create(
        [
            VotingCode(process=process, code_hash=hash_code(c), ward=ward, created_by=by)
            for c in codes
        ]
    )
    audit.record(
        "pb.codes_issued",
        actor=by,
        council=process.council,
        obj=process,
        count=count,
        ward=ward.code if ward else "",
    )
    return codes


@action("pb.code_redeemed")
def redeem_code(process: Process, code: str, *, token: str) -> VotingCode:
    """Enter a voting code. The first browser to enter it holds it (``token`` is a random
    secret kept in that browser's session); the same browser may enter it again to change its
    ballot, any other browser is refused."""
    found = find_code(process, code)
    mine = session_token_hash(token)
    taken = VotingCode.objects.filter(pk=found.pk, session_hash="").update(
        session_hash=mine, redeemed_at=timezone.now()
    )
    found.refresh_from_db()
    if found.session_hash != mine:
        if Ballot.objects.filter(code=found).exists():
            raise ActionRefused(
                _(
                    "That voting code has already been used to vote, and each code works once. "
                    "If you did not use it, contact the council."
                )
            )
        raise ActionRefused(
            _(
                "That voting code is already being used in another browser, and each code "
                "works in one. If you did not enter it anywhere else, contact the council."
            )
        )
    event = "pb.code_redeemed" if taken else "pb.code_entered_again"
    audit.record(event, council=process.council, obj=found)
    return found


def _check_open(process: Process, heading: Heading, *, paper: bool, recount: bool) -> bool:
    """Refuse a ballot that cannot be taken now; returns whether the heading was counted
    already (a paper ballot with a recount)."""
    if process.phase != Phase.VOTING and not (paper and process.phase == Phase.RESULTS):
        raise ActionRefused(_("Voting has closed. Your ballot was not saved."))
    if heading.process_id != process.pk:
        raise ActionRefused(_("Choose a budget of this process. Your ballot was not saved."))
    counted = paper and heading.counts.exists()
    if counted and not recount:
        raise CountExists(
            _(
                "The votes for %(budget)s have already been counted, so this paper ballot was "
                "not saved. To add it, choose to count %(budget)s again."
            )
            % {"budget": heading.name}
        )
    return counted


def _voter_key(
    voter: User | None, code: VotingCode | None, paper_reference: str
) -> tuple[str, dict[str, object]]:
    """The ballot's channel and what makes it unique: the person, the code or the slip."""
    if voter is not None:
        return Ballot.Channel.ACCOUNT, {"voter": voter}
    if code is not None:
        return Ballot.Channel.CODE, {"code": code}
    return Ballot.Channel.PAPER, {"paper_reference": paper_reference}


def _checked_marks(
    process: Process, heading: Heading, marks: Mapping[str, int]
) -> tuple[dict[str, Project], dict[str, int]]:
    """The heading's projects on the ballot and the marks given, checked against its rules."""
    projects = {p.code: p for p in heading.projects.filter(status=Project.Status.SHORTLISTED)}
    costs = {c: p.cost for c, p in projects.items()}
    clean = {c: int(v) for c, v in marks.items() if int(v)}
    if not clean:  # a blank paper slip is entered as blank (UnusablePaper), not as a ballot
        raise ActionRefused(
            _("Choose at least one project to vote for. Your ballot was not saved.")
        )
    problems = check_ballot(rules_for(process, heading), costs, clean)
    if problems:
        raise ActionRefused(ballot_problems_text(problems))
    return projects, clean


def _store(
    process: Process,
    heading: Heading,
    key: tuple[str, dict[str, object]],
    ward: Ward | None,
    entered_by: User | None,
) -> Ballot:
    """The voter's ballot row, new or emptied of its marks (a paper slip only once)."""
    channel, unique = key
    try:
        ballot, created = Ballot.objects.select_for_update().get_or_create(
            process=process,
            heading=heading,
            **unique,
            defaults={
                "channel": channel,
                "entered_by": entered_by,
                "ward": ward,
                "in_ward_budget": heading.ward_id is not None,
            },
        )
    except IntegrityError:
        raise ActionRefused(
            _("You have already voted in a ward's budget. Your ballot was not saved.")
        ) from None
    if not created:
        if channel == Ballot.Channel.PAPER:
            raise ActionRefused(_("A paper ballot with this reference is already entered."))
        ballot.updated_at = timezone.now()
        ballot.save(update_fields=["updated_at"])
        ballot.marks.all().delete()
    return ballot


@action("pb.ballot_cast")
def cast_ballot(
    process: Process,
    heading: Heading,
    marks: Mapping[str, int],
    *,
    voter: User | None = None,
    code: VotingCode | None = None,
    code_token: str = "",
    paper_reference: str = "",
    entered_by: User | None = None,
    recount: bool = False,
) -> Ballot:
    """Record or replace a ballot. One per person, code or paper slip, and in a process with
    ward budgets one ward-budget ballot per person or code (database constraints).

    ``marks`` maps project code to mark. A signed-in voter votes in their own ward (fixed at
    their eligibility check), a code in its ward. A paper ballot after the heading has been
    counted is refused (CountExists) unless ``recount``: then it is saved, audited, and the
    budget is counted again. Raises ActionRefused, changing nothing, if the ballot is invalid
    or voting is closed.
    """
    paper = bool(paper_reference) and entered_by is not None
    counted = _check_open(process, heading, paper=paper, recount=recount)
    if voter is None and code is None and not paper:
        raise ActionRefused(_("Sign in or enter your voting code to vote."))
    ward = None if paper else ballot_ward(process, voter, code, code_token)
    if not paper and heading.ward_id is not None and heading.ward_id != getattr(ward, "pk", None):
        raise ActionRefused(
            _("%(budget)s is for people who live in that ward. Your ballot was not saved.")
            % {"budget": heading.name}
        )
    if paper and UnusablePaper.objects.filter(heading=heading, reference=paper_reference).exists():
        raise ActionRefused(
            _("Paper %(ref)s has already been entered as blank or spoilt.")
            % {"ref": paper_reference}
        )
    projects, clean = _checked_marks(process, heading, marks)
    key = _voter_key(voter, code, paper_reference)
    ballot = _store(process, heading, key, ward, entered_by)
    Mark.objects.bulk_create(
        [Mark(ballot=ballot, project=projects[c], value=v) for c, v in clean.items()]
    )
    _record(process, heading, ballot, key[0], paper_reference, entered_by, counted=counted)
    _tell_ballot_received(process, heading, ballot)
    return ballot


def _record(
    process: Process,
    heading: Heading,
    ballot: Ballot,
    channel: str,
    reference: str,
    entered_by: User | None,
    *,
    counted: bool,
) -> None:
    """Audit the ballot: a paper slip names its reference and who entered it; one cast online
    or by code names only the budget (who voted for what stays out of the log). A paper
    ballot after a count starts the count again."""
    if channel != Ballot.Channel.PAPER:
        audit.record("pb.ballot_cast", council=process.council, obj=heading, channel=channel)
    else:
        audit.record(
            "pb.paper_ballot_entered",
            actor=entered_by,
            council=process.council,
            obj=ballot,
            reference=reference,
            after_count=counted,
        )
    if counted:
        audit.record(
            "pb.recount_forced",
            actor=entered_by,
            council=process.council,
            obj=heading,
            reference=reference,
        )
        start_count(process, by=entered_by)


@action("pb.count_started")
def start_count(process: Process, *, by: User | None) -> Job:
    """Count every budget of the process in the background, once voting has closed."""
    if process.phase not in {Phase.RESULTS, Phase.DELIVERY}:
        raise ActionRefused(
            _("Count the votes after voting closes at %(date)s.")
            % {"date": moment(process.voting_until)}
        )
    return core_actions.start_job(
        "budgeting.count",
        title=_("Count: %(t)s") % {"t": process.title},
        params={"process": process.pk},
        council=process.council,
        by=by,
    )


@action("pb.unusable_paper_entered")
def record_unusable_paper(
    process: Process, heading: Heading, *, reference: str, kind: str, entered_by: User
) -> UnusablePaper:
    """Record a blank or spoilt paper ballot: counted and shown as such, never as a vote, so
    it changes no result (no recount). A slip number is entered once, as a vote or not."""
    _check_open(process, heading, paper=True, recount=True)
    if kind not in UnusablePaper.Kind.values:
        raise ActionRefused(_("Choose what is on the paper."))
    reference = reference.strip()
    taken = Ballot.objects.filter(heading=heading, paper_reference=reference).exists()
    if taken or UnusablePaper.objects.filter(heading=heading, reference=reference).exists():
        raise ActionRefused(
            _("Paper %(ref)s has already been entered. Check the number on the paper.")
            % {"ref": reference}
        )
    paper = UnusablePaper.objects.create(
        process=process, heading=heading, reference=reference, kind=kind, entered_by=entered_by
    )
    audit.record(
        "pb.unusable_paper_entered",
        actor=entered_by,
        council=process.council,
        obj=heading,
        reference=reference,
        kind=kind,
    )
    return paper
