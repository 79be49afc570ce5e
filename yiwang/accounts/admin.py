from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.actions import do_deactivate_user
from yiwang.accounts.models import Grant, Role, User, UserHasActed
from yiwang.core.permissions import get_permissions


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 0
    raw_id_fields = ["area", "organisation", "centre"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are managed by administrators (superusers) only."""

    # What a user may do comes from their grants (roles on an area), not from Django's groups and model
    # permissions, which the software never reads: those fields are left out.
    fieldsets = tuple(
        (title, {**options, "fields": [f for f in options["fields"] if f not in ("groups", "user_permissions")]})
        for title, options in DjangoUserAdmin.fieldsets
    ) + ((_("yiwang"), {"fields": ["display_name", "phone"]}),)
    list_display = ["username", "display_name", "is_staff", "is_active", "last_login"]
    inlines = [GrantInline]
    actions = ["deactivate_users"]

    def get_deleted_objects(self, objs, request):
        # A user the audit log names is never deleted: the admin's delete page and bulk action refuse with
        # this reason instead of listing every audit row as a protected object.
        acted = [user for user in objs if user.has_acted()]
        if not acted:
            return super().get_deleted_objects(objs, request)
        reasons = [str(UserHasActed(user).args[0]) for user in acted]
        return [], {}, set(), reasons

    @admin.action(description=_("Deactivate the selected accounts"))
    def deactivate_users(self, request, queryset):
        for user in queryset:
            do_deactivate_user(user, by=request.user)
        self.message_user(request, _("%(count)d accounts deactivated.") % {"count": queryset.count()})


# Django's groups are not how yiwang grants anything (roles and grants are): not offered in the admin.
admin.site.unregister(Group)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """A role's actions are typed as a list of codes; the form lists the codes the software declares, and
    the model refuses any other (one message per unknown code)."""

    list_display = ["code", "name"]

    def get_form(self, request, obj=None, **kwargs):
        codes = format_html_join(", ", "<code>{}</code> {}", get_permissions().items())
        kwargs["help_texts"] = {"actions": format_html("{}<br>{}", _("The permission codes, as a list:"), codes)}
        return super().get_form(request, obj, **kwargs)


# django-otp's own TOTP admin adds QR-code pages showing a device's secret; administrators need only to see
# and delete a user's device (a lost phone: the user enrols again), so a plain admin replaces it.
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user"]
    raw_id_fields = ["user"]
