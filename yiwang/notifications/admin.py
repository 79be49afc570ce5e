from django.contrib import admin

from yiwang.notifications.models import SmsTemplate, Subscription, WorkAccount


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "provider_code", "segments", "urgent", "active"]
    readonly_fields = ["segments"]
    search_fields = ["code", "name", "body"]


@admin.register(WorkAccount)
class WorkAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "zzd_account_id"]
    search_fields = ["user__username", "user__display_name", "zzd_account_id"]
    raw_id_fields = ["user"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "case", "area", "dispute_type", "created_at"]
    raw_id_fields = ["user", "case"]
