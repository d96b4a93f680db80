"""Shared view of need, under /insight/. Data-officer pages live in views_data.py, the
practitioner and planner pages in views_people.py."""

from django.urls import path

from changemaker.insight import views_data, views_people

app_name = "insight"

urlpatterns = [
    # data officers: governance, datasets, uploads, runs
    path("agreements/", views_data.agreements, name="agreements"),
    path("datasets/", views_data.datasets, name="datasets"),
    path("runs/", views_data.runs, name="runs"),
    path("processing/", views_data.processing, name="processing"),
    # practitioners and planners: people, households, flags, access
    path("", views_people.search, name="search"),
    path("flags/", views_people.flags, name="flags"),
    path("my-access/", views_people.my_access, name="my-access"),
    path("statistics/", views_people.statistics, name="statistics"),
]
