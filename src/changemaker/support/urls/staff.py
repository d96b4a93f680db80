"""Coordinators' pages, under coordinate/."""

from django.urls import path

from changemaker.support.views import (
    staff_matching,
    staff_requests,
    staff_safeguarding,
    staff_volunteers,
)

requests = [
    path("coordinate/requests/", staff_requests.request_list, name="requests"),
    path("coordinate/requests/new/", staff_requests.request_new, name="request-new"),
    path("coordinate/requests/<int:pk>/", staff_requests.request_detail, name="request"),
    path(
        "coordinate/requests/<int:pk>/triage/",
        staff_requests.request_triage,
        name="request-triage",
    ),
    path(
        "coordinate/requests/<int:pk>/cancel/",
        staff_requests.request_cancel,
        name="request-cancel",
    ),
    path(
        "coordinate/requests/<int:pk>/concern/",
        staff_requests.request_concern,
        name="request-concern",
    ),
]
volunteers = [
    path("coordinate/volunteers/", staff_volunteers.volunteer_list, name="volunteers"),
    path("coordinate/volunteers/new/", staff_volunteers.volunteer_new, name="volunteer-new"),
    path(
        "coordinate/volunteers/<int:pk>/",
        staff_volunteers.volunteer_detail,
        name="volunteer-detail",
    ),
    path(
        "coordinate/volunteers/<int:pk>/status/",
        staff_volunteers.volunteer_status,
        name="volunteer-status",
    ),
    path(
        "coordinate/volunteers/<int:pk>/vetting/",
        staff_volunteers.volunteer_vetting,
        name="volunteer-vetting",
    ),
    path(
        "coordinate/volunteers/<int:pk>/training/",
        staff_volunteers.volunteer_training,
        name="volunteer-training",
    ),
]
matching = [
    path("coordinate/match/", staff_matching.match_run, name="match-run"),
    path("coordinate/proposals/", staff_matching.proposals, name="proposals"),
    path(
        "coordinate/matches/<int:pk>/confirm/", staff_matching.match_confirm, name="match-confirm"
    ),
    path(
        "coordinate/matches/<int:pk>/withdraw/",
        staff_matching.match_withdraw,
        name="match-withdraw",
    ),
    path("coordinate/matches/<int:pk>/answer/", staff_matching.match_answer, name="match-answer"),
    path("coordinate/matches/<int:pk>/done/", staff_matching.match_complete, name="match-complete"),
]
safeguarding = [
    path("coordinate/concerns/", staff_safeguarding.concerns, name="concerns"),
    path("coordinate/concerns/<int:pk>/", staff_safeguarding.concern_detail, name="concern"),
]

urlpatterns = [
    path("coordinate/", staff_matching.dashboard, name="dashboard"),
    *requests,
    *volunteers,
    *matching,
    *safeguarding,
]
