"""Every write in core goes through these functions; views stay thin (Zulip's actions layer).

Each action is one transaction and records what it did in the audit log.
"""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.geo import read_boundaries
from changemaker.core.jobs import enqueue, get_handler, recover_lost_jobs
from changemaker.core.models import (
    Council,
    CouncilDomain,
    EnrolmentLink,
    Invitation,
    Job,
    Role,
    RoleAssignment,
    User,
    Ward,
)
from changemaker.core.selectors import COUNCIL_STAFF_ROLES, host_taken, token_hash
from changemaker.core.validators import LOGO_MESSAGES, MAX_LOGO_DISPLAY, publishable

INVITATION_DAYS = 7
ENROLMENT_LINK_MINUTES = 60


class ActionError(Exception):
    """An action could not be done; the message is safe to show to the person."""


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "changemaker.core.email-verification"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


def _send(template: str, to: str, context: dict[str, Any]) -> None:
    subject = render_to_string(f"core/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"core/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@action("account.registered")
def register_resident(
    *,
    council: Council,
    name: str,
    email: str,
    password: str,
    verify_url: Any,
    sign_in_url: str = "",
    reset_url: str = "",
) -> User | None:
    """Create a resident account and send the link that verifies the email address.

    ``verify_url(user, token)`` builds the absolute link (the view knows the host). If the
    address already has an account, nothing is created and its owner is told by email (with
    ``sign_in_url`` and ``reset_url``) that someone tried to register it: the person registering
    sees the same answer either way, so the form does not reveal who has an account.
    """
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(password)  # the same work as creating an account, so no timing tell
        audit.record("account.registration_for_existing_email", council=council, obj=existing)
        context = {
            "user": existing,
            "council": council,
            "sign_in": sign_in_url,
            "reset": reset_url,
        }
        transaction.on_commit(lambda: _send("already_registered", existing.email, context))
        return None
    user = User.objects.create_user(email=email, password=password, name=name.strip())
    RoleAssignment.objects.create(user=user, council=council, role=Role.RESIDENT)
    audit.record("account.registered", actor=user, council=council, obj=user)
    token = email_verification_token.make_token(user)
    link = verify_url(user, token)
    transaction.on_commit(
        lambda: _send("verify", email, {"user": user, "council": council, "link": link})
    )
    return user


@action("account.email_verified_again")
def verify_email(user: User, token: str) -> bool:
    if user.email_verified:
        return True
    if not email_verification_token.check_token(user, token):
        audit.record("account.email_verification_refused", obj=user)
        return False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    audit.record("account.email_verified", actor=user, obj=user)
    return True


@action("account.password_reset")
def reset_password(form: Any, *, council: Council | None = None) -> User:
    """Save a new password from a valid reset form (its link proved the email address), and end
    any sign-in pause on the account (django-axes' failures for every address)."""
    user: User = form.save()
    axes_reset(username=user.email)
    audit.record("account.password_reset", actor=user, council=council, obj=user)
    return user


@action("staff.invited")
def invite_staff(
    *, council: Council, email: str, role: str, invited_by: User, accept_url: Any
) -> Invitation:
    if role not in {r.value for r in Role} or role in {Role.RESIDENT, Role.PLATFORM_ADMIN}:
        raise ActionError(_("Select a staff role"))
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        council=council,
        email=email.strip().lower(),
        role=role,
        token_hash=token_hash(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit.record("staff.invited", actor=invited_by, council=council, obj=invitation, role=role)
    link = accept_url(token)
    transaction.on_commit(
        lambda: _send(
            "invite",
            invitation.email,
            {
                "council": council,
                "role": invitation.get_role_display(),
                "link": link,
                "days": INVITATION_DAYS,
            },
        )
    )
    return invitation


@action("staff.invitation_accepted")
def accept_invitation(
    invitation: Invitation, *, user: User | None = None, name: str = "", password: str = ""
) -> User:
    """Give the invited person their role, creating their account if they have none."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ActionError(_("This invitation has expired or has been used. Ask for a new one."))
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            name=name.strip(),
            email_verified_at=timezone.now(),
        )
    elif user.email.lower() != invitation.email:
        raise ActionError(_("This invitation is for a different email address."))
    RoleAssignment.objects.get_or_create(
        user=user,
        council=invitation.council,
        role=invitation.role,
        defaults={"granted_by": invitation.invited_by},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        "staff.invitation_accepted",
        actor=user,
        council=invitation.council,
        obj=invitation,
        role=invitation.role,
    )
    return user


# Two-factor sign-in. The authenticator key being set up is kept in the session until its first
# code is right; only then is anything written. Recovery codes are shown once and stored only
# as keyed hashes (django-otp's static tokens, which hold at most 16 characters).
RECOVERY_CODES = 10


def _recovery_hash(code: str) -> str:
    normalised = code.strip().lower().replace("-", "").replace(" ", "")
    return salted_hmac("changemaker.recovery-code", normalised, algorithm="sha256").hexdigest()[:16]


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes; returns the new ones (shown once, never stored)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(5)).decode().lower()  # 8 characters
        codes.append(f"{raw[:4]}-{raw[4:]}")
        StaticToken.objects.create(device=device, token=_recovery_hash(raw))
    return codes


def _totp_step(key: str, code: str) -> int | None:
    """The time step at which ``code`` is right for an authenticator ``key`` (hex) that is not
    saved yet (now, give or take one step), or None."""
    if not code.strip().isdigit():
        return None
    totp = TOTP(bytes.fromhex(key))
    if not totp.verify(int(code), tolerance=1):
        return None
    return int(totp.t() + totp.drift)


@action("account.two_factor_added")
def enable_two_factor(user: User, *, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Save the authenticator (hex ``key``) once its first ``code`` is right; returns the device
    and new recovery codes (to show once)."""
    step = _totp_step(key, code)
    if step is None:
        raise ActionError(_("The security code is wrong or has expired. Try again."))
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user,
        name="Authenticator app",
        key=key,
        confirmed=True,
        last_t=step,  # the code that set it up cannot be used again to sign in
    )
    codes = _new_recovery_codes(user)
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    audit.record("account.two_factor_added", actor=user, obj=user)
    return device, codes


@action("account.two_factor_link_sent")
def send_two_factor_link(
    user: User, *, link_url: Any, council: Council | None = None
) -> EnrolmentLink:
    """Email the account's address a one-time link that lets this person set up an
    authenticator (``link_url(token)`` builds it); earlier links stop working. Holding the
    password is not enough to set one up on an account that has none."""
    now = timezone.now()
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    link = EnrolmentLink.objects.create(
        user=user,
        token_hash=token_hash(token),
        expires_at=now + timedelta(minutes=ENROLMENT_LINK_MINUTES),
    )
    audit.record("account.two_factor_link_sent", actor=user, council=council, obj=user)
    context = {"council": council, "link": link_url(token), "minutes": ENROLMENT_LINK_MINUTES}
    transaction.on_commit(lambda: _send("two_factor_link", user.email, context))
    return link


@action("account.two_factor_link_used")
def use_two_factor_link(user: User, token: str, *, council: Council | None = None) -> bool:
    """Use up an emailed set-up link: True if it is this person's, unused and in time."""
    link = (
        EnrolmentLink.objects.select_for_update()
        .filter(user=user, token_hash=token_hash(token))
        .first()
    )
    if link is None or not link.is_open:
        audit.record("account.two_factor_link_refused", actor=user, council=council, obj=user)
        return False
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    audit.record("account.two_factor_link_used", actor=user, council=council, obj=user)
    return True


@action("account.recovery_codes_replaced")
def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _new_recovery_codes(user)
    audit.record("account.recovery_codes_replaced", actor=user, obj=user)
    return codes


@action("account.two_factor_removed")
def disable_two_factor(user: User, *, council: Council | None) -> None:
    if user.needs_two_factor(council):
        raise ActionError(
            _("Your role lets you see personal data, so two-factor sign-in must stay on.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record("account.two_factor_removed", actor=user, obj=user)


@action("account.second_factor_checked")
def check_second_factor(user: User, code: str) -> Device | None:
    """The device that accepts ``code`` (an authenticator code or an unused recovery code), or
    None. A recovery code is used up. Failures count towards each device's throttle."""
    code = code.strip()
    if code.isdigit():
        for totp_device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
            if totp_device.verify_token(code):
                return totp_device
        return None
    for static in StaticDevice.objects.devices_for_user(user, confirmed=True):
        if static.verify_token(_recovery_hash(code)):
            left = static.token_set.count()
            audit.record("account.recovery_code_used", actor=user, obj=user, left=left)
            return static
    return None


@action("council.updated")
def update_council(council: Council, *, by: User, changed: list[str]) -> Council:
    """Save the council's details; a new logo is stored redrawn from its pixels only."""
    council.full_clean()
    if "logo" in changed and council.logo:
        clean = publishable(council.logo, max_display=MAX_LOGO_DISPLAY, messages=LOGO_MESSAGES)
        council.logo.save(f"logo.{clean.suffix}", ContentFile(clean.data), save=False)
    council.save()
    audit.record("council.updated", actor=by, council=council, obj=council, fields=changed)
    return council


def _hosts_free(council: Council, hosts: list[str]) -> None:
    for host in hosts:
        if host_taken(host, council.pk):
            raise ActionError(_("Another council already answers on %(host)s") % {"host": host})


@action("council.created")
def save_council(
    council: Council,
    *,
    other_domains: list[str],
    by: User,
    first_admin: str = "",
    accept_url: Any = None,
) -> Council:
    """A platform administrator adds or changes a council and the host names it answers on
    (each lower-case, no two councils sharing one); ``first_admin``, when given, is invited
    as its council administrator."""
    created = council.pk is None
    hosts = [h for h in [council.domain, *other_domains] if h]
    _hosts_free(council, hosts)
    council.full_clean()
    council.save()
    CouncilDomain.objects.filter(council=council).exclude(host__in=other_domains).delete()
    for host in other_domains:
        CouncilDomain.objects.get_or_create(council=council, host=host)
    audit.record(
        "council.created" if created else "council.updated",
        actor=by,
        council=council,
        obj=council,
        web_addresses=len(hosts),
    )
    if first_admin:
        invite_staff(
            council=council,
            email=first_admin,
            role=Role.COUNCIL_ADMIN,
            invited_by=by,
            accept_url=accept_url,
        )
    return council


def _keep_an_administrator(council: Council, person: User, losing: set[str], by: User) -> None:
    """Refuse a change that would leave the council with no council administrator, unless a
    platform administrator makes it (they can always step in)."""
    if Role.COUNCIL_ADMIN not in losing or Role.PLATFORM_ADMIN in by.roles_in(council):
        return
    admins = RoleAssignment.objects.select_for_update().filter(
        council=council, role=Role.COUNCIL_ADMIN, user__is_active=True
    )
    if not [a for a in admins if a.user_id != person.pk]:
        if person.pk == by.pk:
            raise ActionError(
                _(
                    "You are the only council administrator, so you cannot remove your own "
                    "council administrator role. Give someone else the role first."
                )
            )
        raise ActionError(
            _(
                "They are the only council administrator. Give someone else the role before "
                "you remove theirs."
            )
        )


def _held(council: Council, person: User) -> dict[str, RoleAssignment]:
    held = RoleAssignment.objects.select_for_update().filter(
        council=council, user=person, role__in=COUNCIL_STAFF_ROLES
    )
    return {a.role: a for a in held}


@action("staff.role_changed")
def change_staff_roles(
    *, council: Council, person: User, roles: list[str], by: User
) -> tuple[list[str], list[str]]:
    """Give and take away a staff member's roles in this council; returns (added, removed)."""
    wanted = set(roles)
    if not wanted <= COUNCIL_STAFF_ROLES:
        raise ActionError(_("Select only staff roles"))
    if not wanted:
        raise ActionError(
            _("Select at least one role, or remove them from this council if they are leaving")
        )
    held = _held(council, person)
    if not held:
        raise ActionError(_("They have no staff role in this council"))
    added, removed = sorted(wanted - set(held)), sorted(set(held) - wanted)
    _keep_an_administrator(council, person, set(removed), by)
    for role in removed:
        held[role].delete()
    for role in added:
        RoleAssignment.objects.create(user=person, council=council, role=role, granted_by=by)
    audit.record(
        "staff.role_changed", actor=by, council=council, obj=person, added=added, removed=removed
    )
    return added, removed


@action("staff.role_removed")
def remove_from_council(*, council: Council, person: User, by: User) -> list[str]:
    """A leaver: every staff role they hold in this council goes, and their open invitations to
    it are withdrawn. Their account stays (and a resident's role, if they live here)."""
    held = _held(council, person)
    if not held:
        raise ActionError(_("They have no staff role in this council"))
    _keep_an_administrator(council, person, set(held), by)
    for assignment in held.values():
        assignment.delete()
    withdrawn = Invitation.objects.filter(
        council=council,
        email__iexact=person.email,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).update(expires_at=timezone.now())
    audit.record(
        "staff.role_removed",
        actor=by,
        council=council,
        obj=person,
        removed=sorted(held),
        left_council=True,
        invitations_withdrawn=withdrawn,
    )
    return sorted(held)


@action("staff.two_factor_reset")
def reset_two_factor(*, council: Council, person: User, by: User) -> None:
    """A staff member lost their authenticator and recovery codes: their administrator clears
    two-factor sign-in so they can set it up again (which needs their password and a link sent
    to their email address). They are told by email, in case it was not asked for."""
    if person.pk == by.pk:
        raise ActionError(_("To change your own two-factor sign-in, use your account page"))
    if not _held(council, person):
        raise ActionError(_("They have no staff role in this council"))
    if person.role_assignments.filter(council=None).exists():
        raise ActionError(
            _(
                "A platform administrator's two-factor sign-in can only be reset by another "
                "platform administrator"
            )
        )
    removed = TOTPDevice.objects.filter(user=person).delete()[0]
    StaticDevice.objects.filter(user=person).delete()
    if not removed:
        raise ActionError(
            _("They have not set up two-factor sign-in, so there is nothing to reset")
        )
    audit.record("staff.two_factor_reset", actor=by, council=council, obj=person)
    transaction.on_commit(
        lambda: _send("two_factor_reset", person.email, {"council": council.name})
    )


@action("ward.saved")
def save_ward(ward: Ward, *, by: User) -> Ward:
    created = ward.pk is None
    ward.full_clean()
    ward.save()
    audit.record(
        "ward.created" if created else "ward.updated", actor=by, council=ward.council, obj=ward
    )
    return ward


@action("ward.boundaries_imported")
def import_ward_boundaries(
    council: Council, data: bytes | str, *, file: str, by: User | None
) -> dict[str, Any]:
    """Read an ONS ward boundaries GeoJSON file and store the council's wards' boundaries,
    matched by ward code: all or nothing (a core.geo.BoundaryError says where each problem
    is). Returns the wards drawn and those the file had no boundary for (names)."""
    wards = list(council.wards.all())
    boundaries = {
        b.code: b for b in read_boundaries(data, file=file, codes=[w.code for w in wards])
    }
    missing = []
    for ward in wards:
        found = boundaries.get(ward.code.upper())
        if found is None:
            missing.append(ward.name)
            continue
        ward.boundary = found.geometry
        ward.save(update_fields=["boundary"])
    audit.record(
        "ward.boundaries_imported",
        actor=by,
        council=council,
        drawn=len(boundaries),
        without=len(missing),
    )
    return {
        "drawn": sorted(w.name for w in wards if w.code.upper() in boundaries),
        "missing": missing,
    }


@action("job.started")
def start_job(
    kind: str,
    *,
    title: str,
    params: dict[str, Any] | None = None,
    council: Council | None = None,
    by: User | None = None,
    delay: timedelta | None = None,
) -> Job:
    """Queue long work for the background worker; returns the job to follow.

    ``delay`` holds the run back (to let more changes arrive: debouncing).
    """
    get_handler(kind)  # unknown kinds fail here, not in the worker
    recover_lost_jobs(kind=kind)  # a dead worker's job of this kind must not block this one
    return enqueue(kind, title=title, params=params, council=council, by=by, delay=delay)
