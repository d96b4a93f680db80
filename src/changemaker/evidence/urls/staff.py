from django.urls import path

from changemaker.evidence.views import staff, staff_data, staff_sharing

urlpatterns = [
    path("staff/", staff.register_list, name="staff"),
    path("staff/new/", staff.pilot_new, name="staff-new"),
    path("staff/evaluation-registry.csv", staff.registry_export, name="staff-registry"),
    path("staff/replicate/<slug:slug>/", staff.replicate, name="staff-replicate"),
    path("staff/subscriptions/", staff_sharing.subscriptions, name="staff-subscriptions"),
    path("staff/subscriptions/<int:pk>/", staff_sharing.subscription, name="staff-subscription"),
    path(
        "staff/subscriptions/<int:pk>/check/",
        staff_sharing.subscription_check,
        name="staff-subscription-check",
    ),
    path(
        "staff/subscriptions/<int:pk>/unsubscribe/",
        staff_sharing.unsubscribe,
        name="staff-unsubscribe",
    ),
    path(
        "staff/shared/<int:pk>/replicate/",
        staff_sharing.replicate_shared,
        name="staff-replicate-shared",
    ),
    path("staff/<slug:slug>/", staff.pilot_detail, name="staff-pilot"),
    path("staff/<slug:slug>/edit/", staff.pilot_edit, name="staff-edit"),
    path("staff/<slug:slug>/register/", staff.pilot_register, name="staff-register"),
    path("staff/<slug:slug>/status/", staff.pilot_status, name="staff-status"),
    path("staff/<slug:slug>/versions/<int:number>/", staff.version, name="staff-version"),
    path("staff/<slug:slug>/data/", staff_data.data_upload, name="staff-data"),
    path("staff/<slug:slug>/data/shared/", staff_data.data_shared, name="staff-data-shared"),
    path("staff/<slug:slug>/data/<int:data_id>/analyse/", staff_data.analyse, name="staff-analyse"),
    path(
        "staff/<slug:slug>/analyses/<int:analysis_id>/",
        staff_data.analysis,
        name="staff-analysis",
    ),
    path("staff/<slug:slug>/rating/", staff_data.rating, name="staff-rating"),
]
