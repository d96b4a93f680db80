from django.urls import path

from changemaker.listening.views import resident

urlpatterns = [
    path("notifications/", resident.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", resident.notification_read, name="read"),
    path("notifications/choices/", resident.preferences, name="preferences"),
    path("following/", resident.following, name="following"),
    path("following/new/", resident.follow, name="follow"),
    path("following/<int:pk>/", resident.follow_change, name="follow-change"),
    path("following/<int:pk>/stop/", resident.unfollow, name="unfollow"),
]
