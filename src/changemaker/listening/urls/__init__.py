"""/notifications/ (a person's notifications, choices, unsubscribe), /following/ and
/you-said-we-did/ (we asked, you said, we did: public pages and the officers' manage/)."""

from django.urls import URLPattern, URLResolver

from changemaker.listening.urls import public, public_reports, resident, staff_reports

app_name = "listening"
urlpatterns: list[URLPattern | URLResolver] = [
    *public.urlpatterns,
    *resident.urlpatterns,
    *staff_reports.urlpatterns,
    *public_reports.urlpatterns,
]
