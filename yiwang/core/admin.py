"""Admin for what core stores: the holidays and make-up workdays for years the calendar library does
not know (national, so not scoped); jobs and the outbox, read-only for superusers (the outbox holds phone
numbers and message texts, a job its starter's parameters)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


# The outbox's channels by name (one transport class per channel; the codes are what the rows keep).
CHANNEL_LABELS = {"sms": _("SMS"), "email": _("E-mail"), "zzd": _("Zhe Zheng Ding")}


@admin.register(Job)
class JobAdmin(ReadOnlyForSuperusers):
    list_display = ["id", "kind_label", "started_by", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["status", "kind"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, job):
        """The kind's name as its app registered it (core.jobs.register_job), not its code."""
        from yiwang.core.jobs import get_kind_label

        return get_kind_label(job.kind)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyForSuperusers):
    list_display = ["id", "channel_label", "recipient", "status", "attempts", "next_attempt_at", "sent_at"]

    @admin.display(description=_("channel"), ordering="channel")
    def channel_label(self, notification):
        return CHANNEL_LABELS.get(notification.channel, notification.channel)
    list_filter = ["status", "channel"]
    search_fields = ["dedupe_key"]
