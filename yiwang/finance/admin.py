"""The financial desk in the admin: banks and branches for the centre; batches and bank cases scoped as
their pages are (a bank's staff see only their own); keys are managed on the desk's pages, where the
secret is shown once, so the admin only lists them."""

from django.contrib import admin

from yiwang.finance.models import ApiKey, Bank, BankBranch, BankCase, Batch, Desk


class BranchInline(admin.TabularInline):
    model = BankBranch
    extra = 0


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "short_name", "rate_cap"]
    inlines = [BranchInline]

    def get_queryset(self, request):
        return Bank.objects.visible_to(request.user)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["bank", "name", "prefix", "created_at", "revoked_at", "last_used_at"]
    readonly_fields = ["bank", "name", "prefix", "user", "created_by", "created_at", "replaces", "revoked_at",
                       "last_used_at"]

    def get_queryset(self, request):
        return ApiKey.objects.filter(bank__in=Bank.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "bank", "name", "submitted_at", "status", "total", "accepted", "rejected", "duplicates"]
    readonly_fields = [f.name for f in Batch._meta.fields]

    def get_queryset(self, request):
        return Batch.objects.visible_to(request.user)

    def has_add_permission(self, request):
        return False


@admin.register(BankCase)
class BankCaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "bank", "case", "kind", "outstanding_principal", "rate_flagged"]
    raw_id_fields = ["case", "batch"]

    def get_queryset(self, request):
        return BankCase.objects.filter(bank__in=Bank.objects.visible_to(request.user))


admin.site.register(Desk)
