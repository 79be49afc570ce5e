"""Admin pieces shared by every app: the Chinese site title and scoping for non-superusers."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from yiwang.core.scope import area_code_of, user_can

admin.site.site_header = _("yiwang administration")
admin.site.site_title = _("yiwang")
admin.site.index_title = _("Master data")


def _is_master_data_user(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff


def can_open_admin(user) -> bool:
    """Whether the administration (master data) opens for `user` at all: what the home page links to."""
    return user.is_active and user.is_staff and user_can(user, ScopedAdmin.view_action)


class ScopedAdmin(admin.ModelAdmin):
    """Rows come from `visible_to`; viewing needs masterdata.view and editing masterdata.change on the
    row's area. An object outside the reader's scope answers 404, exactly like one that does not exist."""

    change_action = "masterdata.change"
    view_action = "masterdata.view"

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def _can(self, request, action, obj=None) -> bool:
        if not _is_master_data_user(request):
            return False
        return user_can(request.user, action, area_code_of(obj) if obj is not None else None)

    def has_module_permission(self, request):
        return self._can(request, self.view_action)

    def has_view_permission(self, request, obj=None):
        return self._can(request, self.view_action, obj) or self._can(request, self.change_action, obj)

    def has_change_permission(self, request, obj=None):
        return self._can(request, self.change_action, obj)

    def has_add_permission(self, request):
        return self._can(request, self.change_action)

    def has_delete_permission(self, request, obj=None):
        return self._can(request, self.change_action, obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def save_model(self, request, obj, form, change):
        # Re-check inside the admin's transaction: nobody may move an object into an area they cannot edit.
        super().save_model(request, obj, form, change)
        if not self._can(request, self.change_action, obj):
            raise PermissionDenied(_("You cannot put this object in an area outside your scope."))

    def log_addition(self, request, obj, message):
        from yiwang.audit.actions import record

        record(request.user, "admin.add", obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        from yiwang.audit.actions import record

        record(request.user, "admin.change", obj, message=str(message)[:1000])
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        from yiwang.audit.actions import record

        for obj in queryset:
            record(request.user, "admin.delete", obj)
        return super().log_deletions(request, queryset)
