"""Mediators' profiles, conflicts of interest and the languages table in the admin.

Profiles and conflicts are scoped as on triage's pages (the mediators whose profiles the reader keeps:
case.route where they mediate) and saved through the same actions, which check and audit; the admin
adds only its own change log. Languages are master data (masterdata.view / masterdata.change)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from yiwang.admin import ScopedAdmin
from yiwang.core.errors import ActionRefused
from yiwang.core.scope import user_can
from yiwang.triage import actions
from yiwang.triage.models import Conflict, Language, MediatorProfile

KEEP = "case.route"


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "active"]
    list_editable = ["order", "active"]

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
        return False  # profiles and cases point at it: retire a language with `active` instead

    def save_model(self, request, obj, form, change):
        from yiwang.audit.actions import record

        super().save_model(request, obj, form, change)
        record(request.user, "admin.change" if change else "admin.add", obj)


class KeeperAdmin(ScopedAdmin):
    """Rows of the mediators the reader keeps; writes go through triage's actions."""

    view_action = change_action = KEEP

    def _mediator(self, obj):
        return obj.mediator

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def _can(self, request, action, obj=None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff and user_can(user, KEEP)):
            return False
        return obj is None or actions.get_keepable_mediators(user).filter(pk=obj.mediator_id).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "mediator":
            kwargs["queryset"] = actions.get_keepable_mediators(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # The actions write the audit events; the admin keeps only Django's own change log.
    def log_addition(self, request, obj, message):
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def log_change(self, request, obj, message):
        return admin.ModelAdmin.log_change(self, request, obj, message)


@admin.register(MediatorProfile)
class MediatorProfileAdmin(KeeperAdmin):
    list_display = ["mediator", "home_area", "away_until", "capacity", "updated_at"]
    fields = ["mediator", "dispute_types", "home_area", "languages", "away_until", "away_note", "capacity"]
    filter_horizontal = ["dispute_types", "languages"]
    raw_id_fields = ["home_area"]
    list_select_related = ["mediator", "home_area"]

    def get_readonly_fields(self, request, obj=None):
        return ["mediator"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        pass  # saved with its many-to-many fields by the action, in save_related

    def save_related(self, request, form, formsets, change):
        values = form.cleaned_data
        mediator = form.instance.mediator
        try:
            profile = actions.do_save_profile(
                mediator, by=request.user, version=None, dispute_types=list(values.get("dispute_types", [])),
                home_area=values.get("home_area"), languages=list(values.get("languages", [])),
                away_until=values.get("away_until"), away_note=values.get("away_note", ""),
                capacity=values.get("capacity"))
        except ActionRefused as error:
            raise PermissionDenied(error.detail) from None
        form.instance.pk, form.instance.version = profile.pk, profile.version

    def delete_model(self, request, obj):
        raise Http404  # a profile is emptied on its page, not deleted

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Conflict)
class ConflictAdmin(KeeperAdmin):
    list_display = ["mediator", "kind", "subject", "relation", "note", "recorded_at"]
    list_filter = ["kind", "relation"]
    fields = ["mediator", "kind", "relation", "person_name", "id_number", "credit_code", "area", "note"]
    raw_id_fields = ["area"]
    list_select_related = ["mediator", "area"]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        values = form.cleaned_data
        try:
            conflict = actions.do_add_conflict(
                values["mediator"], by=request.user, kind=values["kind"], relation=values["relation"],
                person_name=values.get("person_name", ""), id_number=values.get("id_number", ""),
                credit_code=values.get("credit_code", ""), area=values.get("area"), note=values.get("note", ""))
        except ActionRefused as error:
            raise PermissionDenied(error.detail) from None
        obj.pk, obj.recorded_at = conflict.pk, conflict.recorded_at

    def delete_model(self, request, obj):
        actions.do_remove_conflict(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            actions.do_remove_conflict(obj, by=request.user)

    def log_deletions(self, request, queryset):
        return admin.ModelAdmin.log_deletions(self, request, queryset)
