from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from changemaker.core import api
from changemaker.core.views import pages

urlpatterns: list[URLPattern | URLResolver] = [
    # public uploaded images (logos, idea pictures) in every setting: see pages.media
    path(settings.MEDIA_URL.lstrip("/") + "<path:path>", pages.media, name="media"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    # open data: read-only, public (core.api; each capability brings its router)
    path("api/", include((api.urls(), "api"))),
    path("budgets/", include("changemaker.budgeting.urls")),
    path("help/", include("changemaker.support.urls")),
    path("have-your-say/", include("changemaker.consultations.urls")),
    path("insight/", include("changemaker.insight.urls")),
    path("evidence/", include("changemaker.evidence.urls")),
    # the culture survey: staff pages under /culture/, taking part under /survey/
    path("", include("changemaker.culture.urls")),
    path("", include("changemaker.listening.urls")),  # notifications/, following/
    path("", include("changemaker.core.urls")),
]

handler403 = "changemaker.core.views.pages.forbidden"
handler404 = "changemaker.core.views.pages.not_found"
handler500 = "changemaker.core.views.pages.server_error"
