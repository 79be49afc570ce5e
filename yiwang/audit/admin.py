from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yiwang.admin import ScopedAdmin
from yiwang.audit import verbs
from yiwang.audit.models import AuditEvent


class VerbFilter(admin.SimpleListFilter):
    """Filter by what was done, named in words (the verbs present in the log)."""

    title = _("action")
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        present = model_admin.get_queryset(request).order_by().values_list("verb", flat=True).distinct()
        return sorted(((verb, verbs.label(verb)) for verb in present), key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


class ChannelFilter(admin.SimpleListFilter):
    title = _("channel")
    parameter_name = "channel"

    def lookups(self, request, model_admin):
        return list(verbs.CHANNELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(channel=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    """Read-only: the log is append-only. What was done, to what kind of object and through which channel
    read in words (yiwang.audit.verbs); the stored codes stay as they are."""

    view_action = "audit.view"
    list_display = ["at", "actor_name", "what", "object_kind", "object_repr", "area_code", "ip", "channel_name"]
    list_filter = [VerbFilter, ChannelFilter]
    search_fields = ["actor_name", "object_repr", "object_id", "area_code"]
    date_hierarchy = "at"
    readonly_fields = ["what", "object_kind", "channel_name"]

    @admin.display(description=_("action"), ordering="verb")
    def what(self, event):
        return verbs.label(event.verb)

    @admin.display(description=_("object type"), ordering="object_type")
    def object_kind(self, event):
        return verbs.object_type_label(event.object_type)

    @admin.display(description=_("channel"), ordering="channel")
    def channel_name(self, event):
        return verbs.CHANNELS.get(event.channel, event.channel)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
