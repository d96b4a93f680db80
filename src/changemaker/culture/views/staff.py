"""Survey leads' pages: surveys, their statements, waves, the chart, the staff list, opening
and closing. Every view is behind ``culture.run_surveys``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from changemaker.core.models import Job
from changemaker.core.views.base import council_permission, current_council, signed_in_user
from changemaker.core.views.uploads import upload
from changemaker.culture import actions, selectors
from changemaker.culture.actions import ActionError
from changemaker.culture.forms import ItemChoiceForm, ItemForm, SurveyForm, UploadForm, WaveForm
from changemaker.culture.models import Wave
from changemaker.culture.views.shared import refused
from changemaker.culture.welsh import wave_welsh_missing

RUN = "culture.run_surveys"
CHART_HELP = gettext_lazy(
    "Columns: unit, parent, name. One unit, the whole organisation, has a blank parent."
)
STAFF_HELP = gettext_lazy(
    "Columns: email, unit and, if you like, manager (yes for a unit's managers: they will see "
    "their teams' results) and language (cy or en: the invitation comes in that language; "
    "without it, in Welsh and English). Addresses are used to send the links, then forgotten."
)


@council_permission(RUN)
def surveys(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.create_survey(
                council,
                name=form.cleaned_data["name"],
                instrument=form.cleaned_data["instrument"],
                by=signed_in_user(request),
                name_cy=form.cleaned_data["name_cy"],
            )
        except ActionError as exc:
            form.add_error("name", str(exc))
        else:
            return redirect("culture:survey", made.pk)
    context = {"form": form, "surveys": selectors.surveys(council)}
    return render(request, "culture/staff/surveys.html", context)


def _survey_page(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    found = selectors.survey(current_council(request), pk)
    items = list(found.items.all())
    scales = list(dict.fromkeys(it.scale for it in items))
    context = {
        "survey": found,
        "groups": selectors.items_by_scale(found.items.all()),
        "waves": found.waves.all(),
        "choose": forms.get("choose") or ItemChoiceForm(items=items),
        "item_form": forms.get("item_form") or ItemForm(scales=scales),
    }
    return render(request, "culture/staff/survey.html", context)


@council_permission(RUN)
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    return _survey_page(request, pk)


@council_permission(RUN)
@require_POST
def choose_items(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.survey(current_council(request), pk)
    form = ItemChoiceForm(request.POST, items=list(found.items.all()))
    if not form.is_valid():
        return _survey_page(request, pk, choose=form)
    chosen = actions.choose_items(found, form.cleaned_data["items"], by=signed_in_user(request))
    messages.success(request, _("The next wave will ask %(n)s statements.") % {"n": chosen})
    return redirect("culture:survey", pk)


@council_permission(RUN)
@require_POST
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.survey(current_council(request), pk)
    scales = list(dict.fromkeys(found.items.values_list("scale", flat=True)))
    form = ItemForm(request.POST, scales=scales)
    if not form.is_valid():
        return _survey_page(request, pk, item_form=form)
    actions.add_item(found, **form.cleaned_data, by=signed_in_user(request))
    messages.success(request, _("Your statement has been added."))
    return redirect("culture:survey", pk)


@council_permission(RUN)
def wave_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.survey(current_council(request), pk)
    form = WaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wave = form.save(commit=False)
        wave.survey = found
        wave.characteristic_options = form.cleaned_data["options"]
        wave.characteristic_options_cy = form.cleaned_data["options_cy"]
        try:
            actions.create_wave(wave, by=signed_in_user(request))
        except ActionError as exc:
            form.add_error("name", str(exc))
        else:
            return redirect("culture:wave", wave.pk)
    return render(request, "culture/staff/wave_new.html", {"form": form, "survey": found})


def _upload_forms(data: Any = None, files: Any = None, which: str = "") -> dict[str, UploadForm]:
    return {
        "chart_form": UploadForm(
            *((data, files) if which == "chart" else ()),
            label=_("Organisation chart (CSV file)"),
            help_text=CHART_HELP,
            prefix="chart",
        ),
        "staff_form": UploadForm(
            *((data, files) if which == "staff" else ()),
            label=_("Staff list (CSV file)"),
            help_text=STAFF_HELP,
            prefix="staff",
        ),
    }


def _wave_page(request: HttpRequest, wave: Wave, **extra: Any) -> HttpResponse:
    context = {
        "wave": wave,
        "units": wave.units.count(),
        "asked": selectors.items_by_scale(wave.items.all()),
        "participation": selectors.participation(wave),
        "has_report": hasattr(wave, "report"),
        "welsh_missing": wave_welsh_missing(wave),
        **_upload_forms(),
        **extra,
    }
    return render(request, "culture/staff/wave.html", context)


@council_permission(RUN)
def wave(request: HttpRequest, pk: int) -> HttpResponse:
    return _wave_page(request, selectors.wave(current_council(request), pk))


@council_permission(RUN)
@require_POST
def upload_chart(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.wave(current_council(request), pk)
    form = _upload_forms(request.POST, request.FILES, "chart")["chart_form"]
    source = str(getattr(request.FILES.get("chart-file"), "name", "units.csv"))

    def made(units: int) -> HttpResponse:
        messages.success(request, _("The organisation chart has %(n)s units.") % {"n": units})
        return redirect("culture:wave", pk)

    return upload(
        request,
        form,
        lambda data: actions.upload_chart(
            found, data["file"], source=source, by=signed_in_user(request)
        ),
        done=made,
        page=lambda problems: _wave_page(request, found, chart_form=form, chart_problems=problems),
        errors=(ActionError,),
    )


@council_permission(RUN)
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.wave(current_council(request), pk)
    form = _upload_forms(request.POST, request.FILES, "staff")["staff_form"]
    source = str(getattr(request.FILES.get("staff-file"), "name", "staff.csv"))

    def sending(started: tuple[int, Job]) -> HttpResponse:
        invited, job = started
        messages.success(
            request,
            _("The links to %(n)s people are being sent. This page shows how far it has got.")
            % {"n": invited},
        )
        return redirect("core:job", job.pk)

    return upload(
        request,
        form,
        lambda data: actions.invite_staff(
            found,
            data["file"],
            source=source,
            by=signed_in_user(request),
            site=request.build_absolute_uri("/"),
        ),
        done=sending,
        page=lambda problems: _wave_page(request, found, staff_form=form, staff_problems=problems),
        errors=(ActionError,),
    )


@council_permission(RUN)
@require_POST
def open_wave(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.wave(current_council(request), pk)
    try:
        actions.open_wave(found, by=signed_in_user(request))
    except ActionError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The wave is open. Invite staff with the staff list."))
    return redirect("culture:wave", pk)


@council_permission(RUN)
@require_POST
def close_wave(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.wave(current_council(request), pk)
    try:
        job = actions.close_wave(found, by=signed_in_user(request))
    except ActionError as exc:
        refused(request, exc)
        return redirect("culture:wave", pk)
    messages.success(request, _("The wave is closed. The results are being worked out."))
    return redirect("core:job", job.pk) if job else redirect("culture:wave", pk)
