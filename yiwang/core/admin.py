"""Jobs and the outbox in the administration: read-only, for superusers (the outbox holds phone numbers
and message texts; a job its starter's parameters)."""

from django.contrib import admin

from yiwang.core.models import Job, Notification


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
