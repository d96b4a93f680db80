"""/budgets/: the staff, resident and public pages (in this order: ``new/``, ``import/`` and
``register/`` come before ``<slug>/``, and ``ideas/new/`` before ``ideas/<code>/``)."""

from changemaker.budgeting.urls import public, resident, staff

app_name = "budgeting"

urlpatterns = [*staff.urlpatterns, *resident.urlpatterns, *public.urlpatterns]
