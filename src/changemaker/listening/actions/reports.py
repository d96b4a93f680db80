"""'We asked, you said, we did' pages: draft, draft again, edit, publish, unpublish. Audited
without page text."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.figures import freeze_rows
from changemaker.core.models import Council, User
from changemaker.core.notices import publish
from changemaker.core.registry import ReportSource
from changemaker.listening import selectors
from changemaker.listening.actions.follows import ListeningError
from changemaker.listening.models import (
    Report,
)
from changemaker.listening.notices import REPORT_PUBLISHED

# We asked, you said, we did -----------------------------------------------------------------

#: the parts a draft writes; "we did" and the decisions are the officer's alone
DRAFTED = ("title", "we_asked", "you_said")
#: what an officer edits: every part and its Welsh companion
EDITED = tuple(f for part in (*DRAFTED, "we_did", "decisions") for f in (part, f"{part}_cy"))


def _drafted(source: ReportSource) -> dict[str, object]:
    """The source's draft in the site's language (English): the officer writes the Welsh."""
    with translation.override(settings.LANGUAGE_CODE):
        made = source.draft()
        return {
            "title": str(source.title),
            "we_asked": made.we_asked,
            "you_said": made.you_said,
            "figures": freeze_rows(made.figures),
            "url": made.url,
            "related_sources": list(made.related_sources),
        }


def _apply_data(report: Report, made: dict[str, object], source: ReportSource) -> None:
    report.figures = made["figures"]
    report.url = str(made["url"])
    report.related_sources = made["related_sources"]
    report.closed_on = source.closed_on
    report.drafted = {part: made[part] for part in DRAFTED}
    report.drafted_at = timezone.now()


@action("listening.report_drafted")
def draft_report(council: Council, source: ReportSource, *, by: User) -> Report:
    """Draft the page of a closed process from its data (once: a page that exists is
    returned as it is)."""
    existing = Report.objects.filter(council=council, source=source.key).first()
    if existing is not None:
        return existing
    made = _drafted(source)
    report = Report(
        council=council,
        source=source.key,
        kind=selectors.kind_of(source.key),
        **{part: str(made[part])[: 200 if part == "title" else None] for part in DRAFTED},
    )
    _apply_data(report, made, source)
    report.save()
    audit.record(
        "listening.report_drafted", actor=by, council=council, obj=report, source=source.key
    )
    return report


@action("listening.report_redrafted")
def redraft_report(report: Report, source: ReportSource, *, by: User, replace: bool) -> Report:
    """Draft again from the data: the figures, links and commitments' keys always; a drafted
    part only where the officer has not changed it since the last draft, or every drafted part
    with ``replace``. "We did", the decisions and the Welsh are never touched."""
    made = _drafted(source)
    kept = []
    for part in DRAFTED:
        if replace or getattr(report, part) == report.drafted.get(part):
            setattr(report, part, str(made[part])[: 200 if part == "title" else None])
        else:
            kept.append(part)
    _apply_data(report, made, source)
    report.save()
    audit.record(
        "listening.report_redrafted",
        actor=by,
        council=report.council,
        obj=report,
        replace=replace,
        kept=kept,
    )
    return report


@action("listening.report_saved")
def save_report(report: Report, *, by: User, parts: Mapping[str, str]) -> Report:
    """Save an officer's words (only the parts they may edit). What changed is told against
    the stored page (a bound form has already written its values onto ``report``)."""
    stored = Report.objects.get(pk=report.pk)
    changed = sorted(f for f in EDITED if f in parts and getattr(stored, f) != parts[f])
    for f in changed:
        setattr(report, f, parts[f])
    if changed:
        report.save(update_fields=changed)
    audit.record(
        "listening.report_saved", actor=by, council=report.council, obj=report, changed=changed
    )
    return report


@action("listening.report_published")
def publish_report(report: Report, *, by: User) -> Report:
    """Publish the page; the followers of its process hear of it (once, however often the
    page is published again)."""
    if not report.we_did.strip():
        raise ListeningError(_("Write what we did before publishing the page."))
    report.status = Report.Status.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_at"])
    publish(
        REPORT_PUBLISHED,
        council=report.council,
        subjects=[report.source],
        key=f"{REPORT_PUBLISHED}:{report.pk}",
        report=report.pk,
        title=report.title,
        title_cy=report.title_cy,
    )
    audit.record(
        "listening.report_published",
        actor=by,
        council=report.council,
        obj=report,
        source=report.source,
    )
    return report


@action("listening.report_unpublished")
def unpublish_report(report: Report, *, by: User) -> Report:
    """Take the page down: it is a draft again, seen by officers only."""
    report.status = Report.Status.DRAFT
    report.published_at = None
    report.save(update_fields=["status", "published_at"])
    audit.record(
        "listening.report_unpublished",
        actor=by,
        council=report.council,
        obj=report,
        source=report.source,
    )
    return report
