"""Every write to a commitment (``core.models.commitments``), each an ``@action``: one
transaction and an audit event, without titles or text (an officer may name a place or a
person by mistake; the audit keeps what happened, not what was written).

A parent's figures are rolled up from its published children (:func:`rollup`) after every
write, all the way up the tree. When a published commitment's status, progress or milestones
change, every ``Capability.on_commitment_changed`` is told in the same transaction (the
capability that shows commitments publishes its notice to followers there).

Reads are in ``core.commitment_selectors``; the CSV file in ``core.commitment_csv``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit, commitment_csv
from changemaker.core.audit import action
from changemaker.core.commitment_csv import Row
from changemaker.core.models import Council, User, Ward
from changemaker.core.models.commitments import Commitment, CommitmentUpdate, Milestone
from changemaker.core.registry import COMMITMENT_LISTENERS
from changemaker.core.validators import CleanDocument
from changemaker.engine.problems import MAX_PROBLEMS, InputError, Problem

Status = Commitment.Status
#: Deep enough for any real plan; a longer chain is refused (and can never loop).
MAX_DEPTH = 10


class CommitmentError(Exception):
    """A change that cannot be made, said for the officer."""


def rollup(children: Iterable[tuple[int, int, str]]) -> tuple[int, str] | None:
    """A parent's (progress, status) from its published children's (progress, weight, status),
    or None when it has none (its own figures stand).

    Progress is the weight-averaged progress of the children that are not stopped (a stopped
    part no longer counts towards the whole), rounded half up; of all of them when every one
    is stopped. Status: stopped when all are; done when all are done or stopped; delayed when
    any is delayed; planned when all are planned; in progress otherwise.
    """
    kids = [(int(p), int(w), str(s)) for p, w, s in children]
    if not kids:
        return None
    going = [k for k in kids if k[2] != Status.STOPPED] or kids
    total = sum(w for _p, w, _s in going)
    weighted = sum(p * w for p, w, _s in going)
    progress = (2 * weighted + total) // (2 * total)  # half up, in whole numbers
    statuses = {s for _p, _w, s in kids}
    if statuses == {Status.STOPPED}:
        status = Status.STOPPED
    elif statuses <= {Status.DONE, Status.STOPPED}:
        status = Status.DONE
    elif Status.DELAYED in statuses:
        status = Status.DELAYED
    elif statuses == {Status.PLANNED}:
        status = Status.PLANNED
    else:
        status = Status.IN_PROGRESS
    return progress, str(status)


def _tell(commitment: Commitment, changes: Mapping[str, Any]) -> None:
    if commitment.published and changes:
        for listener in COMMITMENT_LISTENERS:
            listener(commitment, changes)


def _roll_up_from(parent_id: int | None) -> None:
    """Recompute each ancestor from its published children, nearest first."""
    seen: set[int] = set()
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = Commitment.objects.select_for_update().get(pk=parent_id)
        figures = rollup(parent.children.filter(published=True).values_list(*_FIGURES))
        if figures is not None and figures != (parent.progress, parent.status):
            changes = {"progress": figures[0], "status": figures[1]}
            parent.progress, parent.status = figures
            parent.updated_at = timezone.now()
            parent.save(update_fields=["progress", "status", "updated_at"])
            _tell(parent, changes)
        parent_id = parent.parent_id


_FIGURES = ("progress", "weight", "status")


def has_children(commitment: Commitment) -> bool:
    """Whether its figures are rolled up (it has published children)."""
    return commitment.pk is not None and commitment.children.filter(published=True).exists()


def check_parent(commitment: Commitment, parent: Commitment | None) -> None:
    """A parent in the same council, not the commitment itself nor one of its own children,
    and not too deep."""
    if parent is None:
        return
    if parent.council_id != commitment.council_id:
        raise CommitmentError(_("Choose a commitment of this council as the parent."))
    depth = 1
    node: Commitment | None = parent
    while node is not None:
        if commitment.pk is not None and node.pk == commitment.pk:
            raise CommitmentError(
                _("A commitment cannot belong to itself or to one of the commitments under it.")
            )
        depth += 1
        if depth > MAX_DEPTH:
            raise CommitmentError(
                _("Commitments can be nested at most %(depth)s deep.") % {"depth": MAX_DEPTH}
            )
        node = node.parent


@action("core.commitment_saved")
def save_commitment(commitment: Commitment, *, by: User | None) -> Commitment:
    """Add a commitment or save an officer's changes (its status and progress change only
    through updates, or by roll-up)."""
    check_parent(commitment, commitment.parent)
    created = commitment.pk is None
    before = None if created else Commitment.objects.get(pk=commitment.pk)
    changed = [] if before is None else _changed_fields(before, commitment)
    commitment.updated_at = timezone.now()
    commitment.save()
    for parent_id in {commitment.parent_id, None if before is None else before.parent_id}:
        _roll_up_from(parent_id)
    if has_children(commitment):
        _roll_up_from(commitment.pk)
    audit.record(
        "core.commitment_saved",
        actor=by,
        council=commitment.council,
        obj=commitment,
        created=created,
        changed=changed,
    )
    return commitment


_EDITABLE = (
    "parent_id",
    "title",
    "title_cy",
    "description",
    "description_cy",
    "source",
    "owner",
    "ward_id",
    "weight",
    "due",
    "published",
)


def _changed_fields(before: Commitment, after: Commitment) -> list[str]:
    return [f.removesuffix("_id") for f in _EDITABLE if getattr(before, f) != getattr(after, f)]


@action("core.commitment_made")
def commit_to_source(
    council: Council, *, source: str, title: str, ward: Ward | None = None, by: User | None = None
) -> Commitment:
    """The commitment of a source (a funded idea...): made once, planned, owner blank; an
    existing one is left as it is (published again if it was hidden)."""
    existing = Commitment.objects.filter(council=council, source=source).order_by("pk").first()
    if existing is not None:
        if not existing.published:
            existing.published = True
            save_commitment(existing, by=by)
        return existing
    made = Commitment(council=council, source=source, title=title[:200], ward=ward)
    return save_commitment(made, by=by)


@action("core.commitment_updated")
def add_update(
    commitment: Commitment,
    *,
    by: User | None,
    text: str,
    text_cy: str = "",
    status: str = "",
    progress: int | None = None,
    at: Any = None,
    reason: str = "",
) -> CommitmentUpdate:
    """A step on the public timeline; it may set the status and progress (not of a parent:
    its figures come from the commitments under it). ``reason`` names the rule that wrote it
    when no officer did."""
    if (status or progress is not None) and has_children(commitment):
        raise CommitmentError(
            _("Its status and progress come from the commitments under it. Update those.")
        )
    if status and status not in Status.values:
        raise CommitmentError(_("Choose a status from the list."))
    changes: dict[str, Any] = {}
    if status and status != commitment.status:
        changes["status"] = commitment.status = status
    if progress is not None:
        progress = max(0, min(100, int(progress)))
        if progress != commitment.progress:
            changes["progress"] = commitment.progress = progress
    update = CommitmentUpdate.objects.create(
        commitment=commitment,
        text=text.strip(),
        text_cy=text_cy.strip(),
        status=status,
        progress=progress,
        author=by if by is not None and by.is_authenticated else None,
        at=at or timezone.now(),
        reason=reason,
    )
    commitment.updated_at = timezone.now()
    commitment.save(update_fields=["status", "progress", "updated_at"])
    _tell(commitment, changes)
    _roll_up_from(commitment.parent_id)
    audit.record(
        "core.commitment_updated",
        actor=by,
        council=commitment.council,
        obj=commitment,
        changed=sorted(changes),
    )
    return update


@action("core.milestone_added")
def add_milestone(
    commitment: Commitment,
    *,
    by: User | None,
    title: str,
    due: date,
    title_cy: str = "",
    done_on: date | None = None,
) -> Milestone:
    milestone = Milestone.objects.create(
        commitment=commitment,
        title=title.strip(),
        title_cy=title_cy.strip(),
        due=due,
        done_on=done_on,
    )
    _tell(commitment, {"milestone": milestone.pk})
    audit.record("core.milestone_added", actor=by, council=commitment.council, obj=commitment)
    return milestone


@action("core.milestone_done")
def complete_milestone(milestone: Milestone, *, by: User | None, done_on: date) -> Milestone:
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    commitment = milestone.commitment
    _tell(commitment, {"milestone": milestone.pk})
    audit.record("core.milestone_done", actor=by, council=commitment.council, obj=commitment)
    return milestone


@action("core.milestone_document_added")
def attach_document(
    milestone: Milestone, *, by: User | None, document: CleanDocument, name: str
) -> Milestone:
    """Keep a checked document (``core.validators.checked_document``) with a milestone; the
    one it had before is deleted once this commits."""
    old = milestone.document.name if milestone.document else ""
    milestone.document.save(
        f"document.{document.extension}", ContentFile(document.data), save=False
    )
    milestone.document_name = name.strip()[:200]
    milestone.save(update_fields=["document", "document_name"])
    if old:
        storage = milestone.document.storage
        transaction.on_commit(lambda: storage.delete(old))
    commitment = milestone.commitment
    _tell(commitment, {"milestone": milestone.pk})
    audit.record(
        "core.milestone_document_added",
        actor=by,
        council=commitment.council,
        obj=commitment,
        kind=document.extension,
    )
    return milestone


@action("core.commitments_exported")
def record_export(council: Council, *, by: User | None, rows: int) -> None:
    """Commitments are public, but who downloaded the officers' file is kept."""
    audit.record("core.commitments_exported", actor=by, council=council, rows=rows)


def _import_parents(rows: list[Row], made: dict[str, Commitment]) -> set[int | None]:
    """Set each imported commitment's parent (a reference in the file or an existing number);
    the parents they had before, to roll up again."""
    before: set[int | None] = set()
    for row in rows:
        commitment = made[row.reference]
        target = made.get(row.parent)
        parent_id = target.pk if target is not None else (int(row.parent) if row.parent else None)
        if commitment.parent_id != parent_id:
            before.add(commitment.parent_id)
            commitment.parent_id = parent_id
            commitment.save(update_fields=["parent"])
    return before


def _no_loops(council: Council, rows: list[Row], made: dict[str, Commitment], name: str) -> None:
    """The file may hang an existing commitment under one of its own children: refused."""
    parents = dict(Commitment.objects.filter(council=council).values_list("pk", "parent_id"))
    problems = []
    for row in rows:
        node: int | None = made[row.reference].pk
        depth = 0
        while node is not None and depth <= MAX_DEPTH:
            node, depth = parents.get(node), depth + 1
        if node is not None:
            problems.append(
                Problem(
                    name,
                    row.line,
                    "parent",
                    _(
                        "The parents go round in a loop or nest more than %(depth)s deep: a "
                        "commitment cannot belong to one of the commitments under it."
                    )
                    % {"depth": MAX_DEPTH},
                )
            )
    if problems:
        raise InputError(problems[:MAX_PROBLEMS], max(0, len(problems) - MAX_PROBLEMS))


@action("core.commitments_imported")
def import_commitments(council: Council, text: str, *, by: User | None, name: str) -> int:
    """A whole CSV file of commitments (``core.commitment_csv``): every line checked first,
    then all written, or nothing (InputError names each problem by line, column and field)."""
    rows = commitment_csv.read(text, council, name)
    existing = Commitment.objects.in_bulk([r.existing for r in rows if r.existing is not None])
    made: dict[str, Commitment] = {}
    created = 0
    for row in rows:
        commitment = existing.get(row.existing) if row.existing is not None else None
        if commitment is None:
            commitment, created = Commitment(council=council), created + 1
        changes = {
            k: v
            for k, v in row.values.items()
            if k in ("status", "progress")
            and commitment.pk is not None
            and getattr(commitment, k) != v
        }
        for field, value in row.values.items():
            setattr(commitment, field, value)
        commitment.updated_at = timezone.now()
        commitment.save()
        made[row.reference] = commitment
        _tell(commitment, changes)
    moved_from = _import_parents(rows, made)
    _no_loops(council, rows, made, name)
    for start in [*moved_from, *(c.pk for c in made.values())]:
        _roll_up_from(start)
    audit.record(
        "core.commitments_imported",
        actor=by,
        council=council,
        rows=len(rows),
        created=created,
        changed=len(rows) - created,
    )
    return len(rows)
