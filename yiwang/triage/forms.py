"""Forms of triage's pages: a mediator's profile, a conflict of interest, the parties' languages. They
only shape input; the actions check it (scope, ID numbers, credit codes) and say what is wrong."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yiwang.areas.models import Area, DisputeType
from yiwang.triage.models import ConflictKind, Language, Relation


def active_languages():
    return Language.objects.filter(active=True)


class ProfileForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    dispute_types = forms.ModelMultipleChoiceField(
        label=_("Declared expertise"), queryset=DisputeType.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    home_area = forms.ModelChoiceField(label=_("Village or town"), queryset=Area.objects.none(), required=False,
                                       empty_label="—")
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages and dialects"), queryset=Language.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    away_until = forms.DateField(label=_("Away until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Leave, training or illness: not suggested until this day is over."))
    away_note = forms.CharField(label=_("Why away"), max_length=100, required=False)
    capacity = forms.IntegerField(label=_("Open cases at most"), required=False, min_value=1,
                                  help_text=_("Not suggested while carrying this many open cases."))

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispute_types"].queryset = DisputeType.objects.filter(active=True)
        self.fields["languages"].queryset = active_languages()
        self.fields["home_area"].queryset = areas if areas is not None else Area.objects.none()


class ConflictForm(forms.Form):
    kind = forms.ChoiceField(label=_("With"), choices=ConflictKind.choices)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    person_name = forms.CharField(label=_("Name of the person or organisation"), max_length=100, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    area = forms.ModelChoiceField(label=_("Village or town"), queryset=Area.objects.none(), required=False,
                                  empty_label="—")
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas if areas is not None else Area.objects.none()


class CaseLanguagesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages the parties speak"), queryset=Language.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].queryset = active_languages()
