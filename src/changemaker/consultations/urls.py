from django.urls import path

from changemaker.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.create, name="create"),
    path("import/", views.import_export, name="import"),
    path("<slug:slug>/", views.take_part, name="take-part"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/statements/new/", views.add_statement, name="add-statement"),
    path("<slug:slug>/statements/<int:number>/report/", views.report, name="report"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/export.zip", views.export, name="export"),
    path("<slug:slug>/moderate/", views.moderate, name="moderate"),
    path("<slug:slug>/moderate/export.zip", views.staff_export, name="staff-export"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
]
