"""Shared view of need, under /insight/.

Data-officer pages (agreements, datasets, uploads, runs) are listed in urls_data.py and live in
views_data.py; practitioner and planner pages (people, households, indicators, flags, access)
in urls_people.py and views_people.py."""

from changemaker.insight import urls_data, urls_people

app_name = "insight"

urlpatterns = urls_data.urlpatterns + urls_people.urlpatterns
