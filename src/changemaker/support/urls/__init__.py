"""Community support's URLs (namespace ``support``), split by audience like the views."""

from changemaker.support.urls import public, resident, staff

app_name = "support"

urlpatterns = public.urlpatterns + resident.urlpatterns + staff.urlpatterns
