"""Consultations' URLs (namespace ``consultations``), split by audience like the views. The
staff's come first: ``new/`` and ``import/`` must win over a consultation's ``<slug>/``."""

from changemaker.consultations.urls import public, staff

app_name = "consultations"

urlpatterns = [*staff.urlpatterns, *public.urlpatterns]
