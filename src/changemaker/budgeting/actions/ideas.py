"""Budgets and their ideas: start a budget, submit, support, publish, review ideas, take a
picture down (delivery updates: ``delivery``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from changemaker.budgeting.actions.notify import _announce_voting_if_open, _tell_idea_checked
from changemaker.budgeting.errors import ActionRefused
from changemaker.budgeting.images import delete_after_commit
from changemaker.budgeting.models import (
    IDEA_IMAGE_MESSAGES,
    MAX_IDEA_IMAGE_DISPLAY,
    Heading,
    Phase,
    Process,
    Project,
    StatusChange,
    Support,
    validate_idea_image,
)
from changemaker.budgeting.notices import WITHHELD_REASONS
from changemaker.budgeting.rules import can_review
from changemaker.budgeting.selectors import check_slug
from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.images import CleanImage
from changemaker.core.models import Council, User, Ward
from changemaker.core.validators import publishable


@action("pb.process_created")
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
    check_slug(council, fields["slug"])
    wards = list(council.wards.all()) if split == "ward" else []
    if split == "ward" and not wards:
        raise ActionRefused(_("This council has no wards yet. Add them, or choose one budget."))
    process = Process.objects.create(council=council, **fields, **dates)
    Heading.objects.bulk_create(
        [Heading(process=process, name=w.name, ward=w, budget=budget) for w in wards]
        or [Heading(process=process, budget=budget, **_whole_area_names())]
    )
    audit.record("pb.process_created", actor=by, council=council, obj=process)
    _announce_voting_if_open(process)
    return process


def _whole_area_names() -> dict[str, str]:
    """The council-wide budget's name in English, and in Welsh where the catalogue has it."""
    with translation.override("en-gb"):
        english = str(_("Whole council area"))
    with translation.override("cy"):
        welsh = str(_("Whole council area"))
    return {"name": english, "name_cy": welsh if welsh != english else ""}


@action("pb.process_edited")
def edit_process(
    process: Process,
    *,
    by: User,
    title: str,
    summary: str,
    description: str,
    dates: Mapping[str, datetime],
    welsh: Mapping[str, str] | None = None,
    headings_cy: Mapping[int, str] | None = None,
) -> Process:
    """Change a budget's words and dates. Once voting has opened its opening date stays, and
    once ballots are counted its voting dates stay: they are what residents were told.

    ``welsh``: the Welsh words (title_cy, summary_cy, description_cy) and ``headings_cy`` each
    budget's Welsh name by its id; left out, they stay as they were."""
    now = timezone.now()
    if process.voting_from <= now and dates["voting_from"] != process.voting_from:
        raise ActionRefused(_("Voting has opened, so its opening date can no longer change."))
    if process.counts.exists() and dates["voting_until"] != process.voting_until:
        raise ActionRefused(_("The votes have been counted, so voting can no longer reopen."))
    changed = [
        name
        for name, value in {"title": title, "summary": summary, "description": description,
                            **dates}.items()
        if getattr(process, name) != value
    ]  # fmt: skip
    welsh = {k: v.strip() for k, v in (welsh or {}).items() if k in _PROCESS_WELSH}
    changed += [name for name, value in welsh.items() if getattr(process, name) != value]
    process.title, process.summary, process.description = title, summary, description
    for name, value in {**dates, **welsh}.items():
        setattr(process, name, value)
    process.full_clean(exclude=["council", "slug"])
    process.save()
    changed += _rename_headings_cy(process, headings_cy or {})
    audit.record("pb.process_edited", actor=by, council=process.council, obj=process,
                 changed=changed)  # fmt: skip
    _announce_voting_if_open(process)
    return process


_PROCESS_WELSH = ("title_cy", "summary_cy", "description_cy")


def _rename_headings_cy(process: Process, names: Mapping[int, str]) -> list[str]:
    """Save the budgets' Welsh names that changed; "heading_cy" once if any did."""
    changed = False
    for head in process.headings.filter(pk__in=list(names)):
        value = names[head.pk].strip()
        if head.name_cy != value:
            head.name_cy = value
            head.full_clean(exclude=["process", "ward"])
            head.save(update_fields=["name_cy"])
            changed = True
    return ["heading_cy"] if changed else []


@action("pb.process_closed_early")
def close_early(process: Process, *, by: User, reason: str) -> Process:
    """Close the phase that is open now, ideas or voting, at once (for example, the money has
    been withdrawn, or a problem with the ballot). The next phase starts now."""
    now = timezone.now()
    phase = process.phase
    if phase == Phase.IDEAS:
        process.review_from = now
    elif phase == Phase.VOTING:
        process.voting_until = now
    else:
        raise ActionRefused(_("Only ideas or voting can be closed early, while they are open."))
    process.closed_early_reason = reason.strip()
    process.save()
    audit.record("pb.process_closed_early", actor=by, council=process.council, obj=process,
                 phase=str(phase))  # fmt: skip
    return process


def _clean_image(image: File, image_alt: str) -> CleanImage:
    """The picture redrawn from its pixels, or ActionRefused saying what is wrong."""
    if not image_alt.strip():
        raise ActionRefused(_("Describe what the picture shows"))
    try:
        validate_idea_image(image)
        return publishable(image, max_display=MAX_IDEA_IMAGE_DISPLAY, messages=IDEA_IMAGE_MESSAGES)
    except ValidationError as exc:
        raise ActionRefused(" ".join(exc.messages)) from exc


@action("pb.idea_submitted")
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
    clean = _clean_image(image, image_alt) if image else None
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
    if clean is not None:
        project.image.save(f"idea.{clean.suffix}", ContentFile(clean.data), save=False)
    try:
        project.save()
        StatusChange.objects.create(project=project, step=StatusChange.Step.SUBMITTED)
        audit.record("pb.idea_submitted", actor=author, council=process.council, obj=project)
    except BaseException:
        if project.image:
            project.image.delete(save=False)
        raise
    return project


@action("pb.idea_from_evidence")
def propose_from_evidence(
    heading: Heading, *, by: User, title: str, description: str, evidence: Mapping[str, Any]
) -> Project:
    """An idea an officer makes from residents' words (a theme of their stories, a statement
    every opinion group agreed with), waiting to be checked and costed like any other; it
    carries where it came from. Audited with counts, not the words."""
    project = submit_idea(
        heading.process,
        author=by,
        heading=heading,
        title=title[:150],
        description=description,
        rough_cost=0,
    )
    quotes = [str(q) for q in evidence.get("quotes", ())]
    project.evidence = {
        "summary": str(evidence.get("summary", "")),
        "quotes": quotes,
        "count": int(evidence.get("count", 0)),
        "source": str(evidence.get("source", "")),
    }
    project.save(update_fields=["evidence"])
    audit.record(
        "pb.idea_from_evidence",
        actor=by,
        council=heading.process.council,
        obj=project,
        count=project.evidence["count"],
        quotes=len(quotes),
        source=project.evidence["source"],
    )
    return project


@action("pb.idea_published")
def publish_idea(project: Project, *, by: User, publish: bool, reason: str = "") -> Project:
    """An officer's check of an idea (and its picture) before or after it is published:
    publish it, or keep it from the public (its author and officers still see it; the author
    is told why: ``reason`` is a key of ``notices.WITHHELD_REASONS``)."""
    if reason and reason not in WITHHELD_REASONS:
        raise ActionRefused(_("Choose why the idea is not published."))
    project.publication = Project.Publication.PUBLISHED if publish else Project.Publication.WITHHELD
    project.save(update_fields=["publication"])
    StatusChange.objects.create(
        project=project,
        step=StatusChange.Step.PUBLISHED if publish else StatusChange.Step.WITHHELD,
    )
    audit.record(
        "pb.idea_published" if publish else "pb.idea_withheld",
        actor=by,
        council=project.process.council,
        obj=project,
    )
    step = Project.Publication.PUBLISHED if publish else Project.Publication.WITHHELD
    _tell_idea_checked(project, step, "" if publish else reason)
    return project


@action("pb.idea_image_removed")
def remove_idea_image(project: Project, *, by: User) -> None:
    """An officer takes an idea's image down (the file is deleted once this is saved)."""
    if not project.image:
        raise ActionRefused(_("This idea has no image."))
    delete_after_commit(project.image)
    project.image = ""
    project.image_alt = ""
    project.save(update_fields=["image", "image_alt"])
    audit.record("pb.idea_image_removed", actor=by, council=project.process.council, obj=project)


@action("pb.idea_supported")
def support_idea(project: Project, user: User) -> bool:
    """Support an idea once; supporting twice changes nothing. Returns True if new."""
    if project.process.phase != Phase.IDEAS:
        raise ActionRefused(_("You can only support ideas while ideas are open."))
    try:
        with transaction.atomic():
            Support.objects.create(project=project, user=user)
    except IntegrityError:
        new = False
    else:
        new = True
    audit.record(
        "pb.idea_supported", actor=user, council=project.process.council, obj=project, new=new
    )
    return new


@action("pb.idea_support_withdrawn")
def withdraw_support(project: Project, user: User) -> bool:
    """Stop supporting an idea while ideas are open. Returns True if there was support."""
    if project.process.phase != Phase.IDEAS:
        raise ActionRefused(_("You can only change your support while ideas are open."))
    removed, _kinds = Support.objects.filter(project=project, user=user).delete()
    audit.record(
        "pb.idea_support_withdrawn",
        actor=user,
        council=project.process.council,
        obj=project,
        removed=bool(removed),
    )
    return bool(removed)


def _decide(
    project: Project, decision: str, note: str, final_cost: int | None, merge: Project | None
) -> None:
    """Apply an officer's decision to the idea (not saved), or refuse it."""
    if decision == Project.Status.SHORTLISTED:
        if not final_cost:
            raise ActionRefused(_("Enter the final cost before putting the idea on the ballot."))
        project.final_cost = final_cost
        project.publication = Project.Publication.PUBLISHED  # the ballot is public
    elif decision == Project.Status.MERGED:
        if merge is None or merge.pk == project.pk:
            raise ActionRefused(_("Choose the idea to join this one with."))
        project.merged_into = merge
    elif decision != Project.Status.REJECTED:
        raise ActionRefused(_("Choose a decision."))
    if decision != Project.Status.SHORTLISTED and not note.strip():
        raise ActionRefused(_("Give the reason, so residents know why."))
    project.status = decision
    project.review_note = note.strip()


@action("pb.idea_reviewed")
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
    _decide(project, decision, note, final_cost, merge_into)
    project.save()
    StatusChange.objects.create(project=project, step=project.status)
    audit.record(
        "pb.idea_reviewed",
        actor=by,
        council=project.process.council,
        obj=project,
        decision=decision,
    )
    _tell_idea_checked(project, decision, project.review_note)
    return project


@action("pb.idea_translated")
def translate_idea(project: Project, *, by: User, title_cy: str, description_cy: str) -> Project:
    """An officer's Welsh version of an idea: at any time (it changes no ballot)."""
    welsh = {"title_cy": title_cy.strip(), "description_cy": description_cy.strip()}
    changed = [name for name, value in welsh.items() if getattr(project, name) != value]
    for name, value in welsh.items():
        setattr(project, name, value)
    project.save(update_fields=list(welsh))
    audit.record("pb.idea_translated", actor=by, council=project.process.council, obj=project,
                 changed=changed)  # fmt: skip
    return project
