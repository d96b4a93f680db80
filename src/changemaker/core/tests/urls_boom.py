"""A URLconf with a view that fails, to test the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

SECRET = "resident-ada@example.org NI AB123456C"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET)


urlpatterns = [path("boom/", boom), path("", include("changemaker.urls"))]
handler500 = "changemaker.core.views.pages.server_error"
