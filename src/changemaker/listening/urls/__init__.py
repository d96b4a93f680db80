"""/notifications/ (a person's notifications, choices, unsubscribe) and /following/."""

from django.urls import URLPattern, URLResolver

from changemaker.listening.urls import public, resident

app_name = "listening"
urlpatterns: list[URLPattern | URLResolver] = [*public.urlpatterns, *resident.urlpatterns]
