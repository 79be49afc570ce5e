from django.contrib import admin

from yiwang.admin import ScopedAdmin
from yiwang.areas.models import Area, Centre, DisputeType, Organisation, Team, Window


@admin.register(Area)
class AreaAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "official"]
    list_filter = ["level", "official"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    filter_horizontal = ["dispute_types"]


@admin.register(Centre)
class CentreAdmin(ScopedAdmin):
    list_display = ["name", "code", "level", "area", "illustrative", "active"]
    list_filter = ["level", "illustrative", "active"]
    search_fields = ["name", "code", "area__name"]
    raw_id_fields = ["area"]
    inlines = [WindowInline]


@admin.register(Window)
class WindowAdmin(ScopedAdmin):
    list_display = ["__str__", "centre", "kind", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["dispute_types"]


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ["name", "kind", "area", "centre", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    raw_id_fields = ["area", "centre"]
    filter_horizontal = ["members", "dispute_types"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "area", "illustrative", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["area"]


@admin.register(DisputeType)
class DisputeTypeAdmin(admin.ModelAdmin):
    """Dispute types are county-wide reference data: only administrators edit them."""

    list_display = ["code", "name", "maritime", "litigation_bound", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
