"""Every write in participatory budgeting. Views call these; each is one transaction."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from changemaker.budgeting.counting import funded_codes
from changemaker.budgeting.engine import model as pb
from changemaker.budgeting.engine.ballots import BallotRules, check_ballot
from changemaker.budgeting.engine.pabulib import parse_pabulib
from changemaker.budgeting.engine.register import match_key, normalise_postcode, parse_register
from changemaker.budgeting.images import delete_after_commit
from changemaker.budgeting.models import (
    IDEA_IMAGE_MESSAGES,
    MAX_IDEA_IMAGE_DISPLAY,
    Ballot,
    DeliveryUpdate,
    Eligibility,
    Evidence,
    Heading,
    ManualCheck,
    Mark,
    Phase,
    Process,
    Project,
    RegisterEntry,
    RegisterImport,
    Support,
    VotingCode,
    validate_idea_image,
)
from changemaker.core import actions as core_actions
from changemaker.core import audit
from changemaker.core.models import Council, Job, User, Ward
from changemaker.core.validators import publishable
from changemaker.engine.problems import InputError, Problem

DAMAGED = IDEA_IMAGE_MESSAGES["damaged"]
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: easy to type from a letter
RESERVED_SLUGS = {"new", "import", "register"}  # pages of the site under /budgets/


class ActionRefused(Exception):
    """An action refused, changing nothing. Safe to show to the person: says what is wrong and
    what to do. (The engine's own errors are ``engine.errors.BudgetingError`` and its kinds.)"""


class NotOnRegister(ActionRefused):
    """The resident's details did not match the register: they may ask for a manual check."""


class CountExists(ActionRefused):
    """A paper ballot for a budget that has already been counted: only with a recount."""


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


def ward_finder(council: Council) -> Any:
    """A function from a postcode to the council ward whose postcode districts include it."""
    by_district = {d: w for w in council.wards.all() for d in w.postcode_districts}

    def find(postcode: str) -> Ward | None:
        compact = normalise_postcode(postcode)
        return by_district.get(compact[:-3]) if len(compact) >= 5 else None

    return find


def ward_for_postcode(process: Process, postcode: str) -> Ward | None:
    """The council ward whose postcode districts include this postcode, if any."""
    found: Ward | None = ward_finder(process.council)(postcode)
    return found


def headings_for(process: Process, ward: Ward | None) -> QuerySet[Heading]:
    """The budgets a voter may vote in: council-wide ones and their own ward's (a voter with
    no ward, such as a council-wide voting code, votes in the council-wide ones only)."""
    return process.headings.filter(Q(ward__isnull=True) | Q(ward=ward))


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def register_key(council: Council, surname: str, born: date, postcode: str) -> str:
    """The keyed hash (HMAC with SECRET_KEY, salted per council) a register entry is kept as."""
    return salted_hmac(
        f"changemaker.budgeting.register.{council.pk}",
        match_key(surname, born, postcode),
        algorithm="sha256",
    ).hexdigest()


def _correction(process: Process) -> str:
    return _(
        "If this is wrong, for example because you have moved, contact %(council)s at "
        "%(email)s to have it corrected."
    ) % {"council": process.council.name, "email": process.council.contact_email}


def _already_checked(process: Process, eligibility: Eligibility) -> ActionRefused:
    where = eligibility.ward.name if eligibility.ward else process.council.name
    return ActionRefused(
        _("You have already been checked for this budget as living in %(ward)s.") % {"ward": where}
        + " "
        + _correction(process)
    )


def _check_age(process: Process, born: date) -> None:
    if age_on(born, process.voting_until.date()) < process.min_age:
        raise ActionRefused(
            _("You need to be %(age)s or older on the closing day to vote.")
            % {"age": process.min_age}
        )


def _lives_here(process: Process, postcode: str) -> Ward:
    ward = ward_for_postcode(process, postcode)
    if ward is None:
        raise ActionRefused(
            _("Only people who live in %(council)s can vote. Check your postcode.")
            % {"council": process.council.name}
        )
    return ward


@transaction.atomic
def check_eligibility(
    process: Process, user: User, *, postcode: str, born: date, surname: str = ""
) -> Eligibility:
    """A signed-in resident's first check fixes their ward for the whole process (one row per
    person per process: a database constraint). Checking again with a postcode in another ward
    is refused, saying how to ask for a correction. On a process that needs the register, the
    surname, date of birth and postcode must match an entry no other account has used."""
    existing = Eligibility.objects.filter(process=process, user=user).first()
    if existing is not None:
        if ward_for_postcode(process, postcode) != existing.ward:
            raise _already_checked(process, existing)
        return existing
    if process.evidence == Evidence.CODE:
        raise ActionRefused(
            _("This budget takes votes with the voting codes posted to residents only.")
        )
    ward = _lives_here(process, postcode)
    _check_age(process, born)
    fields: dict[str, Any] = {"ward": ward, "evidence": Eligibility.Via.SELF}
    if process.evidence == Evidence.REGISTER:
        key = register_key(process.council, surname, born, postcode)
        entries = RegisterEntry.objects.filter(council=process.council, key=key).count()
        used = Eligibility.objects.filter(process=process, register_key=key).count()
        if not entries:
            raise NotOnRegister(
                _(
                    "We could not find you on %(council)s's residents register. Check your "
                    "surname, date of birth and postcode, or ask us to check by hand."
                )
                % {"council": process.council.name}
            )
        if used >= entries:
            raise NotOnRegister(
                _(
                    "Someone has already used these details to vote in this budget. If it "
                    "was not you, ask us to check by hand."
                )
            )
        fields = {
            "ward": ward,
            "evidence": Eligibility.Via.REGISTER,
            "register_key": key,
            "register_slot": used,
        }
    try:
        with transaction.atomic():
            eligibility = Eligibility.objects.create(process=process, user=user, **fields)
    except IntegrityError:
        # Another check for this person (or of this register entry) won the race.
        won = Eligibility.objects.filter(process=process, user=user).first()
        if won is None:
            raise NotOnRegister(
                _("Someone has just used these details to vote. Ask us to check by hand.")
            ) from None
        if won.ward != ward:
            raise _already_checked(process, won) from None
        return won
    audit.record(
        "pb.eligibility_checked",
        actor=user,
        council=process.council,
        obj=process,
        evidence=eligibility.evidence,
    )
    return eligibility


@transaction.atomic
def request_manual_check(
    process: Process, user: User, *, full_name: str, postcode: str, born: date, note: str = ""
) -> ManualCheck:
    """A resident the register did not match asks an officer to check by hand."""
    if process.phase != Phase.VOTING:
        raise ActionRefused(_("Voting is not open for this budget."))
    if process.evidence != Evidence.REGISTER:
        raise ActionRefused(_("This budget does not check residents against the register."))
    if Eligibility.objects.filter(process=process, user=user).exists():
        raise ActionRefused(_("You have already been checked and can vote."))
    if ManualCheck.objects.filter(
        process=process, user=user, status=ManualCheck.Status.WAITING
    ).exists():
        raise ActionRefused(_("You have already asked. Come back here to see the decision."))
    ward = _lives_here(process, postcode)
    _check_age(process, born)
    check = ManualCheck.objects.create(
        process=process,
        user=user,
        full_name=full_name.strip(),
        postcode=normalise_postcode(postcode),
        born=born,
        note=note.strip(),
        ward=ward,
    )
    audit.record("pb.manual_check_requested", actor=user, council=process.council, obj=check)
    return check


@transaction.atomic
def decide_manual_check(check: ManualCheck, *, by: User, approve: bool, reason: str) -> None:
    """An officer approves (the resident can vote in the ward they gave, evidence "manual") or
    refuses (with a reason the resident sees). What the resident gave is then cleared."""
    check = ManualCheck.objects.select_for_update().get(pk=check.pk)
    if check.status != ManualCheck.Status.WAITING:
        raise ActionRefused(_("This check has already been decided."))
    if not approve and not reason.strip():
        raise ActionRefused(_("Give the reason, so the resident knows why."))
    if approve:
        try:
            with transaction.atomic():
                Eligibility.objects.create(
                    process=check.process,
                    user=check.user,
                    ward=check.ward,
                    evidence=Eligibility.Via.MANUAL,
                )
        except IntegrityError:
            raise ActionRefused(_("This resident has already been checked and can vote.")) from None
    check.status = ManualCheck.Status.APPROVED if approve else ManualCheck.Status.REFUSED
    check.reason = reason.strip()
    check.decided_by = by
    check.decided_at = timezone.now()
    check.full_name, check.postcode, check.born, check.note = "", "", None, ""
    check.save()
    audit.record(
        "pb.manual_check_decided",
        actor=by,
        council=check.process.council,
        obj=check,
        decision=check.status,
    )


def import_register(council: Council, text: str, *, source: str, by: User | None) -> RegisterImport:
    """Replace the council's residents register with this CSV file, all or nothing.

    Raises InputError naming every bad line, column and field (nothing is changed). Only a keyed
    hash of surname, date of birth and postcode is kept for each resident, with their ward.
    """
    rows = parse_register(text, source=source, today=timezone.localdate())
    find = ward_finder(council)
    has_wards = council.wards.exists()
    entries: list[RegisterEntry] = []
    problems: list[Problem] = []
    for row in rows:
        ward = find(row.postcode)
        if ward is None and has_wards:
            problems.append(
                Problem(
                    source,
                    row.line,
                    "postcode",
                    "is in none of the council's wards; add its postcode district to a ward, "
                    "or remove the line",
                )
            )
            continue
        entries.append(
            RegisterEntry(
                council=council,
                key=register_key(council, row.surname, row.born, row.postcode),
                ward=ward,
            )
        )
    if problems:
        raise InputError(problems[:20], max(0, len(problems) - 20))
    with transaction.atomic():
        RegisterEntry.objects.filter(council=council).delete()
        RegisterEntry.objects.bulk_create(entries, batch_size=5000)
        done = RegisterImport.objects.create(
            council=council, imported_by=by, source=source[:200], residents=len(entries)
        )
        audit.record(
            "pb.register_imported", actor=by, council=council, obj=done, residents=len(entries)
        )
    return done


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


MAX_INT = 2_147_483_647  # what every database holds in an integer column
MAX_MARK = 32_767


def _check_storable(election: pb.Election) -> None:
    """Refuse, before anything is written, a file the platform cannot hold exactly."""
    code_length = Project._meta.get_field("code").max_length or 40
    problem = ""
    if election.budget.denominator != 1 or not 1 <= election.budget <= MAX_INT:
        problem = _("the budget must be a whole number from 1 to %(max)s") % {"max": MAX_INT}
    for p in election.projects:
        if problem:
            break
        if len(p.id) > code_length:
            problem = _("project id %(id)s… is longer than %(n)s characters") % {
                "id": p.id[:20],
                "n": code_length,
            }
        elif p.cost.denominator != 1 or not 0 <= p.cost <= MAX_INT:
            problem = _("the cost of project %(id)s must be a whole number") % {"id": p.id}
    marks = [x for b in election.ballots for x in (b.points or ())]
    if not problem and any(x.denominator != 1 or not 0 <= x <= MAX_MARK for x in marks):
        problem = _("points must be whole numbers from 0 to %(max)s") % {"max": MAX_MARK}
    if problem:
        raise ActionRefused(
            _("This file cannot be loaded: %(problem)s. Nothing has been saved.")
            % {"problem": problem}
        )


def import_pabulib(
    council: Council,
    text: str,
    *,
    source: str,
    slug: str,
    title: str,
    summary: str,
    dates: Mapping[str, datetime],
    by: User | None = None,
    currency_symbol: str = "£",
) -> Process:
    """Create a process from the text of a Pabulib file (see :func:`import_election`).

    A broken file raises PabulibError naming the line and what is wrong; nothing is written.
    """
    election = parse_pabulib(text, source=source)
    return import_election(
        council,
        election,
        source=source,
        slug=slug,
        title=title,
        summary=summary,
        dates=dates,
        by=by,
        currency_symbol=currency_symbol,
    )


PB_IMPORTS = "pb-imports"  # in private storage: never served, deleted once imported


def _check_slug(council: Council, slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ActionRefused(_("Choose another short name: this one is used by the site"))
    if Process.objects.filter(council=council, slug=slug).exists():
        raise ActionRefused(_("A budget with this short name already exists"))


def past_election_dates(now: datetime) -> dict[str, datetime]:
    """The phases of an election imported from a file: voting closed yesterday."""
    day = timedelta(days=1)
    return {
        "ideas_from": now - 60 * day,
        "review_from": now - 40 * day,
        "voting_from": now - 30 * day,
        "voting_until": now - day,
        "delivery_from": now + 30 * day,
    }


def start_import(council: Council, upload: File, *, slug: str, title: str, by: User) -> Job:
    """Queue the import of a ``.pb`` file as the "budgeting.import" job (a large file takes
    minutes). The file waits in private storage under a random name until the job reads it;
    the job deletes it, whatever happens."""
    _check_slug(council, slug)
    storage = storages["private"]
    name = storage.save(f"{PB_IMPORTS}/{secrets.token_hex(16)}.pb", upload)
    source = PurePath(str(upload.name or "upload.pb")).name[:200]
    try:
        return core_actions.start_job(
            "budgeting.import",
            title=_("Import: %(title)s") % {"title": title},
            params={"file": name, "source": source, "slug": slug, "title": title},
            council=council,
            by=by,
        )
    except BaseException:
        storage.delete(name)
        raise


@transaction.atomic
def import_election(
    council: Council,
    election: pb.Election,
    *,
    source: str,
    slug: str,
    title: str,
    summary: str,
    dates: Mapping[str, datetime],
    by: User | None = None,
    currency_symbol: str = "£",
) -> Process:
    """Create a process from a Pabulib election: its projects (on the ballot) and its ballots.

    One the database cannot hold exactly (fractional costs, over-long ids) or whose short
    name is taken raises ActionRefused; nothing is written.
    """
    _check_storable(election)
    _check_slug(council, slug)
    ballot_type = {
        "approval": "knapsack",
        "choose-1": "approval_n",
        "cumulative": "cumulative",
        "scoring": "cumulative",
        "ordinal": "ranking",
    }[election.vote_type]
    process = Process.objects.create(
        council=council,
        slug=slug,
        title=title,
        summary=summary,
        ballot_type=ballot_type,
        rule="mes",
        completion="add1",
        tie_break="cost",
        source_file=source,
        currency_symbol=currency_symbol,
        max_projects=len(election.projects),
        points_total=int(max((sum(b.points or ()) for b in election.ballots), default=10)),
        **dates,
    )
    heading = Heading.objects.create(
        process=process, name=election.meta.get("unit", title), budget=int(election.budget)
    )
    projects = Project.objects.bulk_create(
        [
            Project(
                process=process,
                heading=heading,
                code=p.id,
                title=p.name[:150],
                description=p.meta.get("description", "") or p.name,
                rough_cost=int(p.cost),
                final_cost=int(p.cost),
                status=Project.Status.SHORTLISTED,
                publication=Project.Publication.PUBLISHED,
            )
            for p in election.projects
        ]
    )
    voters = election.voters
    ids = voters.ids if voters else tuple(str(i + 1) for i in range(election.num_voters))
    of_voter = (
        voters.ballot_index
        if voters
        else tuple(k for k, m in enumerate(election.multiplicity) for _ in range(m))
    )
    ballots = Ballot.objects.bulk_create(
        [
            Ballot(
                process=process,
                heading=heading,
                channel=Ballot.Channel.IMPORTED,
                paper_reference=vid,
            )
            for vid in ids
        ]
    )
    marks: list[Mark] = []
    for ballot, k in zip(ballots, of_voter, strict=True):
        raw = election.ballots[k]
        for pos, j in enumerate(raw.projects):
            if raw.points is not None:
                value = int(raw.points[pos])
            elif election.vote_type == "ordinal":
                value = pos + 1
            else:
                value = 1
            if value:
                marks.append(Mark(ballot=ballot, project=projects[j], value=value))
    Mark.objects.bulk_create(marks, batch_size=5000)
    audit.record(
        "pb.imported", actor=by, council=council, obj=process, source=source, ballots=len(ballots)
    )
    return process
