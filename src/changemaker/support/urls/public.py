from django.urls import path

from changemaker.support.views import public

urlpatterns = [
    path("", public.start, name="start"),
    path("ask/", public.ask, name="ask"),
    path("ask/check/", public.ask_check, name="ask-check"),
]
