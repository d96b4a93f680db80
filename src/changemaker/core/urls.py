from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from changemaker.core.forms import NewPasswordForm, ResetRequestForm
from changemaker.core.views import accounts, pages, staff, staff_people, staff_platform

app_name = "core"

reset = {
    "form_class": ResetRequestForm,
    "email_template_name": "core/email/password_reset.txt",
    "subject_template_name": "core/email/password_reset_subject.txt",
    "template_name": "core/account/password_reset.html",
    "success_url": reverse_lazy("core:password-reset-sent"),
}

urlpatterns = [
    path("", pages.home, name="home"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("cookies/", pages.cookies, name="cookies"),
    path("language/<str:code>/", pages.language, name="language"),
    path("register/", accounts.register, name="register"),
    path("register/check-your-email/", accounts.check_email, name="check-email"),
    path("verify/<str:uidb64>/<str:token>/", accounts.verify_email, name="verify-email"),
    path("sign-in/", accounts.sign_in, name="sign-in"),
    path("sign-in/security-code/", accounts.sign_in_code, name="sign-in-code"),
    path("sign-out/", accounts.sign_out, name="sign-out"),
    path("account/", accounts.account, name="account"),
    path("account/two-factor/", accounts.two_factor, name="two-factor"),
    path(
        "account/two-factor/confirm/<str:token>/", accounts.two_factor_link, name="two-factor-link"
    ),
    path("account/two-factor/recovery-codes/", accounts.recovery_codes, name="recovery-codes"),
    path("password-reset/", auth_views.PasswordResetView.as_view(**reset), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="core/account/password_reset_sent.html"
        ),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirm.as_view(
            template_name="core/account/password_reset_confirm.html",
            form_class=NewPasswordForm,
            success_url=reverse_lazy("core:password-reset-done"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="core/account/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
    path("invitation/<str:token>/", accounts.accept_invitation, name="accept-invitation"),
    path("staff/", staff.dashboard, name="staff"),
    path("staff/translate/", staff.translations, name="translations"),
    path("staff/jobs/", staff.job_list, name="jobs"),
    path("staff/jobs/self-check/", staff.job_selfcheck, name="job-selfcheck"),
    path("staff/jobs/<uuid:job_id>/", staff.job_detail, name="job"),
    path("staff/audit/", staff.audit_log, name="audit"),
    path("staff/audit/audit-log.csv", staff.audit_export, name="audit-export"),
    path("staff/invite/", staff.invite, name="invite"),
    path("staff/people/", staff_people.staff_list, name="staff-people"),
    path("staff/people/<int:user_id>/", staff_people.staff_person, name="staff-person"),
    path("staff/people/<int:user_id>/remove/", staff_people.staff_remove, name="staff-remove"),
    path(
        "staff/people/<int:user_id>/reset-two-factor/",
        staff_people.staff_reset_two_factor,
        name="staff-reset-two-factor",
    ),
    path("staff/council/", staff.council_settings, name="council"),
    path("staff/council/wards/new/", staff.ward_edit, name="ward-new"),
    path("staff/council/wards/<int:ward_id>/", staff.ward_edit, name="ward"),
    path("staff/council/wards/boundaries/", staff.ward_boundaries, name="ward-boundaries"),
    path("platform/councils/", staff.platform_councils, name="platform"),
    path("platform/councils/new/", staff_platform.council_edit, name="platform-council-new"),
    path(
        "platform/councils/<int:council_id>/",
        staff_platform.council_edit,
        name="platform-council",
    ),
]
