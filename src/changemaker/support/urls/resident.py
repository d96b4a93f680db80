from django.urls import path

from changemaker.support.views import resident

urlpatterns = [
    path("your-requests/", resident.my_requests, name="my-requests"),
    path("your-requests/<int:pk>/cancel/", resident.my_request_cancel, name="my-request-cancel"),
    path("volunteer/", resident.volunteer, name="volunteer"),
    path("volunteer/check/", resident.volunteer_check, name="volunteer-check"),
    path("volunteering/", resident.my_volunteering, name="my-volunteering"),
    path("volunteering/status/", resident.my_status, name="my-status"),
    path("volunteering/<int:pk>/accept/", resident.match_accept, name="match-accept"),
    path("volunteering/<int:pk>/decline/", resident.match_decline, name="match-decline"),
    path("volunteering/<int:pk>/done/", resident.match_done, name="match-done"),
    path("volunteering/<int:pk>/message/", resident.match_message, name="match-message"),
    path("volunteering/<int:pk>/concern/", resident.match_concern, name="match-concern"),
]
