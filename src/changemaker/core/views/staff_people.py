"""Council administrators manage their council's staff: who holds which role, and leavers."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from changemaker.core import actions, audit, selectors
from changemaker.core.forms import StaffRolesForm
from changemaker.core.models import Council, User
from changemaker.core.views.base import council_permission, current_council, signed_in_user


def _member(council: Council, user_id: int) -> User:
    person = selectors.staff_member(council, user_id)
    if person is None:
        raise Http404("No such staff member in this council")
    return person


@council_permission("core.manage_staff")
def staff_list(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    people = list(selectors.council_staff(council))
    # Names, email addresses and sign-in times of staff are personal data: recorded.
    audit.record("staff.listed", actor=signed_in_user(request), council=council, rows=len(people))
    return render(request, "core/staff/people.html", {"people": people})


@require_http_methods(["GET", "POST"])
@council_permission("core.manage_staff")
def staff_person(request: HttpRequest, user_id: int) -> HttpResponse:
    council = current_council(request)
    by = signed_in_user(request)
    person = _member(council, user_id)
    held = [a.role for a in person.council_roles]  # type: ignore[attr-defined]
    # No box ticked sends nothing: still a bound form, so it says what is missing.
    data = request.POST if request.method == "POST" else None
    form = StaffRolesForm(data, initial={"roles": held})
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = actions.change_staff_roles(
                council=council, person=person, roles=form.cleaned_data["roles"], by=by
            )
        except actions.ActionError as exc:
            form.add_error("roles", str(exc))
        else:
            if added or removed:
                messages.success(request, _("Roles saved"))
            else:
                messages.info(request, _("Nothing changed"))
            return redirect("core:staff-person", user_id=person.pk)
    else:
        audit.record("staff.person_viewed", actor=by, council=council, obj=person)
    return render(
        request,
        "core/staff/person.html",
        {"form": form, "person": person, "is_me": person.pk == by.pk},
    )


@require_http_methods(["GET", "POST"])
@council_permission("core.manage_staff")
def staff_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove a leaver from this council (confirmed on a page of its own)."""
    council = current_council(request)
    by = signed_in_user(request)
    person = _member(council, user_id)
    error = ""
    if request.method == "POST":
        try:
            actions.remove_from_council(council=council, person=person, by=by)
        except actions.ActionError as exc:
            error = str(exc)
        else:
            messages.success(
                request, _("%(name)s no longer has a role in this council") % {"name": person.name}
            )
            return redirect("core:staff-people")
    return render(
        request,
        "core/staff/person_remove.html",
        {"person": person, "is_me": person.pk == by.pk, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
@council_permission("core.manage_staff")
def staff_reset_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """Reset a staff member's lost two-factor sign-in (confirmed on a page of its own)."""
    council = current_council(request)
    person = _member(council, user_id)
    error = ""
    if request.method == "POST":
        try:
            actions.reset_two_factor(council=council, person=person, by=signed_in_user(request))
        except actions.ActionError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("Two-factor sign-in reset for %(name)s. We have emailed them.")
                % {"name": person.name},
            )
            return redirect("core:staff-person", user_id=person.pk)
    return render(
        request,
        "core/staff/person_reset_two_factor.html",
        {"person": person, "error": error},
        status=400 if error else 200,
    )
