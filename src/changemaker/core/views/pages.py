"""Public pages: home, accessibility statement, privacy notice, cookies, errors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from changemaker.core.registry import MEDIA_GUARDS


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/privacy.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/cookies.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a token that no longer holds (the page was open too long, or the
    person signed in or out in another tab): say so and how to send it again. Nothing from the
    request is shown, not even Django's reason."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors, no request data: the page must render even when the database is down
    # and must leak nothing.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch language with a plain link (works without JavaScript), then go back."""
    from django.conf import settings
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = redirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response


#: Uploads that are public by design (council logos, idea pictures): images only, checked by
#: content when uploaded. Anything else under MEDIA_ROOT is never served from here.
PUBLIC_MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
#: Documents a guard may allow (checked by content when uploaded: core.validators), offered
#: as downloads, never shown inside the site.
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
#: Core's own public folder. A capability adds its folders with who may see an upload in each
#: (``Capability.media``: ``guard(request, name)`` gives "public", "private" (this person
#: only: not cached by others) or None (not found)); no other folder is ever served.
PUBLIC_MEDIA_FOLDERS = ("council-logos/",)


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Serve an uploaded image to whoever may see it. A web server in front may serve
    /media/council-logos/ itself, never a capability's guarded folder (budgeting's ideas not
    yet published are seen only by their author and officers: its guard decides)."""
    import os
    from pathlib import Path

    from django.conf import settings
    from django.http import FileResponse, Http404
    from django.utils._os import safe_join

    suffix = Path(path).suffix.lower()
    content_type = PUBLIC_MEDIA_TYPES.get(suffix) or DOCUMENT_TYPES.get(suffix)
    if content_type is None:
        raise Http404
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))  # resolved, inside MEDIA_ROOT
    except ValueError:
        raise Http404 from None
    inside = full.relative_to(os.path.abspath(settings.MEDIA_ROOT)).as_posix()
    if not inside.startswith((*PUBLIC_MEDIA_FOLDERS, *MEDIA_GUARDS)) or not full.is_file():
        raise Http404
    if suffix in DOCUMENT_TYPES and inside.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404
    guard = next((g for folder, g in MEDIA_GUARDS.items() if inside.startswith(folder)), None)
    access = "public" if guard is None else guard(request, inside)
    if access is None:
        raise Http404
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["Cache-Control"] = (
        "public, max-age=86400" if access == "public" else "private, no-store"
    )
    response["Content-Disposition"] = "attachment" if suffix in DOCUMENT_TYPES else "inline"
    return response
