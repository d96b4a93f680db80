"""Every write in participatory budgeting. Views call these; each is one transaction."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from changemaker.budgeting.counting import funded_codes
from changemaker.budgeting.eligibility import (
    age_on,
    check_eligibility,
    decide_manual_check,
    import_register,
    register_key,
    request_manual_check,
    ward_finder,
    ward_for_postcode,
)
from changemaker.budgeting.engine.ballots import BallotRules, check_ballot
from changemaker.budgeting.errors import (
    ActionRefused,
    CountExists,
    NotOnRegister,
)
from changemaker.budgeting.images import delete_after_commit
from changemaker.budgeting.imports import (
    MAX_INT,
    MAX_MARK,
    PB_IMPORTS,
    RESERVED_SLUGS,
    _check_slug,
    import_election,
    import_pabulib,
    past_election_dates,
    start_import,
)
from changemaker.budgeting.models import (
    IDEA_IMAGE_MESSAGES,
    MAX_IDEA_IMAGE_DISPLAY,
    Ballot,
    DeliveryUpdate,
    Eligibility,
    Heading,
    Mark,
    Phase,
    Process,
    Project,
    Support,
    VotingCode,
    validate_idea_image,
)
from changemaker.core import actions as core_actions
from changemaker.core import audit
from changemaker.core.models import Council, Job, User, Ward
from changemaker.core.validators import publishable

# Moved to eligibility, errors and imports; re-exported: callers use actions.X.
__all__ = [
    "MAX_INT",
    "MAX_MARK",
    "PB_IMPORTS",
    "RESERVED_SLUGS",
    "ActionRefused",
    "CountExists",
    "NotOnRegister",
    "age_on",
    "check_eligibility",
    "decide_manual_check",
    "import_election",
    "import_pabulib",
    "import_register",
    "past_election_dates",
    "register_key",
    "request_manual_check",
    "start_import",
    "ward_finder",
    "ward_for_postcode",
]

DAMAGED = IDEA_IMAGE_MESSAGES["damaged"]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: easy to type from a letter


def hash_code(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def rules_for(process: Process, heading: Heading) -> BallotRules:
    return BallotRules(
        ballot_type=process.ballot_type,  # type: ignore[arg-type]
        budget=heading.budget,
        max_projects=process.max_projects,
        points_total=process.points_total,
    )


def headings_for(process: Process, ward: Ward | None) -> QuerySet[Heading]:
    """The budgets a voter may vote in: council-wide ones and their own ward's (a voter with
    no ward, such as a council-wide voting code, votes in the council-wide ones only)."""
    return process.headings.filter(Q(ward__isnull=True) | Q(ward=ward))


@transaction.atomic
def create_process(
    council: Council,
    *,
    by: User,
    dates: Mapping[str, datetime],
    split: str,
    budget: int,
    **fields: Any,
) -> Process:
    """A new participatory budget with one heading for the council, or one per ward."""
    _check_slug(council, fields["slug"])
    wards = list(council.wards.all()) if split == "ward" else []
    if split == "ward" and not wards:
        raise ActionRefused(_("This council has no wards yet. Add them, or choose one budget."))
    process = Process.objects.create(council=council, **fields, **dates)
    Heading.objects.bulk_create(
        [Heading(process=process, name=w.name, ward=w, budget=budget) for w in wards]
        or [Heading(process=process, name=str(_("Whole council area")), budget=budget)]
    )
    audit.record("pb.process_created", actor=by, council=council, obj=process)
    return process


@transaction.atomic
def submit_idea(
    process: Process,
    *,
    author: User,
    heading: Heading,
    title: str,
    description: str,
    rough_cost: int,
    location: str = "",
    ward: Ward | None = None,
    image: File | None = None,
    image_alt: str = "",
) -> Project:
    """A resident's idea, waiting to be checked. An image needs a description (its alt text);
    it is stored redrawn from its pixels (no location, device, appended pictures...) under a
    random name, and removed again if anything else fails."""
    if process.phase != Phase.IDEAS:
        raise ActionRefused(_("Ideas are not open for this budget."))
    if heading.process_id != process.pk or (
        ward is not None and ward.council_id != process.council_id
    ):
        raise ActionRefused(_("Choose a budget and a ward of this council."))
    if image:
        if not image_alt.strip():
            raise ActionRefused(_("Describe what the picture shows"))
        try:
            validate_idea_image(image)
            clean = publishable(
                image, max_display=MAX_IDEA_IMAGE_DISPLAY, messages=IDEA_IMAGE_MESSAGES
            )
        except ValidationError as exc:
            raise ActionRefused(" ".join(exc.messages)) from exc
    Process.objects.select_for_update().filter(pk=process.pk).first()  # one number at a time
    number = process.projects.count() + 1
    while process.projects.filter(code=f"I{number:03d}").exists():
        number += 1
    project = Project(
        process=process,
        heading=heading,
        code=f"I{number:03d}",
        title=title.strip(),
        description=description.strip(),
        rough_cost=rough_cost,
        location=location.strip(),
        ward=ward,
        author=author,
        image_alt=image_alt.strip() if image else "",
    )
    if image:
        project.image.save(f"idea.{clean.suffix}", ContentFile(clean.data), save=False)
    try:
        project.save()
        audit.record("pb.idea_submitted", actor=author, council=process.council, obj=project)
    except BaseException:
        if project.image:
            project.image.delete(save=False)
        raise
    return project


@transaction.atomic
def publish_idea(project: Project, *, by: User, publish: bool) -> Project:
    """An officer's check of an idea (and its picture) before or after it is published:
    publish it, or keep it from the public (its author and officers still see it)."""
    project.publication = Project.Publication.PUBLISHED if publish else Project.Publication.WITHHELD
    project.save(update_fields=["publication"])
    audit.record(
        "pb.idea_published" if publish else "pb.idea_withheld",
        actor=by,
        council=project.process.council,
        obj=project,
    )
    return project


@transaction.atomic
def remove_idea_image(project: Project, *, by: User) -> None:
    """An officer takes an idea's image down (the file is deleted once this is saved)."""
    if not project.image:
        raise ActionRefused(_("This idea has no image."))
    delete_after_commit(project.image)
    project.image = ""
    project.image_alt = ""
    project.save(update_fields=["image", "image_alt"])
    audit.record("pb.idea_image_removed", actor=by, council=project.process.council, obj=project)


def support_idea(project: Project, user: User) -> bool:
    """Support an idea once; supporting twice changes nothing. Returns True if new."""
    if project.process.phase != Phase.IDEAS:
        raise ActionRefused(_("You can only support ideas while ideas are open."))
    try:
        with transaction.atomic():
            Support.objects.create(project=project, user=user)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def can_review(process: Process) -> bool:
    """Ideas can be checked and decided until voting opens."""
    return process.phase in {Phase.UPCOMING, Phase.IDEAS, Phase.REVIEW}


def review_idea(
    project: Project,
    *,
    by: User,
    decision: str,
    note: str,
    final_cost: int | None = None,
    merge_into: Project | None = None,
) -> Project:
    """An officer's decision: shortlist (with the final cost), reject or merge — with a reason.

    Only before voting opens: after that the ballot (and the count) must not change.
    """
    if not can_review(project.process):
        raise ActionRefused(_("Voting has started, so what is on the ballot can no longer change."))
    if decision == Project.Status.SHORTLISTED:
        if not final_cost:
            raise ActionRefused(_("Enter the final cost before putting the idea on the ballot."))
        project.final_cost = final_cost
        project.publication = Project.Publication.PUBLISHED  # the ballot is public
    elif decision == Project.Status.MERGED:
        if merge_into is None or merge_into.pk == project.pk:
            raise ActionRefused(_("Choose the idea to join this one with."))
        project.merged_into = merge_into
    elif decision != Project.Status.REJECTED:
        raise ActionRefused(_("Choose a decision."))
    if decision != Project.Status.SHORTLISTED and not note.strip():
        raise ActionRefused(_("Give the reason, so residents know why."))
    project.status = decision
    project.review_note = note.strip()
    project.save()
    audit.record(
        "pb.idea_reviewed",
        actor=by,
        council=project.process.council,
        obj=project,
        decision=decision,
    )
    return project


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
    with transaction.atomic():
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


def find_code(process: Process, code: str) -> VotingCode:
    """The voting code, if it is right for this budget."""
    found = VotingCode.objects.filter(process=process, code_hash=hash_code(code)).first()
    if found is None:
        raise ActionRefused(_("That voting code is not right. Check it against your letter."))
    return found


def session_token_hash(token: str) -> str:
    return hashlib.sha256(f"changemaker.budgeting.code-session.{token}".encode()).hexdigest()


@transaction.atomic
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
    if taken:
        audit.record("pb.code_redeemed", council=process.council, obj=found)
    return found


def _voter_ward(
    process: Process, voter: User | None, code: VotingCode | None, code_token: str
) -> Ward | None:
    """The ward of a signed-in voter (fixed at their check) or of a voting code (held by this
    browser); refuses anyone who has not been checked."""
    if voter is not None:
        eligibility = Eligibility.objects.filter(process=process, user=voter).first()
        if eligibility is None:
            raise ActionRefused(_("Check you can vote before you vote. Your ballot was not saved."))
        return eligibility.ward
    assert code is not None
    if code.process_id != process.pk or not code.session_hash:
        raise ActionRefused(_("Enter your voting code before you vote."))
    if code.session_hash != session_token_hash(code_token):
        raise ActionRefused(
            _("That voting code is being used in another browser. Your ballot was not saved.")
        )
    return code.ward


@transaction.atomic
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
    if voter is None and code is None and not paper:
        raise ActionRefused(_("Sign in or enter your voting code to vote."))
    ward = None if paper else _voter_ward(process, voter, code, code_token)
    if not paper and heading.ward_id is not None and heading.ward_id != getattr(ward, "pk", None):
        raise ActionRefused(
            _("%(budget)s is for people who live in that ward. Your ballot was not saved.")
            % {"budget": heading.name}
        )
    projects = {p.code: p for p in heading.projects.filter(status=Project.Status.SHORTLISTED)}
    costs = {c: p.cost for c, p in projects.items()}
    clean = {c: int(v) for c, v in marks.items() if int(v)}
    problems = check_ballot(rules_for(process, heading), costs, clean)
    if problems:
        raise ActionRefused(" ".join(p.message for p in problems))
    key: dict[str, object]
    if voter is not None:
        channel, key = Ballot.Channel.ACCOUNT, {"voter": voter}
    elif code is not None:
        channel, key = Ballot.Channel.CODE, {"code": code}
    else:
        channel, key = Ballot.Channel.PAPER, {"paper_reference": paper_reference}
    now = timezone.now()
    try:
        ballot, created = Ballot.objects.select_for_update().get_or_create(
            process=process,
            heading=heading,
            **key,
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
        ballot.updated_at = now
        ballot.save(update_fields=["updated_at"])
        ballot.marks.all().delete()
    Mark.objects.bulk_create(
        [Mark(ballot=ballot, project=projects[c], value=v) for c, v in clean.items()]
    )
    if channel == Ballot.Channel.PAPER:
        audit.record(
            "pb.paper_ballot_entered",
            actor=entered_by,
            council=process.council,
            obj=ballot,
            reference=paper_reference,
            after_count=counted,
        )
    if counted:
        audit.record(
            "pb.recount_forced",
            actor=entered_by,
            council=process.council,
            obj=heading,
            reference=paper_reference,
        )
        start_count(process, by=entered_by)
    return ballot


def start_count(process: Process, *, by: User | None) -> Job:
    """Count every budget of the process in the background, once voting has closed."""
    if process.phase not in {Phase.RESULTS, Phase.DELIVERY}:
        raise ActionRefused(
            _("Count the votes after voting closes on %(date)s.")
            % {"date": date_format(timezone.localtime(process.voting_until), "j F Y H:i")}
        )
    return core_actions.start_job(
        "budgeting.count",
        title=_("Count: %(t)s") % {"t": process.title},
        params={"process": process.pk},
        council=process.council,
        by=by,
    )


@transaction.atomic
def post_delivery_update(
    project: Project, *, by: User, status: str, progress: int, text: str
) -> DeliveryUpdate:
    """A public update on a funded project's delivery (residents follow it)."""
    if project.code not in funded_codes(project.process):
        raise ActionRefused(_("Only funded projects have delivery updates."))
    project.delivery_status = status
    project.delivery_progress = max(0, min(100, progress))
    project.save(update_fields=["delivery_status", "delivery_progress"])
    update = DeliveryUpdate.objects.create(project=project, text=text.strip(), author=by)
    audit.record("pb.delivery_updated", actor=by, council=project.process.council, obj=project)
    return update
