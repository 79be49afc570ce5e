"""Forms for the co-building pages: a demand, a resource, and the inputs of a demand's steps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.cobuild.actions import MAX_PHOTOS, check_photos
from yiwang.cobuild.models import Category, ResourceKind
from yiwang.core.errors import InputError

DATE = forms.DateInput(attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input, each checked by the action's own policy."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS})
        try:
            check_photos(files)
        except InputError as refusal:
            raise ValidationError(refusal.messages) from None
        return files


class DemandForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Community"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    size = forms.IntegerField(label=_("Size (people, households or hours)"), min_value=1, max_value=100000)
    needed_from = forms.DateField(label=_("Needed from"), widget=DATE)
    needed_until = forms.DateField(label=_("Needed until"), widget=DATE)
    contact_name = forms.CharField(label=_("Contact"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=20)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: a.name
        self.fields["needed_from"].initial = timezone.localdate()
        if areas.count() == 1:
            self.fields["area"].initial = areas.first()


class RaiseForm(forms.Form):
    """A grid problem raised as a demand: its description and community come from the problem."""

    title = forms.CharField(label=_("Title"), max_length=100)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    size = forms.IntegerField(label=_("Size (people, households or hours)"), min_value=1, max_value=100000)
    needed_from = forms.DateField(label=_("Needed from"), widget=DATE)
    needed_until = forms.DateField(label=_("Needed until"), widget=DATE)
    contact_name = forms.CharField(label=_("Contact"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact telephone"), max_length=20)


class ResourceForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Offered by"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    categories = forms.MultipleChoiceField(label=_("Meets"), choices=Category.choices,
                                           widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10_000_000)
    available_from = forms.DateField(label=_("Available from"), widget=DATE)
    available_until = forms.DateField(label=_("Available until"), widget=DATE)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


class StepForm(forms.Form):
    version = forms.IntegerField()
    organisation = forms.IntegerField(required=False)
    resource = forms.IntegerField(required=False)
    note = forms.CharField(required=False, max_length=2000)
    reason = forms.CharField(required=False, max_length=2000)
    report = forms.CharField(required=False, max_length=4000)
    photos = PhotosField(required=False)


# ------------------------------------------------------------------------------------------------ projects


def parse_milestones(text: str) -> list[tuple[str, object]]:
    """Milestones typed one a line as "YYYY-MM-DD title"."""
    import datetime as dt

    milestones = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        day, _sep, title = line.partition(" ")
        try:
            due = dt.date.fromisoformat(day)
        except ValueError:
            raise ValidationError(_("Write each milestone as a date (YYYY-MM-DD), a space and its title.")) from None
        milestones.append((title.strip(), due))
    return milestones


class ProjectForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label="—")
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=None, empty_label="—")
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE)
    milestones = forms.CharField(label=_("Milestones"), widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("One a line: the due date (YYYY-MM-DD), a space, the title."))
    demands = forms.ModelMultipleChoiceField(label=_("Demands met"), queryset=None, required=False)
    resources = forms.ModelMultipleChoiceField(label=_("Resources used"), queryset=None, required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        areas, leads, demands, resources = choices
        for name, queryset in (("area", areas), ("lead", leads), ("demands", demands), ("resources", resources)):
            self.fields[name].queryset = queryset
        self.fields["area"].label_from_instance = lambda a: a.name

    def clean_milestones(self):
        return parse_milestones(self.cleaned_data["milestones"])


class ProjectStepForm(forms.Form):
    version = forms.IntegerField()
    milestone = forms.IntegerField(required=False)
    report = forms.CharField(required=False, max_length=4000)
    photos = PhotosField(required=False)
    score = forms.IntegerField(required=False, min_value=0, max_value=100)
    evaluation = forms.CharField(required=False, max_length=4000)


# ------------------------------------------------------------------------------ pairings, social organisations


class PairingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label="—")
    area = forms.ModelChoiceField(label=_("Street or community"), queryset=None, empty_label="—")
    party_organisation = forms.CharField(label=_("Party organisation"), max_length=100)
    membership = forms.ChoiceField(label=_("Membership"), choices=())
    starts_on = forms.DateField(label=_("Agreement from"), widget=DATE)
    ends_on = forms.DateField(label=_("Agreement until"), widget=DATE)
    unit_contact = forms.CharField(label=_("Unit's contact"), max_length=50)
    area_contact = forms.CharField(label=_("Community's contact"), max_length=50)
    commitments = forms.CharField(label=_("Commitments"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units, areas, **kwargs):
        from yiwang.cobuild.models import Membership

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: a.name
        self.fields["membership"].choices = Membership.choices


class PairingRecordForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=pgettext_lazy("pairing", "What was done"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=4000)
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=100000, initial=0)


class RenewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    commitments = forms.CharField(label=_("New commitments (leave empty to keep them)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class SocialForm(forms.Form):
    name = forms.CharField(label=_("Registered name"), max_length=100)
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label="—")
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30)
    registration_authority = forms.CharField(label=_("Registration authority"), max_length=100)
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE)
    field = forms.CharField(label=_("Field of work"), max_length=100)
    party_organisation = forms.CharField(label=_("Party organisation"), max_length=100, required=False)
    incubated = forms.BooleanField(label=_("Incubated at the Party and community service centre"), required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: a.name


class SocialUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    registration_authority = forms.CharField(label=_("Registration authority"), max_length=100)
    field = forms.CharField(label=_("Field of work"), max_length=100)
    party_organisation = forms.CharField(label=_("Party organisation"), max_length=100, required=False)
    incubated = forms.BooleanField(label=_("Incubated at the Party and community service centre"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=())

    def __init__(self, *args, **kwargs):
        from yiwang.cobuild.models import SocialStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = SocialStatus.choices


class InspectionForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    result = forms.ChoiceField(label=_("Result"), choices=())

    def __init__(self, *args, **kwargs):
        from yiwang.cobuild.models import InspectionResult

        super().__init__(*args, **kwargs)
        self.fields["result"].choices = InspectionResult.choices


class TitleForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Village or community"), queryset=None, empty_label="—")
    level = forms.ChoiceField(label=_("Level"), choices=())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, areas, **kwargs):
        from yiwang.cobuild.models import TitleLevel

        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: a.path_name
        self.fields["level"].choices = TitleLevel.choices


# ------------------------------------------------------------------------------------------------ 公益创投


def parse_criteria(text: str) -> list[dict]:
    """Criteria typed one a line as "name points" (需求契合 40)."""
    criteria = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _sep, points = line.rpartition(" ")
        if not name.strip() or not points.isdigit():
            raise ValidationError(_("Write each criterion as its name, a space and its points."))
        criteria.append({"name": name.strip(), "points": int(points)})
    return criteria


class CallForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label="—")
    title = forms.CharField(label=_("Title"), max_length=100)
    budget = forms.DecimalField(label=_("Budget (yuan)"), max_digits=12, decimal_places=2, min_value=1)
    criteria = forms.CharField(label=_("Criteria"), widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("One a line: the criterion, a space, its points; they add up to 100."))
    opens_on = forms.DateField(label=_("Opens"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes"), widget=DATE)
    reviewers = forms.ModelMultipleChoiceField(label=_("Review panel"), queryset=None,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, areas, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: a.name
        self.fields["reviewers"].queryset = reviewers
        self.fields["reviewers"].label_from_instance = lambda u: u.display_name or u.username

    def clean_criteria(self):
        return parse_criteria(self.cleaned_data["criteria"])


class ApplyForm(forms.Form):
    applicant = forms.ModelChoiceField(label=_("Applicant"), queryset=None, empty_label="—")
    title = forms.CharField(label=_("Project title"), max_length=100)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    amount = forms.DecimalField(label=_("Amount asked (yuan)"), max_digits=12, decimal_places=2, min_value=1)

    def __init__(self, *args, applicants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = applicants
        if applicants.count() == 1:
            self.fields["applicant"].initial = applicants.first()


class ApplicationStepForm(forms.Form):
    """The inputs of an application's steps; each step reads the ones it needs."""

    version = forms.IntegerField(required=False)
    reason = forms.CharField(required=False, max_length=2000)
    tranches = forms.CharField(required=False, max_length=200)
    tranche = forms.IntegerField(required=False)
    stage = forms.CharField(required=False, max_length=10)
    text = forms.CharField(required=False, max_length=8000)
    passed = forms.TypedChoiceField(required=False, choices=(("1", "1"), ("0", "0")), coerce=lambda v: v == "1")
    note = forms.CharField(required=False, max_length=4000)
    score = forms.IntegerField(required=False, min_value=0, max_value=100)


class ElderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    expertise = forms.CharField(label=_("Expertise"), max_length=100, required=False)
    standing = forms.CharField(label=_("Standing"), max_length=200, required=False,
                               help_text=_("What they are known for: a retired teacher, a former village head …"))
    phone = forms.CharField(label=_("Mobile number"), max_length=11, required=False)


class MediatorForm(forms.Form):
    member = forms.IntegerField(label=_("Elder"))
    username = forms.CharField(label=_("User name"), max_length=150)
