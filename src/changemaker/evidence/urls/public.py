from django.urls import path

from changemaker.evidence.views import public

urlpatterns = [
    path("", public.library, name="library"),
    path("outcomes/", public.outcomes, name="outcomes"),
    path("outcomes/<slug:key>/", public.outcome, name="outcome"),
    path("<slug:slug>/", public.card, name="card"),
]
