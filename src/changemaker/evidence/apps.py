from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: what the audit log calls evidence's events (``core.events.describe``)
AUDIT_EVENTS: dict[str, Any] = {
    "evidence.pilot_created": _("Pilot added"),
    "evidence.pilot_updated": _("Pilot changed"),
    "evidence.pilot_registered": _("Pilot plan registered"),
    "evidence.pilot_replicated": _("Pilot copied from another council's practice"),
    "evidence.status_changed": _("Pilot status changed"),
    "evidence.upload_started": _("Outcome data upload started"),
    "evidence.extract_started": _("Outcome data asked for from the shared view of need"),
    "evidence.data_stored": _("Outcome data stored"),
    "evidence.analysis_started": _("Analysis started"),
    "evidence.analysed": _("Analysis done"),
    "evidence.rating_overridden": _("Evidence rating changed with a reason"),
    "evidence.registry_exported": _("Pilot register downloaded"),
    "evidence.subscribed": _("Practice feed followed"),
    "evidence.unsubscribed": _("Practice feed no longer followed"),
    "evidence.feed_check_started": _("Practice feed check started"),
    "evidence.feed_checked": _("Practice feed checked"),
}


class EvidenceConfig(AppConfig):
    name = "changemaker.evidence"
    label = "evidence"
    verbose_name = _("Pilots and evidence")

    def ready(self) -> None:
        from django.urls import reverse

        from changemaker.core.models import Council
        from changemaker.core.registry import (
            Capability,
            NavItem,
            TranslationSource,
            Workspace,
            register,
        )
        from changemaker.evidence import (
            api,
            jobs,  # noqa: F401  (registers the upload and analysis jobs)
            reports,
            rules,
            selectors,
        )

        def links(council: Council) -> list[tuple[str, str]]:
            return [
                (str(_("Pilot register")), reverse("evidence:staff")),
                (str(_("Register a new pilot")), reverse("evidence:staff-new")),
            ]

        register(
            Capability(
                label=self.label,
                audit_events=AUDIT_EVENTS,
                permissions=rules.PERMISSIONS,
                api=api.router,
                reports=reports.published_pilots,
                figure_kinds=reports.FIGURE_KINDS,
                navigation=[NavItem("evidence:library", _("What works"), order=60)],
                workspaces=[
                    Workspace(
                        "evidence.manage",
                        _("Pilots and evidence"),
                        _("Register pilots, analyse their outcomes and publish what works"),
                        links,
                    )
                ],
                translations=[
                    TranslationSource(
                        "evidence.manage", _("Practice cards"), selectors.untranslated
                    )
                ],
                practice_sources=[
                    lambda c: [
                        (k.pilot.title, reverse("evidence:card", args=[k.pilot.slug]))
                        for k in selectors.library(c)
                    ]
                ],
            )
        )
