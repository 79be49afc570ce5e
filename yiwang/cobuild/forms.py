"""Forms for the co-building pages: a demand, a resource, and the inputs of a demand's steps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
