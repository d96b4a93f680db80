"""Every budgeting write is an action (``core.audit.action``): one transaction and an audit
event. Found in issue 16: ``review_idea`` was not atomic (``@transaction.atomic`` sat on the
``can_review`` check instead), and supporting an idea left no audit event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from changemaker.budgeting import actions
from changemaker.budgeting.models import Process, Project
from changemaker.core import audit
from changemaker.core.models import AuditEvent, Role, User


def _idea(process: Process, **fields: Any) -> Project:
    return Project.objects.create(
        process=process,
        heading=process.headings.get(),
        code="I001",
        title="t",
        description="d",
        rough_cost=5,
        **fields,
    )


def test_a_review_whose_audit_entry_fails_changes_nothing(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    process = make_process(phase="review")
    idea = _idea(process)

    def audit_log_down(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", audit_log_down)
    with pytest.raises(RuntimeError):
        actions.review_idea(
            idea, by=make_user(Role.ENGAGEMENT_OFFICER), decision="rejected", note="Too dear"
        )
    idea.refresh_from_db()
    assert idea.status == Project.Status.SUBMITTED
    assert idea.review_note == ""


def test_supporting_an_idea_is_audited_without_personal_data(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase="ideas")
    idea = _idea(process, publication=Project.Publication.PUBLISHED)
    resident = make_user(Role.RESIDENT)
    assert actions.support_idea(idea, resident) is True
    event = AuditEvent.objects.get(action="pb.idea_supported")
    assert event.actor == resident
    assert event.council == process.council
    assert (event.object_type, event.object_id) == ("budgeting.project", str(idea.pk))
    assert resident.email not in str(event.detail)
    assert idea.supports.count() == 1
