from django.urls import path

from changemaker.budgeting import views, views_staff
from changemaker.budgeting.feeds import DeliveryFeed

app_name = "budgeting"

urlpatterns = [
    path("", views.process_list, name="list"),
    path("import/", views_staff.staff_import, name="staff-import"),
    path("new/", views_staff.staff_new, name="staff-new"),
    path("register/", views_staff.staff_register, name="staff-register"),
    path("<slug:slug>/", views.process_detail, name="detail"),
    path("<slug:slug>/ideas/", views.ideas, name="ideas"),
    path("<slug:slug>/ideas/new/", views.idea_new, name="idea-new"),
    path("<slug:slug>/ideas/<str:code>/", views.idea_detail, name="idea"),
    path("<slug:slug>/ideas/<str:code>/support/", views.idea_support, name="idea-support"),
    path("<slug:slug>/vote/", views.vote_start, name="vote"),
    path("<slug:slug>/vote/code/", views.vote_code, name="vote-code"),
    path("<slug:slug>/vote/check/", views.vote_manual_check, name="vote-check"),
    path("<slug:slug>/vote/<int:heading>/", views.ballot, name="ballot"),
    path("<slug:slug>/vote/<int:heading>/money-left/", views.money_left_partial, name="money-left"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results/<int:heading>.pb", views.results_file, name="results-file"),
    path("<slug:slug>/delivery/", views.delivery, name="delivery"),
    path("<slug:slug>/delivery/feed/", DeliveryFeed(), name="delivery-feed"),
    path("<slug:slug>/manage/", views_staff.staff_process, name="staff"),
    path("<slug:slug>/manage/review/<str:code>/", views_staff.staff_review, name="staff-review"),
    path(
        "<slug:slug>/manage/review/<str:code>/publish/",
        views_staff.staff_publish,
        name="staff-publish",
    ),
    path(
        "<slug:slug>/manage/review/<str:code>/remove-image/",
        views_staff.staff_remove_image,
        name="staff-remove-image",
    ),
    path("<slug:slug>/manage/codes/", views_staff.staff_codes, name="staff-codes"),
    path("<slug:slug>/manage/checks/", views_staff.staff_checks, name="staff-checks"),
    path("<slug:slug>/manage/checks/<int:pk>/", views_staff.staff_check, name="staff-check"),
    path("<slug:slug>/manage/paper/<int:heading>/", views_staff.staff_paper, name="staff-paper"),
    path("<slug:slug>/manage/count/", views_staff.staff_count, name="staff-count"),
    path(
        "<slug:slug>/manage/delivery/<str:code>/", views_staff.staff_delivery, name="staff-delivery"
    ),
]
