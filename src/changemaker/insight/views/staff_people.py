"""People side of the shared view of need: purpose, search, person and household pages, the
flag review queue, indicators, subject access export, access history and the access log, and
pseudonymised statistics. Thin: parse, ask ``access`` what may be seen, read through
``selectors`` or call an action, render.

Every page that shows a person, household or record first needs a stated purpose
(``access.stated_purpose``), shows only what ``access.access_for`` allows, and records the
view in the audit log with that purpose. Nothing personal goes in a URL: searches are POSTed
and results rendered in the response; people and households are addressed by P…/H… ids.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from changemaker.core import audit, csvsafe
from changemaker.core.events import describe, describe_object
from changemaker.core.selectors import audit_filter_choices
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.insight import access as access_rules
from changemaker.insight import actions, selectors
from changemaker.insight.access import Access, access_for_request, record_access
from changemaker.insight.forms.people import (
    HOUSEHOLD_ID,
    PERSON_ID,
    AccessLogForm,
    ExportForm,
    IndicatorForm,
    PurposeForm,
    ReviewForm,
    SearchForm,
)
from changemaker.insight.models import Flag, FlagReview, Indicator, LinkRun, RecordLink
from changemaker.insight.views.shared import posted

VIEW_PEOPLE = "insight.view_people"
REVIEW_FLAGS = "insight.review_flags"
MANAGE_DATA = "insight.manage_data"
RESTRICTED = "Restricted: not shown for this purpose"
FIELD_LABELS = {
    "first_name": "First name",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "postcode": "Postcode",
    "address_line": "Address",
    "nino": "National Insurance number",
    "email": "Email",
    "phone": "Phone",
}
PAGE_SIZE = 50


def _label(name: str) -> str:
    return _(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ").capitalize()


def needs_purpose(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view(request, access, ...)`` only once a purpose is stated (else ask for one)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access = access_for_request(request, current_council(request))
        if access.purpose is None:
            return redirect(f"{reverse('insight:purpose')}?next={request.path}")
        return view(request, access, *args, **kwargs)

    return wrapped


def _context(request: HttpRequest, access: Access, **extra: Any) -> dict[str, Any]:
    stated = access_rules.stated_purpose(request, access.council)
    return {
        "access": access,
        "purpose_until": stated.until if stated else None,
        "can_review": request.user.has_perm(REVIEW_FLAGS, access.council),
        **extra,
    }


# Purpose -------------------------------------------------------------------------------------


@council_permission(VIEW_PEOPLE)
def purpose(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("insight:search")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("insight:search")
    stated = access_rules.stated_purpose(request, council)
    form = PurposeForm(
        posted(request),
        council=council,
        initial={"purpose": stated.purpose.pk if stated else None},
    )
    if request.method == "POST" and form.is_valid():
        actions.state_purpose(request, council, form.cleaned_data["purpose"])
        return redirect(next_url)
    return render(
        request,
        "insight/people/purpose.html",
        {
            "form": form,
            "next": next_url,
            "stated": stated,
            "none": not access_rules.available_purposes(council).exists(),
        },
    )


# Search --------------------------------------------------------------------------------------


@council_permission(VIEW_PEOPLE)
@needs_purpose
def search(request: HttpRequest, access: Access) -> HttpResponse:
    form = SearchForm(posted(request))
    results: list[dict[str, Any]] | None = None
    if request.method == "POST" and form.is_valid():
        results, how = selectors.search_people(access, form.cleaned_data)
        record_access(access, "insight.search", by=how, results=len(results))
    return render(
        request, "insight/people/search.html", _context(request, access, form=form, results=results)
    )


# Person and household pages -------------------------------------------------------------------


def _records_by_service(access: Access, links: list[RecordLink]) -> list[dict[str, Any]]:
    groups: dict[int, dict[str, Any]] = {}
    for link in links:
        rec = link.record
        group = groups.setdefault(rec.dataset_id, {"dataset": rec.dataset, "records": []})
        group["records"].append(
            {
                "record": rec,
                "person_id": link.person_id,
                "household_id": link.household_id,
                "fields": [
                    (_label(name), value if value is not None else _(RESTRICTED), value is None)
                    for name, value in access.present(rec)
                ],
            }
        )
    return sorted(groups.values(), key=lambda g: g["dataset"].title)


def _flags(access: Access, persons: list[str], households: list[str]) -> list[dict[str, Any]]:
    return [
        _flag_row(access, flag) for flag in selectors.visible_flags(access, persons, households)
    ]


def _flag_row(access: Access, flag: Flag) -> dict[str, Any]:
    evidence, hidden = access.evidence(flag)
    for item in evidence:
        item["label"] = _label(item["field"]) if item["field"] else ""
        item["shown"] = item["value"] if item["value"] is not None else _(RESTRICTED)
    return {"flag": flag, "evidence": evidence, "hidden": hidden}


def _subject(access: Access, key: str, subject: str) -> tuple[LinkRun | None, list[RecordLink]]:
    """The visible links of a person or household (404 if none), the view audited."""
    pattern = PERSON_ID if key == "person_id" else HOUSEHOLD_ID
    if not pattern.match(subject):
        raise Http404
    run, links = selectors.subject_links(
        access, "record__dataset__title", "record__received_on", **{key: subject}
    )
    action = "insight.person_viewed" if key == "person_id" else "insight.household_viewed"
    record_access(access, action, subject=subject, records=len(links))
    if not links:
        raise Http404
    return run, links


@council_permission(VIEW_PEOPLE)
@needs_purpose
def person(request: HttpRequest, access: Access, person_id: str) -> HttpResponse:
    run, links = _subject(access, "person_id", person_id)
    memberships: dict[str, dict[str, Any]] = {}
    for link in links:
        rec = link.record
        row = memberships.setdefault(
            link.household_id, {"household_id": link.household_id, "from": None, "to": None}
        )
        start = rec.address_from or rec.received_on
        if row["from"] is None or start < row["from"]:
            row["from"] = start
        if rec.address_to and (row["to"] is None or rec.address_to > row["to"]):
            row["to"] = rec.address_to
    households = sorted(memberships)
    return render(
        request,
        "insight/people/person.html",
        _context(
            request,
            access,
            person_id=person_id,
            services=_records_by_service(access, links),
            memberships=sorted(memberships.values(), key=lambda m: str(m["from"])),
            flags=_flags(access, [person_id], households),
            splits=selectors.pending_splits(run, [link.record_id for link in links]),
        ),
    )


@council_permission(VIEW_PEOPLE)
@needs_purpose
def household(request: HttpRequest, access: Access, household_id: str) -> HttpResponse:
    run, links = _subject(access, "household_id", household_id)
    members: dict[str, dict[str, Any]] = {}
    timeline = []
    for link in links:
        rec = link.record
        member = members.setdefault(
            link.person_id, {"person_id": link.person_id, "name": "", "dob": ""}
        )
        selectors.identify(access, member, rec)
        timeline.append(
            {
                "service": rec.dataset.title,
                "person_id": link.person_id,
                "from": rec.address_from or rec.received_on,
                "to": rec.address_to,
            }
        )
    timeline.sort(key=lambda row: (row["from"], row["service"]))
    return render(
        request,
        "insight/people/household.html",
        _context(
            request,
            access,
            household_id=household_id,
            members=sorted(members.values(), key=lambda m: m["person_id"]),
            timeline=timeline,
            flags=_flags(access, list(members), [household_id]),
            splits=selectors.pending_splits(run, [link.record_id for link in links]),
        ),
    )


# Subject access export ------------------------------------------------------------------------


@council_permission(VIEW_PEOPLE)
@needs_purpose
def export(request: HttpRequest, access: Access, person_id: str) -> HttpResponse:
    _run, links = _subject(access, "person_id", person_id)
    form = ExportForm(posted(request))
    if request.method != "POST" or not form.is_valid():
        return render(
            request,
            "insight/people/export.html",
            _context(
                request, access, form=form, person_id=person_id, datasets=len(access.datasets)
            ),
        )
    rows = selectors.subject_access_rows(access, links, RESTRICTED)
    fmt = form.cleaned_data["format"]
    record_access(
        access,
        "insight.subject_access_export",
        subject=person_id,
        format=fmt,
        **selectors.export_detail(rows),
    )
    if fmt == "json":
        body = json.dumps(
            {
                "person": person_id,
                "generated_at": timezone.now().isoformat(),
                "purpose": access.purpose.name if access.purpose else "",
                "records": rows,
            },
            indent=2,
        )
        response = HttpResponse(body, content_type="application/json")
    else:
        out = io.StringIO()
        writer = csvsafe.writer(out)
        writer.writerow(
            ["dataset", "record_id", "received_on", "address_from", "address_to", "field", "value"]
        )
        for row in rows:
            for name, value in row["fields"].items():
                writer.writerow(
                    [
                        row["dataset"],
                        row["record_id"],
                        row["received_on"],
                        row["address_from"],
                        row["address_to"],
                        name,
                        value,
                    ]
                )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person_id}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# Flag review ---------------------------------------------------------------------------------


@council_permission(REVIEW_FLAGS)
@needs_purpose
def flags(request: HttpRequest, access: Access) -> HttpResponse:
    rows = [_flag_row(access, flag) for flag in selectors.review_queue(access)]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(access, "insight.flags_viewed", flags=len(page.object_list))
    return render(
        request,
        "insight/people/flags.html",
        _context(request, access, page=page, rows=page.object_list),
    )


@council_permission(REVIEW_FLAGS)
@needs_purpose
def flag_review(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    flag = get_object_or_404(
        Flag.objects.select_related("indicator"), pk=pk, council=access.council
    )
    if not access.flag_visible(flag):
        raise Http404
    where = (
        {"person_id": flag.subject_id}
        if flag.subject_kind == "person"
        else {"household_id": flag.subject_id}
    )
    _run, links = selectors.subject_links(access, "record__dataset__title", "record_id", **where)
    choices = [
        (
            link.record_id,
            _("%(service)s record %(id)s (%(person)s), received %(day)s")
            % {
                "service": link.record.dataset.title,
                "id": link.record.record_id,
                "person": link.person_id,
                "day": link.record.received_on.strftime("%d/%m/%Y"),
            },
        )
        for link in links
    ]
    form = ReviewForm(posted(request), records=choices)
    record_access(access, "insight.flag_viewed", obj=flag, subject=flag.subject_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.review_flag(
                access,
                flag,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                records=form.cleaned_data["records"],
                allowed_records={link.record_id for link in links},
            )
        except actions.ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            if form.cleaned_data["records"]:
                messages.success(
                    request,
                    _(
                        "Review recorded. The two records will be kept apart "
                        "from the next linkage run."
                    ),
                )
            else:
                messages.success(request, _("Review recorded."))
            return redirect("insight:flags")
    return render(
        request,
        "insight/people/flag_review.html",
        _context(request, access, form=form, row=_flag_row(access, flag), flag=flag),
    )


# Indicators (data officers) ------------------------------------------------------------------


@council_permission(MANAGE_DATA)
def indicators(request: HttpRequest) -> HttpResponse:
    rows = selectors.council_indicators(current_council(request))
    return render(request, "insight/people/indicators.html", {"indicators": rows})


@council_permission(MANAGE_DATA)
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    council = current_council(request)
    instance = (
        get_object_or_404(Indicator, pk=pk, council=council) if pk else Indicator(council=council)
    )
    form = IndicatorForm(posted(request), instance=instance, council=council)
    if request.method == "POST" and form.is_valid():
        indicator = form.save(commit=False)
        indicator.council = council
        actions.save_indicator(indicator, by=signed_in_user(request))
        messages.success(request, _("Indicator saved. It is used from the next linkage run."))
        return redirect("insight:indicators")
    return render(
        request, "insight/people/indicator_form.html", {"form": form, "indicator": instance}
    )


@require_POST
@council_permission(MANAGE_DATA)
def indicator_active(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk, council=current_council(request))
    actions.set_indicator_active(indicator, active=not indicator.active, by=signed_in_user(request))
    return redirect("insight:indicators")


# Access history and the access log -----------------------------------------------------------


#: What an access-log event's details are called (counts and ids only: never values)
DETAIL_LABELS = {
    "subject": gettext_lazy("Person or household"),
    "records": gettext_lazy("Records"),
    "results": gettext_lazy("People found"),
    "by": gettext_lazy("Searched by"),
    "format": gettext_lazy("Format"),
    "flags": gettext_lazy("Flags"),
    "datasets": gettext_lazy("Datasets"),
    "outcome": gettext_lazy("Outcome"),
    "false_link": gettext_lazy("Records marked as not the same person"),
    "bytes": gettext_lazy("File size (bytes)"),
    "rows": gettext_lazy("Rows"),
    "entries": gettext_lazy("Addresses"),
    "persons": gettext_lazy("People"),
    "households": gettext_lazy("Households"),
    "error": gettext_lazy("What went wrong"),
    "retrain": gettext_lazy("Model trained again"),
    "minutes": gettext_lazy("Minutes the purpose stays stated"),
}
SEARCHED_BY = {
    "person_id": gettext_lazy("person id"),
    "surname_and_date_of_birth": gettext_lazy("surname and date of birth"),
    "postcode": gettext_lazy("postcode"),
}


def _detail_value(key: str, value: Any) -> str:
    if key == "by":
        return str(SEARCHED_BY[value]) if value in SEARCHED_BY else str(value)
    if key == "outcome" and value in FlagReview.Outcome.values:
        return str(FlagReview.Outcome(value).label)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value).upper() if key == "format" else str(value)


def _details(detail: dict[str, Any]) -> list[str]:
    """An event's details as "Label: value" lines, in plain words."""
    lines = []
    for key, value in (detail or {}).items():
        if value is None or value == "" or key in {"purpose", "kind"}:
            continue
        if isinstance(value, dict | list | tuple):
            continue
        label = str(DETAIL_LABELS[key]) if key in DETAIL_LABELS else _humanise(key)
        lines.append(f"{label}: {_detail_value(key, value)}")
    return lines


def _humanise(key: str) -> str:
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _events(request: HttpRequest, events: Any) -> Any:
    return Paginator(events.select_related("actor").order_by("-at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )


def _event_rows(page: Any) -> list[dict[str, Any]]:
    """Each event of a page as people read it: what happened, on what, and its details."""
    return [
        {
            "event": e,
            "what": describe(e.action),
            "on": describe_object(e.object_type, e.object_id),
            "details": _details(e.detail),
        }
        for e in page
    ]


@council_permission("core.view_staff_area")
def my_access(request: HttpRequest) -> HttpResponse:
    events = selectors.my_access_events(current_council(request), signed_in_user(request))
    page = _events(request, events)
    return render(
        request, "insight/people/my_access.html", {"page": page, "rows": _event_rows(page)}
    )


@council_permission("insight.view_access_log")
def access_log(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    # who looked at who looked: recorded first, so the page shows it (as core's audit page)
    audit.record("insight.access_log.viewed", actor=signed_in_user(request), council=council)
    events = selectors.access_log_events(council)
    form = AccessLogForm(request.GET or None, **audit_filter_choices(council, events))
    if form.is_valid():
        events = selectors.filter_access_log(events, form.cleaned_data)
    elif form.is_bound:
        events = events.none()
    page = _events(request, events)
    return render(
        request,
        "insight/people/access_log.html",
        {"form": form, "page": page, "rows": _event_rows(page)},
    )


# Statistics ----------------------------------------------------------------------------------


@council_permission("insight.view_statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    tables = selectors.flagged_by_ward(council)
    return render(request, "insight/people/statistics.html", {"tables": tables})
