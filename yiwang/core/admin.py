"""Admin for what core stores: the holidays and make-up workdays for years the calendar library does
not know (national, so not scoped)."""

from django.contrib import admin

from yiwang.core.models import Holiday
from yiwang.core.scope import user_can


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Holidays and make-up workdays (national, so not scoped): editable by whoever edits master data."""

    list_display = ["date", "working", "name"]
    list_filter = ["working"]
    date_hierarchy = "date"

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
