"""Residents' eligibility to vote: the check (wards, age, the residents register), manual
checks by an officer, and importing the register (all or nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.budgeting.engine.register import normalise_postcode, parse_register
from changemaker.budgeting.errors import ActionRefused, NotOnRegister
from changemaker.budgeting.models import (
    Eligibility,
    Evidence,
    ManualCheck,
    Phase,
    Process,
    RegisterEntry,
    RegisterImport,
)
from changemaker.budgeting.selectors import age_on, register_key, ward_finder, ward_for_postcode
from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.models import Council, User, Ward
from changemaker.engine.problems import InputError, Problem


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


def _on_register(process: Process, surname: str, born: date, postcode: str) -> dict[str, Any]:
    """The register's evidence for this person: its keyed hash and the next unused slot of
    it (two residents may share the details), or NotOnRegister."""
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
    return {"evidence": Eligibility.Via.REGISTER, "register_key": key, "register_slot": used}


def _checked_again(process: Process, user: User, eligibility: Eligibility) -> Eligibility:
    """The person's earlier check stands (nothing is written but this audit entry)."""
    audit.record(
        "pb.eligibility_rechecked",
        actor=user,
        council=process.council,
        obj=process,
        evidence=eligibility.evidence,
    )
    return eligibility


@action("pb.eligibility_checked")
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
        return _checked_again(process, user, existing)
    if process.evidence == Evidence.CODE:
        raise ActionRefused(
            _("This budget takes votes with the voting codes posted to residents only.")
        )
    ward = _lives_here(process, postcode)
    _check_age(process, born)
    fields: dict[str, Any] = {"ward": ward, "evidence": Eligibility.Via.SELF}
    if process.evidence == Evidence.REGISTER:
        fields = {"ward": ward, **_on_register(process, surname, born, postcode)}
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
        return _checked_again(process, user, won)
    audit.record(
        "pb.eligibility_checked",
        actor=user,
        council=process.council,
        obj=process,
        evidence=eligibility.evidence,
    )
    return eligibility


@action("pb.manual_check_requested")
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


@action("pb.manual_check_decided")
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


@action("pb.register_imported")
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
    RegisterEntry.objects.filter(council=council).delete()
    RegisterEntry.objects.bulk_create(entries, batch_size=5000)
    done = RegisterImport.objects.create(
        council=council, imported_by=by, source=source[:200], residents=len(entries)
    )
    audit.record(
        "pb.register_imported", actor=by, council=council, obj=done, residents=len(entries)
    )
    return done
