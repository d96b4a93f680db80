from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
                permissions=rules.PERMISSIONS,
                api=api.router,
                reports=reports.published_pilots,
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
