from django.urls import path

from changemaker.listening.views import public_scorecards as views

urlpatterns = [
    path("self-evaluation/", views.scorecards, name="scorecards"),
    path("self-evaluation/<slug:slug>/", views.scorecard, name="scorecard"),
]
