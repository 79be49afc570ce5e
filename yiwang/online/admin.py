"""The committees' signing certificates, managed by administrators."""

from django.contrib import admin

from yiwang.online.models import CommitteeCertificate


@admin.register(CommitteeCertificate)
class CommitteeCertificateAdmin(admin.ModelAdmin):
    list_display = ["committee_name", "centre", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["committee_name", "centre__name"]
    raw_id_fields = ["centre"]
