"""Safeguarding concerns: raised by anyone involved, read and closed by the lead."""

from __future__ import annotations

from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.models import Council, User
from changemaker.support.actions._shared import _mail
from changemaker.support.models import HelpRequest, SafeguardingConcern, Volunteer
from changemaker.support.selectors import settings_for


@action("support.concern.raised")
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


@action("support.concern.closed")
def close_concern(concern: SafeguardingConcern, *, by: User, notes: str) -> None:
    concern.status = SafeguardingConcern.Status.CLOSED
    concern.lead_notes = notes.strip()
    concern.save(update_fields=["status", "lead_notes"])
    audit.record("support.concern.closed", actor=by, council=concern.council, obj=concern)
