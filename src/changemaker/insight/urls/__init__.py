"""Shared view of need, under /insight/.

Data-officer pages (agreements, datasets, uploads, runs) are listed in staff_data.py and live in
views/staff_data.py; practitioner and planner pages (people, households, indicators, flags,
access) in staff_people.py and views/staff_people.py. Insight has no public or resident pages."""

from changemaker.insight.urls import staff_data, staff_people

app_name = "insight"

urlpatterns = staff_data.urlpatterns + staff_people.urlpatterns
