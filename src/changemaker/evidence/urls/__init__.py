"""/evidence/: the public practice library and the staff pilot register."""

from django.urls import URLPattern, URLResolver

from changemaker.evidence.urls import public, staff

app_name = "evidence"
# staff first: its "staff/" prefix must not be read as a pilot's short name
urlpatterns: list[URLPattern | URLResolver] = [*staff.urlpatterns, *public.urlpatterns]
