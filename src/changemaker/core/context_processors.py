"""What the page shell needs on every page: the council, its colour, the navigation."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from changemaker.core.models import Council
from changemaker.core.registry import NAVIGATION, NavItem

#: Core's places in the navigation; each capability adds its own (``Capability.navigation``).
CORE_NAV = [
    NavItem("core:home", _("Home"), order=0),
    NavItem("core:staff", _("Staff area"), "core.view_staff_area", order=90),
    NavItem("core:platform", _("Councils"), "core.manage_councils", order=95),
]


DEFAULT_COLOUR = "#1d70b8"
LANGUAGE_NAMES = {"en-gb": "English", "cy": "Cymraeg"}


def _darken(hex_colour: str, factor: float = 0.6) -> str:
    channels = [int(int(hex_colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def shell(request: HttpRequest) -> dict[str, Any]:
    council: Council | None = getattr(request, "council", None)
    user = getattr(request, "user", None)
    nav = []
    for item in sorted([*CORE_NAV, *NAVIGATION], key=lambda item: item.order):
        perm = item.permission
        if perm is None or (user is not None and user.has_perm(perm, council)):
            url = reverse(item.url_name)
            nav.append(
                {
                    "url": url,
                    "label": item.label,
                    "active": request.path == url or (url != "/" and request.path.startswith(url)),
                }
            )
    colour = council.brand_colour if council else DEFAULT_COLOUR
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        colour = DEFAULT_COLOUR  # never a 500 (or CSS from a bad value) for a bad colour
    return {
        "council": council,
        "brand_colour": colour,
        "brand_colour_dark": _darken(colour),
        "nav": nav,
        # Each language is named in itself, as GOV.UK's language switcher does.
        "languages": [(code, LANGUAGE_NAMES.get(code, name)) for code, name in settings.LANGUAGES],
    }
