from django.urls import URLPattern, path

from changemaker.culture.views import public

urlpatterns: list[URLPattern] = [
    path("survey/start/<str:token>/", public.take_start, name="take-start"),
    path("survey/", public.take_intro, name="take-intro"),
    path("survey/page/<int:number>/", public.take_page, name="take-page"),
    path("survey/comment/", public.take_comment, name="take-comment"),
    path("survey/about-you/", public.take_about, name="take-about"),
    path("survey/check/", public.take_check, name="take-check"),
    path("survey/saved/", public.take_saved, name="take-saved"),
    path("survey/sent/", public.take_done, name="take-done"),
]
