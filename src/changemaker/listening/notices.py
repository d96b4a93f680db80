"""What listening tells people (``core.notices``): a "we asked, you said, we did" page is out,
sent to the followers of the process it reports on. Words are made at send time in the
reader's language from params that hold only what the public page shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core.bilingual import welsh_active
from changemaker.core.registry import NoticeKind

REPORT_PUBLISHED = "listening.report_published"


def _title(p: Mapping[str, Any]) -> str:
    return str(p.get("title_cy") or p["title"]) if welsh_active() else str(p["title"])


KINDS = {
    REPORT_PUBLISHED: NoticeKind(
        label=gettext_lazy("What happened after a process you follow"),
        subject=lambda p: _("We asked, you said, we did: %(title)s") % {"title": _title(p)},
        body=lambda p: (
            _(
                "“%(title)s” has closed. See what we asked, what you said, what we did about "
                "it and the commitments that follow."
            )
            % {"title": _title(p)}
        ),
        url=lambda p: reverse("listening:report", args=[p["report"]]),
        direct=False,
    ),
}
