from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: Every audit event the shared view of need records, as the audit log and the access log
#: call it (``core.events.describe``). An event recorded without a name here fails
#: ``tests/test_plain_words.py``.
AUDIT_EVENTS: dict[str, Any] = {
    # looking at people's records, for a stated purpose
    "insight.purpose_stated": _("Purpose stated for looking at records"),
    "insight.search": _("Searched for a person"),
    "insight.person_viewed": _("Person's records viewed"),
    "insight.household_viewed": _("Household's records viewed"),
    "insight.subject_access_export": _("Person's records downloaded (subject access)"),
    "insight.flags_viewed": _("Flags to review listed"),
    "insight.flag_viewed": _("Flag viewed"),
    "insight.flag_reviewed": _("Flag reviewed"),
    "insight.flag_reopened": _("Flag raised again"),
    "insight.flags_evaluated": _("Early-help flags checked after a linkage run"),
    "insight.flags_dated": _("Demo flags spread over months"),
    "insight.access_log.viewed": _("Access log viewed"),
    "insight.evaluation_extract": _("Counts by ward and month given to a pilot's evaluation"),
    # indicators
    "insight.indicator_saved": _("Indicator saved"),
    "insight.indicator_created": _("Indicator added"),
    "insight.indicator_changed": _("Indicator changed"),
    "insight.indicator_activated": _("Indicator switched on"),
    "insight.indicator_deactivated": _("Indicator switched off"),
    # purposes, agreements and datasets
    "insight.purpose.saved": _("Purpose saved"),
    "insight.purpose.created": _("Purpose added"),
    "insight.purpose.changed": _("Purpose changed"),
    "insight.agreement.saved": _("Data-sharing agreement saved"),
    "insight.agreement.created": _("Data-sharing agreement added"),
    "insight.agreement.changed": _("Data-sharing agreement changed"),
    "insight.dataset.saved": _("Dataset saved"),
    "insight.dataset.created": _("Dataset added"),
    "insight.dataset.changed": _("Dataset changed"),
    "insight.dataset.mapping_changed": _("Dataset's columns matched to fields"),
    # uploads
    "insight.upload.received": _("File uploaded for checking"),
    "insight.upload.validated": _("Uploaded file checked"),
    "insight.upload.refused": _("Uploaded file refused"),
    "insight.upload.publishing": _("Publishing an upload started"),
    "insight.upload.published": _("Upload published"),
    "insight.upload.stopped": _("Upload stopped: its background job failed"),
    "insight.upload.discarded": _("Upload discarded"),
    "insight.upload.quarantine_exported": _("Rows kept aside downloaded"),
    # the address gazetteer
    "insight.gazetteer.uploaded": _("Address gazetteer uploaded"),
    "insight.gazetteer.imported": _("Address gazetteer imported"),
    "insight.gazetteer.refused": _("Address gazetteer refused"),
    # linkage runs and retention
    "insight.run.started": _("Linkage run started"),
    "insight.run.published": _("Linkage run published"),
    "insight.run.failed": _("Linkage run failed"),
    "insight.retention.deleted": _("Records past their retention period deleted"),
}


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
            outcomes,
            rules,
        )

        def data_links(council: Council) -> list[tuple[str, str]]:
            return [
                (str(_("Data-sharing agreements")), reverse("insight:agreements")),
                (str(_("Datasets and uploads")), reverse("insight:datasets")),
                (str(_("Linkage runs")), reverse("insight:runs")),
                (str(_("What we process (for the DPIA)")), reverse("insight:processing")),
            ]

        def people_links(council: Council) -> list[tuple[str, ...]]:
            return [
                (str(_("Find a person or household")), reverse("insight:search")),
                (str(_("Flags to review")), reverse("insight:flags"), "insight.review_flags"),
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
                audit_events=AUDIT_EVENTS,
                outcome_sources=outcomes.sources,
            )
        )
