from django.urls import path

from changemaker.listening.views import public

urlpatterns = [
    path("notifications/unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
]
