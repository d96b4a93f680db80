"""Staff's story pages, under /stories/manage/ (``manage`` is no collection's web address)."""

from django.urls import path

from changemaker.listening.views import staff_stories as views

urlpatterns = [
    path("stories/manage/", views.collections, name="stories"),
    path("stories/manage/new/", views.collection_new, name="stories-collection-new"),
    path("stories/manage/<int:pk>/", views.collection, name="stories-collection"),
    path("stories/manage/<int:pk>/open/", views.collection_open, name="stories-collection-open"),
    path("stories/manage/<int:pk>/stories/new/", views.story_new, name="stories-story-new"),
    path("stories/manage/<int:pk>/stories/<int:story>/", views.story, name="stories-story"),
    path("stories/manage/<int:pk>/themes/new/", views.theme_new, name="stories-theme-new"),
    path("stories/manage/<int:pk>/themes/<int:theme>/", views.theme, name="stories-theme"),
    path("stories/manage/<int:pk>/suggestions/", views.suggestions, name="stories-suggestions"),
    path(
        "stories/manage/<int:pk>/suggestions/<int:suggestion>/",
        views.suggestion,
        name="stories-suggestion",
    ),
]
