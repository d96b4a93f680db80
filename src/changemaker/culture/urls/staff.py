from django.urls import URLPattern, path

from changemaker.culture.views import staff, staff_comments, staff_results, staff_welsh

urlpatterns: list[URLPattern] = [
    path("culture/", staff.surveys, name="surveys"),
    path("culture/surveys/<int:pk>/", staff.survey, name="survey"),
    path("culture/surveys/<int:pk>/items/", staff.choose_items, name="items"),
    path("culture/surveys/<int:pk>/items/new/", staff.add_item, name="item-new"),
    path("culture/surveys/<int:pk>/waves/new/", staff.wave_new, name="wave-new"),
    path("culture/waves/<int:pk>/", staff.wave, name="wave"),
    path("culture/waves/<int:pk>/chart/", staff.upload_chart, name="wave-chart"),
    path("culture/waves/<int:pk>/invite/", staff.invite, name="wave-invite"),
    path("culture/waves/<int:pk>/open/", staff.open_wave, name="wave-open"),
    path("culture/waves/<int:pk>/close/", staff.close_wave, name="wave-close"),
    path("culture/waves/<int:pk>/welsh/", staff_welsh.wave_welsh, name="wave-welsh"),
    path("culture/waves/<int:pk>/comments/", staff_comments.comments, name="comments"),
    path(
        "culture/waves/<int:pk>/comments/<uuid:comment>/",
        staff_comments.review_comment,
        name="comment-review",
    ),
    path("culture/results/", staff_results.my_teams, name="my-teams"),
    path("culture/waves/<int:pk>/results/", staff_results.results, name="results"),
    path("culture/waves/<int:pk>/units/<int:unit>/", staff_results.team, name="team"),
    path(
        "culture/waves/<int:pk>/units/<int:unit>/actions/",
        staff_results.team_action,
        name="team-action",
    ),
]
