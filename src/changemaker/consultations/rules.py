"""Who may do what in consultations (registered by ``apps.ConsultationsConfig.ready``)."""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "consultations.manage": frozenset({Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}),
}
