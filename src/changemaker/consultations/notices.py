"""What consultations tell people (``core.notices``): a consultation's results are out, and
a statement you wrote was checked. Words are made at send time in the reader's language,
from params that hold nothing personal beyond what their reader may see (the question in
English and Welsh: ``question_cy``, blank where not written; a resident's statement as they
wrote it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core.bilingual import text
from changemaker.core.models import Council
from changemaker.core.registry import NoticeKind

RESULTS = "consultations.results"
STATEMENT_CHECKED = "consultations.statement_checked"


def _results_url(p: Mapping[str, Any]) -> str:
    return reverse("consultations:results", args=[p["slug"]])


def _statement_body(p: Mapping[str, Any]) -> str:
    if p["published"]:
        return _(
            "Your statement “%(text)s” has been checked and is now shown to people taking part."
        ) % {"text": p["text"]}
    return _(
        "Your statement “%(text)s” has been checked and will not be shown. The reason "
        "given: %(reason)s"
    ) % {"text": p["text"], "reason": p["reason"]}


KINDS = {
    RESULTS: NoticeKind(
        label=gettext_lazy("Results of consultations you took part in"),
        subject=lambda p: _("Results are out: %(question)s") % {"question": text(p, "question")},
        body=lambda p: (
            _(
                "The consultation “%(question)s” has closed. See the groups of opinion and "
                "what unites them."
            )
            % {"question": text(p, "question")}
        ),
        url=_results_url,
    ),
    STATEMENT_CHECKED: NoticeKind(
        label=gettext_lazy("Statements you wrote in a consultation being checked"),
        subject=lambda p: (
            (
                _("Your statement is now shown: %(question)s")
                if p["published"]
                else _("Your statement will not be shown: %(question)s")
            )
            % {"question": text(p, "question")}
        ),
        body=_statement_body,
        url=lambda p: reverse("consultations:take-part", args=[p["slug"]]),
    ),
}


def describe_subject(council: Council, key: str) -> tuple[str, str] | None:
    """A consultation anyone may see, by its key ("consultations.consultation:12")."""
    from changemaker.consultations.models import Consultation

    label, _sep, ident = key.partition(":")
    if label != "consultations.consultation" or not ident.isdigit():
        return None
    found = (
        Consultation.objects.filter(council=council, pk=int(ident))
        .exclude(audience=Consultation.Audience.INVITED)
        .first()
    )
    if found is None:
        return None
    try:
        return text(found, "question"), reverse("consultations:take-part", args=[found.slug])
    except NoReverseMatch:
        return None
