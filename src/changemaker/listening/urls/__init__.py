"""/notifications/ (a person's notifications, choices, unsubscribe), /following/ and
/commitments/ (public; officers' pages under /commitments/manage/)."""

from django.urls import URLPattern, URLResolver

from changemaker.listening.urls import public, public_commitments, resident, staff_commitments

app_name = "listening"
urlpatterns: list[URLPattern | URLResolver] = [
    *public.urlpatterns,
    *resident.urlpatterns,
    *staff_commitments.urlpatterns,
    *public_commitments.urlpatterns,
]
