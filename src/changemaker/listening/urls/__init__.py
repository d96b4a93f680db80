"""/notifications/ (a person's notifications, choices, unsubscribe), /following/ and
/self-evaluation/ (the open self-evaluation; its staff pages first, under manage/)."""

from django.urls import URLPattern, URLResolver

from changemaker.listening.urls import (
    public,
    public_scorecards,
    resident,
    resident_scorecards,
    staff_scorecards,
)

app_name = "listening"
urlpatterns: list[URLPattern | URLResolver] = [
    *public.urlpatterns,
    *resident.urlpatterns,
    *staff_scorecards.urlpatterns,
    *public_scorecards.urlpatterns,
    *resident_scorecards.urlpatterns,
]
