"""Who may do what in community support (registered by ``apps.SupportConfig.ready``)."""

from __future__ import annotations

from changemaker.core.models import Role

PERMISSIONS = {
    "support.coordinate": frozenset({Role.SUPPORT_COORDINATOR}),
}
