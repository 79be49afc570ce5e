"""Disputes (矛盾纠纷): one case from first contact to archive, whatever the channel, with its parties,
timeline, mediation sessions, agreement, referral, follow-up and attachments.

State changes live in actions.py; this module holds the records, the state machine's table and the
invariants one row can check by itself (`Case.check_invariants`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core import crypto, registry
from yiwang.core.crypto import BlindIndexField, EncryptedCharField
from yiwang.core.scope import ScopedQuerySet
from yiwang.core.storage import PrivateFileField


class Channel(models.TextChoices):
    WINDOW = "window", _("Window (walk-in)")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    GRID = "grid", _("Grid report")
    COURT_DELEGATION = "court_delegation", _("Court delegation")
    BANK = "bank", _("Bank")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline transfer")


class Tier(models.TextChoices):
    VILLAGE = "village", _("Village")
    TOWN = "town", _("Town")
    DISTRICT = "district", _("District")


TIER_ORDER = [Tier.VILLAGE, Tier.TOWN, Tier.DISTRICT]


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Assigned")
    MEDIATING = "mediating", _("Mediating")
    AGREED = "agreed", _("Agreement reached")
    CONFIRMATION_PENDING = "confirmation_pending", _("Judicial confirmation pending")
    CONFIRMED = "confirmed", _("Judicially confirmed")
    CONFIRMATION_REJECTED = "confirmation_rejected", _("Judicial confirmation rejected")
    PERFORMING = "performing", _("Being performed")
    TERMINATED = "terminated", _("Mediation terminated")
    REFERRED = "referred", _("Referred")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FOLLOWED_UP = "followed_up", _("Followed up")
    ARCHIVED = "archived", _("Archived")
    MERGED = "merged", _("Merged into another case")


# The state machine (DOMAIN.md): from → the states an action may move a case to.
TRANSITIONS: dict[str, set[str]] = {
    Status.REGISTERED: {Status.ACCEPTED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.MERGED},
    # A party may refuse mediation once the centre has taken the case on (art. 17): it ends there with the
    # routes told (art. 26). Refused before acceptance, the case is simply not accepted.
    Status.ACCEPTED: {Status.ASSIGNED, Status.WITHDRAWN, Status.MERGED, Status.TERMINATED},
    Status.ASSIGNED: {Status.MEDIATING, Status.WITHDRAWN, Status.MERGED, Status.TERMINATED},
    Status.MEDIATING: {Status.AGREED, Status.TERMINATED, Status.WITHDRAWN},
    Status.AGREED: {Status.CONFIRMATION_PENDING, Status.PERFORMING},
    Status.CONFIRMATION_PENDING: {Status.CONFIRMED, Status.CONFIRMATION_REJECTED},
    Status.CONFIRMED: {Status.PERFORMING},
    # A rejected confirmation leaves a contract between the parties: perform it or mediate again.
    Status.CONFIRMATION_REJECTED: {Status.PERFORMING, Status.MEDIATING},
    Status.PERFORMING: {Status.FOLLOWED_UP},
    # The parties were told their routes (art. 26): either a body takes it, or we follow up directly.
    Status.TERMINATED: {Status.REFERRED, Status.FOLLOWED_UP},
    Status.REFERRED: {Status.FOLLOWED_UP},
    Status.FOLLOWED_UP: {Status.ARCHIVED},
    Status.NOT_ACCEPTED: set(),
    Status.WITHDRAWN: set(),
    Status.ARCHIVED: set(),
    Status.MERGED: set(),
}
CLOSED_STATUSES = frozenset({Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.ARCHIVED, Status.MERGED})
OPEN_STATUSES = frozenset(s for s in Status.values if s not in CLOSED_STATUSES)
# The lengths of a county's and a town's code: the open queue has an index on each prefix.
SCOPE_PREFIX_LENGTHS = (6, 9)


def _open_queue_index(name: str, *leading) -> models.Index:
    """A queue's index: open cases only, in the order every open queue is read (deadline, id), after
    `leading` (what the queue is narrowed by), so a page is the first rows of one index range."""
    return models.Index(*leading, F("deadline"), F("id"), name=name, condition=Q(status__in=sorted(OPEN_STATUSES)))
# Before mediation has produced anything: the case may still move between tiers, windows and be merged.
ROUTABLE_STATUSES = frozenset({Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING})
# A case in these states rests on an agreement in effect (Case.agreement_errors).
AGREEMENT_PATH_STATUSES = frozenset({Status.AGREED, Status.CONFIRMATION_PENDING, Status.CONFIRMED,
                                     Status.CONFIRMATION_REJECTED, Status.PERFORMING})
# Types whose disputes must go to arbitration before a court will hear them (劳动仲裁前置).
ARBITRATION_FIRST_TYPES = {"labour"}


class Outcome(models.TextChoices):
    """Where a claim ended (诉求件件有着落). Set once the case leaves the mediation path."""

    AGREEMENT = "agreement", _("Mediation agreement")
    NOT_ACCEPTED = "not_accepted", _("Not accepted, redirected")
    TERMINATED = "terminated", _("Mediation failed, routes explained")
    REFERRED = "referred", _("Referred to another body")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    MERGED = "merged", _("Merged into another case")


class ReferralKind(models.TextChoices):
    LITIGATION = "litigation", _("Litigation")
    ARBITRATION = "arbitration", _("Arbitration")
    ADMINISTRATIVE = "administrative", _("Administrative body")


def organisation_case_q(organisation_id: int) -> Q:
    """An organisation's own cases, for grants limited to it (a bank's operator, a court's liaison):
    those it submitted (a bank's submission, a court's delegation: `submitted_by_organisation`), those it
    is a party to (a party with its unified social credit code), those referred to it, and those whose
    judicial confirmation was applied for at it, and what apps built on cases add
    (core.registry.organisation_cases)."""
    from yiwang.areas.models import Organisation

    codes = Organisation.objects.filter(pk=organisation_id).exclude(credit_code="").values("credit_code")
    q = (
        Q(submitted_by_organisation_id=organisation_id)
        | Q(pk__in=Party.objects.filter(kind=PartyKind.ORGANISATION, credit_code__in=codes).values("case_id"))
        | Q(pk__in=Referral.objects.filter(body_id=organisation_id).values("case_id"))
        | Q(pk__in=Agreement.objects.filter(confirmation_court_id=organisation_id).values("case_id"))
    )
    for more in registry.organisation_cases:  # e.g. a maritime agency's tasks (apps built on cases)
        q |= more.q(organisation_id)
    return q


class CaseQuerySet(ScopedQuerySet):
    """Cases scope by the area where the dispute arose and, for a grant limited to an organisation, by
    whether the case is that organisation's own (`organisation_case_q`)."""

    def organisation_q(self, organisation_id: int) -> Q:
        return organisation_case_q(organisation_id)

    def area_prefix_q(self, code: str) -> Q:
        # A county's or a town's subtree as an equality on its code's prefix: the expression the open
        # queue's indexes hold (Case.Meta.indexes), so that the queue reads one page of an index in
        # deadline order instead of sorting every open case of the subtree. Same rows as startswith.
        if len(code) in SCOPE_PREFIX_LENGTHS:
            return Q(Exact(Substr("area_id", 1, len(code)), code))
        return super().area_prefix_q(code)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def mine(self, user):
        """The user's own: the cases they own, or mediate (not recused)."""
        return self.filter(
            Q(owner=user)
            | Q(pk__in=Assignment.objects.filter(mediator=user, recused_at__isnull=True).values("case_id"))
        )

    def overdue(self, today=None):
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def search(self, q: str):
        """Free text: a case number, a party's name, a phone or ID number (exact).

        A name of three or more characters matches anywhere in a party's name (a trigram index on
        PostgreSQL keeps this fast at any size); one or two characters — a surname, or a surname and
        the first character of the given name — match the start of the name (a prefix index)."""
        q = (q or "").strip()
        if not q:
            return self
        name = Q(name__contains=q) if len(q) >= 3 else Q(name__startswith=q)
        # The matching cases' ids as one set (the parties' matches UNION the case number) drive the query:
        # `number = … OR id IN (…)` left PostgreSQL walking the whole received_at index, filtering every
        # row, while the trigram lookup alone takes a fraction of a millisecond. Phone and ID numbers are
        # encrypted: matched through their keyed hashes (indexed).
        matching_parties = Party.objects.filter(name | crypto.match("phone", q) | crypto.match("id_number", q)
                                                ).values("case_id")
        numbered = Case.objects.filter(number=q.upper()).values("id")
        return self.filter(pk__in=matching_parties.order_by().union(numbered.order_by()))


class Case(models.Model):
    """A dispute: one record whatever the channel, numbered for life (一事一编码), owned at every moment.

    `area` is where the dispute arose and decides who can see it; `centre` is the centre currently
    responsible (it changes when the case is escalated or delegated), `owner` the person. `version`
    grows with every action so that a stale page or API call is refused rather than overwriting.
    """

    number = models.CharField(_("case number"), max_length=30, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    dispute_type = models.ForeignKey(
        "areas.DisputeType", verbose_name=_("dispute type"), on_delete=models.PROTECT, related_name="cases"
    )
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="cases")
    centre = models.ForeignKey(
        "areas.Centre", verbose_name=_("responsible centre"), on_delete=models.PROTECT, related_name="cases"
    )
    registered_centre = models.ForeignKey(
        "areas.Centre", verbose_name=_("registering centre"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    window = models.ForeignKey(
        "areas.Window", verbose_name=_("window"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="cases",
    )
    team = models.ForeignKey(
        "areas.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mediators"), through="Assignment",
        through_fields=("case", "mediator"), related_name="mediated_cases", blank=True,
    )
    status = models.CharField(_("status"), max_length=25, choices=Status.choices, default=Status.REGISTERED)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)

    facts = models.TextField(_("facts"))
    claims = models.TextField(_("claims"))
    amount = models.DecimalField(_("amount involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    people_involved = models.PositiveIntegerField(_("people involved"), default=1)
    vessel_name = models.CharField(_("vessel name"), max_length=60, blank=True)
    vessel_number = models.CharField(_("vessel number"), max_length=40, blank=True)
    sea_area = models.CharField(_("sea area"), max_length=100, blank=True)

    received_at = models.DateTimeField(_("received at"), db_index=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    mediation_deadline = models.DateField(_("mediation deadline"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    lead_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader in charge (包案)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="led_cases",
    )
    visits = models.PositiveSmallIntegerField(_("in-person trips"), default=0)
    supervisions = models.PositiveSmallIntegerField(_("supervision notices"), default=0)
    last_supervised_at = models.DateTimeField(_("last supervised at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    not_accepted_redirect = models.CharField(_("where to go instead"), max_length=200, blank=True)
    routes_told = models.TextField(_("routes explained to the parties"), blank=True)
    possible_duplicate = models.ForeignKey(
        "self", verbose_name=_("possible duplicate of"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The bank that submitted the case or the court that delegated it (委派调解): set at intake from the
    # registering user's organisation-limited grant, or named by the centre registering on its behalf.
    submitted_by_organisation = models.ForeignKey(
        "areas.Organisation", verbose_name=_("submitting organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="submitted_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["area", "status"]),
            models.Index(fields=["centre", "status", "deadline"]),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["owner", "status"]),
            # The open queues (views.queue: ORDER BY deadline, id): the province's or a city's (a filter
            # on the first), a county's and a town's (area_prefix_q), a centre's and a window's.
            _open_queue_index("case_open_queue"),
            _open_queue_index("case_open_queue_county", Substr("area", 1, 6)),
            _open_queue_index("case_open_queue_town", Substr("area", 1, 9)),
            _open_queue_index("case_open_queue_centre", F("centre")),
            _open_queue_index("case_open_queue_window", F("window")),
            # Everything in a county's or a town's subtree, whatever the state (the API list and its
            # bounded count): an index range instead of a scan of the whole table.
            models.Index(Substr("area", 1, 6), F("status"), name="case_scope_county"),
            models.Index(Substr("area", 1, 9), F("status"), name="case_scope_town"),
            # The warnings' related cases (the same vessel): only cases at sea name one.
            models.Index(fields=["vessel_number"], name="case_vessel_number", condition=~Q(vessel_number="")),
            models.Index(fields=["vessel_name"], name="case_vessel_name", condition=~Q(vessel_name="")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], condition=~Q(idempotency_key=""),
                name="case_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="case_satisfaction_1_5",
            ),
            # 诉求件件有着落, held by the database too: an open case has an owner and a deadline, a closed
            # one an outcome, whatever code writes the row.
            models.CheckConstraint(
                condition=Q(status__in=sorted(CLOSED_STATUSES)) | Q(owner__isnull=False, deadline__isnull=False),
                name="case_open_has_owner_and_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(CLOSED_STATUSES)) | ~Q(outcome=""),
                name="case_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def needed_more_than_one_trip(self) -> bool:
        """最多跑一地: the citizen had to come in person more than once for this case."""
        return self.visits > 1

    @property
    def arbitration_first(self) -> bool:
        """A labour dispute goes to labour arbitration before any court (劳动仲裁前置, 劳动争议调解仲裁法
        art. 5): mediation that fails leads there, not to a lawsuit."""
        return self.dispute_type.code in ARBITRATION_FIRST_TYPES

    @property
    def arbitration_first_applies(self) -> bool:
        """Worth saying on the case page: a labour dispute still open and not settled by an agreement."""
        return self.arbitration_first and self.is_open and self.outcome != Outcome.AGREEMENT

    def is_overdue(self, today=None) -> bool:
        """Open and past its deadline (as CaseQuerySet.overdue())."""
        return self.is_open and self.deadline is not None and self.deadline < (today or timezone.localdate())

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, set())

    def invariant_errors(self) -> list[str]:
        """What is wrong with this row by itself (empty when all is well). Checked by every action
        before it saves, and by the tests after every step."""
        errors = []
        if self.status not in Status.values:
            errors.append(f"unknown status {self.status!r}")
        if self.is_open:
            if not self.owner_id:
                errors.append("open case without an owner")
            if not self.deadline:
                errors.append("open case without a deadline")
            if not self.centre_id:
                errors.append("open case without a responsible centre")
        elif not self.outcome:
            errors.append("closed case without an outcome")
        if self.status == Status.MERGED and not self.merged_into_id:
            errors.append("merged case without the case it was merged into")
        return errors

    def agreement_errors(self) -> list[str]:
        """invariant_errors' companion across rows: a case past mediation on an agreement (agreed,
        confirmation, performance, or followed up and archived with that outcome) has one in effect, and
        that agreement is whole (Agreement.invariant_errors). Checked by the tests after every step."""
        on_agreement = self.status in AGREEMENT_PATH_STATUSES or (
            self.status in (Status.FOLLOWED_UP, Status.ARCHIVED) and self.outcome == Outcome.AGREEMENT)
        agreement = Agreement.objects.filter(case=self).first()
        if agreement is None:
            return ["case on an agreement without one"] if on_agreement else []
        if on_agreement and not agreement.is_effective:
            return ["case past mediation on an agreement that has not taken effect"]
        if not on_agreement and agreement.is_effective and self.status == Status.MEDIATING and (
                agreement.confirmation_accepted is not False):
            return ["agreement in effect while the case is still in mediation"]
        return agreement.invariant_errors()


class Assignment(models.Model):
    """A mediator on a case. Recusal (回避) keeps the row, with the reason, so the history shows it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    recused_at = models.DateTimeField(_("recused at"), null=True, blank=True)
    recusal_reason = models.CharField(_("recusal reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mediator assignment")
        verbose_name_plural = _("mediator assignments")
        constraints = [models.UniqueConstraint(fields=["case", "mediator"], name="assignment_unique")]

    def __str__(self):
        return f"{self.case} · {self.mediator}"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Party(models.Model):
    """A party to a case: a person (name, ID number, mobile, address) or an organisation (name, unified
    social credit code). ID and phone are personal information: mask them wherever not needed."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    id_number = EncryptedCharField(_("ID number"), max_length=18, blank=True)
    phone = EncryptedCharField(_("mobile number"), max_length=11, blank=True)
    # Encrypted at rest; searched and matched by the keyed hash of the normalised value (core.crypto.match).
    id_number_hash = BlindIndexField(source="id_number")
    phone_hash = BlindIndexField(source="phone")
    address = models.CharField(_("address"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    representative = models.CharField(_("legal representative"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case_id", "role", "id"]

    def __str__(self):
        return self.name

    def snapshot(self) -> dict:
        """The party's details as they stood, kept in an agreement (art. 29: the parties' basic information)."""
        return {
            "role": self.role, "kind": self.kind, "name": self.name, "id_number": self.id_number,
            "phone": self.phone, "address": self.address, "credit_code": self.credit_code,
            "representative": self.representative,
        }


class CaseScopedQuerySet(ScopedQuerySet):
    """Records that belong to a case see what the case's area allows (and, for a grant limited to an
    organisation, only on that organisation's own cases)."""

    area_field = "case__area__code"

    def organisation_q(self, organisation_id: int) -> Q:
        path = self.area_field.removesuffix("__area__code")
        return Q(**{f"{path}__in": Case.objects.filter(organisation_case_q(organisation_id)).values("pk")})


class EventKind(models.TextChoices):
    """Every kind of line a case's timeline holds, with the label staff read on the case page. Only the
    cases actions write them (cases.actions._event); a party reads its own plainer line for each step
    they hear of (the lifecycle table's citizen_label: cases.lifecycle.CITIZEN_EVENTS)."""

    REGISTERED = "registered", _("Registered")
    VISIT = "visit", _("In-person trip")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WINDOW_TRANSFERRED = "window_transferred", _("Handed to another window")
    ASSIGNED = "assigned", _("Mediators assigned")
    RECUSED = "recused", _("Mediator recused")
    ESCALATED = "escalated", _("Escalated")
    DELEGATED = "delegated", _("Delegated")
    MERGED = "merged", _("Merged into another case")
    MERGED_IN = "merged_in", _("Another case merged in")
    MEDIATION_STARTED = "mediation_started", _("Mediation started")
    SESSION_RECORDED = "session_recorded", _("Mediation session recorded")
    EXTENDED = "extended", _("Mediation extended")
    AGREEMENT_DRAFTED = "agreement_drafted", _("Agreement drafted")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    # The agreement took effect: signed by everyone and sealed, or an oral agreement recorded (art. 28–29).
    AGREEMENT_RECORDED = "agreement_recorded", _("Agreement in effect")
    CONFIRMATION_APPLIED = "confirmation_applied", _("Judicial confirmation applied for")
    CONFIRMATION_ACCEPTED = "confirmation_accepted", _("Court accepted the application for confirmation")
    CONFIRMATION_EXTENDED = "confirmation_extended", _("Court extended its ruling period")
    CONFIRMATION_DECIDED = "confirmation_decided", _("Court decided on confirmation")
    PERFORMANCE_RECORDED = "performance_recorded", _("Performance recorded")
    TERMINATED = "terminated", _("Mediation ended without agreement")
    MEDIATION_REFUSED = "mediation_refused", _("A party refused mediation")
    REFERRED = "referred", _("Referred")
    REFERRAL_RESULT = "referral_result", _("Receiving body's case number recorded")
    COURT_NUMBER_CORRECTED = "court_number_corrected", _("Case number corrected")
    DELEGATION_REGISTERED = "delegation_registered", _("Court delegation registered")
    RETURNED_TO_COURT = "returned_to_court", _("Returned to the court with its materials")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FOLLOWED_UP = "followed_up", _("Followed up")
    ARCHIVED = "archived", _("Archived")
    SUPERVISED = "supervised", _("Supervised (督办)")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    # A party's own steps through their private link (the citizen side calls the cases actions).
    RESPONDENT_ACCEPTED = "respondent_accepted", _("The respondent accepted mediation online")
    PARTY_RATED = "party_rated", _("A party rated the service")


@dataclass(frozen=True)
class PartyStep:
    """The `detail` of an event about one party (MEDIATION_REFUSED, RESPONDENT_ACCEPTED, PARTY_RATED):
    written by `as_detail()` and read back by `CaseEvent.party_step`, the one place the keys are named."""

    party_id: int
    party_role: str
    channel: str = ""  # "online" when the party acted through their link
    routes_told: str = ""  # MEDIATION_REFUSED: the routes the parties were told (art. 26)
    satisfaction: int | None = None  # PARTY_RATED: 1–5

    def as_detail(self) -> dict:
        detail = {"party": self.party_id, "party_role": self.party_role}
        if self.channel:
            detail["channel"] = self.channel
        if self.routes_told:
            detail["routes_told"] = self.routes_told
        if self.satisfaction is not None:
            detail["satisfaction"] = self.satisfaction
        return detail


PARTY_STEP_KINDS = frozenset({EventKind.MEDIATION_REFUSED, EventKind.RESPONDENT_ACCEPTED, EventKind.PARTY_RATED})


class CaseEvent(models.Model):
    """One line of the case's timeline: who did what, when, why, and the state before and after."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=40, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=100, blank=True)
    from_status = models.CharField(_("from"), max_length=25, blank=True)
    to_status = models.CharField(_("to"), max_length=25, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self):
        return f"{self.case_id} {self.kind}"

    @property
    def permission(self) -> str:
        """The action code the actor acted under (every event written by an action records it)."""
        return self.detail.get("permission", "")

    @property
    def party_step(self) -> PartyStep | None:
        """Who the event is about, for the kinds about one party (PARTY_STEP_KINDS); None otherwise."""
        if self.kind not in PARTY_STEP_KINDS or "party" not in self.detail:
            return None
        d = self.detail
        return PartyStep(party_id=d["party"], party_role=d.get("party_role", ""), channel=d.get("channel", ""),
                         routes_told=d.get("routes_told", ""), satisfaction=d.get("satisfaction"))


class MediationSession(models.Model):
    """A mediation session and its record (调解笔录)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    participants = models.TextField(_("participants"), blank=True)
    record = models.TextField(_("record"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_at", "id"]

    def __str__(self):
        return f"{self.case} · {self.held_at:%Y-%m-%d}"


class Referral(models.Model):
    """A failed mediation handed to litigation, arbitration or an administrative body; the receiving
    body's own case number is recorded when it comes back."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("kind"), max_length=15, choices=ReferralKind.choices)
    body = models.ForeignKey(
        "areas.Organisation", verbose_name=_("receiving body"), on_delete=models.PROTECT, related_name="referrals"
    )
    referred_at = models.DateTimeField(_("referred at"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referred by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    external_number = models.CharField(_("receiving body's case number"), max_length=60, blank=True)
    result_recorded_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)
    result_note = models.TextField(_("result"), blank=True)
    # Why no number came back (the body declined, the parties settled): the case may then be archived.
    no_number_reason = models.TextField(_("why no case number came back"), blank=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["referred_at", "id"]

    def __str__(self):
        return f"{self.case} → {self.body}"


class FollowUp(models.Model):
    """A follow-up visit (回访) after the case has been settled or referred, with a satisfaction score."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Home visit")
        ONLINE = "online", _("Online")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="follow_ups")
    at = models.DateTimeField(_("at"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.PHONE)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="followup_satisfaction_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.satisfaction}"


def attachment_path(instance, filename: str) -> str:
    return f"cases/{instance.case_id}/{filename}"


class Attachment(models.Model):
    """A file on a case (evidence, ID copies, signed agreements). Stored under MEDIA_ROOT, which is not
    served by the web server: files are read through a view that checks scope."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments")
    file = PrivateFileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class CaseCounter(models.Model):
    """The last sequence number used by a centre in a year. The row is locked while a number is taken,
    so numbers are gap-free and distinct under concurrent intake."""

    centre = models.ForeignKey("areas.Centre", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="casecounter_unique")]

    def __str__(self):
        return f"{self.centre_id}/{self.year}: {self.last}"


# The agreement and its signatures live in their own module (this one would pass 800 lines); imported
# last because they build on the models above.
from yiwang.cases.models.agreements import (  # noqa: E402, F401
    Agreement,
    AgreementSignature,
    AgreementSignatureQuerySet,
    SignatureMethod,
    SignerRole,
)
from yiwang.cases.models.court import Delegation  # noqa: E402, F401
