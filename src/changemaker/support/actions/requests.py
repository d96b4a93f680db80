"""Help requests: recording, triage, cancelling, and removing personal details later."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.models import Council, User
from changemaker.support.actions._shared import _mail, _tell_requester, _withdraw
from changemaker.support.actions.safeguarding import raise_concern
from changemaker.support.errors import SupportError
from changemaker.support.models import (
    HelpRequest,
    Match,
    PartnerOrganisation,
    SafeguardingFlag,
    VettingLevel,
)
from changemaker.support.selectors import locate, settings_for, stale_requests

CONCERN_FLAGS = {SafeguardingFlag.ABUSE, SafeguardingFlag.NEGLECT, SafeguardingFlag.MENTAL_HEALTH}


@action("support.request.created")
def submit_help_request(
    council: Council,
    *,
    source: str,
    by: User | None,
    name: str,
    postcode: str,
    needs: list[str],
    needed_on: date,
    phone: str = "",
    email: str = "",
    address: str = "",
    details: str = "",
    urgency: str = "routine",
    vetting_required: str = VettingLevel.NONE,
    safeguarding_flags: list[str] | None = None,
    referrer_name: str = "",
    organisation: PartnerOrganisation | None = None,
    triaged: bool = False,
    requester: User | None = None,
) -> HelpRequest:
    """Record a request. ``requester`` is the signed-in person who asked online (they can
    follow it); ``by`` is whoever entered it (a coordinator for phone calls and referrals)."""
    place = locate(council, postcode)
    if place.outside:
        raise SupportError(
            _(
                "%(postcode)s is not in %(council)s: the person should contact their own "
                "council. Find it at www.gov.uk/find-local-council"
            )
            % {"postcode": place.postcode, "council": council.name}
        )
    request = HelpRequest.objects.create(
        council=council,
        organisation=organisation,
        source=source,
        requester=requester,
        created_by=by,
        referrer_name=referrer_name.strip(),
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip().lower(),
        address=address.strip(),
        postcode=place.postcode,
        lat=place.lat,
        lon=place.lon,
        ward=place.ward,
        needs=sorted(set(needs)),
        details=details.strip(),
        urgency=urgency,
        needed_on=needed_on,
        vetting_required=vetting_required,
        safeguarding_flags=sorted(set(safeguarding_flags or [])),
        status=HelpRequest.Status.TRIAGED if triaged else HelpRequest.Status.NEW,
    )
    audit.record("support.request.created", actor=by, council=council, obj=request, source=source)
    _flag_concern(request, by=by)
    return request


def _flag_concern(request: HelpRequest, *, by: User | None) -> None:
    flagged = CONCERN_FLAGS & set(request.safeguarding_flags)
    if flagged and not request.concerns.exists():
        raise_concern(
            request.council,
            by=by,
            details=_("Flagged when the request was recorded or triaged: %(flags)s")
            % {"flags": ", ".join(request.flag_labels())},
            request=request,
        )


@action("support.request.triaged")
def triage_request(
    request: HelpRequest,
    *,
    by: User,
    urgency: str,
    needs: list[str],
    needed_on: date,
    vetting_required: str,
    safeguarding_flags: list[str],
) -> None:
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in HelpRequest.OPEN:
        raise SupportError(_("This request already has a volunteer or is closed."))
    request.urgency = urgency
    request.needs = sorted(set(needs))
    request.needed_on = needed_on
    request.vetting_required = vetting_required
    request.safeguarding_flags = sorted(set(safeguarding_flags))
    request.status = HelpRequest.Status.TRIAGED
    request.save()
    audit.record("support.request.triaged", actor=by, council=request.council, obj=request)
    _flag_concern(request, by=by)


@action("support.request.cancelled")
def cancel_request(request: HelpRequest, *, by: User, as_requester: bool = False) -> None:
    """Cancel a request: a coordinator's, or the person who asked for it (``as_requester``).
    Proposals and matches are withdrawn; volunteers already asked are emailed."""
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if as_requester and request.requester_id != by.pk:
        raise SupportError(_("This request is not yours to cancel."))
    if request.status in HelpRequest.CLOSED:
        raise SupportError(_("This request is already closed."))
    for match in request.matches.filter(
        status__in=[Match.Status.PROPOSED, *Match.LIVE]
    ).select_related("volunteer__council"):
        if match.status in Match.LIVE:
            _tell_volunteer(match)
        _withdraw(match, by=by, why="request_cancelled")
    request.status = HelpRequest.Status.CANCELLED
    request.closed_at = timezone.now()
    request.cancelled_by = (
        HelpRequest.CancelledBy.REQUESTER if as_requester else HelpRequest.CancelledBy.COORDINATOR
    )
    request.save(update_fields=["status", "closed_at", "cancelled_by"])
    audit.record(
        "support.request.cancelled",
        actor=by,
        council=request.council,
        obj=request,
        by_requester=as_requester,
    )
    _tell_requester(request, "cancelled", by=by)


def _tell_volunteer(match: Match) -> None:
    """A volunteer who was asked hears the request is off (its day only: nothing personal)."""
    volunteer = match.volunteer
    _mail(
        [volunteer.email],
        _("A request you were matched with has been cancelled"),
        _(
            "Hello %(name)s,\n\nThe request for help on %(day)s has been cancelled. You do not "
            "need to do anything. Thank you for offering to help.\n\n%(council)s"
        )
        % {
            "name": volunteer.first_name,
            "day": match.request.needed_on.strftime("%A %d %B"),
            "council": volunteer.council.name,
        },
    )


@action("support.requests.none_to_anonymise")
def anonymise_closed_requests(today: date | None = None) -> int:
    """Remove the personal details of requests closed longer ago than each council's
    retention period. Keeps what is needed for counts (needs, ward, dates, hours)."""
    now = (
        timezone.now()
        if today is None
        else timezone.make_aware(datetime(today.year, today.month, today.day))
    )
    done = 0
    for council in Council.objects.all():
        cutoff = now - timedelta(days=settings_for(council).retention_days)
        count = 0
        for request in stale_requests(council, cutoff):
            request.name = _("(removed)")
            request.phone = request.email = request.address = request.details = ""
            request.referrer_name = ""
            request.postcode = request.postcode.split()[0] if request.postcode else ""
            request.lat = request.lon = None
            request.requester = None
            request.anonymised_at = now
            request.save()
            count += 1
        if count:
            audit.record("support.requests.anonymised", council=council, count=count)
        done += count
    return done
