from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: what the audit log calls community support's events (``core.events.describe``)
AUDIT_EVENTS: dict[str, Any] = {
    "support.postcodes.imported": _("Postcodes imported"),
    "support.volunteer.signed_up": _("Volunteer signed up"),
    "support.volunteer.status": _("Volunteer's status changed"),
    "support.volunteer.viewed": _("Volunteer's details viewed"),
    "support.volunteers.listed": _("Volunteers listed"),
    "support.vetting.recorded": _("Vetting check recorded"),
    "support.vetting.reminder": _("Vetting renewal reminder sent"),
    "support.vetting.no_reminders_due": _("No vetting reminders due"),
    "support.training.recorded": _("Training recorded"),
    "support.request.created": _("Help request made"),
    "support.request.triaged": _("Help request triaged"),
    "support.request.cancelled": _("Help request cancelled"),
    "support.request.viewed": _("Help request viewed"),
    "support.requests.listed": _("Help requests listed"),
    "support.requests.anonymised": _("Old help requests anonymised"),
    "support.requests.none_to_anonymise": _("No old help requests to anonymise"),
    "support.match.proposed": _("Match proposed"),
    "support.proposals.viewed": _("Match proposals viewed"),
    "support.match.confirmed": _("Match confirmed"),
    "support.match.answered": _("Volunteer answered a match"),
    "support.match.accepted": _("Match accepted by the volunteer"),
    "support.match.declined": _("Match declined by the volunteer"),
    "support.match.withdrawn": _("Match withdrawn"),
    "support.match.completed": _("Match completed"),
    "support.message.sent": _("Message sent about a match"),
    "support.concern.raised": _("Safeguarding concern raised"),
    "support.concern.viewed": _("Safeguarding concern viewed"),
    "support.concerns.listed": _("Safeguarding concerns listed"),
    "support.concern.closed": _("Safeguarding concern closed"),
}


class SupportConfig(AppConfig):
    name = "changemaker.support"
    label = "support"
    verbose_name = _("Community support")

    def ready(self) -> None:
        from django.urls import reverse

        from changemaker.core.models import Council
        from changemaker.core.registry import Capability, NavItem, Workspace, register
        from changemaker.support import (
            api,
            jobs,  # noqa: F401  (registers the matching job)
            notices,
            rules,
        )

        def links(council: Council) -> list[tuple[str, str]]:
            return [
                (str(_("Overview and matching")), reverse("support:dashboard")),
                (str(_("Help requests")), reverse("support:requests")),
                (str(_("Volunteers")), reverse("support:volunteers")),
            ]

        register(
            Capability(
                label=self.label,
                audit_events=AUDIT_EVENTS,
                permissions=rules.PERMISSIONS,
                api=api.router,
                navigation=[NavItem("support:start", _("Get or give help"), order=40)],
                workspaces=[
                    Workspace(
                        "support.coordinate",
                        _("Community support"),
                        _("Volunteers and help requests"),
                        links,
                    )
                ],
                # help requests per address (signed out) or per account (signed in)
                throttles={"support.help_request": "10/hour"},
                notices=notices.KINDS,
            )
        )
