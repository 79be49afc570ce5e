"""The maritime pages' forms. They only shape input: every rule is checked by the action they feed."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.areas.models import DisputeType
from yiwang.cases.models import Channel
from yiwang.core.scope import get_users_who_can
from yiwang.maritime.models import (
    Agency,
    HolderKind,
    IncidentKind,
    LengthClass,
    PositionSource,
    SeaArea,
    SeaAreaKind,
    ServiceKind,
    ServiceStatus,
    SessionMode,
    VesselKind,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# How a dispute at sea arrives: at the window, by phone, from a grid or team report, or an agency's referral
# (registered by the centre); online filings come through the 解纷码 and are completed on the case page.
INTAKE_CHANNELS = [(c.value, c.label) for c in (Channel.WINDOW, Channel.PHONE, Channel.GRID, Channel.HOTLINE_12345)]


class VesselSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("Vessel name or number, MMSI, owner")}))


class VesselForm(forms.Form):
    """One vessel and its owner and operator; the action validates 船名 and MMSI."""

    name = forms.CharField(label=_("Vessel name (船名)"), max_length=60,
                           help_text=_("A fishing vessel: e.g. 浙普渔64110."))
    kind = forms.ChoiceField(label=_("Type"), choices=VesselKind.choices)
    registration_number = forms.CharField(label=_("Registration number"), max_length=60, required=False)
    home_port = forms.CharField(label=_("Port of registry (船籍港)"), max_length=60, required=False)
    mmsi = forms.CharField(label=_("MMSI"), max_length=20, required=False)
    chinese = forms.BooleanField(label=_("Chinese vessel"), required=False, initial=True)
    length_class = forms.ChoiceField(label=_("Length class"), choices=[("", "—"), *LengthClass.choices], required=False)
    gross_tonnage = forms.CharField(label=_("Gross tonnage"), max_length=20, required=False)
    owner_kind = forms.ChoiceField(label=_("Owner is"), choices=HolderKind.choices)
    owner_name = forms.CharField(label=pgettext_lazy("sea", "Owner"), max_length=100)
    owner_id_number = forms.CharField(label=_("Owner's ID number"), max_length=18, required=False)
    owner_credit_code = forms.CharField(label=_("Owner's credit code"), max_length=18, required=False)
    owner_phone = forms.CharField(label=_("Owner's mobile"), max_length=20, required=False)
    operator_kind = forms.ChoiceField(label=_("Operator is"), choices=[("", "—"), *HolderKind.choices], required=False)
    operator_name = forms.CharField(label=_("Operator"), max_length=100, required=False)
    operator_id_number = forms.CharField(label=_("Operator's ID number"), max_length=18, required=False)
    operator_credit_code = forms.CharField(label=_("Operator's credit code"), max_length=18, required=False)
    operator_phone = forms.CharField(label=_("Operator's mobile"), max_length=20, required=False)


# The owner's and operator's personal details: an editor without pii.view sees them masked and keeps them
# by leaving the field empty (a person's name, ID number and mobile; an organisation's name is not personal).
HOLDER_PII = ("name", "id_number", "phone")


class VesselEditForm(VesselForm):
    """A vessel's entry to correct. Without pii.view the personal fields start empty, show the masked value
    as a placeholder and keep what is on record when left empty."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, vessel, full_pii: bool, **kwargs):
        from yiwang import pii

        super().__init__(*args, **kwargs)
        self.kept = []
        if full_pii:
            return
        masks = {"name": pii.mask_name, "id_number": pii.mask_id_number, "phone": pii.mask_phone}
        for prefix in ("owner", "operator"):
            for part in HOLDER_PII:
                name = f"{prefix}_{part}"
                if part == "name" and getattr(vessel, f"{prefix}_kind") == "organisation":
                    continue
                field = self.fields[name]
                field.required = False
                current = getattr(vessel, name)
                field.widget.attrs["placeholder"] = masks[part](current) if current else ""
                field.help_text = _("Leave empty to keep the one on record.")
                self.initial[name] = ""
                self.kept.append(name)

    def values(self) -> dict:
        """The fields for do_update_vessel: the ones left empty that keep their value are left out."""
        data = {key: value for key, value in self.cleaned_data.items() if key != "version"}
        return {key: value for key, value in data.items() if not (key in self.kept and not value)}


class CrewForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=30, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Mobile"), max_length=20, required=False)
    written_contract = forms.BooleanField(label=_("Written contract"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))


def _sea_area_choices():
    areas = SeaArea.objects.exclude(kind=SeaAreaKind.SUBZONE).order_by("-kind", "code")
    return [("", "—"), *((a.code, str(a)) for a in areas)]


class SeaFactsForm(forms.Form):
    """What the sea adds to a dispute (do_record_maritime_details / the maritime intake)."""

    incident_kind = forms.ChoiceField(label=_("What happened"), choices=IncidentKind.choices)
    occurred_at = forms.DateTimeField(label=_("Time of the incident"), required=False, widget=DATETIME)
    latitude = forms.CharField(label=_("Latitude (N)"), max_length=20, required=False,
                               help_text=_("Decimal degrees, e.g. 29.9512"))
    longitude = forms.CharField(label=_("Longitude (E)"), max_length=20, required=False,
                                help_text=_("Decimal degrees, e.g. 122.3021"))
    sea_area = forms.ChoiceField(label=_("Sea area"), required=False,
                                 help_text=_("Or give the position: the fishing zone is found from it."))
    vessels = forms.CharField(label=_("Vessels involved"), max_length=500, required=False,
                              help_text=_("Names or MMSIs from the registry, separated by commas."))
    injured = forms.IntegerField(label=_("People injured"), min_value=0, initial=0, required=False)
    dead = forms.IntegerField(label=_("People dead or missing"), min_value=0, initial=0, required=False)
    crew_involved = forms.IntegerField(label=_("Crew involved"), min_value=0, initial=0, required=False)
    loss_amount = forms.DecimalField(label=_("Losses (yuan)"), min_value=0, max_digits=14, decimal_places=2,
                                     required=False)
    insured = forms.BooleanField(label=_("Insured (渔业互保)"), required=False)
    insurance_note = forms.CharField(label=_("Insurance"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sea_area"].choices = _sea_area_choices()

    def vessel_names(self) -> list[str]:
        text = self.cleaned_data.get("vessels") or ""
        return [part.strip() for part in text.replace("，", ",").replace("、", ",").split(",") if part.strip()]

    def details(self, resolve) -> dict:
        """The keyword arguments of the actions; `resolve(name)` turns a name or MMSI into a vessel."""
        data = dict(self.cleaned_data)
        data["vessels"] = [resolve(name) for name in self.vessel_names()]
        data.pop("other_vessel", None)
        data.pop("referred_by", None)
        return {key: data[key] for key in ("incident_kind", "occurred_at", "latitude", "longitude", "sea_area",
                                           "vessels", "injured", "dead", "crew_involved", "loss_amount",
                                           "insured", "insurance_note")}


class MaritimeIntakeForm(SeaFactsForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=INTAKE_CHANNELS, initial=Channel.WINDOW.value)
    dispute_type = forms.ModelChoiceField(label=_("Dispute type"), queryset=DisputeType.objects.none(),
                                          to_field_name="code")
    other_vessel = forms.CharField(label=_("A vessel not in the registry"), max_length=60, required=False)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    claims = forms.CharField(label=_("Claims"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    amount = forms.DecimalField(label=_("Amount claimed (yuan)"), required=False, min_value=0, max_digits=14,
                                decimal_places=2)
    lead_leader = forms.ModelChoiceField(label=_("Leader in charge (包案), for a major dispute"), required=False,
                                         queryset=None, empty_label="—")
    referred_by = forms.ModelChoiceField(label=_("Referred by an agency"), required=False, empty_label="—",
                                         queryset=Agency.objects.filter(active=True).select_related("organisation"),
                                         help_text=_("When the coast guard, the maritime safety administration or "
                                                     "another agency hands the dispute to the centre."))

    def __init__(self, *args, district: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispute_type"].queryset = DisputeType.objects.filter(active=True, maritime=True)
        types = self.fields["dispute_type"].queryset
        if types.count() == 1:
            self.fields["dispute_type"].initial = types.first().code
        self.fields["lead_leader"].queryset = get_users_who_can("stats.view", district)


class TaskForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.filter(active=True)
                                    .select_related("organisation"), empty_label="—")
    title = forms.CharField(label=pgettext_lazy("sea", "Task"), max_length=200,
                            widget=forms.TextInput(attrs={"placeholder": _("What the agency is to do")}))
    working_days = forms.IntegerField(label=_("Working days allowed"), min_value=1, max_value=60, initial=5)


class CompleteTaskForm(forms.Form):
    outcome = forms.CharField(label=_("What was done or found"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ServiceOutcomeForm(forms.Form):
    service = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Outcome"), choices=[c for c in ServiceStatus.choices if c[0] != "open"])
    outcome = forms.CharField(label=_("How it ended"), max_length=2000)
    amount = forms.DecimalField(label=_("Amount obtained (yuan)"), required=False, min_value=0, max_digits=14,
                                decimal_places=2)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MajorForm(forms.Form):
    reason = forms.CharField(label=_("Why it is major"), max_length=300)
    lead_leader = forms.ModelChoiceField(label=_("Leader in charge (包案)"), queryset=None, required=False,
                                         empty_label="—")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, area_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_leader"].queryset = get_users_who_can("stats.view", area_code)


class SeaSessionForm(forms.Form):
    """A session by video for a party at sea or afar, or on board a vessel (do_schedule_sea_session)."""

    mode = forms.ChoiceField(label=_("How it meets"), choices=SessionMode.choices)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    vessel = forms.CharField(label=_("Vessel (name or MMSI)"), max_length=60, required=False,
                             help_text=_("On board: the vessel it is held on. Remote: the vessel a party joins from."))
    sea_area = forms.ChoiceField(label=_("Where the vessel lies"), required=False)
    at_sea = forms.CharField(label=_("Who joins from sea or afar"), max_length=120, required=False,
                             help_text=_("e.g. the captain aboard, a party in 绍兴"))
    link = forms.CharField(label=_("Video link or satellite telephone"), max_length=120, required=False)
    place = forms.CharField(label=_("Where the mediator sits"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sea_area"].choices = _sea_area_choices()


class SeaSessionRecordForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    record = forms.CharField(label=_("Record of the session (调解笔录)"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=10000)
    participants = forms.CharField(label=_("Participants"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PositionForm(forms.Form):
    """A vessel's position at a time, as evidence (do_record_position)."""

    step = forms.CharField(widget=forms.HiddenInput, initial="position")
    vessel = forms.ChoiceField(label=_("Vessel"))
    at = forms.DateTimeField(label=_("Time"), widget=DATETIME)
    latitude = forms.CharField(label=_("Latitude (N)"), max_length=20)
    longitude = forms.CharField(label=_("Longitude (E)"), max_length=20)
    source = forms.ChoiceField(label=_("Source"), choices=PositionSource.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, vessels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vessel"].choices = [(v.name, v.name) for v in vessels]

    def values(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key != "step"}
