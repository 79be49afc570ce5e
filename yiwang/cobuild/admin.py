from django.contrib import admin

from yiwang.admin import ScopedAdmin
from yiwang.cobuild.models import Milestone, Project, Resource


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    """Joint projects are kept by the co-building office in the admin, with their milestones."""

    list_display = ["title", "area", "lead", "stage", "starts_on", "ends_on", "illustrative"]
    list_filter = ["stage", "illustrative"]
    search_fields = ["title", "lead__name"]
    raw_id_fields = ["area", "lead", "demands", "resources"]
    inlines = [MilestoneInline]


@admin.register(Resource)
class ResourceAdmin(ScopedAdmin):
    list_display = ["title", "organisation", "kind", "capacity", "available_from", "available_until", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "area"]
