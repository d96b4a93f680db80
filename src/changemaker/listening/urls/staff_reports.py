from django.urls import path

from changemaker.listening.views import staff_reports

urlpatterns = [
    path("you-said-we-did/manage/", staff_reports.sources, name="reports-staff"),
    path("you-said-we-did/manage/draft/", staff_reports.draft, name="report-draft"),
    path("you-said-we-did/manage/<int:pk>/", staff_reports.edit, name="report-edit"),
    path("you-said-we-did/manage/<int:pk>/redraft/", staff_reports.redraft, name="report-redraft"),
    path("you-said-we-did/manage/<int:pk>/preview/", staff_reports.preview, name="report-preview"),
    path("you-said-we-did/manage/<int:pk>/publish/", staff_reports.publish, name="report-publish"),
    path(
        "you-said-we-did/manage/<int:pk>/unpublish/",
        staff_reports.unpublish,
        name="report-unpublish",
    ),
]
