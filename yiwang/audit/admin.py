from django.contrib import admin

from yiwang.admin import ScopedAdmin
from yiwang.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    """Read-only: the log is append-only."""

    view_action = "audit.view"
    list_display = ["at", "actor_name", "verb", "object_type", "object_repr", "area_code", "ip", "channel"]
    list_filter = ["verb", "channel"]
    search_fields = ["actor_name", "object_repr", "object_id", "area_code"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
