"""Admin: the rules and sea closures (district-wide, edited by whoever edits master data), and the
warnings read-only for superusers (they change through their lifecycle actions only)."""

from django.contrib import admin

from yiwang.core.admin import ReadOnlyForSuperusers
from yiwang.core.scope import user_can
from yiwang.warnings.models import Rule, SeaClosure, Warning


class DistrictWide(admin.ModelAdmin):
    def _can(self, request, action):
        return request.user.is_active and request.user.is_staff and user_can(request.user, action)

    def has_module_permission(self, request):
        return self._can(request, "masterdata.view")

    def has_view_permission(self, request, obj=None):
        return self._can(request, "masterdata.view")

    def has_change_permission(self, request, obj=None):
        return self._can(request, "masterdata.change")

    def has_add_permission(self, request):
        return self._can(request, "masterdata.change")

    def has_delete_permission(self, request, obj=None):
        return self._can(request, "masterdata.change")

    def log_change(self, request, obj, message):
        from yiwang.audit.actions import record

        record(request.user, "admin.change", obj, message=str(message)[:1000])
        return super().log_change(request, obj, message)


@admin.register(Rule)
class RuleAdmin(DistrictWide):
    list_display = ["code", "name", "mode", "enabled", "level", "yellow", "orange", "red", "window_days", "minimum"]
    list_filter = ["mode", "enabled"]
    readonly_fields = ["code", "mode"]

    def has_add_permission(self, request):
        return False  # the software evaluates a fixed set of codes: a new row would do nothing

    def has_delete_permission(self, request, obj=None):
        return False  # disable a rule instead; its warnings keep pointing at it


@admin.register(SeaClosure)
class SeaClosureAdmin(DistrictWide):
    list_display = ["name", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]


@admin.register(Warning)
class WarningAdmin(ReadOnlyForSuperusers):
    list_display = ["id", "level", "rule", "status", "area", "tier", "raised_at"]
    list_filter = ["level", "status", "rule"]
