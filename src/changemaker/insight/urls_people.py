from django.urls import path

from changemaker.insight import views_people

urlpatterns = [
    path("", views_people.search, name="search"),
    path("purpose/", views_people.purpose, name="purpose"),
    path("people/<str:person_id>/", views_people.person, name="person"),
    path("people/<str:person_id>/export/", views_people.export, name="person-export"),
    path("households/<str:household_id>/", views_people.household, name="household"),
    path("flags/", views_people.flags, name="flags"),
    path("flags/<int:pk>/", views_people.flag_review, name="flag-review"),
    path("indicators/", views_people.indicators, name="indicators"),
    path("indicators/new/", views_people.indicator_edit, name="indicator-new"),
    path("indicators/<int:pk>/", views_people.indicator_edit, name="indicator"),
    path("indicators/<int:pk>/active/", views_people.indicator_active, name="indicator-active"),
    path("my-access/", views_people.my_access, name="my-access"),
    path("access-log/", views_people.access_log, name="access-log"),
    path("statistics/", views_people.statistics, name="statistics"),
]
