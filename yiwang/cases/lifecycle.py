"""The case lifecycle, declared once: every action on a case, as one row of STEPS.

A Step says who may take the action (its permission codes, checked on the case itself by
actions.check_case_party: whose case it is), in which states (from_states), under which further
condition, where it leads (to), which timeline line it writes (event), and how people reach it: the
page's form and button label, the API's input serializer and URL, the line a party reads on their own
timeline. Everything else reads this table instead of restating it:

- each do_* action checks its own row (permission, from-states, condition) through actions._base.check_step;
- actions.get_available_actions offers exactly the rows whose check would pass (offered ⇔ permitted);
- the case page (views.ACTION_FORMS) builds its forms and buttons from `form` and `label`;
- the API (api.TRANSITIONS) generates POST /api/v1/cases/{id}/<url>/ from `serializer` and `url`;
- the citizen timeline (CITIZEN_EVENTS, read by online) from `citizen_label`;
- the demo (demo.EVENT_KIND, demo._permission) from `to`, `event` and `permissions`.

The state machine itself (which status may follow which) is models.TRANSITIONS; a row's `to` is always
one of those moves. Forms and serializers are named, not imported (they import the actions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.cases.models import OPEN_STATUSES, ROUTABLE_STATUSES, Case, EventKind, Status, Tier
from yiwang.cases.procedures import may_extend

# A mediator step: the case's assigned (not recused) mediators, or centre staff who supervise the area,
# in this order (the first that holds is the code the timeline records).
MEDIATOR = ("case.supervise", "case.mediate")
ANY_STATUS = frozenset(Status.values)
# Before the centre has produced anything: a party may still refuse (or accept) mediation.
REFUSABLE_STATUSES = frozenset({Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING})
# Mediation is over (agreed, ended, referred, or later): a party may rate the service.
RATABLE_STATUSES = frozenset({
    Status.AGREED, Status.CONFIRMATION_PENDING, Status.CONFIRMED, Status.CONFIRMATION_REJECTED, Status.PERFORMING,
    Status.TERMINATED, Status.REFERRED, Status.FOLLOWED_UP, Status.ARCHIVED,
})
AGREEMENT_STATUSES = frozenset({Status.AGREED, Status.CONFIRMED, Status.CONFIRMATION_REJECTED, Status.PERFORMING})


@dataclass(frozen=True)
class Step:
    """One action on a case (the function do_<name> in actions)."""

    name: str
    permissions: tuple[str, ...]  # any one of them, on this case; MEDIATOR for the mediator steps
    from_states: frozenset[str]
    to: tuple[str, ...] = ()  # where it may lead; () when the status stays
    event: EventKind | None = None  # the timeline line it writes
    condition: Callable[[Case], bool] | None = None  # beyond the state, e.g. "not yet at the district"
    # what the user reads when the condition does not hold (or a function of the case giving it)
    refusal: Promise | Callable[[Case], str] | None = None
    form: str = ""  # the page's form class (forms.<form>); "" when the page does not offer it
    label: Promise | None = None  # the button, the heading of its form, "Done: …"
    serializer: str = ""  # the API's input serializer (serializers.<serializer>); "" for no endpoint here
    url: str = ""  # the API's path segment; the name with dashes unless given
    citizen_label: Promise | None = None  # the line a party reads on their timeline for `event`

    @property
    def on_page(self) -> bool:
        """Offered on the case page and the API's transition endpoints (get_available_actions)."""
        return bool(self.form)

    @property
    def url_name(self) -> str:
        return self.url or self.name.replace("_", "-")

    @property
    def is_mediator_step(self) -> bool:
        return self.permissions == MEDIATOR

    def state_refusal(self, case: Case) -> Promise | str | None:
        """Why the step is not possible in the case's state now (None when it is); permission aside."""
        if case.status not in self.from_states:
            return gettext("This is not possible while the case is “%(status)s”.") % {
                "status": case.get_status_display()}
        if self.condition is not None and not self.condition(case):
            return self.refusal(case) if callable(self.refusal) else self.refusal
        return None

    def is_possible(self, case: Case) -> bool:
        return self.state_refusal(case) is None


def _overdue(case: Case) -> bool:
    return case.is_overdue(timezone.localdate())


def _agreement(case: Case):
    return getattr(case, "agreement", None) if hasattr(case, "agreement") else None


def _may_draft(case: Case) -> bool:
    """No agreement yet, or a draft nobody has signed (it may be drafted again)."""
    agreement = _agreement(case)
    return agreement is None or (agreement.is_draft and not agreement.signatures.exists())


def _written_draft(case: Case):
    agreement = _agreement(case)
    return agreement if agreement is not None and agreement.is_draft and not agreement.oral else None


def _awaiting_parties(case: Case) -> bool:
    agreement = _written_draft(case)
    return agreement is not None and bool(agreement.get_unsigned_parties())


def _awaiting_mediator(case: Case) -> bool:
    agreement = _written_draft(case)
    return (agreement is not None and not agreement.get_unsigned_parties()
            and agreement.signature_of(role="mediator") is None)


def _awaiting_seal(case: Case) -> bool:
    agreement = _written_draft(case)
    return (agreement is not None and agreement.signature_of(role="mediator") is not None
            and agreement.signature_of(role="committee") is None)


def _written_in_effect(case: Case) -> bool:
    agreement = _agreement(case)
    return agreement is not None and agreement.is_effective and not agreement.oral


def _delegation(case: Case):
    return getattr(case, "delegation", None) if hasattr(case, "delegation") else None


def _awaiting_return(case: Case) -> bool:
    """A court's delegation whose mediation failed (or whose period ended) and that has not gone back."""
    delegation = _delegation(case)
    if delegation is None or delegation.returned:
        return False
    if case.status == Status.MEDIATING:
        return case.mediation_deadline is not None and case.mediation_deadline < timezone.localdate()
    return case.status == Status.TERMINATED or case.outcome in ("terminated", "referred")


def _archive_refusal(case: Case):
    """Why the file cannot be closed yet, or None: a failed delegation not yet returned to its court, a
    referral with neither the receiving body's number nor a reason why none came back."""
    delegation = _delegation(case)
    if delegation is not None and not delegation.returned and case.outcome in ("terminated", "referred"):
        return gettext("A failed court delegation goes back to the court before the file is closed.")
    if case.referrals.filter(external_number="", no_number_reason="").exists():
        return gettext("Record the receiving body's case number, or why none came back, before archiving.")
    return None


def _not_awaiting_return(case: Case) -> bool:
    return not _awaiting_return(case)


STEPS_IN_ORDER = [
    # intake
    Step("register_case", ("case.intake",), frozenset(), to=(Status.REGISTERED,), event=EventKind.REGISTERED,
         citizen_label=_("Your dispute was registered")),
    # a court's liaison delegates a case (委派调解): registered under the court's 案号 (actions.court)
    Step("register_delegation", ("case.court",), frozenset(), to=(Status.REGISTERED,),
         event=EventKind.DELEGATION_REGISTERED),
    Step("record_visit", ("case.intake", "case.mediate"), OPEN_STATUSES, event=EventKind.VISIT,
         form="NoteForm", label=_("Record an in-person trip"), serializer="NoteSerializer"),
    # acceptance and routing: the centre decides, not a partner who registers
    Step("accept", ("case.route",), frozenset({Status.REGISTERED}), to=(Status.ACCEPTED,),
         event=EventKind.ACCEPTED, form="NoteForm", label=_("Accept"), serializer="NoteSerializer",
         citizen_label=_("The centre accepted the dispute for mediation")),
    Step("not_accept", ("case.route",), frozenset({Status.REGISTERED}), to=(Status.NOT_ACCEPTED,),
         event=EventKind.NOT_ACCEPTED, form="NotAcceptForm", label=_("Do not accept"),
         serializer="NotAcceptSerializer", citizen_label=_("The centre did not accept the dispute")),
    Step("transfer_window", ("case.route",), ROUTABLE_STATUSES, event=EventKind.WINDOW_TRANSFERRED,
         form="TransferWindowForm", label=_("Hand to another window"), serializer="TransferWindowSerializer"),
    Step("assign", ("case.route",), frozenset({Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING}),
         to=(Status.ASSIGNED,), event=EventKind.ASSIGNED, form="AssignForm", label=_("Assign mediators"),
         serializer="AssignSerializer", citizen_label=_("A mediator was assigned")),
    Step("recuse", ("case.route",), frozenset({Status.ASSIGNED, Status.MEDIATING}), event=EventKind.RECUSED,
         form="RecuseForm", label=_("Recusal of a mediator"), serializer="RecuseSerializer"),
    Step("escalate", ("case.route",), ROUTABLE_STATUSES, event=EventKind.ESCALATED,
         condition=lambda case: case.tier != Tier.DISTRICT, refusal=_("The case is already at the district centre."),
         form="EscalateForm", label=_("Escalate to the tier above"), serializer="EscalateSerializer",
         citizen_label=_("The dispute was handed to a higher-level centre")),
    Step("delegate", ("case.route",), ROUTABLE_STATUSES, event=EventKind.DELEGATED,
         condition=lambda case: case.tier != Tier.VILLAGE, refusal=_("No centre below serves this area."),
         form="ReasonForm", label=_("Delegate to the tier below"), serializer="ReasonSerializer",
         citizen_label=_("The dispute was handed to a centre closer to you")),
    Step("merge_cases", ("case.route",), ROUTABLE_STATUSES, to=(Status.MERGED,), event=EventKind.MERGED,
         form="MergeForm", label=_("Merge into another case"), serializer="MergeSerializer", url="merge"),
    # mediation
    Step("start_mediation", MEDIATOR, frozenset({Status.ASSIGNED}), to=(Status.MEDIATING,),
         event=EventKind.MEDIATION_STARTED, form="EmptyForm", label=_("Start mediation"),
         serializer="VersionedSerializer", citizen_label=EventKind.MEDIATION_STARTED.label),
    Step("record_session", MEDIATOR, frozenset({Status.MEDIATING}), event=EventKind.SESSION_RECORDED,
         form="SessionForm", label=_("Record a mediation session"), serializer="SessionSerializer",
         citizen_label=_("A mediation session was held")),
    Step("extend", MEDIATOR, frozenset({Status.MEDIATING}), event=EventKind.EXTENDED, condition=may_extend,
         refusal=_("This procedure allows no further extension of mediation."),
         form="ExtendForm", label=_("Extend mediation"), serializer="ExtendSerializer",
         citizen_label=_("The mediation period was extended with the parties' consent")),
    Step("record_agreement", MEDIATOR, frozenset({Status.MEDIATING}), event=EventKind.AGREEMENT_DRAFTED,
         condition=_may_draft, refusal=_("Signing has started: the agreement can no longer be redrafted."),
         form="AgreementForm", label=_("Draft the mediation agreement"), serializer="AgreementSerializer",
         citizen_label=_("The mediation agreement was drafted for signing")),
    Step("record_oral_agreement", MEDIATOR, frozenset({Status.MEDIATING}), to=(Status.AGREED,),
         event=EventKind.AGREEMENT_RECORDED, condition=_may_draft,
         refusal=_("Signing has started: the agreement can no longer be redrafted."),
         form="OralAgreementForm", label=_("Record an oral agreement (art. 28)"),
         serializer="OralAgreementSerializer", citizen_label=_("The agreement took effect")),
    # signing: every party (on paper or online), then the mediator, then the committee's seal (art. 29)
    Step("record_paper_signature", MEDIATOR, frozenset({Status.MEDIATING}), event=EventKind.AGREEMENT_SIGNED,
         condition=_awaiting_parties, refusal=_("No party is waiting to sign a drafted agreement."),
         form="PaperSignatureForm", label=_("Record a party's signature on paper"),
         serializer="PaperSignatureSerializer", citizen_label=_("A signature was added to the agreement")),
    Step("record_online_signature", ("case.intake", "case.mediate", "case.supervise"), frozenset({Status.MEDIATING}),
         event=EventKind.AGREEMENT_SIGNED, condition=_awaiting_parties,
         refusal=_("No party is waiting to sign a drafted agreement.")),
    Step("sign_agreement", ("case.mediate",), frozenset({Status.MEDIATING}), event=EventKind.AGREEMENT_SIGNED,
         condition=_awaiting_mediator, refusal=_("Every party must sign before the mediator."),
         form="EmptyForm", label=_("Sign the agreement as mediator"), serializer="VersionedSerializer"),
    Step("seal_agreement", MEDIATOR, frozenset({Status.MEDIATING}), to=(Status.AGREED,),
         event=EventKind.AGREEMENT_RECORDED, condition=_awaiting_seal,
         refusal=_("The committee's seal follows the mediator's signature."),
         form="EmptyForm", label=_("Apply the committee's seal (the agreement takes effect)"),
         serializer="VersionedSerializer", citizen_label=_("The agreement took effect")),
    Step("terminate", MEDIATOR, frozenset({Status.MEDIATING}), to=(Status.TERMINATED,),
         event=EventKind.TERMINATED, form="TerminateForm", label=_("End mediation without agreement"),
         serializer="TerminateSerializer", citizen_label=EventKind.TERMINATED.label),
    # the agreement
    Step("apply_confirmation", ("case.mediate", "case.court"), frozenset({Status.AGREED}),
         to=(Status.CONFIRMATION_PENDING,), event=EventKind.CONFIRMATION_APPLIED, condition=_written_in_effect,
         refusal=_("An oral agreement is not submitted for judicial confirmation."), form="ApplyConfirmationForm",
         label=_("Judicial confirmation applied for"), serializer="ApplyConfirmationSerializer",
         citizen_label=_("Judicial confirmation was applied for")),
    Step("accept_confirmation", ("case.court",), frozenset({Status.CONFIRMATION_PENDING}),
         event=EventKind.CONFIRMATION_ACCEPTED, condition=lambda case: not case.agreement.confirmation_accepted_on,
         refusal=_("The court has already accepted the application."), form="NoteForm",
         label=_("The court accepts the application (rules within 15 days)"), serializer="NoteSerializer",
         citizen_label=_("The court accepted the application for judicial confirmation")),
    Step("extend_confirmation", ("case.court",), frozenset({Status.CONFIRMATION_PENDING}),
         event=EventKind.CONFIRMATION_EXTENDED, condition=lambda case: bool(
             case.agreement.confirmation_accepted_on) and not case.agreement.confirmation_extended,
         refusal=_("The court may extend once, after accepting the application."), form="ReasonForm",
         label=_("The court extends its ruling period by 10 days"), serializer="ReasonSerializer"),
    Step("record_confirmation", ("case.court",), frozenset({Status.CONFIRMATION_PENDING}),
         to=(Status.CONFIRMED, Status.CONFIRMATION_REJECTED), event=EventKind.CONFIRMATION_DECIDED,
         form="RecordConfirmationForm", label=_("Record the court's decision"),
         serializer="RecordConfirmationSerializer", citizen_label=_("The court decided on judicial confirmation")),
    Step("record_performance", ("case.mediate", "case.supervise"), AGREEMENT_STATUSES, to=(Status.PERFORMING,),
         event=EventKind.PERFORMANCE_RECORDED, form="PerformanceForm", label=_("Record performance"),
         serializer="PerformanceSerializer", citizen_label=_("Performance of the agreement was recorded")),
    # a party's own answer, relayed by whoever hears it (the centre's 解纷码 identity online, or staff)
    Step("record_refusal", ("case.intake", "case.route", "case.mediate", "case.supervise"), REFUSABLE_STATUSES,
         to=(Status.NOT_ACCEPTED, Status.TERMINATED), event=EventKind.MEDIATION_REFUSED, form="RefusalForm",
         label=_("A party refuses mediation"), serializer="RefusalSerializer",
         citizen_label=_("A party declined mediation, so it does not go on")),
    Step("record_party_acceptance", ("case.intake", "case.route", "case.mediate", "case.supervise"),
         REFUSABLE_STATUSES, event=EventKind.RESPONDENT_ACCEPTED,
         citizen_label=_("The respondent accepted mediation")),
    Step("record_party_rating", ("case.intake", "case.mediate", "case.supervise"), RATABLE_STATUSES,
         event=EventKind.PARTY_RATED, citizen_label=EventKind.PARTY_RATED.label),
    # the court's delegation goes back to the court when mediation failed or its period ended
    Step("return_to_court", ("case.refer", "case.supervise", "case.mediate"),
         frozenset({Status.MEDIATING, Status.TERMINATED}), to=(Status.REFERRED,), event=EventKind.RETURNED_TO_COURT,
         condition=_awaiting_return,
         refusal=_("Only a court-delegated case whose mediation failed or whose period ended goes back to the court."),
         form="ReasonForm", label=_("Return to the court with its materials"), serializer="ReasonSerializer",
         citizen_label=_("The dispute was returned to the court for filing")),
    # closing
    Step("refer", ("case.refer",), frozenset({Status.TERMINATED}), to=(Status.REFERRED,), event=EventKind.REFERRED,
         condition=_not_awaiting_return, refusal=_("A court-delegated case goes back to its court: return it."),
         form="ReferForm", label=_("Refer to litigation, arbitration or an administrative body"),
         serializer="ReferSerializer", citizen_label=_("The dispute was referred to another body")),
    Step("record_referral_result", ("case.refer", "case.court"),
         frozenset({Status.REFERRED, Status.FOLLOWED_UP, Status.ARCHIVED}), event=EventKind.REFERRAL_RESULT,
         condition=lambda case: case.referrals.exists(), refusal=_("The case has not been referred."),
         form="ReferralResultForm", label=_("Record the receiving body's case number"),
         serializer="ReferralResultSerializer"),
    Step("withdraw", ("case.intake", "case.mediate"),
         frozenset({Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING}), to=(Status.WITHDRAWN,),
         event=EventKind.WITHDRAWN, form="ReasonForm", label=_("Withdrawn by the applicant"),
         serializer="ReasonSerializer", citizen_label=_("The application was withdrawn")),
    Step("follow_up", ("case.mediate", "case.supervise"),
         frozenset({Status.PERFORMING, Status.TERMINATED, Status.REFERRED}), to=(Status.FOLLOWED_UP,),
         condition=_not_awaiting_return, refusal=_("A court-delegated case goes back to its court: return it."),
         event=EventKind.FOLLOWED_UP, form="FollowUpForm", label=_("Record a follow-up visit"),
         serializer="FollowUpSerializer", citizen_label=_("The centre followed up with the parties")),
    Step("archive", ("case.supervise",), frozenset({Status.FOLLOWED_UP}), to=(Status.ARCHIVED,),
         condition=lambda case: _archive_refusal(case) is None, refusal=_archive_refusal,
         event=EventKind.ARCHIVED, form="NoteForm", label=_("Archive"), serializer="NoteSerializer",
         citizen_label=_("The case was closed and archived")),
    Step("supervise", ("case.supervise",), OPEN_STATUSES, event=EventKind.SUPERVISED, condition=_overdue,
         refusal=_("Only an overdue case can be supervised."), form="RequiredNoteForm",
         label=_("Supervise (督办)"), serializer="SuperviseSerializer"),
    # files: any state, from the case page's own upload form and POST /api/v1/cases/{id}/attachments/
    Step("add_attachment", ("case.intake", "case.mediate"), ANY_STATUS, event=EventKind.ATTACHMENT_ADDED),
]
STEPS: dict[str, Step] = {step.name: step for step in STEPS_IN_ORDER}
# What the case page and the API's transition endpoints offer, in the page's order.
PAGE_STEPS = [step for step in STEPS_IN_ORDER if step.on_page]

# The lines of the timeline a party sees, in plain words: nothing about staff, routing notes or reasons
# meant for the file. Keyed by the timeline's EventKind.
CITIZEN_EVENTS = {step.event: step.citizen_label for step in STEPS_IN_ORDER if step.citizen_label is not None}


def get_step_into(status: str) -> Step:
    """The step that first leads to `status` in the table's order (the usual way a case gets there)."""
    return next(step for step in STEPS_IN_ORDER if status in step.to)


def _check_table() -> None:
    from yiwang.cases.models import TRANSITIONS

    assert len(STEPS) == len(STEPS_IN_ORDER), "a step is declared twice"
    for step in STEPS_IN_ORDER:
        for target in step.to:
            assert step.from_states == frozenset() or any(
                target in TRANSITIONS.get(source, ()) for source in step.from_states), (step.name, target)


_check_table()
