from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("budgets/", include("changemaker.budgeting.urls")),
    path("help/", include("changemaker.support.urls")),
    path("have-your-say/", include("changemaker.consultations.urls")),
    path("insight/", include("changemaker.insight.urls")),
    path("", include("changemaker.core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "changemaker.core.views.pages.forbidden"
handler404 = "changemaker.core.views.pages.not_found"
handler500 = "changemaker.core.views.pages.server_error"
