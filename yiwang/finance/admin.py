"""The financial desk in the admin: banks, batches and bank cases scoped as their pages are (the rows of
the banks the reader sees; viewing needs masterdata.view and editing masterdata.change on the bank's
area). Keys are managed on the desk's pages, where the secret is shown once: the admin lists them for
the superuser only, as it does the desk's routing."""

from django.contrib import admin

from yiwang.admin import ScopedAdmin
from yiwang.core.scope import user_can
from yiwang.finance.models import ApiKey, Bank, BankBranch, BankCase, Batch, Desk


class BankScopedAdmin(ScopedAdmin):
    """ScopedAdmin, with the area read from the row's bank."""

    def _can(self, request, action, obj=None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if obj is None:
            return user_can(user, action)
        bank = obj if isinstance(obj, Bank) else obj.bank
        return user_can(user, action, bank.organisation.area_id)


class BranchInline(admin.TabularInline):
    model = BankBranch
    extra = 0


@admin.register(Bank)
class BankAdmin(BankScopedAdmin):
    list_display = ["organisation", "kind", "short_name", "rate_cap"]
    inlines = [BranchInline]


@admin.register(Batch)
class BatchAdmin(BankScopedAdmin):
    list_display = ["pk", "bank", "name", "submitted_at", "status", "total", "accepted", "rejected", "duplicates"]
    readonly_fields = [f.name for f in Batch._meta.fields]

    def has_add_permission(self, request):
        return False  # batches are submitted on the desk or through the API


@admin.register(BankCase)
class BankCaseAdmin(BankScopedAdmin):
    list_display = ["reference", "bank", "case", "kind", "outstanding_principal", "rate_flagged"]
    raw_id_fields = ["case", "batch"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["bank", "name", "prefix", "created_at", "revoked_at", "last_used_at"]
    readonly_fields = ["bank", "name", "prefix", "user", "created_by", "created_at", "replaces", "revoked_at",
                       "last_used_at"]

    def has_add_permission(self, request):
        return False


admin.site.register(Desk)
