"""/notifications/ (a person's notifications, choices, unsubscribe), /following/, and
/stories/ (telling a story; staff's pages under /stories/manage/, which come first)."""

from django.urls import URLPattern, URLResolver

from changemaker.listening.urls import public, resident, staff

app_name = "listening"
urlpatterns: list[URLPattern | URLResolver] = [
    *staff.urlpatterns,
    *public.urlpatterns,
    *resident.urlpatterns,
]
