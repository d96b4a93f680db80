from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "changemaker.insight"
    label = "insight"
    verbose_name = _("Shared view of need")

    def ready(self) -> None:
        from django.urls import reverse

        from changemaker.core.models import Council
        from changemaker.core.registry import Capability, Workspace, register
        from changemaker.insight import (
            api,
            jobs,  # noqa: F401  (registers linkage and retention)
            rules,
        )

        def data_links(council: Council) -> list[tuple[str, str]]:
            return [
                (str(_("Data-sharing agreements")), reverse("insight:agreements")),
                (str(_("Datasets and uploads")), reverse("insight:datasets")),
                (str(_("Linkage runs")), reverse("insight:runs")),
                (str(_("What we process (for the DPIA)")), reverse("insight:processing")),
            ]

        def people_links(council: Council) -> list[tuple[str, str]]:
            return [
                (str(_("Find a person or household")), reverse("insight:search")),
                (str(_("Flags to review")), reverse("insight:flags")),
                (str(_("Your access history")), reverse("insight:my-access")),
            ]

        def statistics_links(council: Council) -> list[tuple[str, str]]:
            return [(str(_("Need by ward")), reverse("insight:statistics"))]

        register(
            Capability(
                label=self.label,
                permissions=rules.PERMISSIONS,
                api=api.router,
                workspaces=[
                    Workspace(
                        "insight.manage_data",
                        _("Shared view of need: data"),
                        _("Agreements, datasets, uploads and linkage"),
                        data_links,
                    ),
                    Workspace(
                        "insight.view_people",
                        _("Early help"),
                        _("People, households and flags, for a stated purpose"),
                        people_links,
                    ),
                    Workspace(
                        "insight.view_statistics",
                        _("Need by ward"),
                        _("Pseudonymised counts for planning"),
                        statistics_links,
                    ),
                ],
            )
        )
