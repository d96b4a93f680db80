"""Community support's reads, scoped to what the person may see (writes are in actions.py).

Coordinators of a partner organisation see only their organisation's volunteers and requests:
every coordinator query starts from :func:`visible_volunteers` / :func:`visible_requests`
(the rule is :func:`changemaker.support.rules.partner_scope`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from changemaker.core import wardmap
from changemaker.core.fields import normalise_postcode
from changemaker.core.models import Council, Job, User, Ward
from changemaker.support.engine import Reason
from changemaker.support.errors import SupportError
from changemaker.support.models import (
    CoordinatorMessage,
    HelpRequest,
    Match,
    PartnerOrganisation,
    Postcode,
    SafeguardingConcern,
    SupportSettings,
    VettingRecord,
    Volunteer,
)
from changemaker.support.rules import is_safeguarding_lead, partner_scope

# Postcodes and settings -----------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    postcode: str
    lat: float | None
    lon: float | None
    ward: Ward | None
    #: the council's wards show the postcode is elsewhere (False when it cannot tell)
    outside: bool = False


def locate(council: Council, raw: str) -> Place:
    """Coordinates and ward of a postcode's centre (never a home's exact position).

    The ward comes from the postcode table, else from the wards' postcode districts. A postcode
    in neither is ``outside`` when the council's wards describe its area (they have districts,
    or the table gives the postcode a ward that is not theirs)."""
    postcode = normalise_postcode(raw)
    if postcode is None:
        raise SupportError(_("Enter a real postcode, like EX1 1AA"))
    row = Postcode.objects.filter(postcode=postcode).first()
    wards = list(council.wards.all())
    ward = None
    if row is not None and row.ward_code:
        ward = next((w for w in wards if w.code == row.ward_code), None)
    if ward is None:
        district = postcode.split()[0]
        ward = next((w for w in wards if district in w.postcode_districts), None)
    described = any(w.postcode_districts for w in wards) or bool(
        wards and row is not None and row.ward_code
    )
    return Place(
        postcode,
        row.lat if row else None,
        row.lon if row else None,
        ward,
        outside=ward is None and described,
    )


def settings_for(council: Council) -> SupportSettings:
    """The council's support settings; the defaults (not yet saved) when none are stored."""
    found = SupportSettings.objects.filter(council=council).first()
    return found if found is not None else SupportSettings(council=council)


def partners(council: Council) -> list[PartnerOrganisation]:
    return list(PartnerOrganisation.objects.filter(council=council))


# Who sees what --------------------------------------------------------------------------------


def visible_volunteers(user: User, council: Council) -> QuerySet[Volunteer]:
    qs = Volunteer.objects.filter(council=council)
    scope = partner_scope(user, council)
    return qs if scope is None else qs.filter(organisation__in=scope)


def visible_requests(user: User, council: Council) -> QuerySet[HelpRequest]:
    qs = HelpRequest.objects.filter(council=council)
    scope = partner_scope(user, council)
    return qs if scope is None else qs.filter(organisation__in=scope)


def visible_matches(user: User, council: Council) -> QuerySet[Match]:
    """Matches between a request and a volunteer this coordinator may both see."""
    return Match.objects.filter(
        request__in=visible_requests(user, council),
        volunteer__in=visible_volunteers(user, council),
    )


def by_ward(rows: Any, council: Council, raw: str) -> tuple[Any, int | None]:
    """Rows in the ward chosen by its id (``raw`` from the query string), if it is real."""
    if raw.isdigit() and council.wards.filter(pk=int(raw)).exists():
        return rows.filter(ward_id=int(raw)), int(raw)
    return rows, None


# Residents and volunteers: their own things ----------------------------------------------------


def own_requests(user: User, council: Council) -> list[dict[str, Any]]:
    """A resident's requests, newest first, each with who is coming once a volunteer said yes."""
    rows = []
    for help_request in HelpRequest.objects.filter(council=council, requester=user).order_by(
        "-created_at"
    ):
        match = help_request.active_match
        coming = None
        if match is not None and match.status == Match.Status.ACCEPTED:
            # First name and badge number only: never the volunteer's phone or address.
            coming = {
                "first_name": match.volunteer.first_name,
                "badge": match.volunteer.badge_number,
            }
        rows.append({"request": help_request, "coming": coming})
    return rows


def own_open_requests(user: User, council: Council) -> QuerySet[HelpRequest]:
    """A resident's own requests that are not yet done or cancelled (they may cancel these)."""
    return HelpRequest.objects.filter(council=council, requester=user).exclude(
        status__in=HelpRequest.CLOSED
    )


def own_volunteer(user: User, council: Council) -> Volunteer | None:
    return Volunteer.objects.filter(council=council, user=user).first()


def own_matches(user: User, council: Council) -> QuerySet[Match]:
    """The matches of this person's own volunteer record."""
    return Match.objects.select_related("request", "volunteer").filter(
        volunteer__user=user, volunteer__council=council
    )


def volunteering(me: Volunteer | None) -> dict[str, Any]:
    """What a volunteer's own page shows: requests asked of them, hours, current check."""
    matches = (
        me.matches.filter(
            status__in=[Match.Status.CONFIRMED, Match.Status.ACCEPTED, Match.Status.COMPLETED]
        ).select_related("request")
        if me
        else Match.objects.none()
    )
    return {
        "me": me,
        "matches": matches,
        "hours": hours_logged(me) if me else 0,
        "vetting": me.current_vetting() if me else None,
    }


def hours_logged(volunteer: Volunteer) -> Decimal:
    total: Any = sum(
        (m.hours for m in volunteer.matches.filter(status=Match.Status.COMPLETED) if m.hours),
        Decimal("0"),
    )
    return Decimal(total)


# Coordinators ---------------------------------------------------------------------------------


#: How the dashboard's ward table groups a request's status.
WARD_COLUMNS = {
    HelpRequest.Status.NEW: "waiting",
    HelpRequest.Status.TRIAGED: "waiting",
    HelpRequest.Status.MATCHED: "with_volunteer",
    HelpRequest.Status.ASSIGNED: "with_volunteer",
    HelpRequest.Status.DONE: "done",
}


def requests_by_ward(requests: Any, volunteers: Any, council: Council) -> dict[str, Any]:
    """Help requests by ward and where they stand, with active volunteers: counts of areas,
    never homes. Rows for every ward (zeros too), one for requests with no ward, and totals."""
    counts: dict[int | None, Counter[str]] = {}
    for ward_id, status, n in (
        requests.exclude(status=HelpRequest.Status.CANCELLED)
        .values_list("ward_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(ward_id, Counter())[WARD_COLUMNS[status]] += n
    for ward_id, n in (
        volunteers.filter(status=Volunteer.Status.ACTIVE)
        .values_list("ward_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(ward_id, Counter())["volunteers"] += n
    wards = list(council.wards.all())
    rows = [{"ward": w, **counts.get(w.pk, Counter())} for w in wards]
    if None in counts:
        rows.append({"ward": None, **counts[None]})
    total: Counter[str] = sum((Counter(c) for c in counts.values()), Counter())
    waiting: dict[Ward | str, int] = {w: counts.get(w.pk, Counter())["waiting"] for w in wards}
    ward_map = wardmap.build(
        council,
        waiting,
        title=_("Requests waiting for a volunteer, by ward"),
        description=_("How many help requests in each ward are waiting for a volunteer."),
        value_heading=_("Waiting for a volunteer"),
        map_id="requests-map",
    )
    return {"rows": rows, "total": total, "map": ward_map}


def dashboard(user: User, council: Council) -> dict[str, Any]:
    """The coordinator's overview, within what they may see."""
    requests = visible_requests(user, council)
    volunteers = visible_volunteers(user, council)
    return {
        "request_counts": dict(requests.values_list("status").annotate(n=Count("pk")).order_by()),
        "volunteer_counts": dict(
            volunteers.values_list("status").annotate(n=Count("pk")).order_by()
        ),
        "statuses": HelpRequest.Status,
        "volunteer_statuses": Volunteer.Status,
        "proposed": Match.objects.filter(
            status=Match.Status.PROPOSED, request__in=requests, volunteer__in=volunteers
        ).count(),
        "by_ward": requests_by_ward(requests, volunteers, council),
        "scope": partner_scope(user, council),
        "partners": PartnerOrganisation.objects.filter(council=council, memberships__user=user),
        "is_lead": is_safeguarding_lead(user, council),
        "jobs": match_jobs(council, user)[:3],
        "done": Match.objects.filter(
            status=Match.Status.COMPLETED, request__in=requests, volunteer__in=volunteers
        ).aggregate(n=Count("pk"), hours=Sum("hours")),
    }


def match_jobs(council: Council, user: User) -> QuerySet[Job]:
    """The matcher's runs for this coordinator's scope, newest first."""
    return Job.objects.filter(
        kind="support.match", council=council, params__scope=partner_scope(user, council)
    ).order_by("-created_at")


def unmatched(job: Job | None, visible: QuerySet[HelpRequest]) -> list[dict[str, Any]]:
    """The requests a finished run left unmatched (those the coordinator may see), with why."""
    if job is None or job.status != Job.Status.SUCCEEDED:
        return []
    by_pk = {
        r.pk: r
        for r in visible.filter(pk__in=[u["request"] for u in job.result.get("unmatched", [])])
    }
    return [
        {"request": by_pk[item["request"]], "reason": Reason(item["reason"]).sentence}
        for item in job.result.get("unmatched", [])
        if item["request"] in by_pk
    ]


def request_page(user: User, council: Council, help_request: HelpRequest) -> dict[str, Any]:
    """A request with its matches. A partner's coordinator sees who their own volunteers are;
    another organisation's (or the council's) volunteer on the same request is shown without a
    name, badge or messages."""
    volunteers = visible_volunteers(user, council)
    return {
        "r": help_request,
        "matches": help_request.matches.select_related("volunteer"),
        "own": set(volunteers.filter(matches__request=help_request).values_list("pk", flat=True)),
        "notes": CoordinatorMessage.objects.filter(
            match__request=help_request, match__volunteer__in=volunteers
        ).select_related("match__volunteer"),
        "is_lead": is_safeguarding_lead(user, council),
    }


def volunteer_matches(user: User, council: Council, person: Volunteer) -> QuerySet[Match]:
    """A volunteer's latest matches on requests the coordinator may see."""
    return person.matches.filter(request__in=visible_requests(user, council)).select_related(
        "request"
    )[:20]


def certificate_in_use(volunteer: Volunteer, number: str) -> bool:
    """Is this DBS certificate number recorded for another volunteer of the council?"""
    return (
        VettingRecord.objects.filter(
            certificate_number=number, volunteer__council_id=volunteer.council_id
        )
        .exclude(volunteer_id=volunteer.pk)
        .exists()
    )


def concerns(council: Council) -> dict[str, Any]:
    rows = SafeguardingConcern.objects.filter(council=council).select_related(
        "request", "volunteer"
    )
    return {"open": rows.filter(status="open"), "closed": rows.filter(~Q(status="open"))[:50]}


# Background work ------------------------------------------------------------------------------

#: Vetting records of people still volunteering (or about to) get expiry reminders.
REMINDED = [Volunteer.Status.CHECKS, Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED]


def expiring_vetting(after: date, until: date) -> QuerySet[VettingRecord]:
    """Checks that run out after ``after`` and by ``until``, of people still volunteering."""
    return VettingRecord.objects.filter(
        expires_on__gt=after, expires_on__lte=until, volunteer__status__in=REMINDED
    ).select_related("volunteer__council")


def stale_requests(council: Council, cutoff: datetime) -> QuerySet[HelpRequest]:
    """Requests closed before ``cutoff`` whose personal details are still kept."""
    return HelpRequest.objects.filter(
        council=council,
        status__in=HelpRequest.CLOSED,
        closed_at__lt=cutoff,
        anonymised_at__isnull=True,
    )
