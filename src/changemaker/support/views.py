"""Community support pages. Thin: parse, call an action, render.

Residents ask for help and see who is coming; volunteers sign up and answer requests;
coordinators triage, vet, match and keep people safe. Coordinators of a partner
organisation see only their organisation's volunteers and requests: every coordinator
query goes through ``actions.visible_volunteers`` / ``actions.visible_requests``, and
every page showing someone's details records the access in the audit log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q, Sum
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from changemaker.core import actions as core_actions
from changemaker.core import audit, throttle
from changemaker.core.models import Council, Job, User
from changemaker.core.net import client_ip
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.support import actions
from changemaker.support.engine import Reason
from changemaker.support.forms import (
    CloseConcernForm,
    ConcernForm,
    DeclineForm,
    HoursForm,
    MessageForm,
    ResidentRequestForm,
    StaffRequestForm,
    StaffVolunteerForm,
    StatusForm,
    TrainingForm,
    TriageForm,
    VettingForm,
    VolunteerForm,
)
from changemaker.support.models import (
    CoordinatorMessage,
    HelpRequest,
    Match,
    PartnerOrganisation,
    Postcode,
    SafeguardingConcern,
    Volunteer,
)

PAGE_SIZE = 50
SIGNED_IN = "core.use_account"
COORDINATE = "support.coordinate"
ASK = "support.ask"  # session keys: what someone typed, until they confirm it
SIGN_UP = "support.sign_up"


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "support/start.html")


# Check-answers flows --------------------------------------------------------------------------


def _stored(request: HttpRequest, key: str) -> QueryDict | None:
    raw = request.session.get(key)
    if not raw:
        return None
    data = QueryDict(mutable=True)
    for name, values in raw.items():
        data.setlist(name, values)
    return data


def _store(request: HttpRequest, key: str) -> None:
    request.session[key] = {
        k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"
    }


def summary(form: forms.Form) -> list[dict[str, Any]]:
    """Rows for a GOV.UK summary list: question, answer as shown, where to change it."""
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], False) and not field.required:
            continue
        choices = dict(getattr(field, "choices", []) or [])
        choices = {str(k): v for k, v in choices.items()}
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(str(v), v)) for v in value)
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif isinstance(value, date):
            shown = value.strftime("%d/%m/%Y")
        elif isinstance(value, PartnerOrganisation):
            shown = value.name
        elif value is None and name == "organisation":
            shown = _("The council")
        else:
            shown = str(choices.get(str(form.data.get(name)), value))
        anchor = str(form[name].auto_id)
        if form[name].widget_type in {"radioselect", "checkboxselectmultiple"}:
            anchor += "_0"
        rows.append({"label": field.label, "value": shown, "id": anchor})
    return rows


def _ask_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> ResidentRequestForm:
    """Signed-in residents are emailed at their account's address; others may give one."""
    form = ResidentRequestForm(data, **kwargs)
    if request.user.is_authenticated:
        del form.fields["email"]
    return form


def ask(request: HttpRequest) -> HttpResponse:
    """Question page for residents (no account needed). Keeps what was typed; Continue goes
    to check answers."""
    current_council(request)
    if request.method == "POST":
        form = _ask_form(request, request.POST)
        if form.is_valid():
            _store(request, ASK)
            return redirect("support:ask-check")
    else:
        stored = _stored(request, ASK)
        name = request.user.name if isinstance(request.user, User) else ""
        form = _ask_form(request, stored) if stored else _ask_form(request, initial={"name": name})
    return render(request, "support/ask.html", {"form": form})


def ask_check(request: HttpRequest) -> HttpResponse:
    stored = _stored(request, ASK)
    form = _ask_form(request, stored)
    if stored is None or not form.is_valid():
        return redirect("support:ask")
    if request.method == "POST":
        user = request.user if isinstance(request.user, User) else None
        data = dict(form.cleaned_data)
        if user is not None:
            data["email"] = user.email
        referred = bool(data.get("referrer_name"))
        throttle.hit(
            "support.help_request",
            *(("account", user.pk) if user is not None else ("address", client_ip(request))),
            council=current_council(request),
        )
        try:
            created = actions.submit_help_request(
                current_council(request),
                source=HelpRequest.Source.REFERRER if referred else HelpRequest.Source.RESIDENT,
                by=user,
                requester=user,
                **data,
            )
        except actions.SupportError as exc:
            messages.error(request, str(exc))
            return redirect("support:ask")
        del request.session[ASK]
        if user is None:
            return render(request, "support/ask_sent.html", {"reference": created.pk})
        messages.success(
            request,
            _("Request sent. A coordinator will call you to check the details."),
        )
        return redirect("support:my-requests")
    return render(request, "support/check.html", {"rows": summary(form), "change": "support:ask"})


@council_permission(SIGNED_IN)
def my_requests(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    rows = []
    for help_request in HelpRequest.objects.filter(
        council=current_council(request), requester=user
    ).order_by("-created_at"):
        match = help_request.active_match
        coming = None
        if match is not None and match.status == Match.Status.ACCEPTED:
            # First name and badge number only: never the volunteer's phone or address.
            coming = {
                "first_name": match.volunteer.first_name,
                "badge": match.volunteer.badge_number,
            }
        rows.append({"request": help_request, "coming": coming})
    return render(request, "support/my_requests.html", {"rows": rows})


def _partners(council: Council) -> list[PartnerOrganisation]:
    return list(PartnerOrganisation.objects.filter(council=council))


@council_permission(SIGNED_IN)
def volunteer(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    user = signed_in_user(request)
    if Volunteer.objects.filter(council=council, user=user).exists():
        return redirect("support:my-volunteering")
    partners = _partners(council)
    if request.method == "POST":
        form = VolunteerForm(request.POST, partners=partners)
        if form.is_valid():
            _store(request, SIGN_UP)
            return redirect("support:volunteer-check")
    else:
        stored = _stored(request, SIGN_UP)
        first, _space, last = user.name.partition(" ")
        form = (
            VolunteerForm(stored, partners=partners)
            if stored
            else VolunteerForm(partners=partners, initial={"first_name": first, "last_name": last})
        )
    return render(request, "support/volunteer.html", {"form": form})


@council_permission(SIGNED_IN)
def volunteer_check(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    stored = _stored(request, SIGN_UP)
    form = VolunteerForm(stored, partners=_partners(council))
    if stored is None or not form.is_valid():
        return redirect("support:volunteer")
    if request.method == "POST":
        user = signed_in_user(request)
        try:
            actions.sign_up_volunteer(
                council, user=user, by=user, email=user.email, **form.cleaned_data
            )
        except actions.SupportError as exc:
            messages.error(request, str(exc))
            return redirect("support:volunteer")
        del request.session[SIGN_UP]
        messages.success(
            request, _("Thank you for signing up. A coordinator will contact you about checks.")
        )
        return redirect("support:my-volunteering")
    return render(
        request, "support/check.html", {"rows": summary(form), "change": "support:volunteer"}
    )


def _own_volunteer(request: HttpRequest) -> Volunteer | None:
    return Volunteer.objects.filter(
        council=current_council(request), user=signed_in_user(request)
    ).first()


@council_permission(SIGNED_IN)
def my_volunteering(request: HttpRequest) -> HttpResponse:
    me = _own_volunteer(request)
    matches = (
        me.matches.filter(
            status__in=[Match.Status.CONFIRMED, Match.Status.ACCEPTED, Match.Status.COMPLETED]
        ).select_related("request")
        if me
        else Match.objects.none()
    )
    return render(
        request,
        "support/my_volunteering.html",
        {
            "me": me,
            "matches": matches,
            "hours": actions.hours_logged(me) if me else 0,
            "vetting": me.current_vetting() if me else None,
        },
    )


@council_permission(SIGNED_IN)
def my_status(request: HttpRequest) -> HttpResponse:
    """Volunteers take a break, come back or stop, with a reason for their coordinator."""
    me = _own_volunteer(request)
    if me is None or me.status not in {Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED}:
        return redirect("support:my-volunteering")
    form = StatusForm(request.POST or None)
    form.fields["status"].label = _("What would you like to do?")
    form.fields["status"].choices = [  # type: ignore[attr-defined]
        (Volunteer.Status.PAUSED, _("Take a break"))
        if me.status == Volunteer.Status.ACTIVE
        else (Volunteer.Status.ACTIVE, _("Start volunteering again")),
        (Volunteer.Status.LEFT, _("Stop volunteering")),
    ]
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_volunteer_status(me, by=signed_in_user(request), **form.cleaned_data)
        except actions.SupportError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, _("Thank you. Your coordinator has been told."))
            return redirect("support:my-volunteering")
    return render(request, "support/my_status.html", {"form": form})


def _own_match(request: HttpRequest, pk: int) -> Match:
    return get_object_or_404(
        Match.objects.select_related("request", "volunteer"),
        pk=pk,
        volunteer__user=signed_in_user(request),
        volunteer__council=current_council(request),
    )


@require_POST
@council_permission(SIGNED_IN)
def match_accept(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    try:
        actions.respond_to_match(match, by=signed_in_user(request), accept=True)
        messages.success(request, _("Thank you. The resident has been told you are coming."))
    except actions.SupportError as exc:
        messages.error(request, str(exc))
    return redirect("support:my-volunteering")


@council_permission(SIGNED_IN)
def match_decline(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.respond_to_match(
                match, by=signed_in_user(request), accept=False, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Thank you for letting us know."))
        except actions.SupportError as exc:
            messages.error(request, str(exc))
        return redirect("support:my-volunteering")
    return render(request, "support/decline.html", {"form": form, "match": match})


@council_permission(SIGNED_IN)
def match_done(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.complete_match(
                match, by=signed_in_user(request), hours=form.cleaned_data["hours"]
            )
        except actions.SupportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you. Your hours have been recorded."))
            return redirect("support:my-volunteering")
    return render(request, "support/done.html", {"form": form, "match": match})


@council_permission(SIGNED_IN)
def match_message(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.message_coordinator(
            match, by=signed_in_user(request), body=form.cleaned_data["body"]
        )
        messages.success(request, _("Message sent to your coordinator"))
        return redirect("support:my-volunteering")
    return render(request, "support/message.html", {"form": form})


@council_permission(SIGNED_IN)
def match_concern(request: HttpRequest, pk: int) -> HttpResponse:
    match = _own_match(request, pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.raise_concern(
            match.request.council,
            by=signed_in_user(request),
            request=match.request,
            volunteer=match.volunteer,
            **form.cleaned_data,
        )
        messages.success(request, _("Thank you. The safeguarding lead has been told."))
        return redirect("support:my-volunteering")
    return render(request, "support/concern_form.html", {"form": form})


# Coordinators -------------------------------------------------------------------------------


def _me(request: HttpRequest) -> tuple[User, Council]:
    return signed_in_user(request), current_council(request)


def ward_map(requests: Any, volunteers: Any, council: Council) -> list[dict[str, Any]]:
    """Counts per ward, placed at the ward's average postcode centre: areas, never homes."""
    open_by_ward = Counter(requests.values_list("ward_id", flat=True))
    active_by_ward = Counter(volunteers.values_list("ward_id", flat=True))
    rows = []
    wards = list(council.wards.all())
    centres = {
        row["ward_code"]: (row["lat"], row["lon"])
        for row in Postcode.objects.filter(ward_code__in=[w.code for w in wards])
        .values("ward_code")
        .annotate(lat=Avg("lat"), lon=Avg("lon"))
    }
    placed = [c for c in centres.values()]
    lat0 = min((c[0] for c in placed), default=0.0)
    lat1 = max((c[0] for c in placed), default=1.0)
    lon0 = min((c[1] for c in placed), default=0.0)
    lon1 = max((c[1] for c in placed), default=1.0)
    for ward in wards:
        row: dict[str, Any] = {
            "ward": ward,
            "requests": open_by_ward.get(ward.pk, 0),
            "volunteers": active_by_ward.get(ward.pk, 0),
        }
        if ward.code in centres:
            lat, lon = centres[ward.code]
            row["x"] = 60 + 480 * ((lon - lon0) / ((lon1 - lon0) or 1))
            row["y"] = 50 + 260 * (1 - (lat - lat0) / ((lat1 - lat0) or 1))
            row["r"] = 10 + min(35, 2 * row["requests"])
        rows.append(row)
    return rows


@council_permission(COORDINATE)
def dashboard(request: HttpRequest) -> HttpResponse:
    user, council = _me(request)
    requests = actions.visible_requests(user, council)
    volunteers = actions.visible_volunteers(user, council)
    open_requests = requests.filter(status__in=HelpRequest.OPEN)
    active = volunteers.filter(status=Volunteer.Status.ACTIVE)
    return render(
        request,
        "support/staff/dashboard.html",
        {
            "request_counts": dict(
                requests.values_list("status").annotate(n=Count("pk")).order_by()
            ),
            "volunteer_counts": dict(
                volunteers.values_list("status").annotate(n=Count("pk")).order_by()
            ),
            "statuses": HelpRequest.Status,
            "volunteer_statuses": Volunteer.Status,
            "proposed": Match.objects.filter(
                status=Match.Status.PROPOSED, request__in=requests, volunteer__in=volunteers
            ).count(),
            "areas": ward_map(open_requests, active, council),
            "scope": actions.partner_scope(user, council),
            "partners": PartnerOrganisation.objects.filter(council=council, memberships__user=user),
            "is_lead": actions.is_safeguarding_lead(user, council),
            "jobs": _jobs(council, user)[:3],
            "done": Match.objects.filter(
                status=Match.Status.COMPLETED, request__in=requests, volunteer__in=volunteers
            ).aggregate(n=Count("pk"), hours=Sum("hours")),
        },
    )


def _jobs(council: Council, user: User) -> Any:
    return Job.objects.filter(
        kind="support.match", council=council, params__scope=actions.partner_scope(user, council)
    ).order_by("-created_at")


def _by_ward(request: HttpRequest, rows: Any, council: Council) -> tuple[Any, int | None]:
    raw = request.GET.get("ward", "")
    if raw.isdigit() and council.wards.filter(pk=int(raw)).exists():
        return rows.filter(ward_id=int(raw)), int(raw)
    return rows, None


@council_permission(COORDINATE)
def request_list(request: HttpRequest) -> HttpResponse:
    user, council = _me(request)
    status = request.GET.get("status", "open")
    rows = actions.visible_requests(user, council).select_related("ward", "organisation")
    if status == "open":
        rows = rows.filter(status__in=HelpRequest.OPEN)
    elif status in HelpRequest.Status.values:
        rows = rows.filter(status=status)
    rows, ward = _by_ward(request, rows, council)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(
        "support.requests.listed", actor=user, council=council, reason="coordination", status=status
    )
    return render(
        request,
        "support/staff/requests.html",
        {
            "rows": page,
            "page": page,
            "status": status,
            "statuses": HelpRequest.Status.choices,
            "ward": ward,
            "wards": council.wards.all(),
        },
    )


@council_permission(COORDINATE)
def request_new(request: HttpRequest) -> HttpResponse:
    user, council = _me(request)
    form = StaffRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scope = actions.partner_scope(user, council)
        organisation = PartnerOrganisation.objects.get(pk=scope[0]) if scope is not None else None
        try:
            created = actions.submit_help_request(
                council, by=user, organisation=organisation, triaged=True, **form.cleaned_data
            )
        except actions.SupportError as exc:
            form.add_error("postcode", str(exc))
        else:
            messages.success(request, _("Request recorded and ready to match"))
            return redirect("support:request", pk=created.pk)
    return render(request, "support/staff/request_new.html", {"form": form})


def _visible_request(request: HttpRequest, pk: int) -> HelpRequest:
    user, council = _me(request)
    return get_object_or_404(actions.visible_requests(user, council), pk=pk)


def _visible_volunteer(request: HttpRequest, pk: int) -> Volunteer:
    user, council = _me(request)
    return get_object_or_404(actions.visible_volunteers(user, council), pk=pk)


@council_permission(COORDINATE)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _visible_request(request, pk)
    user, council = _me(request)
    audit.record(
        "support.request.viewed",
        actor=user,
        council=council,
        obj=help_request,
        reason="coordination",
    )
    # A partner's coordinator sees who their own volunteers are; another organisation's (or the
    # council's) volunteer on the same request is shown without a name, badge or messages.
    volunteers = actions.visible_volunteers(user, council)
    return render(
        request,
        "support/staff/request.html",
        {
            "r": help_request,
            "matches": help_request.matches.select_related("volunteer"),
            "own": set(
                volunteers.filter(matches__request=help_request).values_list("pk", flat=True)
            ),
            "notes": CoordinatorMessage.objects.filter(
                match__request=help_request, match__volunteer__in=volunteers
            ).select_related("match__volunteer"),
            "is_lead": actions.is_safeguarding_lead(user, council),
        },
    )


@council_permission(COORDINATE)
def request_triage(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _visible_request(request, pk)
    form = TriageForm(
        request.POST or None,
        initial={
            "urgency": help_request.urgency,
            "needs": help_request.needs,
            "needed_on": help_request.needed_on,
            "vetting_required": help_request.vetting_required,
            "safeguarding_flags": help_request.safeguarding_flags,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.triage_request(help_request, by=signed_in_user(request), **form.cleaned_data)
        except actions.SupportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Triage saved. The request is ready to match."))
            return redirect("support:request", pk=pk)
    return render(request, "support/staff/triage.html", {"form": form, "r": help_request})


@require_POST
@council_permission(COORDINATE)
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _visible_request(request, pk)
    try:
        actions.cancel_request(help_request, by=signed_in_user(request))
        messages.success(request, _("Request cancelled"))
    except actions.SupportError as exc:
        messages.error(request, str(exc))
    return redirect("support:request", pk=pk)


@council_permission(COORDINATE)
def request_concern(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _visible_request(request, pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.raise_concern(
            help_request.council,
            by=signed_in_user(request),
            request=help_request,
            **form.cleaned_data,
        )
        messages.success(request, _("Concern sent to the safeguarding lead"))
        return redirect("support:request", pk=pk)
    return render(request, "support/concern_form.html", {"form": form})


@council_permission(COORDINATE)
def volunteer_list(request: HttpRequest) -> HttpResponse:
    user, council = _me(request)
    status = request.GET.get("status", "")
    rows = actions.visible_volunteers(user, council).select_related("ward", "organisation")
    if status in Volunteer.Status.values:
        rows = rows.filter(status=status)
    rows, ward = _by_ward(request, rows, council)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(
        "support.volunteers.listed",
        actor=user,
        council=council,
        reason="coordination",
        status=status,
    )
    return render(
        request,
        "support/staff/volunteers.html",
        {
            "rows": page,
            "page": page,
            "status": status,
            "statuses": Volunteer.Status.choices,
            "ward": ward,
            "wards": council.wards.all(),
        },
    )


@council_permission(COORDINATE)
def volunteer_new(request: HttpRequest) -> HttpResponse:
    user, council = _me(request)
    scope = actions.partner_scope(user, council)
    partners = _partners(council)
    if scope is not None:
        partners = [p for p in partners if p.pk in scope]
    form = StaffVolunteerForm(request.POST or None, partners=partners)
    if scope is not None:
        # A partner's coordinator adds volunteers to their own organisation only.
        form.fields["organisation"].choices = [(str(p.pk), p.name) for p in partners]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.sign_up_volunteer(council, user=None, by=user, **form.cleaned_data)
        except actions.SupportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Volunteer added. Record their checks next."))
            return redirect("support:volunteer-detail", pk=person.pk)
    return render(request, "support/staff/volunteer_new.html", {"form": form})


@council_permission(COORDINATE)
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_volunteer(request, pk)
    user, council = _me(request)
    audit.record(
        "support.volunteer.viewed", actor=user, council=council, obj=person, reason="coordination"
    )
    return render(
        request,
        "support/staff/volunteer.html",
        {
            "v": person,
            "vetting": person.current_vetting(),
            "usable": person.usable_skills(),
            "hours": actions.hours_logged(person),
            "matches": person.matches.filter(
                request__in=actions.visible_requests(user, council)
            ).select_related("request")[:20],
            "moves": [
                (s, Volunteer.Status(s).label) for s in sorted(actions.ALLOWED_MOVES[person.status])
            ],
        },
    )


def _volunteer_record_page(
    request: HttpRequest,
    pk: int,
    form: forms.Form,
    save: Callable[..., object],
    *,
    title: str,
    done: str,
    error_field: Callable[[str], str | None] = lambda message: None,
) -> HttpResponse:
    """A coordinator's form about one volunteer: save through an action, then back to them."""
    person = _visible_volunteer(request, pk)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, by=signed_in_user(request), **form.cleaned_data)
        except actions.SupportError as exc:
            form.add_error(error_field(str(exc)), str(exc))
        else:
            messages.success(request, done)
            return redirect("support:volunteer-detail", pk=pk)
    return render(
        request, "support/staff/volunteer_form.html", {"form": form, "v": person, "title": title}
    )


@council_permission(COORDINATE)
def volunteer_status(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_volunteer(request, pk)
    form = StatusForm(request.POST or None)
    form.fields["status"].choices = [  # type: ignore[attr-defined]
        (s, Volunteer.Status(s).label) for s in sorted(actions.ALLOWED_MOVES[person.status])
    ]
    return _volunteer_record_page(
        request,
        pk,
        form,
        actions.change_volunteer_status,
        title=_("Change status"),
        done=_("Status changed"),
        error_field=lambda message: "reason" if "reason" in message.lower() else None,
    )


@council_permission(COORDINATE)
def volunteer_vetting(request: HttpRequest, pk: int) -> HttpResponse:
    return _volunteer_record_page(
        request,
        pk,
        VettingForm(request.POST or None),
        actions.record_vetting,
        title=_("Record a DBS check"),
        done=_("Vetting recorded"),
        error_field=lambda message: "expires_on",
    )


@council_permission(COORDINATE)
def volunteer_training(request: HttpRequest, pk: int) -> HttpResponse:
    return _volunteer_record_page(
        request,
        pk,
        TrainingForm(request.POST or None),
        actions.record_training,
        title=_("Record training"),
        done=_("Training recorded"),
    )


@require_POST
@council_permission(COORDINATE)
def match_run(request: HttpRequest) -> HttpResponse:
    user, council = _me(request)
    core_actions.start_job(
        "support.match",
        title=_("Match volunteers to requests"),
        params={"scope": actions.partner_scope(user, council)},
        council=council,
        by=user,
    )
    messages.success(request, _("The matcher has started. Proposals appear here when it finishes."))
    return redirect("support:proposals")


@council_permission(COORDINATE)
def proposals(request: HttpRequest) -> HttpResponse:
    user, council = _me(request)
    visible = actions.visible_requests(user, council)
    rows = Paginator(
        Match.objects.filter(
            status=Match.Status.PROPOSED,
            request__in=visible,
            volunteer__in=actions.visible_volunteers(user, council),
        ).select_related("request", "volunteer"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    job = _jobs(council, user).first()
    unmatched = []
    if job is not None and job.status == Job.Status.SUCCEEDED:
        by_pk = {
            r.pk: r
            for r in visible.filter(pk__in=[u["request"] for u in job.result.get("unmatched", [])])
        }
        for item in job.result.get("unmatched", []):
            if item["request"] in by_pk:
                unmatched.append(
                    {"request": by_pk[item["request"]], "reason": Reason(item["reason"]).sentence}
                )
    audit.record("support.proposals.viewed", actor=user, council=council, reason="coordination")
    return render(
        request,
        "support/staff/proposals.html",
        {"rows": rows, "page": rows, "job": job, "unmatched": unmatched[:PAGE_SIZE]},
    )


def _visible_match(request: HttpRequest, pk: int) -> Match:
    user, council = _me(request)
    return get_object_or_404(
        Match.objects.select_related("request", "volunteer"),
        pk=pk,
        request__in=actions.visible_requests(user, council),
        volunteer__in=actions.visible_volunteers(user, council),
    )


@require_POST
@council_permission(COORDINATE)
def match_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    match = _visible_match(request, pk)
    try:
        actions.confirm_match(match, by=signed_in_user(request))
        messages.success(request, _("Confirmed. The volunteer has been asked to accept."))
    except actions.SupportError as exc:
        messages.error(request, str(exc))
    return redirect("support:proposals")


@require_POST
@council_permission(COORDINATE)
def match_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    match = _visible_match(request, pk)
    try:
        actions.withdraw_match(match, by=signed_in_user(request))
        messages.success(request, _("Match withdrawn"))
    except actions.SupportError as exc:
        messages.error(request, str(exc))
    return redirect("support:request", pk=match.request_id)


@require_POST
@council_permission(COORDINATE)
def match_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the answer a volunteer without an account gave on the phone."""
    match = _visible_match(request, pk)
    answer = request.POST.get("answer")
    if answer in {"accept", "decline"}:
        try:
            actions.respond_to_match(
                match, by=signed_in_user(request), accept=answer == "accept", on_behalf=True
            )
            messages.success(request, _("Answer recorded"))
        except actions.SupportError as exc:
            messages.error(request, str(exc))
    return redirect("support:request", pk=match.request_id)


@council_permission(COORDINATE)
def match_complete(request: HttpRequest, pk: int) -> HttpResponse:
    match = _visible_match(request, pk)
    form = HoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.complete_match(
                match, by=signed_in_user(request), hours=form.cleaned_data["hours"]
            )
        except actions.SupportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Marked as done and hours recorded"))
            return redirect("support:request", pk=match.request_id)
    return render(request, "support/staff/complete.html", {"form": form, "match": match})


def _lead_only(request: HttpRequest) -> tuple[User, Council]:
    user, council = _me(request)
    if not actions.is_safeguarding_lead(user, council):
        raise PermissionDenied
    return user, council


@council_permission(COORDINATE)
def concerns(request: HttpRequest) -> HttpResponse:
    user, council = _lead_only(request)
    rows = SafeguardingConcern.objects.filter(council=council).select_related(
        "request", "volunteer"
    )
    audit.record("support.concerns.listed", actor=user, council=council, reason="safeguarding")
    return render(
        request,
        "support/staff/concerns.html",
        {"open": rows.filter(status="open"), "closed": rows.filter(~Q(status="open"))[:50]},
    )


@council_permission(COORDINATE)
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, council = _lead_only(request)
    concern = get_object_or_404(SafeguardingConcern, council=council, pk=pk)
    audit.record(
        "support.concern.viewed", actor=user, council=council, obj=concern, reason="safeguarding"
    )
    form = CloseConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.close_concern(concern, by=user, notes=form.cleaned_data["notes"])
        messages.success(request, _("Concern closed"))
        return redirect("support:concerns")
    return render(request, "support/staff/concern.html", {"c": concern, "form": form})
