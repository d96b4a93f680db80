from django.urls import path

from changemaker.consultations.views import staff as views

urlpatterns = [
    path("new/", views.create, name="create"),
    path("import/", views.import_export, name="import"),
    path("<slug:slug>/moderate/", views.moderate, name="moderate"),
    path("<slug:slug>/moderate/export.zip", views.staff_export, name="staff-export"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/welsh/", views.welsh, name="welsh"),
    path(
        "<slug:slug>/statements/<int:number>/propose/",
        views.propose_statement,
        name="statement-proposal",
    ),
]
