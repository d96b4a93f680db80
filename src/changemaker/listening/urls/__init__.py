"""/notifications/ (a person's notifications, choices, unsubscribe), /following/,
/self-evaluation/ (the open self-evaluation; its staff pages first, under manage/),
/you-said-we-did/ (we asked, you said, we did: public pages and the officers' manage/),
/commitments/ (public; officers' pages under /commitments/manage/) and /stories/ (telling a
story; staff's pages under /stories/manage/, which come first)."""

from django.urls import URLPattern, URLResolver

from changemaker.listening.urls import (
    public,
    public_commitments,
    public_reports,
    public_scorecards,
    resident,
    resident_scorecards,
    staff,
    staff_commitments,
    staff_reports,
    staff_scorecards,
)

app_name = "listening"
urlpatterns: list[URLPattern | URLResolver] = [
    *staff.urlpatterns,
    *public.urlpatterns,
    *resident.urlpatterns,
    *staff_scorecards.urlpatterns,
    *public_scorecards.urlpatterns,
    *resident_scorecards.urlpatterns,
    *staff_reports.urlpatterns,
    *public_reports.urlpatterns,
    *staff_commitments.urlpatterns,
    *public_commitments.urlpatterns,
]
