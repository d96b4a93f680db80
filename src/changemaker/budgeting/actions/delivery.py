"""Delivering what residents funded: each funded project becomes a commitment (core's
``Commitment``, source "budgeting.project:ID") when its budget's results are stored, and
officers' delivery updates are that commitment's updates (``core.commitments``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from changemaker.budgeting.errors import ActionRefused
from changemaker.budgeting.models import Process, Project
from changemaker.budgeting.selectors import funded_codes
from changemaker.core import audit, commitments
from changemaker.core.audit import action
from changemaker.core.models import User
from changemaker.core.models.commitments import Commitment, CommitmentUpdate
from changemaker.core.notices import subject_key


def _commitment(project: Project, by: User | None = None) -> Commitment:
    return commitments.commit_to_source(
        project.process.council,
        source=subject_key(project),
        title=project.title,
        ward=project.ward,
        by=by,
    )


@action("pb.commitments_made")
def commit_funded(process: Process, *, by: User | None = None) -> list[Commitment]:
    """A commitment for each project the latest counts funded (made once: a recount keeps
    the ones there are)."""
    funded = process.projects.filter(code__in=funded_codes(process)).select_related(
        "ward", "process__council"
    )
    made = [_commitment(project, by) for project in funded.order_by("code")]
    audit.record(
        "pb.commitments_made", actor=by, council=process.council, obj=process, projects=len(made)
    )
    return made


@action("pb.delivery_updated")
def post_delivery_update(
    project: Project, *, by: User, status: str, progress: int, text: str
) -> CommitmentUpdate:
    """A public update on a funded project's delivery: an update of its commitment
    (residents following the idea or the commitment hear of it)."""
    if project.code not in funded_codes(project.process):
        raise ActionRefused(_("Only funded projects have delivery updates."))
    update = commitments.add_update(
        _commitment(project, by),
        by=by,
        text=text,
        status=status,
        progress=max(0, min(100, progress)),
    )
    audit.record("pb.delivery_updated", actor=by, council=project.process.council, obj=project)
    return update
