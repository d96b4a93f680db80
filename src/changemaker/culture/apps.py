from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: what the audit log calls culture's events (``core.events.describe``)
AUDIT_EVENTS: dict[str, Any] = {
    "culture.survey_created": _("Culture survey started"),
    "culture.item_added": _("Survey question added"),
    "culture.items_chosen": _("Survey questions chosen"),
    "culture.wave_created": _("Survey round started"),
    "culture.wave_opened": _("Survey round opened"),
    "culture.wave_translated": _("Welsh for a survey round changed"),
    "culture.wave_closed": _("Survey round closed"),
    "culture.chart_uploaded": _("Organisation chart uploaded"),
    "culture.staff_invited": _("Staff invited to the survey"),
    "culture.invitations_sent": _("Survey invitations sent"),
    "culture.answers_saved": _("Survey answers saved"),
    "culture.response_submitted": _("Survey response sent"),
    "culture.comments_read": _("Survey comments read"),
    "culture.comment_reviewed": _("Survey comment checked"),
    "culture.report_computed": _("Survey results worked out"),
    "culture.unit_action_recorded": _("Team's action on the results recorded"),
}


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
                audit_events=AUDIT_EVENTS,
                permissions=rules.PERMISSIONS,
                api=api.router,
                figures=selectors.figures,
                figure_kinds={**selectors.FIGURE_KINDS, **reports.FIGURE_KINDS},
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
