"""Every write in community support. Views, jobs and commands call these; each is one
transaction and records itself in the audit log (ids and kinds only, never personal data).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.fields import normalise_postcode as normalise_postcode
from changemaker.core.models import Council, Job, Role, User, Ward
from changemaker.support.models import (
    CoordinatorMessage,
    HelpRequest,
    Match,
    PartnerOrganisation,
    Postcode,
    SafeguardingConcern,
    SafeguardingFlag,
    SupportSettings,
    TrainingRecord,
    VettingLevel,
    VettingRecord,
    VettingReminder,
    Volunteer,
)

BADGE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REMINDER_DAYS = (60, 30, 7)
CONCERN_FLAGS = {SafeguardingFlag.ABUSE, SafeguardingFlag.NEGLECT, SafeguardingFlag.MENTAL_HEALTH}


class SupportError(Exception):
    """Safe to show to the person: says what is wrong and what to do."""


# Postcodes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    postcode: str
    lat: float | None
    lon: float | None
    ward: Ward | None


def locate(council: Council, raw: str) -> Place:
    """Coordinates and ward of a postcode's centre (never a home's exact position)."""
    postcode = normalise_postcode(raw)
    if postcode is None:
        raise SupportError(_("Enter a real postcode, like EX1 1AA"))
    row = Postcode.objects.filter(postcode=postcode).first()
    ward = None
    if row is not None and row.ward_code:
        ward = Ward.objects.filter(council=council, code=row.ward_code).first()
    if ward is None:
        district = postcode.split()[0]
        ward = next((w for w in council.wards.all() if district in w.postcode_districts), None)
    return Place(postcode, row.lat if row else None, row.lon if row else None, ward)


@transaction.atomic
def import_postcodes(rows: Iterable[tuple[str, float, float, str]], *, source: str) -> int:
    """Insert or update postcode centres; all or nothing. Returns how many were written."""
    batch = [Postcode(postcode=p, lat=lat, lon=lon, ward_code=w) for p, lat, lon, w in rows]
    Postcode.objects.bulk_create(
        batch,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["lat", "lon", "ward_code"],
    )
    audit.record("support.postcodes.imported", count=len(batch), source=source)
    return len(batch)


# Who sees what ------------------------------------------------------------------------------


def partner_scope(user: User, council: Council) -> list[int] | None:
    """Partner organisations a coordinator is limited to; None means the whole council."""
    ids = list(
        PartnerOrganisation.objects.filter(council=council, memberships__user=user).values_list(
            "pk", flat=True
        )
    )
    return ids or None


def visible_volunteers(user: User, council: Council) -> QuerySet[Volunteer]:
    qs = Volunteer.objects.filter(council=council)
    scope = partner_scope(user, council)
    return qs if scope is None else qs.filter(organisation__in=scope)


def visible_requests(user: User, council: Council) -> QuerySet[HelpRequest]:
    qs = HelpRequest.objects.filter(council=council)
    scope = partner_scope(user, council)
    return qs if scope is None else qs.filter(organisation__in=scope)


def settings_for(council: Council) -> SupportSettings:
    found, _created = SupportSettings.objects.get_or_create(council=council)
    return found


def is_safeguarding_lead(user: User, council: Council) -> bool:
    """The named lead; with none named, the council-wide coordinators."""
    lead_id = settings_for(council).safeguarding_lead_id
    if lead_id is not None:
        return bool(user.pk == lead_id)
    return Role.SUPPORT_COORDINATOR in user.roles_in(council) and (
        partner_scope(user, council) is None
    )


def _mail(to: Iterable[str], subject: str, body: str) -> None:
    recipients = [a for a in to if a]
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        )


# Volunteers ---------------------------------------------------------------------------------


def _badge(council: Council) -> str:
    prefix = "".join(ch for ch in council.slug.upper() if ch.isalpha())[:3] or "VOL"
    while True:
        badge = f"{prefix}-" + "".join(secrets.choice(BADGE_ALPHABET) for _ in range(5))
        if not Volunteer.objects.filter(badge_number=badge).exists():
            return badge


@transaction.atomic
def sign_up_volunteer(
    council: Council,
    *,
    user: User | None,
    by: User | None,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    postcode: str,
    date_of_birth: date,
    skills: list[str],
    available_days: list[int],
    max_distance_km: float,
    capacity: int,
    organisation: PartnerOrganisation | None = None,
    guardian_name: str = "",
    guardian_email: str = "",
    guardian_consent: bool = False,
) -> Volunteer:
    if user is not None and Volunteer.objects.filter(council=council, user=user).exists():
        raise SupportError(_("You have already signed up to volunteer."))
    place = locate(council, postcode)
    volunteer = Volunteer(
        council=council,
        user=user,
        organisation=organisation,
        badge_number=_badge(council),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        postcode=place.postcode,
        lat=place.lat,
        lon=place.lon,
        ward=place.ward,
        skills=sorted(set(skills)),
        available_days=sorted({int(d) for d in available_days}),
        max_distance_km=max_distance_km,
        capacity=capacity,
        date_of_birth=date_of_birth,
    )
    if volunteer.is_minor:
        if not (guardian_name.strip() and guardian_email.strip() and guardian_consent):
            raise SupportError(
                _("Volunteers under 18 need a parent or guardian's name, email and consent.")
            )
        volunteer.guardian_name = guardian_name.strip()
        volunteer.guardian_email = guardian_email.strip().lower()
        volunteer.guardian_consent_at = timezone.now()
    volunteer.save()
    audit.record(
        "support.volunteer.signed_up",
        actor=by,
        council=council,
        obj=volunteer,
        organisation=organisation.pk if organisation else None,
    )
    return volunteer


ALLOWED_MOVES: dict[str, set[str]] = {
    Volunteer.Status.APPLIED: {Volunteer.Status.CHECKS, Volunteer.Status.LEFT},
    Volunteer.Status.CHECKS: {Volunteer.Status.ACTIVE, Volunteer.Status.LEFT},
    Volunteer.Status.ACTIVE: {Volunteer.Status.PAUSED, Volunteer.Status.LEFT},
    Volunteer.Status.PAUSED: {Volunteer.Status.ACTIVE, Volunteer.Status.LEFT},
    Volunteer.Status.LEFT: {Volunteer.Status.APPLIED},
}


@transaction.atomic
def change_volunteer_status(volunteer: Volunteer, *, status: str, reason: str, by: User) -> None:
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if status not in ALLOWED_MOVES[volunteer.status]:
        raise SupportError(
            _("A volunteer who is %(now)s cannot be moved to %(to)s.")
            % {
                "now": volunteer.get_status_display().lower(),
                "to": Volunteer.Status(status).label.lower(),
            }
        )
    if status in {Volunteer.Status.PAUSED, Volunteer.Status.LEFT} and not reason.strip():
        raise SupportError(_("Give a reason for pausing or leaving"))
    if (
        status == Volunteer.Status.ACTIVE
        and volunteer.is_minor
        and not volunteer.guardian_consent_at
    ):
        raise SupportError(_("A volunteer under 18 needs a guardian's consent first."))
    if status in {Volunteer.Status.PAUSED, Volunteer.Status.LEFT}:
        for match in volunteer.matches.filter(status__in=[Match.Status.PROPOSED, *Match.LIVE]):
            _withdraw(match, by=by, why="volunteer_" + status)
    before = volunteer.status
    volunteer.status = status
    volunteer.status_reason = reason.strip()
    volunteer.save(update_fields=["status", "status_reason"])
    audit.record(
        "support.volunteer.status",
        actor=by,
        council=volunteer.council,
        obj=volunteer,
        before=before,
        after=status,
    )


@transaction.atomic
def record_vetting(
    volunteer: Volunteer,
    *,
    by: User,
    level: str,
    certificate_number: str,
    issued_on: date,
    expires_on: date | None,
) -> VettingRecord:
    if expires_on is not None and expires_on <= issued_on:
        raise SupportError(_("The expiry date must be after the issue date"))
    record = VettingRecord.objects.create(
        volunteer=volunteer,
        level=level,
        certificate_number=certificate_number.strip().upper(),
        issued_on=issued_on,
        expires_on=expires_on,
        checked_by=by,
    )
    audit.record(
        "support.vetting.recorded", actor=by, council=volunteer.council, obj=record, level=level
    )
    return record


@transaction.atomic
def record_training(
    volunteer: Volunteer, *, by: User, course: str, completed_on: date, expires_on: date | None
) -> TrainingRecord:
    record = TrainingRecord.objects.create(
        volunteer=volunteer,
        course=course,
        completed_on=completed_on,
        expires_on=expires_on,
        recorded_by=by,
    )
    audit.record(
        "support.training.recorded", actor=by, council=volunteer.council, obj=record, course=course
    )
    return record


def send_vetting_reminders(today: date | None = None) -> int:
    """Email volunteers whose vetting expires in 60, 30 or 7 days. Safe to run repeatedly:
    each record gets each reminder once; a late first run sends only the nearest one."""
    day = today or timezone.localdate()
    sent = 0
    horizon = day + timedelta(days=max(REMINDER_DAYS))
    records = VettingRecord.objects.filter(
        expires_on__gt=day,
        expires_on__lte=horizon,
        volunteer__status__in=[
            Volunteer.Status.CHECKS,
            Volunteer.Status.ACTIVE,
            Volunteer.Status.PAUSED,
        ],
    ).select_related("volunteer__council")
    for record in records:
        assert record.expires_on is not None
        left = (record.expires_on - day).days
        due = min(d for d in REMINDER_DAYS if left <= d)
        with transaction.atomic():
            _reminder, created = VettingReminder.objects.get_or_create(
                record=record, days_before=due
            )
            if not created:
                continue
            volunteer = record.volunteer
            _mail(
                [volunteer.email],
                _("Your DBS check runs out in %(n)s days") % {"n": left},
                _(
                    "Hello %(name)s,\n\nYour %(level)s check runs out on %(day)s. Please contact "
                    "your volunteer coordinator to renew it, so you can keep helping.\n\n"
                    "%(council)s"
                )
                % {
                    "name": volunteer.first_name,
                    "level": record.get_level_display(),
                    "day": record.expires_on.strftime("%d %B %Y"),
                    "council": volunteer.council.name,
                },
            )
            audit.record(
                "support.vetting.reminder",
                council=volunteer.council,
                obj=record,
                days_before=due,
            )
            sent += 1
    return sent


# Help requests ------------------------------------------------------------------------------


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
def cancel_request(request: HelpRequest, *, by: User) -> None:
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status in HelpRequest.CLOSED:
        raise SupportError(_("This request is already closed."))
    for match in request.matches.filter(status__in=[Match.Status.PROPOSED, *Match.LIVE]):
        _withdraw(match, by=by, why="request_cancelled")
    request.status = HelpRequest.Status.CANCELLED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    audit.record("support.request.cancelled", actor=by, council=request.council, obj=request)


@transaction.atomic
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
        stale = HelpRequest.objects.filter(
            council=council,
            status__in=HelpRequest.CLOSED,
            closed_at__lt=cutoff,
            anonymised_at__isnull=True,
        )
        count = 0
        for request in stale:
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


# Matching -----------------------------------------------------------------------------------


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
def withdraw_match(match: Match, *, by: User) -> None:
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status not in {Match.Status.PROPOSED, *Match.LIVE}:
        raise SupportError(_("This match is already finished."))
    _withdraw(match, by=by, why="coordinator")


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


# Safeguarding -------------------------------------------------------------------------------


@transaction.atomic
def raise_concern(
    council: Council,
    *,
    by: User | None,
    details: str,
    request: HelpRequest | None = None,
    volunteer: Volunteer | None = None,
    is_incident: bool = False,
) -> SafeguardingConcern:
    concern = SafeguardingConcern.objects.create(
        council=council,
        raised_by=by,
        details=details.strip(),
        request=request,
        volunteer=volunteer,
        is_incident=is_incident,
    )
    audit.record("support.concern.raised", actor=by, council=council, obj=concern)
    lead = settings_for(council).safeguarding_lead
    to = [lead.email] if lead is not None else [council.contact_email]
    _mail(
        to,
        _("New safeguarding concern"),
        _(
            "A safeguarding concern (number %(n)s) has been raised. Sign in to read it. "
            "Details are not sent by email."
        )
        % {"n": concern.pk},
    )
    return concern


@transaction.atomic
def close_concern(concern: SafeguardingConcern, *, by: User, notes: str) -> None:
    concern.status = SafeguardingConcern.Status.CLOSED
    concern.lead_notes = notes.strip()
    concern.save(update_fields=["status", "lead_notes"])
    audit.record("support.concern.closed", actor=by, council=concern.council, obj=concern)


def active_scope_filter(scope: list[int] | None) -> Q:
    return Q() if scope is None else Q(organisation__in=scope)


def hours_logged(volunteer: Volunteer) -> Decimal:
    total: Any = sum(
        (m.hours for m in volunteer.matches.filter(status=Match.Status.COMPLETED) if m.hours),
        Decimal("0"),
    )
    return Decimal(total)
