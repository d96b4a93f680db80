from django.urls import path

from changemaker.budgeting.views import public

urlpatterns = [
    path("", public.process_list, name="list"),
    path("<slug:slug>/", public.process_detail, name="detail"),
    path("<slug:slug>/ideas/", public.ideas, name="ideas"),
    path("<slug:slug>/ideas/<str:code>/", public.idea_detail, name="idea"),
    path("<slug:slug>/results/", public.results, name="results"),
    path("<slug:slug>/how-counting-works/", public.how_counting_works, name="how-counting-works"),
    path("<slug:slug>/results/<int:heading>.pb", public.results_file, name="results-file"),
    path("<slug:slug>/delivery/", public.delivery, name="delivery"),
    path("<slug:slug>/delivery/feed/", public.DeliveryFeed(), name="delivery-feed"),
]
