from django.urls import path

from changemaker.support import views

app_name = "support"

urlpatterns = [
    path("", views.start, name="start"),
    path("ask/", views.ask, name="ask"),
    path("ask/check/", views.ask_check, name="ask-check"),
    path("your-requests/", views.my_requests, name="my-requests"),
    path("volunteer/", views.volunteer, name="volunteer"),
    path("volunteer/check/", views.volunteer_check, name="volunteer-check"),
    path("volunteering/", views.my_volunteering, name="my-volunteering"),
    path("volunteering/status/", views.my_status, name="my-status"),
    path("volunteering/<int:pk>/accept/", views.match_accept, name="match-accept"),
    path("volunteering/<int:pk>/decline/", views.match_decline, name="match-decline"),
    path("volunteering/<int:pk>/done/", views.match_done, name="match-done"),
    path("volunteering/<int:pk>/message/", views.match_message, name="match-message"),
    path("volunteering/<int:pk>/concern/", views.match_concern, name="match-concern"),
    path("coordinate/", views.dashboard, name="dashboard"),
    path("coordinate/requests/", views.request_list, name="requests"),
    path("coordinate/requests/new/", views.request_new, name="request-new"),
    path("coordinate/requests/<int:pk>/", views.request_detail, name="request"),
    path("coordinate/requests/<int:pk>/triage/", views.request_triage, name="request-triage"),
    path("coordinate/requests/<int:pk>/cancel/", views.request_cancel, name="request-cancel"),
    path("coordinate/requests/<int:pk>/concern/", views.request_concern, name="request-concern"),
    path("coordinate/volunteers/", views.volunteer_list, name="volunteers"),
    path("coordinate/volunteers/new/", views.volunteer_new, name="volunteer-new"),
    path("coordinate/volunteers/<int:pk>/", views.volunteer_detail, name="volunteer-detail"),
    path("coordinate/volunteers/<int:pk>/status/", views.volunteer_status, name="volunteer-status"),
    path(
        "coordinate/volunteers/<int:pk>/vetting/",
        views.volunteer_vetting,
        name="volunteer-vetting",
    ),
    path(
        "coordinate/volunteers/<int:pk>/training/",
        views.volunteer_training,
        name="volunteer-training",
    ),
    path("coordinate/match/", views.match_run, name="match-run"),
    path("coordinate/proposals/", views.proposals, name="proposals"),
    path("coordinate/matches/<int:pk>/confirm/", views.match_confirm, name="match-confirm"),
    path("coordinate/matches/<int:pk>/withdraw/", views.match_withdraw, name="match-withdraw"),
    path("coordinate/matches/<int:pk>/answer/", views.match_answer, name="match-answer"),
    path("coordinate/matches/<int:pk>/done/", views.match_complete, name="match-complete"),
    path("coordinate/concerns/", views.concerns, name="concerns"),
    path("coordinate/concerns/<int:pk>/", views.concern_detail, name="concern"),
]
