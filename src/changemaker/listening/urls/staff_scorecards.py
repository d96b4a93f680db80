"""Staff pages of the open self-evaluation, under /self-evaluation/manage/ (listed before the
public pages: "manage" is never a cycle's short name)."""

from django.urls import path

from changemaker.listening.views import staff_scorecards as views

urlpatterns = [
    path("self-evaluation/manage/", views.manage, name="scorecards-manage"),
    path("self-evaluation/manage/new/", views.new, name="scorecard-new"),
    path("self-evaluation/manage/<slug:slug>/", views.detail, name="scorecard-manage"),
    path("self-evaluation/manage/<slug:slug>/status/", views.move, name="scorecard-move"),
    path(
        "self-evaluation/manage/<slug:slug>/criteria/new/",
        views.criterion_new,
        name="criterion-new",
    ),
    path("self-evaluation/manage/criteria/<int:pk>/", views.criterion, name="criterion"),
    path("self-evaluation/manage/<slug:slug>/comments/", views.comments, name="scorecard-comments"),
    path("self-evaluation/manage/comments/<int:pk>/", views.comment, name="scorecard-comment"),
]
