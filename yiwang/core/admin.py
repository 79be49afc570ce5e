"""Admin for what core stores: the holidays and make-up workdays for years the calendar library does
not know (national, so not scoped); jobs and the outbox, read-only for superusers (the outbox holds phone
numbers and message texts, a job its starter's parameters)."""

from django.contrib import admin

from yiwang.core.models import Holiday, Job, Notification
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


class ReadOnlyForSuperusers(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyForSuperusers):
    list_display = ["id", "kind", "started_by", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["status", "kind"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyForSuperusers):
    list_display = ["id", "channel", "recipient", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["dedupe_key"]
