from django.urls import path

from changemaker.consultations.views import public as views

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("<slug:slug>/", views.take_part, name="take-part"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/statements/new/", views.add_statement, name="add-statement"),
    path("<slug:slug>/statements/<int:number>/report/", views.report, name="report"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/export.zip", views.export, name="export"),
]
