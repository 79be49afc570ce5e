"""Forms for the citizen pages. They only turn what was typed into values; the rules belong to the actions
(cases.actions.do_register_case validates a filing exactly as it does the window's), whose refusals the
views put back on these forms field by field."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.areas.models import Area, DisputeType
from yiwang.core import uploads
from yiwang.core.errors import InputError

TEXTAREA = forms.Textarea(attrs={"rows": 4})
PHONE = forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"})

# Where the registration action's error keys land on this form.
ERROR_FIELDS = {
    "applicants": "applicant_name",
    "applicants[0]": "applicant_name",
    "applicants[0].name": "applicant_name",
    "applicants[0].id_number": "applicant_id_number",
    "applicants[0].phone": "applicant_phone",
    "applicants[0].address": "applicant_address",
    "applicants[0].kind": "applicant_name",
    "respondents": "respondent_name",
    "respondents[0]": "respondent_name",
    "respondents[0].name": "respondent_name",
    "respondents[0].id_number": "respondent_id_number",
    "respondents[0].phone": "respondent_phone",
    "respondents[0].address": "respondent_address",
    "respondents[0].credit_code": "respondent_credit_code",
    "respondents[0].kind": "respondent_kind",
    "respondents[0].representative": "respondent_name",
}


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, area):
        return area.name


class DisputeTypeSelect(forms.Select):
    """Each type's option carries the words citizens use for it, which the page's search matches."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and instance.synonyms:
            option["attrs"]["data-synonyms"] = instance.synonyms
        return option


class DisputeTypeField(forms.ModelChoiceField):
    widget = DisputeTypeSelect


def get_filing_types(query: str = ""):
    """The disputes a citizen may file online, in order: the centre's services (诉讼服务, 信访 …) are
    offered on their own; `query` keeps those whose name or other words contain it (赡养 → 婚姻家庭)."""
    types = DisputeType.objects.filter(active=True, service=False).order_by("sort_order", "id")
    query = query.strip()
    if query:
        types = types.filter(Q(name__icontains=query) | Q(synonyms__icontains=query))
    return types


def get_centre_services(centre) -> list[tuple]:
    """(service, window) for each service of the centres: the window that offers it at `centre` or the
    nearest centre above it that has one (a village centre's citizens go to the district's), else None."""
    from yiwang.areas.models import Window, WindowKind

    areas = [centre.area_id, *(a.code for a in centre.area.ancestors())]
    services = []
    for service in DisputeType.objects.filter(active=True, service=True).order_by("sort_order", "id"):
        windows = {w.centre.area_id: w for w in Window.objects.filter(
            active=True, kind=WindowKind.SPECIALISED, dispute_types=service, centre__area_id__in=areas,
        ).select_related("centre").order_by("-number")}
        services.append((service, next((windows[code] for code in areas if code in windows), None)))
    return services


class OnlineFilingForm(forms.Form):
    """What a citizen tells the centre through its 解纷码: who, against whom, what happened, what they ask."""

    dispute_type = DisputeTypeField(label=_("Type of dispute"), queryset=DisputeType.objects.none())
    area = AreaChoiceField(label=_("Where it happened"), queryset=Area.objects.none())
    applicant_name = forms.CharField(label=_("Your name"), max_length=100)
    applicant_id_number = forms.CharField(label=_("Your ID card number"), max_length=18)
    applicant_phone = forms.CharField(label=_("Your mobile number"), max_length=20, widget=PHONE)
    applicant_address = forms.CharField(label=_("Your address for service"), max_length=200)
    respondent_kind = forms.ChoiceField(
        label=_("The other party is"), choices=[("person", _("a person")), ("organisation", _("an organisation"))],
        initial="person",
    )
    respondent_name = forms.CharField(label=_("The other party's name"), max_length=100)
    respondent_phone = forms.CharField(label=_("The other party's mobile number"), max_length=20, required=False,
                                       widget=PHONE)
    respondent_id_number = forms.CharField(label=_("The other party's ID card number (if known)"), max_length=18,
                                           required=False)
    respondent_credit_code = forms.CharField(label=_("Unified social credit code (organisations)"), max_length=18,
                                             required=False)
    respondent_address = forms.CharField(label=_("The other party's address (if known)"), max_length=200,
                                         required=False)
    facts = forms.CharField(label=_("What happened"), widget=TEXTAREA, max_length=5000)
    claims = forms.CharField(label=_("What you ask for"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    amount = forms.DecimalField(label=_("Amount involved (yuan, if any)"), required=False, min_value=0,
                                max_digits=14, decimal_places=2)
    vessel_name = forms.CharField(label=_("Vessel name (disputes at sea)"), required=False, max_length=60)
    vessel_number = forms.CharField(label=_("Vessel number (disputes at sea)"), required=False, max_length=40)
    sea_area = forms.CharField(label=_("Sea area (disputes at sea)"), required=False, max_length=100)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispute_type"].queryset = get_filing_types()
        # The centre's own area and the places directly under it.
        self.fields["area"].queryset = Area.objects.filter(
            Q(code=centre.area_id) | Q(parent_id=centre.area_id)
        ).order_by("code")
        self.fields["area"].initial = centre.area_id

    def maritime_type_ids(self) -> str:
        """The types that are disputes at sea: only they show (and keep) the vessel and sea-area fields."""
        return ",".join(str(pk) for pk in self.fields["dispute_type"].queryset.filter(maritime=True)
                        .values_list("pk", flat=True))

    def shows_maritime(self) -> bool:
        return str(self["dispute_type"].value() or "") in self.maritime_type_ids().split(",")

    def registration_kwargs(self) -> dict:
        data = self.cleaned_data
        if not data["dispute_type"].maritime:  # fields a non-maritime filing never shows are never kept
            data = {**data, "vessel_name": "", "vessel_number": "", "sea_area": ""}
        respondent = {
            "kind": data["respondent_kind"], "name": data["respondent_name"], "phone": data["respondent_phone"],
            "id_number": data["respondent_id_number"], "credit_code": data["respondent_credit_code"],
            "address": data["respondent_address"],
        }
        return {
            "dispute_type": data["dispute_type"], "area": data["area"], "facts": data["facts"],
            "claims": data["claims"], "amount": data["amount"], "vessel_name": data["vessel_name"],
            "vessel_number": data["vessel_number"], "sea_area": data["sea_area"],
            "applicant": {
                "kind": "person", "name": data["applicant_name"], "id_number": data["applicant_id_number"],
                "phone": data["applicant_phone"], "address": data["applicant_address"],
            },
            "respondent": respondent,
        }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Signed PDF"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            uploads.check_size(upload)  # any content: the page itself says when it is not a signed PDF
        except InputError as error:
            raise forms.ValidationError(error.messages) from None
        return upload
