"""Financial disputes with the district's banks: the banks and their branches, their machine API keys,
the bulk submissions (batches) and, for each case a bank submitted, its 要素式 elements.

Bank          a financial institution working with the centre: one Organisation (kind bank) for the
              institution in the district, with its kind (state bank, rural commercial bank, …) and its
              own rate cap; its branches (网点) are organisations too (BankBranch).
ApiKey        a key the bank's core system sends (Authorization: Bank-Key …); stored hashed; acts as the
              bank's service account, so it reaches exactly the bank's own cases.
Batch         one file or JSON batch a bank submitted, processed as a core job (`finance.batch`).
BatchRow      one row of a batch and what became of it: accepted (its case), rejected (why, per cell),
              duplicate (of which earlier submission).
BankCase      the bank's elements of one case (reference, contract, amounts, dates, rate, guarantee).
              (bank, reference) is unique: the database itself refuses a second case for one reference.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import EncryptedJSONField
from yiwang.core.storage import PrivateFileField


class InstitutionKind(models.TextChoices):
    STATE = "state", _("Large state-owned bank")
    JOINT_STOCK = "joint_stock", _("Joint-stock commercial bank")
    POSTAL = "postal", _("Postal savings bank")
    RURAL = "rural", _("Rural commercial bank")
    CITY = "city", _("City commercial bank")
    CONSUMER_FINANCE = "consumer_finance", _("Consumer finance company")


def organisation_ids_of(user, action: str = "case.intake") -> set[int]:
    """The organisations `user` acts for under grants carrying `action` limited to one."""
    from yiwang.core.scope import get_grants

    return {g.organisation_id for g in get_grants(user) if g.organisation_id and action in g.role.actions}


def is_centre_user(user, action: str) -> bool:
    """Whether `user` holds `action` under a grant not limited to an organisation (the centre's side)."""
    from yiwang.core.scope import get_grants

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(action in g.role.actions and not g.organisation_id for g in get_grants(user))


class BankQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A bank's operator sees their own bank; the centre's routing staff (case.route, not limited to an
        organisation) every bank in their area; anyone else none (a batch holds borrowers' full ID and
        mobile numbers: a leader reading statistics has no need of them)."""
        from yiwang.core.scope import get_grants

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        own = {g.organisation_id for g in get_grants(user) if g.organisation_id}
        prefixes = [g.area_id for g in get_grants(user) if not g.organisation_id and "case.route" in g.role.actions]
        q = Q(organisation_id__in=own)
        for prefix in prefixes:
            q |= Q(organisation__area__code__startswith=prefix)
        return self.filter(q)


    def figures_visible_to(self, user):
        """Whose figures (counts and sums, no personal data) `user` reads: the banks they see, and the
        banks in an area where they read statistics (stats.view not limited to an organisation: a leader)."""
        from yiwang.core.scope import get_grants

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        q = Q(pk__in=self.visible_to(user).values("pk"))
        for grant in get_grants(user):
            if not grant.organisation_id and "stats.view" in grant.role.actions:
                q |= Q(organisation__area__code__startswith=grant.area_id)
        return self.filter(q)


class Bank(models.Model):
    """A financial institution in the district that submits disputes to the centre (the demo's are real
    names of kinds of institution present in 普陀区; branches and codes marked illustrative)."""

    organisation = models.OneToOneField("areas.Organisation", verbose_name=_("organisation"),
                                        on_delete=models.PROTECT, related_name="bank")
    kind = models.CharField(_("kind of institution"), max_length=20, choices=InstitutionKind.choices)
    short_name = models.CharField(_("short name"), max_length=30)
    # A rate above it is accepted but flagged (the judicial cap on private lending rates is the usual one).
    rate_cap = models.DecimalField(_("annual rate cap (%)"), max_digits=6, decimal_places=2, null=True, blank=True,
                                   help_text=_("Empty: the district's FINANCE_RATE_CAP."))

    objects = BankQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank")
        verbose_name_plural = _("banks")
        ordering = ["organisation__name"]

    def __str__(self):
        return self.organisation.name

    @property
    def effective_rate_cap(self):
        from decimal import Decimal

        return self.rate_cap if self.rate_cap is not None else Decimal(str(settings.FINANCE_RATE_CAP))


class BankBranch(models.Model):
    """A branch (网点) of a bank in the district: an organisation of its own, attached to the bank."""

    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="branches")
    organisation = models.OneToOneField("areas.Organisation", verbose_name=_("organisation"),
                                        on_delete=models.PROTECT, related_name="bank_branch")

    class Meta:
        verbose_name = _("bank branch")
        verbose_name_plural = _("bank branches")
        ordering = ["bank_id", "organisation__name"]

    def __str__(self):
        return self.organisation.name


def hash_key(raw: str) -> str:
    """Keys are 256 random bits: a plain SHA-256 is as good as a slow hash here, and lookups stay cheap."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    """A machine key of one bank's core system. Only its hash is stored; the key itself is shown once,
    when created or rotated. A revoked key answers 401; every use is audited."""

    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    hashed = models.CharField(max_length=64, unique=True, editable=False)
    # The bank's service account: what the key acts as (a bank_operator grant limited to the bank).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    replaces = models.ForeignKey("self", verbose_name=_("rotated from"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["bank_id", "-created_at"]

    def __str__(self):
        return f"{self.bank} · {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A bank's batches: its operators' and its keys'; the centre's staff see the batches of the
        banks they see. Another bank's batch is not there (404)."""
        return self.filter(bank__in=Bank.objects.visible_to(user))


class Batch(models.Model):
    """One bulk submission by a bank: a file (.xlsx, .csv) or a JSON list of rows, processed in the
    background as a core job; its counts grow as it runs."""

    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="batches")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    name = models.CharField(_("file name"), max_length=200, blank=True)
    source = PrivateFileField(_("submitted file"), upload_to="finance/batches/%Y/%m/", max_length=255)
    job = models.ForeignKey("core.Job", verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    flagged = models.PositiveIntegerField(_("flagged"), default=0)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="finance_batch_idempotency_key"),
        ]

    def __str__(self):
        return f"{self.bank.short_name} #{self.pk}"

    @property
    def percent(self) -> int:
        return 100 if self.status == BatchStatus.DONE else (round(100 * self.done / self.total) if self.total else 0)


class RowOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


class BatchRow(models.Model):
    """One row of a batch as the bank sent it (`values`, keyed by the Chinese headers) and its outcome:
    the case it became, the message per cell that rejected it, or the earlier submission it repeats."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("row"))
    reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=RowOutcome.choices)
    errors = models.JSONField(_("errors"), default=list, blank=True)  # [{"column": …, "message": …}]
    flags = models.JSONField(_("flags"), default=list, blank=True)
    values = EncryptedJSONField(_("values"), default=dict)  # borrowers' ID and mobile numbers among them
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("batch row")
        verbose_name_plural = _("batch rows")
        ordering = ["batch_id", "line"]
        indexes = [models.Index(fields=["batch", "outcome", "line"])]

    def __str__(self):
        return f"{self.batch_id}:{self.line}"


class DisputeKind(models.TextChoices):
    CREDIT_CARD = "credit_card", "信用卡纠纷"
    LOAN = "loan", "金融借款合同纠纷"


class Guarantee(models.TextChoices):
    NONE = "none", "无"
    SURETY = "surety", "保证"
    MORTGAGE = "mortgage", "抵押"
    PLEDGE = "pledge", "质押"


class BankCaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cases of the banks `user` sees (the pages read cases through Case.objects.visible_to)."""
        return self.filter(bank__in=Bank.objects.visible_to(user))


class BankCase(models.Model):
    """The bank's 要素式 elements of one case it submitted (the SPC's element-style complaint for credit
    card and financial loan disputes). (bank, reference) is unique."""

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="bank_case")
    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="cases")
    batch = models.ForeignKey(Batch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="cases")
    reference = models.CharField(_("bank reference"), max_length=60)
    kind = models.CharField(_("kind of dispute"), max_length=12, choices=DisputeKind.choices)
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    principal = models.DecimalField(_("principal lent"), max_digits=14, decimal_places=2, null=True, blank=True)
    outstanding_principal = models.DecimalField(_("principal owed"), max_digits=14, decimal_places=2)
    interest = models.DecimalField(_("interest owed"), max_digits=14, decimal_places=2, default=0)
    penalty = models.DecimalField(_("penalties and other charges"), max_digits=14, decimal_places=2, default=0)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    annual_rate = models.DecimalField(_("annual rate (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    guarantee = models.CharField(_("guarantee"), max_length=10, choices=Guarantee.choices, default=Guarantee.NONE)
    rate_flagged = models.BooleanField(_("rate above the cap"), default=False)

    objects = BankCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank case")
        verbose_name_plural = _("bank cases")
        constraints = [models.UniqueConstraint(fields=["bank", "reference"], name="finance_bankcase_reference")]

    def __str__(self):
        return f"{self.bank.short_name} {self.reference}"

    @property
    def amount_owed(self):
        return self.outstanding_principal + self.interest + self.penalty


class Desk(models.Model):
    """Where the banks' cases go, as data: the centre's financial disputes window and the financial
    mediation committee's team (金融纠纷人民调解委员会 / 银保调解工作室). One row per district."""

    area = models.OneToOneField("areas.Area", verbose_name=_("district"), on_delete=models.PROTECT,
                                related_name="+")
    window = models.ForeignKey("areas.Window", verbose_name=_("financial disputes window"), on_delete=models.PROTECT,
                               related_name="+")
    team = models.ForeignKey("areas.Team", verbose_name=_("financial mediation team"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey("areas.Organisation", verbose_name=_("financial mediation committee"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("financial disputes desk")
        verbose_name_plural = _("financial disputes desks")

    def __str__(self):
        return str(self.window)


# ----------------------------------------------------------------------------------------------- the flow


class DeskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The centre's side only (case.route not limited to an organisation), for the banks it sees: a
        bank's operator does not see how the committee shares its work out."""
        if not is_centre_user(user, "case.route"):
            return self.none()
        return self.filter(bank__in=Bank.objects.visible_to(user))


class Allocation(models.Model):
    """One bulk assignment (流转) by the financial mediation committee: cases of one batch (optionally an
    amount band, at most `limit`) shared out among the chosen mediators by their load, run as the core
    job `finance.allocate`. Each case is assigned through the cases app's own actions (accepted first if
    it is still registered); a refusal is kept per case (AllocationItem) and the others go on."""

    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(Batch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="allocations")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT,
                                   related_name="+")
    started_at = models.DateTimeField(_("started at"))
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    job = models.ForeignKey("core.Job", verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(_("cases"), default=0)
    done = models.PositiveIntegerField(_("cases done"), default=0)
    assigned = models.PositiveIntegerField(_("assigned"), default=0)
    failed = models.PositiveIntegerField(_("refused"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = DeskQuerySet.as_manager()

    class Meta:
        verbose_name = _("bulk assignment")
        verbose_name_plural = _("bulk assignments")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.bank.short_name} #{self.pk}"

    @property
    def percent(self) -> int:
        return 100 if self.status == BatchStatus.DONE else (round(100 * self.done / self.total) if self.total else 0)


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class AllocationItem(models.Model):
    """One case of a bulk assignment: the mediator it was planned for, and what became of it."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("mediator"), on_delete=models.PROTECT,
                                 related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=ItemOutcome.choices, default=ItemOutcome.PENDING)
    message = models.TextField(_("why"), blank=True)

    class Meta:
        verbose_name = _("bulk assignment item")
        verbose_name_plural = _("bulk assignment items")
        ordering = ["allocation_id", "id"]

    def __str__(self):
        return f"{self.allocation_id}:{self.case_id}"


class AnswerKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposes a repayment plan")
    DISPUTE = "dispute", _("Disputes the debt")


class BorrowerAnswer(models.Model):
    """What a borrower answered on their private link (the online app's party access) beyond accepting
    or declining mediation: a repayment proposal (so many monthly instalments of so much, from a date) or
    a dispute of the debt, with their words. The mediator reads it on the case page."""

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="borrower_answers")
    party = models.ForeignKey("cases.Party", verbose_name=_("party"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("answer"), max_length=10, choices=AnswerKind.choices)
    instalments = models.PositiveSmallIntegerField(_("instalments"), null=True, blank=True)
    amount = models.DecimalField(_("amount per instalment"), max_digits=14, decimal_places=2, null=True, blank=True)
    first_due_on = models.DateField(_("first payment on"), null=True, blank=True)
    note = models.TextField(_("in their words"), blank=True)
    at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("borrower's answer")
        verbose_name_plural = _("borrowers' answers")
        ordering = ["case_id", "-at", "-id"]

    def __str__(self):
        return f"{self.case_id}:{self.kind}"

    @property
    def total(self):
        return (self.amount or 0) * (self.instalments or 0)


class RepaymentPlan(models.Model):
    """The instalments of an agreement reached on a bank's case (amount and due date each). Payments are
    recorded by the bank or the mediator and fill the instalments in order; the case's performance
    (cases' record_performance) follows: performing from the first payment, performed in full with the
    last."""

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="repayment_plan")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("set at"))
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    paid = models.DecimalField(_("paid"), max_digits=14, decimal_places=2, default=0)
    completed_on = models.DateField(_("paid in full on"), null=True, blank=True)

    class Meta:
        verbose_name = _("repayment plan")
        verbose_name_plural = _("repayment plans")

    def __str__(self):
        return f"{self.case_id}: {self.paid}/{self.total}"

    @property
    def outstanding(self):
        return self.total - self.paid


class Instalment(models.Model):
    """One instalment of a repayment plan; overdue when its due date has passed and it is not paid."""

    plan = models.ForeignKey(RepaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("instalment"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    due_on = models.DateField(_("due on"))
    paid = models.DecimalField(_("paid"), max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField(_("paid in full on"), null=True, blank=True)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="finance_instalment_number")]

    def __str__(self):
        return f"{self.plan_id}#{self.number}"

    def is_overdue(self, today) -> bool:
        return self.paid < self.amount and self.due_on < today


class Payment(models.Model):
    """A payment the bank or the mediator recorded against a plan. `reference` (the bank's own, e.g. its
    transaction number) makes a repeated report create nothing."""

    plan = models.ForeignKey(RepaymentPlan, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["plan_id", "paid_on", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "reference"], condition=~Q(reference=""),
                                               name="finance_payment_reference")]

    def __str__(self):
        return f"{self.plan_id}:{self.amount}"


class CourtNumberUpload(models.Model):
    """A CSV of court case numbers (案号) the court's liaison uploaded for cases referred to litigation,
    with the outcome of every row (`report`: [{line, case, number, ok, message}])."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    name = models.CharField(_("file name"), max_length=200, blank=True)
    recorded = models.PositiveIntegerField(_("recorded"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    report = models.JSONField(_("report"), default=list, blank=True)

    class Meta:
        verbose_name = _("court number upload")
        verbose_name_plural = _("court number uploads")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.uploaded_at:%Y-%m-%d %H:%M} {self.name}"
