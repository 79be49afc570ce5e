"""Forms for the phone pages: a visit with the problems found on it, and the inputs of workflow steps."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.errors import InputError
from yiwang.grids.actions import MAX_PHOTOS, check_photo
from yiwang.grids.models import Category, TeamMember, Tier


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; each checked for type and size."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS})
        for upload in files:
            try:
                check_photo(upload)
            except InputError as refusal:
                raise ValidationError(refusal.messages) from None
        return files


class VisitForm(forms.Form):
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=None)
    date = forms.DateField(label=_("Date of the visit"), widget=forms.DateInput(attrs={"type": "date"}))
    households_visited = forms.IntegerField(label=_("Households visited"), min_value=0, max_value=5000)
    members = forms.ModelMultipleChoiceField(
        label=_("Team members present"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    others_present = forms.CharField(label=_("Others present"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False,
                                  min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False,
                                   min_value=-180, max_value=180, widget=forms.HiddenInput)
    photos = PhotosField(label=_("Photos"), required=False)

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids.select_related("area")
        self.fields["grid"].label_from_instance = lambda g: f"{g.area.name} {g.name}"
        self.fields["members"].queryset = TeamMember.objects.filter(team__grids__in=grids).distinct()
        self.fields["date"].initial = timezone.localdate()
        if grids.count() == 1:
            self.fields["grid"].initial = grids.first()

    def clean(self):
        data = super().clean()
        grid, members = data.get("grid"), data.get("members") or []
        if grid is not None:
            team_ids = set(grid.teams.values_list("id", flat=True))
            if any(m.team_id not in team_ids for m in members):
                self.add_error("members", _("Choose members of this grid's team."))
        if data.get("date") and data["date"] > timezone.localdate():
            self.add_error("date", _("A visit cannot be logged ahead of its date."))
        return data


class ProblemDraftForm(forms.Form):
    """A problem found on the visit; a row left empty is ignored."""

    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices], required=False)
    description = forms.CharField(label=_("Problem found"), widget=forms.Textarea(attrs={"rows": 2}),
                                  required=False, max_length=4000)
    location = forms.CharField(label=_("Where"), max_length=200, required=False)
    photos = PhotosField(label=_("Photos"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("category") and not (data.get("description") or "").strip():
            self.add_error("description", _("Describe the problem."))
        if (data.get("description") or "").strip() and not data.get("category"):
            self.add_error("category", _("Choose a category."))
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("category")


ProblemDraftFormSet = formset_factory(ProblemDraftForm, extra=2, max_num=5)


class StepForm(forms.Form):
    """The inputs any workflow step may take; the action says which it needs."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
    outcome = forms.CharField(label=_("What was done"), required=False, max_length=4000)
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices, required=False)
    grid = forms.CharField(label=_("Grid code"), required=False, max_length=16)
    organisation = forms.IntegerField(required=False)
    team = forms.IntegerField(required=False)
    days = forms.IntegerField(label=_("Working days"), required=False, min_value=1, max_value=30)
    dispute_type = forms.CharField(label=_("Dispute type"), required=False, max_length=40)
    applicant_name = forms.CharField(label=_("Applicant"), required=False, max_length=100)
    applicant_phone = forms.CharField(label=_("Applicant's mobile"), required=False, max_length=20)
    respondent_name = forms.CharField(label=_("Respondent"), required=False, max_length=100)
    claims = forms.CharField(label=_("What the applicant asks for"), required=False, max_length=4000)
    granted = forms.TypedChoiceField(coerce=lambda v: v == "yes", choices=[("yes", _("Grant")), ("no", _("Refuse"))],
                                     required=False)


class ProblemForm(forms.Form):
    """A problem reported on its own, outside a visit."""

    grid = forms.ModelChoiceField(label=_("Grid"), queryset=None)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(label=_("Problem found"), widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=4000)
    location = forms.CharField(label=_("Where"), max_length=200, required=False)
    photos = PhotosField(label=_("Photos"), required=False)

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids.select_related("area")
        self.fields["grid"].label_from_instance = lambda g: f"{g.area.name} {g.name}"
        if grids.count() == 1:
            self.fields["grid"].initial = grids.first()
