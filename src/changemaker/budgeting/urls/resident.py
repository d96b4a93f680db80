from django.urls import path

from changemaker.budgeting.views import resident

urlpatterns = [
    path("<slug:slug>/ideas/new/", resident.idea_new, name="idea-new"),
    path("<slug:slug>/ideas/<str:code>/support/", resident.idea_support, name="idea-support"),
    path("<slug:slug>/vote/", resident.vote_start, name="vote"),
    path("<slug:slug>/vote/code/", resident.vote_code, name="vote-code"),
    path("<slug:slug>/vote/check/", resident.vote_manual_check, name="vote-check"),
    path("<slug:slug>/vote/<int:heading>/", resident.ballot, name="ballot"),
    path(
        "<slug:slug>/vote/<int:heading>/money-left/",
        resident.money_left_partial,
        name="money-left",
    ),
]
