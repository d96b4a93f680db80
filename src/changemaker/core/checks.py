"""System checks: `manage.py check --deploy` refuses settings that are for development only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def two_factor_is_enforced(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if getattr(settings, "CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR", False):
        return [
            Error(
                "CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR is on: staff who see personal data can "
                "sign in without their second factor.",
                hint="Remove CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR from the environment; it is "
                "for a quick look at the demo on your own machine only.",
                id="changemaker.E001",
            )
        ]
    return []
