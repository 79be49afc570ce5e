"""Forms for the workbench pages. They only turn what a person typed into typed values and choices
within their sight; the rules (what is required, formats, who may, when) belong to actions.py, whose
refusals the views put back on these forms field by field."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.models import User
from yiwang.areas.models import (
    Area,
    DisputeType,
    Organisation,
    OrganisationKind,
    Team,
    TeamKind,
    Window,
)
from yiwang.cases import actions
from yiwang.cases.models import Case, Channel, FollowUp, Party, PartyKind, PartyRole, ReferralKind, Status
from yiwang.core.codes import ancestor_codes
from yiwang.core.scope import get_area_prefixes, get_users_who_can, user_can
from yiwang.pii import mask_name

# Staff intake takes the two channels where a person is in front of (or on the line with) the clerk; the
# other channels arrive through the API, the citizen side or the grid.
STAFF_CHANNELS = [(Channel.WINDOW.value, Channel.WINDOW.label), (Channel.PHONE.value, Channel.PHONE.label)]
TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"})


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, area):
        return f"{area.name} ({area.code})"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.display_name or user.get_username()


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.display_name or user.get_username()


# ----------------------------------------------------------------------------------------------- intake


class CaseIntakeForm(forms.Form):
    """What a clerk records about the dispute itself; the parties come in two formsets."""

    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS, initial=Channel.WINDOW.value)
    dispute_type = forms.ModelChoiceField(label=_("Dispute type"), queryset=DisputeType.objects.none())
    area = AreaChoiceField(label=_("Where the dispute arose"), queryset=Area.objects.none())
    window = forms.ModelChoiceField(label=_("Receiving window"), queryset=Window.objects.none(), required=False,
                                    empty_label="—")
    keep_at_window = forms.BooleanField(
        label=_("Keep the case at this window"), required=False,
        help_text=_("The receiving window's centre handles it, instead of the centre its tier would route it to."))
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    claims = forms.CharField(label=_("Claims"), widget=TEXTAREA, max_length=2000)
    amount = forms.DecimalField(label=_("Amount involved (yuan)"), required=False, min_value=0,
                                max_digits=14, decimal_places=2)
    people_involved = forms.IntegerField(label=_("People involved"), min_value=1, max_value=100000, initial=1)
    vessel_name = forms.CharField(label=_("Vessel name"), required=False, max_length=60)
    vessel_number = forms.CharField(label=_("Vessel number"), required=False, max_length=40)
    sea_area = forms.CharField(label=_("Sea area"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispute_type"].queryset = DisputeType.objects.filter(active=True)
        # The places the clerk may register cases for: their subtree(s), from the district down.
        areas = Area.objects.visible_to(user, "case.intake").filter(level__in=["county", "township", "village"])
        self.fields["area"].queryset = areas.order_by("code")
        self.fields["window"].queryset = (
            Window.objects.visible_to(user).filter(active=True).select_related("centre").order_by("centre_id", "number")
        )
        prefixes = get_area_prefixes(user, "case.intake")
        if prefixes and len(prefixes) == 1:
            self.fields["area"].initial = prefixes[0]
        windows = list(self.fields["window"].queryset[:2])
        if len(windows) == 1:  # a clerk at one window: that window
            self.fields["window"].initial = windows[0].pk

    def clean(self):
        data = super().clean()
        if data.get("keep_at_window") and not data.get("window"):
            self.add_error("window", _("Choose the window that keeps the case."))
        return data

    def get_tier(self) -> str | None:
        """The tier of the receiving window's centre when the clerk keeps the case there, else None (routed)."""
        window = self.cleaned_data.get("window")
        return window.centre.level if self.cleaned_data.get("keep_at_window") and window else None


class DelegationForm(CaseIntakeForm):
    """A court's delegation (委派调解): the court, its 案号 and the dispute; the parties as at intake."""

    court = forms.ModelChoiceField(label=_("Delegating court"), queryset=Organisation.objects.none())
    court_case_number = forms.CharField(label=_("Court case number"), max_length=60,
                                        help_text=_("A court's reads like （2026）浙0903民初1234号."))

    def __init__(self, *args, user, **kwargs):
        from yiwang.cases.court import get_courts_of

        super().__init__(*args, user=user, **kwargs)
        del self.fields["channel"], self.fields["window"]
        courts = get_courts_of(user)
        self.fields["court"].queryset = Organisation.objects.filter(pk__in=[c.pk for c in courts])
        if len(courts) == 1:
            self.fields["court"].initial = courts[0].pk
        self.fields["area"].queryset = Area.objects.visible_to(user, "case.court").filter(
            level__in=["county", "township", "village"]).order_by("code")


class PartyForm(forms.Form):
    """One applicant or respondent: a person (name, ID number, mobile, address) or an organisation."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices, initial=PartyKind.PERSON.value)
    name = forms.CharField(label=_("Name"), max_length=100)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=11, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel"}))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    representative = forms.CharField(label=_("Legal representative"), max_length=50, required=False)


class BasePartyFormSet(forms.BaseFormSet):
    def get_parties(self) -> list[dict]:
        """The filled-in parties, in the same order as `filled_forms` (errors refer to them by index)."""
        return [getattr(f, "cleaned_data", {}) for f in self.filled_forms]

    @property
    def filled_forms(self):
        return [f for f in self.forms if f.has_changed()]


# The first applicant form must be filled; a blank respondent form is ignored (a dispute may name its
# respondent later, as the API allows).
class BaseApplicantFormSet(BasePartyFormSet):
    default_error_messages = {**BasePartyFormSet.default_error_messages,
                              "too_few_forms": _("Name at least one applicant.")}


ApplicantFormSet = formset_factory(PartyForm, formset=BaseApplicantFormSet, extra=0, min_num=1, validate_min=True,
                                   max_num=50, validate_max=True)
RespondentFormSet = formset_factory(PartyForm, formset=BasePartyFormSet, extra=1, max_num=50, validate_max=True)


# ----------------------------------------------------------------------------------------------- queues


class QueueFilterForm(forms.Form):
    """Filters on a queue. Every field is optional; a bad value is shown and ignored."""

    STATES = [("open", _("Open")), ("overdue", _("Overdue")), ("closed", _("Closed")), ("all", _("All")),
              *Status.choices]
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Party name, case number or phone")}))
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
    area = forms.RegexField(label=_("Area code"), regex=r"^\d{2,12}$", required=False, max_length=12,
                            error_messages={"invalid": _("An area is a division code of 2 to 12 digits.")})
    dispute_type = forms.ModelChoiceField(label=_("Dispute type"), queryset=DisputeType.objects.all(),
                                          required=False, to_field_name="code", empty_label="—")
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", "—"), *Channel.choices], required=False)
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE)
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DATE)


# ----------------------------------------------------------------------------------------------- actions
# One small form per action of actions.py. `kwargs()` gives the keyword arguments of the do_* function.


class ActionForm(forms.Form):
    """Base: knows the case and the user, and turns its cleaned data into the action's arguments."""

    def __init__(self, *args, case: Case, user, **kwargs):
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)

    def kwargs(self) -> dict:
        return dict(self.cleaned_data)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA, max_length=2000)


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, max_length=2000)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=2000)


class EmptyForm(ActionForm):
    pass


class NotAcceptForm(ActionForm):
    reason = forms.CharField(label=_("Why the case is not accepted"), widget=TEXTAREA, max_length=2000)
    redirect = forms.CharField(label=_("Where the applicant should go instead"), max_length=200)


class TransferWindowForm(ActionForm):
    window = forms.ModelChoiceField(label=_("Window"), queryset=Window.objects.none())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = Window.objects.filter(centre_id=self.case.centre_id, active=True).exclude(
            pk=self.case.window_id or 0)


def mediation_teams_for(case: Case):
    return Team.objects.filter(
        active=True, area_id__in=ancestor_codes(case.area_id),
        kind__in=[TeamKind.MEDIATION, TeamKind.MARITIME, TeamKind.ELDERS, TeamKind.SPECIALIST],
    ).order_by("area_id", "name")


class AssignForm(ActionForm):
    mediators = UserMultipleChoiceField(label=_("Mediators"), queryset=User.objects.none(),
                                        widget=forms.CheckboxSelectMultiple)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False, empty_label="—")
    reason = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = get_users_who_can("case.mediate", self.case.area_id)
        self.fields["team"].queryset = mediation_teams_for(self.case)
        self.fields["team"].initial = self.case.team_id


class RecuseForm(ActionForm):
    mediator = UserChoiceField(label=_("Mediator"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason for the recusal"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = User.objects.filter(
            assignments__case=self.case, assignments__recused_at__isnull=True)


class EscalateForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=2000)
    lead_leader = UserChoiceField(label=_("Leader in charge (包案), when it goes to the district"),
                                  queryset=User.objects.none(), required=False, empty_label="—")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_leader"].queryset = get_users_who_can(actions.LEAD_LEADER_ACTION, self.case.area_id)


class MergeForm(ActionForm):
    into = forms.CharField(label=_("Number of the case that goes on"), max_length=30)
    reason = forms.CharField(label=_("Reason"), max_length=2000)

    def clean_into(self):
        number = self.cleaned_data["into"].strip().upper()
        target = Case.objects.visible_to(self.user, "case.view").filter(number=number).first()
        if target is None:
            raise forms.ValidationError(_("No case with this number in your area."))
        return target


class SessionForm(ActionForm):
    held_at = forms.DateTimeField(label=_("Held at"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    online = forms.BooleanField(label=_("Held online"), required=False)
    participants = forms.CharField(label=_("Participants"), required=False, max_length=2000)
    record = forms.CharField(label=_("Record of the session (调解笔录)"), widget=forms.Textarea(attrs={"rows": 5}))


class ExtendForm(ActionForm):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, initial=15)
    consent = forms.BooleanField(label=_("The parties consent to the extension"), required=False)
    consenting_parties = forms.MultipleChoiceField(label=_("Parties who consented"), required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consenting_parties"].choices = [(str(p.pk), p.name) for p in self.case.parties.all()]


class AgreementForm(ActionForm):
    facts = forms.CharField(label=_("Main facts"), widget=TEXTAREA)
    matters_in_dispute = forms.CharField(label=_("Matters in dispute"), widget=TEXTAREA)
    responsibilities = forms.CharField(label=_("Each party's responsibility"), widget=TEXTAREA)
    content = forms.CharField(label=_("Agreed content"), widget=TEXTAREA)
    performance_manner = forms.CharField(label=_("Manner of performance"), max_length=200)
    performance_place = forms.CharField(label=_("Place of performance"), max_length=200)
    performance_deadline = forms.DateField(label=_("Deadline for performance"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreement = getattr(self.case, "agreement", None) if hasattr(self.case, "agreement") else None
        for name in self.fields:  # redrafting starts from the draft
            self.fields[name].initial = getattr(agreement, name) if agreement else None
        if agreement is None:
            self.fields["facts"].initial = self.case.facts


class OralAgreementForm(AgreementForm):
    parties_confirmed = forms.BooleanField(label=_("The parties heard the recorded content and confirmed it"),
                                           required=False)


class PaperSignatureForm(ActionForm):
    party = forms.ModelChoiceField(label=_("Party who signed"), queryset=Party.objects.none())
    scan = forms.FileField(label=_("Scan or photo of the signed page"), required=False)
    witness = forms.CharField(label=_("Witnessed by"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreement = getattr(self.case, "agreement", None) if hasattr(self.case, "agreement") else None
        waiting = agreement.get_unsigned_parties() if agreement is not None else []
        self.fields["party"].queryset = self.case.parties.filter(pk__in=waiting)
        self.fields["party"].label_from_instance = lambda p: f"{p.get_role_display()} {mask_name(p.name)}"
        self.fields["witness"].initial = self.user.display_name or self.user.get_username()


class ApplyConfirmationForm(ActionForm):
    applied_on = forms.DateField(label=_("Applied on"), required=False, widget=DATE)
    court = forms.ModelChoiceField(label=_("Court"), queryset=Organisation.objects.none(), required=False,
                                   empty_label="—")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = actions.get_courts_for(self.case)


class RecordConfirmationForm(ActionForm):
    accepted = forms.TypedChoiceField(label=_("The court's decision"), coerce=lambda v: v == "yes",
                                      choices=[("yes", _("Confirmed")), ("no", _("Not confirmed"))])
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE)
    court_case_number = forms.CharField(label=_("Court case number"), required=False, max_length=60)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class PerformanceForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA, max_length=2000)
    completed = forms.BooleanField(label=_("Performed in full"), required=False)


class TerminateForm(ActionForm):
    reason = forms.CharField(label=_("Why mediation ended"), widget=TEXTAREA, max_length=2000)
    routes_told = forms.CharField(label=_("Routes explained to the parties (court, arbitration, administrative)"),
                                  widget=TEXTAREA, max_length=2000)


class RefusalForm(ActionForm):
    party = forms.ModelChoiceField(label=_("Party who refused"), queryset=Party.objects.none())
    reason = forms.CharField(label=_("How the party refused mediation"), widget=TEXTAREA, max_length=2000)
    routes_told = forms.CharField(label=_("Routes explained to the parties (court, arbitration, administrative)"),
                                  widget=TEXTAREA, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parties = self.case.parties.all()
        self.fields["party"].queryset = parties
        respondents = [p for p in parties if p.role == PartyRole.RESPONDENT]
        if len(respondents) == 1:
            self.fields["party"].initial = respondents[0].pk
        full = user_can(self.user, "pii.view", self.case.area_id)
        self.fields["party"].label_from_instance = (
            lambda p: f"{p.get_role_display()} {p.name if full else mask_name(p.name)}")


class ReferForm(ActionForm):
    kind = forms.ChoiceField(label=_("Referred to"), choices=ReferralKind.choices)
    body = forms.ModelChoiceField(label=_("Receiving body"), queryset=Organisation.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Organisation.objects.visible_to(self.user).filter(
            active=True, kind__in=[OrganisationKind.COURT, OrganisationKind.ARBITRATION,
                                   OrganisationKind.ADMINISTRATIVE, OrganisationKind.DISTRICT_UNIT,
                                   OrganisationKind.POLICE]).order_by("kind", "name")


class ReferralResultForm(ActionForm):
    external_number = forms.CharField(label=_("Receiving body's case number"), max_length=60, required=False,
                                      help_text=_("A court's reads like （2026）浙0903民初1234号."))
    correction_reason = forms.CharField(label=_("Why a recorded number is corrected"), required=False,
                                        max_length=2000)
    no_number_reason = forms.CharField(label=_("Or: why no case number came back"), required=False,
                                       max_length=2000)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class FollowUpForm(ActionForm):
    satisfaction = forms.TypedChoiceField(label=_("Satisfaction"), coerce=int,
                                          choices=[(n, str(n)) for n in range(5, 0, -1)])
    method = forms.ChoiceField(label=_("Method"), choices=FollowUp.Method.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA, max_length=2000)
