"""Who may do what in the shared view of need (registered by ``apps.InsightConfig.ready``).

Data officers look after agreements, datasets and runs; practitioners see people for a stated
purpose and review flags; planners see only pseudonymised counts.
"""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "insight.manage_data": frozenset({Role.DATA_OFFICER}),
    "insight.view_people": frozenset({Role.PRACTITIONER, Role.DATA_OFFICER}),
    "insight.view_restricted": frozenset({Role.PRACTITIONER}),
    "insight.review_flags": frozenset({Role.PRACTITIONER}),
    "insight.view_statistics": frozenset(
        {
            Role.PRACTITIONER,
            Role.DATA_OFFICER,
            Role.ENGAGEMENT_OFFICER,
            Role.EVIDENCE_LEAD,
            Role.COUNCIL_ADMIN,
        }
    ),
    "insight.view_access_log": frozenset({Role.DATA_OFFICER, Role.COUNCIL_ADMIN}),
}
