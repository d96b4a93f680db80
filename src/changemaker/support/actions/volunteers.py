"""Volunteers: signing up, their status, DBS checks and training, and expiry reminders."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.models import Council, User
from changemaker.support.actions._shared import _mail, _withdraw
from changemaker.support.errors import NeedsConfirming, SupportError
from changemaker.support.models import (
    Match,
    PartnerOrganisation,
    TrainingRecord,
    VettingRecord,
    VettingReminder,
    Volunteer,
)
from changemaker.support.selectors import certificate_in_use, expiring_vetting, locate

BADGE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REMINDER_DAYS = (60, 30, 7)


def _badge(council: Council) -> str:
    prefix = "".join(ch for ch in council.slug.upper() if ch.isalpha())[:3] or "VOL"
    while True:
        badge = f"{prefix}-" + "".join(secrets.choice(BADGE_ALPHABET) for _ in range(5))
        if not Volunteer.objects.filter(badge_number=badge).exists():
            return badge


@action("support.volunteer.signed_up")
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


@action("support.volunteer.status")
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


@action("support.vetting.recorded")
def record_vetting(
    volunteer: Volunteer,
    *,
    by: User,
    level: str,
    certificate_number: str,
    issued_on: date,
    expires_on: date | None,
    confirm_duplicate: bool = False,
) -> VettingRecord:
    """Record a DBS check. An issue date in the future is refused; a certificate number
    already recorded for another volunteer needs ``confirm_duplicate`` (NeedsConfirming)."""
    if issued_on > timezone.localdate():
        raise SupportError(
            _("The issue date must be today or in the past: check the date on the certificate")
        )
    if expires_on is not None and expires_on <= issued_on:
        raise SupportError(_("The expiry date must be after the issue date"))
    number = certificate_number.strip().upper()
    duplicate = certificate_in_use(volunteer, number)
    if duplicate and not confirm_duplicate:
        raise NeedsConfirming(
            _(
                "This certificate number is already recorded for another volunteer. Each DBS "
                "certificate belongs to one person: check the name on the certificate before "
                "you record it."
            )
        )
    record = VettingRecord.objects.create(
        volunteer=volunteer,
        level=level,
        certificate_number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        checked_by=by,
    )
    audit.record(
        "support.vetting.recorded",
        actor=by,
        council=volunteer.council,
        obj=record,
        level=level,
        duplicate_confirmed=duplicate,
    )
    return record


@action("support.training.recorded")
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


@action("support.vetting.no_reminders_due")
def send_vetting_reminders(today: date | None = None) -> int:
    """Email volunteers whose vetting expires in 60, 30 or 7 days. Safe to run repeatedly:
    each record gets each reminder once; a late first run sends only the nearest one."""
    day = today or timezone.localdate()
    sent = 0
    for record in expiring_vetting(day, day + timedelta(days=max(REMINDER_DAYS))):
        assert record.expires_on is not None
        left = (record.expires_on - day).days
        due = min(d for d in REMINDER_DAYS if left <= d)
        _reminder, created = VettingReminder.objects.get_or_create(record=record, days_before=due)
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
