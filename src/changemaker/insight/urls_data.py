from django.urls import path

from changemaker.insight import views_data

urlpatterns = [
    path("agreements/", views_data.agreements, name="agreements"),
    path("datasets/", views_data.datasets, name="datasets"),
    path("runs/", views_data.runs, name="runs"),
    path("processing/", views_data.processing, name="processing"),
]
