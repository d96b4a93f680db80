"""``{% follow_button key %}``: a Follow button for a followable subject, on any page.

The form posts to the view the delivering capability registered (``registry.FOLLOWS``); with
no such capability nothing is shown. A plain form: it works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from changemaker.core.registry import FOLLOWS

register = template.Library()


@register.inclusion_tag("core/_follow_button.html", takes_context=True)
def follow_button(context: dict[str, Any], key: str, title: str = "") -> dict[str, Any]:
    request = context.get("request")
    if not FOLLOWS or request is None:
        return {"show": False}
    follows = FOLLOWS[0]
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    council = getattr(request, "council", None)
    return {
        "show": council is not None,
        "signed_in": signed_in,
        "following": signed_in and council is not None and follows.is_following(user, council, key),
        "action": reverse(follows.url_name),
        "key": key,
        "title": title,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "sign_in": reverse("core:sign-in"),
    }
