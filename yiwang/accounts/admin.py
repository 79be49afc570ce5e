from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import Grant, Role, User


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 0
    raw_id_fields = ["area", "organisation", "centre"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are managed by administrators (superusers) only."""

    fieldsets = DjangoUserAdmin.fieldsets + ((_("yiwang"), {"fields": ["display_name", "phone"]}),)
    list_display = ["username", "display_name", "is_staff", "is_active", "last_login"]
    inlines = [GrantInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
