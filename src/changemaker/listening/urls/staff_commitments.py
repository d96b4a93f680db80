from django.urls import path

from changemaker.listening.views import staff_commitments as staff

urlpatterns = [
    path("commitments/manage/", staff.commitments_list, name="staff-commitments"),
    path("commitments/manage/new/", staff.commitment_new, name="staff-commitment-new"),
    path("commitments/manage/file/", staff.commitments_file, name="staff-commitments-csv"),
    path(
        "commitments/manage/commitments.csv",
        staff.commitments_export,
        name="staff-commitments-export",
    ),
    path("commitments/manage/<int:pk>/", staff.commitment_detail, name="staff-commitment"),
    path("commitments/manage/<int:pk>/edit/", staff.commitment_edit, name="staff-commitment-edit"),
    path(
        "commitments/manage/<int:pk>/update/",
        staff.commitment_update,
        name="staff-commitment-update",
    ),
    path(
        "commitments/manage/<int:pk>/milestones/new/",
        staff.milestone_new,
        name="staff-milestone-new",
    ),
    path(
        "commitments/manage/<int:pk>/milestones/<int:milestone>/done/",
        staff.milestone_done,
        name="staff-milestone-done",
    ),
    path(
        "commitments/manage/<int:pk>/milestones/<int:milestone>/document/",
        staff.milestone_document,
        name="staff-milestone-document",
    ),
]
