from django.urls import path

from changemaker.evidence.views import public, public_feeds

urlpatterns = [
    path("", public.library, name="library"),
    path("outcomes/", public.outcomes, name="outcomes"),
    path("feed.json", public_feeds.feed_json, name="feed-json"),
    path("feed.atom", public_feeds.feed_atom, name="feed-atom"),
    path("signing-key/", public_feeds.signing_key, name="signing-key"),
    path("outcomes/<slug:key>/", public.outcome, name="outcome"),
    path("<slug:slug>/", public.card, name="card"),
]
