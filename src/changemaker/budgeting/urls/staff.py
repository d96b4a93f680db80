from django.urls import path

from changemaker.budgeting.views import staff

urlpatterns = [
    path("import/", staff.staff_import, name="staff-import"),
    path("new/", staff.staff_new, name="staff-new"),
    path("register/", staff.staff_register, name="staff-register"),
    path("<slug:slug>/manage/", staff.staff_process, name="staff"),
    path("<slug:slug>/manage/edit/", staff.staff_edit, name="staff-edit"),
    path("<slug:slug>/manage/close/", staff.staff_close, name="staff-close"),
    path("<slug:slug>/manage/review/<str:code>/", staff.staff_review, name="staff-review"),
    path(
        "<slug:slug>/manage/review/<str:code>/welsh/",
        staff.staff_idea_welsh,
        name="staff-idea-welsh",
    ),
    path(
        "<slug:slug>/manage/review/<str:code>/publish/",
        staff.staff_publish,
        name="staff-publish",
    ),
    path(
        "<slug:slug>/manage/review/<str:code>/remove-image/",
        staff.staff_remove_image,
        name="staff-remove-image",
    ),
    path("<slug:slug>/manage/codes/", staff.staff_codes, name="staff-codes"),
    path("<slug:slug>/manage/checks/", staff.staff_checks, name="staff-checks"),
    path("<slug:slug>/manage/checks/<int:pk>/", staff.staff_check, name="staff-check"),
    path("<slug:slug>/manage/paper/<int:heading>/", staff.staff_paper, name="staff-paper"),
    path("<slug:slug>/manage/count/", staff.staff_count, name="staff-count"),
    path("<slug:slug>/manage/delivery/<str:code>/", staff.staff_delivery, name="staff-delivery"),
]
