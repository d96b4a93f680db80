"""Matches: the matcher's proposals, a coordinator's confirmation, the volunteer's answer,
hours, and messages to the coordinator."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.models import Council, Job, User
from changemaker.support.actions._shared import _mail, _tell_requester, _withdraw
from changemaker.support.errors import SupportError
from changemaker.support.models import CoordinatorMessage, HelpRequest, Match, Volunteer


@action("support.match.proposed")
def store_proposals(
    council: Council,
    *,
    job: Job | None,
    scope: list[int] | None,
    assignments: list[tuple[int, int, float]],
) -> int:
    """Replace the scope's earlier proposals with a run's (request id, volunteer id, km)."""
    old = Match.objects.filter(status=Match.Status.PROPOSED, request__council=council)
    if scope is not None:
        old = old.filter(request__organisation__in=scope)
    old.delete()
    Match.objects.bulk_create(
        Match(request_id=r, volunteer_id=v, distance_km=km, job=job) for r, v, km in assignments
    )
    audit.record("support.match.proposed", council=council, obj=job, count=len(assignments))
    return len(assignments)


@action("support.match.confirmed")
def confirm_match(match: Match, *, by: User) -> None:
    match = (
        Match.objects.select_for_update().select_related("request", "volunteer").get(pk=match.pk)
    )
    if match.status != Match.Status.PROPOSED:
        raise SupportError(_("This proposal has already been dealt with."))
    if match.request.status not in HelpRequest.OPEN:
        raise SupportError(_("This request already has a volunteer or is closed."))
    if match.volunteer.status != Volunteer.Status.ACTIVE:
        raise SupportError(_("This volunteer is no longer active. Run the matcher again."))
    match.status = Match.Status.CONFIRMED
    match.confirmed_by = by
    match.updated_at = timezone.now()
    match.save(update_fields=["status", "confirmed_by", "updated_at"])
    HelpRequest.objects.filter(pk=match.request_id).update(status=HelpRequest.Status.MATCHED)
    audit.record("support.match.confirmed", actor=by, council=match.request.council, obj=match)
    _tell_requester(match.request, "matched", by=by)
    volunteer = match.volunteer
    _mail(
        [volunteer.email],
        _("Can you help? A new request is waiting for you"),
        _(
            "Hello %(name)s,\n\nYour coordinator has matched you with a request for help on "
            "%(day)s. Sign in to accept or decline it.\n\n%(council)s"
        )
        % {
            "name": volunteer.first_name,
            "day": match.request.needed_on.strftime("%A %d %B"),
            "council": volunteer.council.name,
        },
    )


@action("support.match.withdrawn")
def withdraw_match(match: Match, *, by: User) -> None:
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status not in {Match.Status.PROPOSED, *Match.LIVE}:
        raise SupportError(_("This match is already finished."))
    _withdraw(match, by=by, why="coordinator")


@action("support.match.answered")
def respond_to_match(
    match: Match, *, by: User, accept: bool, reason: str = "", on_behalf: bool = False
) -> None:
    """The volunteer accepts or declines a confirmed match (or a coordinator records the
    answer the volunteer gave on the phone: ``on_behalf``)."""
    match = (
        Match.objects.select_for_update().select_related("request", "volunteer").get(pk=match.pk)
    )
    if not on_behalf and match.volunteer.user_id != by.pk:
        raise SupportError(_("This request is not yours to answer."))
    if match.status != Match.Status.CONFIRMED:
        raise SupportError(_("You have already answered this request."))
    request = match.request
    match.updated_at = timezone.now()
    if accept:
        match.status = Match.Status.ACCEPTED
        match.save(update_fields=["status", "updated_at"])
        HelpRequest.objects.filter(pk=request.pk).update(status=HelpRequest.Status.ASSIGNED)
        # The resident hears the volunteer's first name and badge number only.
        _mail(
            [request.email],
            _("A volunteer is coming to help you"),
            _(
                "Hello,\n\n%(first)s will help you on %(day)s. Their ID badge number is "
                "%(badge)s: ask to see the badge when they arrive.\n\nIf you need to change "
                "anything, contact %(council)s, not the volunteer.\n"
            )
            % {
                "first": match.volunteer.first_name,
                "badge": match.volunteer.badge_number,
                "day": request.needed_on.strftime("%A %d %B"),
                "council": request.council.name,
            },
        )
    else:
        match.status = Match.Status.DECLINED
        match.decline_reason = reason.strip()[:300]
        match.save(update_fields=["status", "decline_reason", "updated_at"])
        HelpRequest.objects.filter(pk=request.pk).update(status=HelpRequest.Status.TRIAGED)
    audit.record(
        "support.match.accepted" if accept else "support.match.declined",
        actor=by,
        council=request.council,
        obj=match,
        on_behalf=on_behalf,
    )


@action("support.match.completed")
def complete_match(match: Match, *, by: User, hours: Decimal) -> None:
    match = Match.objects.select_for_update().select_related("request").get(pk=match.pk)
    if match.status != Match.Status.ACCEPTED:
        raise SupportError(_("Only accepted requests can be marked as done."))
    if not (Decimal("0") < hours <= Decimal("24")):
        raise SupportError(_("Enter the hours as a number between 0.25 and 24"))
    match.status = Match.Status.COMPLETED
    match.hours = hours
    match.updated_at = timezone.now()
    match.save(update_fields=["status", "hours", "updated_at"])
    HelpRequest.objects.filter(pk=match.request_id).update(
        status=HelpRequest.Status.DONE, closed_at=timezone.now()
    )
    audit.record(
        "support.match.completed",
        actor=by,
        council=match.request.council,
        obj=match,
        hours=str(hours),
    )
    _tell_requester(match.request, "done", by=by)


@action("support.message.sent")
def message_coordinator(match: Match, *, by: User, body: str) -> CoordinatorMessage:
    if match.volunteer.user_id != by.pk:
        raise SupportError(_("This request is not yours."))
    message = CoordinatorMessage.objects.create(match=match, sender=by, body=body.strip())
    council = match.volunteer.council
    audit.record("support.message.sent", actor=by, council=council, obj=message)
    _mail(
        [council.contact_email],
        _("A volunteer sent a message about request %(n)s") % {"n": match.request_id},
        _("Sign in to read it on the request's page. Messages are not sent by email."),
    )
    return message
