"""What community support tells people (``core.notices``): your request for help changed
status. Sent to the person who asked (signed in) only; nothing followable, nothing about
the volunteer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core.registry import NoticeKind

REQUEST_STATUS = "support.request_status"


def _subject(p: Mapping[str, Any]) -> str:
    return {
        "matched": _("We have found a volunteer for your request for help"),
        "done": _("Your request for help is done"),
        "cancelled": _("Your request for help has been cancelled"),
    }.get(p["status"], _("Your request for help has changed"))


def _body(p: Mapping[str, Any]) -> str:
    words = {
        "matched": _(
            "A volunteer has been matched with your request for help on %(day)s. We will tell "
            "you who is coming once they have said yes."
        ),
        "done": _("Your request for help on %(day)s is now closed as done. Thank you."),
        "cancelled": _(
            "Your request for help on %(day)s has been cancelled. If you still need help, "
            "ask again or contact the council."
        ),
    }.get(p["status"], _("Your request for help on %(day)s has changed."))
    return words % {"day": p["day"]}


KINDS = {
    REQUEST_STATUS: NoticeKind(
        label=gettext_lazy("Your requests for help"),
        subject=_subject,
        body=_body,
        url=lambda p: reverse("support:my-requests"),
    ),
}
