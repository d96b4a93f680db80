from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: what the audit log calls consultations' events (``core.events.describe``)
AUDIT_EVENTS: dict[str, Any] = {
    "consultation.created": _("Consultation started"),
    "consultation.translated": _("Consultation's Welsh saved"),
    "consultation.invited": _("People invited to a consultation"),
    "consultation.joined": _("Joined a consultation"),
    "consultation.voted": _("Voted on a statement"),
    "consultation.statement_added": _("Statement written"),
    "consultation.statement_seeded": _("Statement added by staff to start the conversation"),
    "consultation.statement_reported": _("Statement reported"),
    "consultation.moderated": _("Statement checked"),
    "consultation.sample_votes_added": _("Sample votes added (demo)"),
    "consultation.map_requested": _("Opinion map asked for"),
    "consultation.mapped": _("Opinion map drawn"),
    "consultation.import_queued": _("Polis conversation import started"),
    "consultation.imported": _("Polis conversation imported"),
    "consultation.exported": _("Consultation downloaded with every statement"),
}


class ConsultationsConfig(AppConfig):
    name = "changemaker.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from changemaker.consultations import (
            api,
            jobs,  # noqa: F401  (registers the map job)
            notices,
            proposals,
            reports,
            rules,
            selectors,
        )
        from changemaker.consultations.models import Consultation
        from changemaker.core.models import Council
        from changemaker.core.registry import (
            Capability,
            NavItem,
            TranslationSource,
            Workspace,
            register,
        )

        def links(council: Council) -> list[tuple[str, str]]:
            found = []
            for c in Consultation.objects.filter(council=council):
                found.append(
                    (
                        str(_("Check statements: %(q)s") % {"q": c.question}),
                        reverse("consultations:moderate", args=[c.slug]),
                    )
                )
                if c.audience == Consultation.Audience.INVITED:
                    found.append(
                        (
                            str(_("Invite people: %(q)s") % {"q": c.question}),
                            reverse("consultations:invite", args=[c.slug]),
                        )
                    )
            return [
                *found,
                (str(_("Start a consultation")), reverse("consultations:create")),
                (str(_("Import a Polis conversation")), reverse("consultations:import")),
            ]

        register(
            Capability(
                label=self.label,
                audit_events=AUDIT_EVENTS,
                permissions=rules.PERMISSIONS,
                api=api.router,
                navigation=[NavItem("consultations:list", _("Have your say"), order=30)],
                workspaces=[
                    Workspace(
                        "consultations.manage",
                        _("Consultations"),
                        _("Run conversations and map opinion"),
                        links,
                    )
                ],
                throttles={
                    # new anonymous participants per address, per consultation
                    "consultation.new_participant": "20/hour",
                    # votes per participant (anyone: a person reads a statement before voting)
                    "consultation.vote": "30/minute",
                },
                notices=notices.KINDS,
                describe_subject=notices.describe_subject,
                figures=selectors.figures,
                figure_kinds={**selectors.FIGURE_KINDS, **reports.FIGURE_KINDS},
                reports=reports.closed_consultations,
                translations=[
                    TranslationSource(
                        "consultations.manage", _("Consultations"), selectors.untranslated
                    )
                ],
                proposals={"consultations.statement": proposals.STATEMENT},
            )
        )
