"""Admin for cases: read-only (every change goes through actions.py, which checks, audits and keeps the
timeline). The holidays of the working-day calendar are in core's admin."""

from django.contrib import admin

from yiwang.admin import ScopedAdmin
from yiwang.cases.models import Case, CaseEvent


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["at", "kind", "actor_name", "from_status", "to_status", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    """Cases to read, scoped like everything else; no personal information of parties is shown here."""

    view_action = "case.view"
    list_display = ["number", "status", "dispute_type", "area", "centre", "tier", "received_at", "deadline"]
    list_filter = ["status", "tier", "channel", "dispute_type"]
    search_fields = ["number"]
    date_hierarchy = "received_at"
    list_select_related = ["dispute_type", "area", "centre"]
    inlines = [CaseEventInline]
    exclude = ["idempotency_key"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Case._meta.fields if f.name not in ("idempotency_key", *self._withheld(request, obj))]

    def get_exclude(self, request, obj=None):
        return [*self.exclude, *self._withheld(request, obj)]

    def _withheld(self, request, obj) -> tuple[str, ...]:
        """Facts and claims are personal information: only for those who work the case."""
        from yiwang.cases.actions import can_read_case_facts

        return () if obj is None or can_read_case_facts(obj, request.user) else ("facts", "claims")

    def get_queryset(self, request):
        return Case.objects.visible_to(request.user, "case.view")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
