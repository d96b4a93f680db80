"""Django admin (platform administrators): the governance objects of the shared view of need.

Personal records (service records, quarantined rows, links, flags and their evidence, false
links) are not registered: they are seen only through the pages that audit every access."""

from django.contrib import admin

from changemaker.insight.models import (
    Dataset,
    DataSharingAgreement,
    Indicator,
    LinkRun,
    Purpose,
    Upload,
)


@admin.register(Purpose)
class PurposeAdmin(admin.ModelAdmin):
    list_display = ["name", "council"]
    list_filter = ["council"]


@admin.register(DataSharingAgreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "controller", "lawful_basis", "starts_on", "ends_on"]
    list_filter = ["council", "lawful_basis"]
    filter_horizontal = ["purposes", "restricted_purposes"]
    raw_id_fields = ["created_by"]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "service", "agreement", "council"]
    list_filter = ["council"]


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    """Counts and status only: the staged rows and the report stay out of the admin."""

    list_display = ["pk", "dataset", "status", "uploaded_at", "rows_read", "rows_accepted"]
    list_filter = ["status"]
    readonly_fields = fields = (
        "dataset",
        "status",
        "uploaded_at",
        "rows_read",
        "rows_accepted",
        "rows_quarantined",
    )


@admin.register(LinkRun)
class LinkRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "council", "status", "current", "started_at", "finished_at"]
    list_filter = ["council", "status"]
    readonly_fields = fields = (
        "council",
        "status",
        "current",
        "started_at",
        "finished_at",
        "report",
    )


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "dataset", "field", "comparison", "threshold", "active"]
    list_filter = ["council", "kind", "active"]
