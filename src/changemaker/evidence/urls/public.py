from django.urls import path

from changemaker.evidence.views import public

urlpatterns = [
    path("", public.library, name="library"),
    path("<slug:slug>/", public.card, name="card"),
]
