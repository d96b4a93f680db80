"""Delivering what residents funded: each funded project becomes a commitment (core's
``Commitment``, source "budgeting.project:ID") when its budget's results are stored, and
officers' delivery updates are that commitment's updates (``core.commitments``).

A recount that no longer funds a project stops its commitment with a public update saying
why; a later recount that funds it again gives it back the status it had. Only a stop made
by a recount is undone that way: an officer's own "stopped" stands.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from changemaker.budgeting.errors import ActionRefused
from changemaker.budgeting.models import Process, Project
from changemaker.budgeting.selectors import deliveries, funded_codes, latest_counts
from changemaker.core import audit, commitment_selectors, commitments
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


#: The public updates a recount writes (English in ``text``, Welsh in ``text_cy``).
NO_LONGER_FUNDED = gettext_noop("No longer funded after the recount on %(date)s.")
FUNDED_AGAIN = gettext_noop("Funded again after the recount on %(date)s.")
Status = Commitment.Status
#: marks the updates a recount writes (``CommitmentUpdate.reason``)
RECOUNT = "budgeting.recount"


def _words(message: str, counted: datetime) -> tuple[str, str]:
    """The update's text in English and in Welsh, with the recount's date."""
    words = []
    for language in ("en", "cy"):
        with translation.override(language):
            day = date_format(timezone.localtime(counted), "j F Y")
            words.append(_(message) % {"date": day})
    return words[0], words[1]


def _stopped_by_recount(commitment: Commitment) -> list[CommitmentUpdate]:
    """The commitment's status updates, newest first, if the newest is a recount's stop
    (an empty list otherwise)."""
    steps = commitment_selectors.status_updates(commitment)
    if steps and steps[0].status == Status.STOPPED and steps[0].reason == RECOUNT:
        return steps
    return []


def _follow_recount(
    commitment: Commitment, funded: bool, counted: datetime, by: User | None
) -> None:
    """Stop the commitment of a project no longer funded (one already delivered stays done);
    give one funded again back the status it had before the recount stopped it."""
    if not funded and commitment.status not in (Status.STOPPED, Status.DONE):
        text, text_cy = _words(NO_LONGER_FUNDED, counted)
        commitments.add_update(
            commitment, by=by, status=Status.STOPPED, text=text, text_cy=text_cy, reason=RECOUNT
        )
    elif funded and commitment.status == Status.STOPPED:
        steps = _stopped_by_recount(commitment)
        if steps:
            before = steps[1].status if len(steps) > 1 else Status.PLANNED
            text, text_cy = _words(FUNDED_AGAIN, counted)
            commitments.add_update(
                commitment, by=by, status=before, text=text, text_cy=text_cy, reason=RECOUNT
            )


@action("pb.commitments_made")
def commit_funded(process: Process, *, by: User | None = None) -> list[Commitment]:
    """A commitment for each project the latest counts funded (made once: a recount keeps
    the ones there are); a recount stops the commitments of projects it no longer funds
    and gives those it funds again their commitment back."""
    codes = funded_codes(process)
    funded = process.projects.filter(code__in=codes).select_related("ward", "process__council")
    made = [_commitment(project, by) for project in funded.order_by("code")]
    counts = latest_counts(process).values()
    if counts:
        counted = max(count.computed_at for count in counts)
        projects = list(process.projects.all())
        for code, commitment in sorted(deliveries(process, projects).items()):
            _follow_recount(commitment, code in codes, counted, by)
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
