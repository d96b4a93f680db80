"""The culture survey's pages: staff under /culture/, taking part under /survey/ (mounted at
the site's root by changemaker/urls.py)."""

from django.urls import URLPattern, URLResolver

from changemaker.culture.urls import public, staff

app_name = "culture"
urlpatterns: list[URLPattern | URLResolver] = [*staff.urlpatterns, *public.urlpatterns]
