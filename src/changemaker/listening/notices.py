"""What listening tells people and names (``core.notices``): a commitment they follow (or
whose source they follow: the idea it came from) changed its status, progress or a
milestone; a "we asked, you said, we did" page is out (to the followers of the process it
reports on). Words are made at send time in the reader's language, from params that hold
only what the commitment's public page shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core.bilingual import text
from changemaker.core.models import Council
from changemaker.core.models.commitments import Commitment
from changemaker.core.registry import NoticeKind

COMMITMENT_CHANGED = "listening.commitment_changed"
REPORT_PUBLISHED = "listening.report_published"
#: a commitment's followable key: its page is listening's
COMMITMENT = "listening.commitment"


def commitment_key(commitment: Commitment) -> str:
    return f"{COMMITMENT}:{commitment.pk}"


def _title(p: Mapping[str, Any]) -> str:
    return text(p, "title")


def _body(p: Mapping[str, Any]) -> str:
    status = Commitment.Status(p["status"]).label
    words = _("“%(title)s” is now %(status)s, %(progress)s%% done.") % {
        "title": _title(p),
        "status": str(status).lower(),
        "progress": p["progress"],
    }
    if p.get("milestone"):
        words += " " + _("A milestone has changed: see the timeline.")
    return words


KINDS = {
    COMMITMENT_CHANGED: NoticeKind(
        label=gettext_lazy("Commitments you follow changing"),
        subject=lambda p: _("A commitment has changed: %(title)s") % {"title": _title(p)},
        body=_body,
        url=lambda p: reverse("listening:commitment", kwargs={"pk": p["commitment"]}),
        direct=False,
    ),
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


def describe_subject(council: Council, key: str) -> tuple[str, str] | None:
    """A published commitment, by its key ("listening.commitment:12")."""
    label, _sep, ident = key.partition(":")
    if label != COMMITMENT or not ident.isdigit():
        return None
    found = Commitment.objects.filter(council=council, pk=int(ident), published=True).first()
    if found is None:
        return None
    return text(found, "title"), reverse("listening:commitment", kwargs={"pk": found.pk})
