"""Platform administrators add councils, change them and invite their administrators."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from changemaker.core import actions
from changemaker.core.forms import PlatformCouncilForm
from changemaker.core.models import Council
from changemaker.core.views.base import council_permission, signed_in_user


def council_url(request: HttpRequest, council: Council, path: str) -> str:
    """An absolute link on the council's own web address (its invitations open branded as
    that council), or on this one if it has none yet."""
    if not council.domain:
        return request.build_absolute_uri(path)
    port = request.get_port()
    default = "443" if request.is_secure() else "80"
    host = council.domain if port in {default, ""} else f"{council.domain}:{port}"
    return f"{request.scheme}://{host}{path}"


@require_http_methods(["GET", "POST"])
@council_permission("core.manage_councils")
def council_edit(request: HttpRequest, council_id: int | None = None) -> HttpResponse:
    """Add a council (with its first administrator's invitation) or change one."""
    council = get_object_or_404(Council, pk=council_id) if council_id else Council()
    form = PlatformCouncilForm(request.POST or None, instance=council)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        try:
            actions.save_council(
                saved,
                other_domains=form.cleaned_data["other_domains"],
                by=signed_in_user(request),
                first_admin=form.cleaned_data.get("first_admin") or "",
                accept_url=lambda token: council_url(
                    request, saved, reverse("core:accept-invitation", args=[token])
                ),
            )
        except actions.ActionError as exc:
            form.add_error("domain", str(exc))
        else:
            if council_id:
                messages.success(request, _("Council details saved"))
            else:
                messages.success(
                    request,
                    _("%(name)s added. Its first administrator has been sent an invitation.")
                    % {"name": saved.name},
                )
            return redirect("core:platform")
    return render(request, "core/staff/platform_council.html", {"form": form, "council": council})
