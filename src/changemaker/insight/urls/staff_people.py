from django.urls import path

from changemaker.insight.views import staff_people as v

urlpatterns = [
    path("", v.search, name="search"),
    path("purpose/", v.purpose, name="purpose"),
    path("people/<str:person_id>/", v.person, name="person"),
    path("people/<str:person_id>/export/", v.export, name="person-export"),
    path("households/<str:household_id>/", v.household, name="household"),
    path("flags/", v.flags, name="flags"),
    path("flags/<int:pk>/", v.flag_review, name="flag-review"),
    path("indicators/", v.indicators, name="indicators"),
    path("indicators/new/", v.indicator_edit, name="indicator-new"),
    path("indicators/<int:pk>/", v.indicator_edit, name="indicator"),
    path("indicators/<int:pk>/active/", v.indicator_active, name="indicator-active"),
    path("my-access/", v.my_access, name="my-access"),
    path("access-log/", v.access_log, name="access-log"),
    path("statistics/", v.statistics, name="statistics"),
]
