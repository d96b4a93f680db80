from django.urls import path

from changemaker.insight import views_people

urlpatterns = [
    path("", views_people.search, name="search"),
    path("flags/", views_people.flags, name="flags"),
    path("my-access/", views_people.my_access, name="my-access"),
    path("statistics/", views_people.statistics, name="statistics"),
]
