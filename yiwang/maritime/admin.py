"""The sea's master data in the admin, scoped like every other app's (yiwang.admin.ScopedAdmin): the vessel
registry with its crews, the sea areas and the maritime agencies.

Vessels are kept under the registry's own codes (sea.view to read, sea.register to change, on the vessel's
area) and checked as the registry's action checks them (船名 pattern, MMSI, owners' ID numbers), with the
version raised so that an open edit page elsewhere is refused as stale. Sea areas come from the file
`yiwang load_sea_areas` loads: here only their name and the land area that handles them may change, since
the boxes must keep the fishing-zone grid the loader checks. Agencies scope by their organisation's area;
their officers are users with a grant limited to the organisation (accounts admin)."""

from django import forms
from django.contrib import admin

from yiwang.admin import ScopedAdmin
from yiwang.core.errors import InputError
from yiwang.core.scope import user_can
from yiwang.maritime.actions.vessels import FIELDS, _check_crew, check_vessel
from yiwang.maritime.models import Agency, CrewMember, SeaArea, Vessel


def _put_errors(form, error: InputError) -> None:
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


class CrewForm(forms.ModelForm):
    class Meta:
        model = CrewMember
        fields = ["name", "position", "id_number", "phone", "written_contract"]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("DELETE"):
            try:
                data.update(_check_crew(data))
            except InputError as error:
                _put_errors(self, error)
        return data


class CrewInline(admin.TabularInline):
    model = CrewMember
    form = CrewForm
    extra = 0


class VesselForm(forms.ModelForm):
    class Meta:
        model = Vessel
        fields = [*FIELDS, "illustrative"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # A field withheld from this reader (personal data) is checked at its value on record.
        values = {field: data.get(field) if field in self.fields else getattr(self.instance, field)
                  for field in FIELDS}
        try:
            checked = check_vessel(values, instance=self.instance if self.instance.pk else None)
        except InputError as error:
            _put_errors(self, error)
        else:
            data.update({field: value for field, value in checked.items() if field in self.fields})
        return data


@admin.register(Vessel)
class VesselAdmin(ScopedAdmin):
    view_action = "sea.view"
    change_action = "sea.register"
    form = VesselForm
    list_display = ["name", "kind", "mmsi", "home_port", "length_class", "area", "illustrative"]
    list_filter = ["kind", "length_class", "illustrative"]
    search_fields = ["name", "registration_number", "mmsi"]
    raw_id_fields = ["area"]
    inlines = [CrewInline]

    # The owner's and operator's ID numbers and mobiles, for readers with pii.view on the vessel's area
    # only (as on the vessel's page, where showing them is audited).
    PERSONAL = ("owner_id_number", "owner_phone", "operator_id_number", "operator_phone")

    def get_exclude(self, request, obj=None):
        area = obj.area_id if obj is not None else None
        return [] if user_can(request.user, "pii.view", area) else list(self.PERSONAL)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from yiwang.core.audit import record

        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id) if request.method == "GET" else None
        if obj is not None and response.status_code == 200 and user_can(request.user, "pii.view", obj.area_id):
            record(request.user, "maritime.pii_viewed", obj, purpose="admin")
        return response

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SeaArea)
class SeaAreaAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "parent", "handling_area"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["handling_area"]
    readonly_fields = ["code", "kind", "parent", "min_lat", "max_lat", "min_lon", "max_lon"]

    def has_add_permission(self, request):
        return False  # loaded from the sea-area file (yiwang load_sea_areas), which checks the grid

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    """Agencies scope by their organisation's area."""

    list_display = ["organisation", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation"]

    def _can(self, request, action, obj=None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if obj is None:
            return user_can(user, action)
        return user_can(user, action, obj.organisation.area_id)

    def has_delete_permission(self, request, obj=None):
        return False  # an agency with tasks stays on record; set it inactive instead

