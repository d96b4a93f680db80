"""Helpers several of support's actions use (each runs inside its caller's transaction)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from changemaker.core import audit
from changemaker.core.models import User
from changemaker.core.notices import publish
from changemaker.support import notices
from changemaker.support.models import HelpRequest, Match


def _mail(to: Iterable[str], subject: str, body: str) -> None:
    recipients = [a for a in to if a]
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        )


def _tell_requester(request: HelpRequest, status: str, *, by: User | None = None) -> None:
    """The person who asked (signed in when they did) hears their request's new status;
    not when they made the change themselves."""
    if request.requester_id is None or (by is not None and by.pk == request.requester_id):
        return
    publish(
        notices.REQUEST_STATUS,
        council=request.council,
        recipients=[request.requester_id],
        status=status,
        day=request.needed_on.strftime("%d/%m/%Y"),
    )


def _withdraw(match: Match, *, by: User | None, why: str) -> None:
    match.status = Match.Status.WITHDRAWN
    match.updated_at = timezone.now()
    match.save(update_fields=["status", "updated_at"])
    HelpRequest.objects.filter(
        pk=match.request_id,
        status__in=[HelpRequest.Status.MATCHED, HelpRequest.Status.ASSIGNED],
    ).update(status=HelpRequest.Status.TRIAGED)
    audit.record(
        "support.match.withdrawn",
        actor=by,
        council=match.volunteer.council,
        obj=match,
        why=why,
    )
