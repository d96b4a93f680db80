from django.urls import path

from changemaker.listening.views import resident_scorecards as views

urlpatterns = [
    path("self-evaluation/<slug:slug>/rate/", views.rate, name="scorecard-rate"),
]
