"""Django admin (platform administrators): partner organisations, their coordinators and the
council's support settings. Personal records are managed in the coordinator pages, which audit
every access, so volunteers and requests are not registered here."""

from django.contrib import admin

from changemaker.support.models import PartnerMembership, PartnerOrganisation, SupportSettings


class MembershipInline(admin.TabularInline):
    model = PartnerMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "council"]
    list_filter = ["council"]
    inlines = [MembershipInline]


@admin.register(SupportSettings)
class SupportSettingsAdmin(admin.ModelAdmin):
    list_display = ["council", "retention_days"]
    raw_id_fields = ["safeguarding_lead"]
