from django.contrib import admin

from yiwang.admin import ScopedAdmin
from yiwang.grids.models import Grid, Open311Key, TeamMember


@admin.register(Grid)
class GridAdmin(ScopedAdmin):
    list_display = ["code", "name", "area", "households", "active"]
    search_fields = ["code", "name", "area__name"]
    list_filter = ["active"]
    filter_horizontal = ["teams"]
    raw_id_fields = ["area"]


@admin.register(TeamMember)
class TeamMemberAdmin(ScopedAdmin):
    list_display = ["name", "team", "affiliation", "organisation", "user"]
    search_fields = ["name", "team__name"]
    list_filter = ["affiliation"]
    raw_id_fields = ["team", "user"]


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    """API keys are for superusers only: a key lets a client post on the district's behalf."""

    list_display = ["name", "key", "active", "created_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser
