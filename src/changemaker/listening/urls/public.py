from django.urls import path

from changemaker.listening.views import public, public_stories

urlpatterns = [
    path("notifications/unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("stories/<slug:slug>/", public_stories.tell, name="story-tell"),
    path("stories/<slug:slug>/thank-you/", public_stories.thanks, name="story-thanks"),
]
