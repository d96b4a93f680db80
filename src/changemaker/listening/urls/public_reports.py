from django.urls import path

from changemaker.listening.views import public_reports

urlpatterns = [
    path("you-said-we-did/", public_reports.reports, name="reports"),
    path("you-said-we-did/<int:pk>/", public_reports.report, name="report"),
]
