"""Every write in core goes through these functions; views stay thin (Zulip's actions layer).

Each action is one transaction and records what it did in the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.models import Council, Invitation, Job, Role, RoleAssignment, User, Ward

INVITATION_DAYS = 7


class ActionError(Exception):
    """An action could not be done; the message is safe to show to the person."""


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "changemaker.core.email-verification"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send(template: str, to: str, context: dict[str, Any]) -> None:
    subject = render_to_string(f"core/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"core/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@transaction.atomic
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


@transaction.atomic
def verify_email(user: User, token: str) -> bool:
    if user.email_verified:
        return True
    if not email_verification_token.check_token(user, token):
        return False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    audit.record("account.email_verified", actor=user, obj=user)
    return True


@transaction.atomic
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
        token_hash=_hash(token),
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


def find_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("council").filter(token_hash=_hash(token)).first()
    )
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
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


@transaction.atomic
def update_council(council: Council, *, by: User, changed: list[str]) -> Council:
    council.full_clean()
    council.save()
    audit.record("council.updated", actor=by, council=council, obj=council, fields=changed)
    return council


@transaction.atomic
def save_ward(ward: Ward, *, by: User) -> Ward:
    created = ward.pk is None
    ward.full_clean()
    ward.save()
    audit.record(
        "ward.created" if created else "ward.updated", actor=by, council=ward.council, obj=ward
    )
    return ward


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
    from changemaker.core.jobs import get_handler, run_job

    get_handler(kind)  # unknown kinds fail here, not in the worker
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, title=title, params=params or {}, council=council, created_by=by
        )
        audit.record("job.started", actor=by, council=council, obj=job, kind=kind)
        job_id = str(job.pk)
        task = run_job.using(run_after=timezone.now() + delay) if delay else run_job
        transaction.on_commit(lambda: task.enqueue(job_id))
    return job
