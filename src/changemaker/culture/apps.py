from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "changemaker.culture"
    label = "culture"
    verbose_name = _("Changemaking culture")

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
        from changemaker.culture import (
            api,
            jobs,  # noqa: F401  (registers the report job)
            reports,
            rules,
            selectors,
            welsh,
        )

        def links(council: Council) -> list[tuple[str, str]]:
            return [(str(_("Staff surveys")), reverse("culture:surveys"))]

        register(
            Capability(
                label=self.label,
                permissions=rules.PERMISSIONS,
                api=api.router,
                figures=selectors.figures,
                reports=reports.closed_waves,
                navigation=[
                    NavItem(
                        "culture:my-teams",
                        _("Staff survey results"),
                        permission="culture.view_team_results",
                        order=70,
                    )
                ],
                workspaces=[
                    Workspace(
                        "culture.run_surveys",
                        _("Staff culture survey"),
                        _("Waves, invitations and results"),
                        links,
                    )
                ],
                translations=[
                    TranslationSource(
                        "culture.run_surveys", _("Staff survey waves"), welsh.untranslated
                    )
                ],
            )
        )
