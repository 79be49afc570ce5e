"""Admin: the rules, the exclusions from them and the sea closures (district-wide, edited by whoever edits
master data; every change audited), and the warnings read-only for superusers (they change through their
lifecycle actions only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yiwang.core.admin import ReadOnlyForSuperusers
from yiwang.core.scope import user_can
from yiwang.pii import mask_id_number
from yiwang.warnings.models import EXCLUDABLE_RULES, Exclusion, Rule, SeaClosure, Warning


class DistrictWide(admin.ModelAdmin):
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

    def log_change(self, request, obj, message):
        from yiwang.audit.actions import record

        record(request.user, "admin.change", obj, message=str(message)[:1000])
        return super().log_change(request, obj, message)


@admin.register(Rule)
class RuleAdmin(DistrictWide):
    list_display = ["code", "name", "mode", "enabled", "level", "yellow", "orange", "red", "window_days", "minimum"]
    list_filter = ["mode", "enabled"]
    readonly_fields = ["code", "mode"]

    def has_add_permission(self, request):
        return False  # the software evaluates a fixed set of codes: a new row would do nothing

    def has_delete_permission(self, request, obj=None):
        return False  # disable a rule instead; its warnings keep pointing at it


@admin.register(Exclusion)
class ExclusionAdmin(DistrictWide):
    """Who is left out of which rule, and why. Adding, changing and removing one is audited with the
    party and the reason (the rules stop or start warning of that party from the next evaluation)."""

    list_display = ["rule", "name", "masked_id_number", "credit_code", "area", "reason", "created_by", "created_at"]
    list_filter = ["rule"]
    search_fields = ["name", "credit_code"]
    fields = ["rule", "name", "id_number", "credit_code", "area", "reason"]
    raw_id_fields = ["area"]  # a division code; the list of every village would be a long select

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number) if obj.id_number else ""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "rule":
            kwargs["queryset"] = Rule.objects.filter(code__in=EXCLUDABLE_RULES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _audit(self, request, obj, verb):
        from django.conf import settings

        from yiwang.audit.actions import record

        record(request.user, f"warnings.exclusion_{verb}", obj, area_code=obj.area_id or settings.YIWANG_DISTRICT, rule=obj.rule_id,
               party=obj.name, reason=obj.reason)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        self._audit(request, obj, "changed" if change else "added")

    def delete_model(self, request, obj):
        self._audit(request, obj, "removed")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "removed")
        super().delete_queryset(request, queryset)


@admin.register(SeaClosure)
class SeaClosureAdmin(DistrictWide):
    list_display = ["name", "kind", "starts_on", "ends_on"]
    list_filter = ["kind"]


@admin.register(Warning)
class WarningAdmin(ReadOnlyForSuperusers):
    list_display = ["id", "level", "rule", "status", "area", "tier", "raised_at"]
    list_filter = ["level", "status", "rule"]
