"""Co-building (共驻共建): the three lists — demands of communities, resources of units and social
organisations, joint projects — and the claims that meet a demand with a resource.

A demand belongs to its community (a village-level area) and is scoped by it like a case. A unit or
social organisation acts through a grant limited to it (`Grant.organisation`): such a grant reaches the
open demands of its area, which it may claim, and the demands it has claimed, and nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.areas.models import Area, Organisation
from yiwang.core import uploads
from yiwang.core.crypto import EncryptedCharField
from yiwang.core.scope import ScopedQuerySet
from yiwang.core.storage import PrivateFileField


class Category(models.TextChoices):
    """What a community needs; a resource says which of these it can meet."""

    DIFFICULTY = "difficulty", pgettext_lazy("cobuild", "Help for people in difficulty")
    ELDERLY = "elderly", pgettext_lazy("cobuild", "Elderly care")
    VENUE = "venue", pgettext_lazy("cobuild", "Venue")
    TRAINING = "training", pgettext_lazy("cobuild", "Training")
    PRODUCE = "produce", pgettext_lazy("cobuild", "Sales of produce")
    LEGAL = "legal", pgettext_lazy("cobuild", "Legal services")
    OTHER = "other", pgettext_lazy("cobuild", "Other")


class DemandState(models.TextChoices):
    OPEN = "open", pgettext_lazy("cobuild", "Open")
    CLAIMED = "claimed", pgettext_lazy("cobuild", "Claimed, awaiting confirmation")
    IN_PROGRESS = "in_progress", pgettext_lazy("cobuild", "In progress")
    REPORTED = "reported", pgettext_lazy("cobuild", "Work reported")
    CLOSED = "closed", pgettext_lazy("cobuild", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("cobuild", "Withdrawn")


class DemandQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        # A unit's grant reaches the demands it may claim (open ones) and the ones it has claimed.
        return Q(state=DemandState.OPEN) | Q(pk__in=Claim.objects.filter(organisation_id=organisation_id)
                                             .values("demand_id"))

    def open(self):
        return self.filter(state=DemandState.OPEN)


class Demand(models.Model):
    """A need of a community or its residents (需求清单), posted by community staff or raised from a grid
    problem of the livelihood kind. `version` rises with every change (no silent overwrite)."""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=4000)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    area = models.ForeignKey(Area, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    size = models.PositiveIntegerField(_("size"), help_text=_("People, households or hours the need comes to."))
    needed_from = models.DateField(_("needed from"))
    needed_until = models.DateField(_("needed until"))
    contact_name = models.CharField(_("contact"), max_length=50)
    contact_phone = EncryptedCharField(_("contact telephone"), max_length=20)
    state = models.CharField(_("state"), max_length=12, choices=DemandState.choices, default=DemandState.OPEN)
    problem = models.OneToOneField(
        "grids.Problem", verbose_name=_("grid problem"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="cobuild_demand",
    )
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("posted by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    posted_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    escalated_at = models.DateTimeField(_("escalated to the street"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-posted_at", "-id"]
        indexes = [models.Index(fields=["area", "state"])]

    def __str__(self):
        return self.title

    @property
    def street_code(self) -> str:
        return self.area_id[:9]

    def current_claim(self) -> Claim | None:
        """The claim that is not declined or withdrawn, if any: a demand has at most one at a time."""
        return self.claims.exclude(state__in=ENDED_CLAIMS).select_related("organisation").first()


class ResourceKind(models.TextChoices):
    VOLUNTEERS = "volunteers", pgettext_lazy("cobuild", "Volunteers and their skills")
    VENUE = "venue", pgettext_lazy("cobuild", "Venue")
    FUNDS = "funds", pgettext_lazy("cobuild", "Funds")
    EQUIPMENT = "equipment", pgettext_lazy("cobuild", "Equipment")
    EXPERTISE = "expertise", pgettext_lazy("cobuild", "Expertise")
    PARTY_HOURS = "party_hours", pgettext_lazy("cobuild", "Party members' hours")


class ResourceQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        return Q(organisation_id=organisation_id)


class Resource(models.Model):
    """What a unit or social organisation offers (资源清单): its kind, the demand categories it can meet,
    its capacity (in the same units as a demand's size) and when it is available."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("offered by"), on_delete=models.PROTECT,
                                     related_name="cobuild_resources")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    categories = models.JSONField(_("meets"), default=list, help_text=_("Demand categories this resource meets."))
    capacity = models.PositiveIntegerField(_("capacity"))
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"))
    active = models.BooleanField(_("active"), default=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["organisation_id", "title"]

    def __str__(self):
        return f"{self.organisation} · {self.title}"

    def get_categories_display(self) -> str:
        labels = dict(Category.choices)
        return "、".join(str(labels.get(code, code)) for code in self.categories)


class ClaimState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("cobuild", "Awaiting the community's confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("cobuild", "Confirmed")
    REPORTED = "reported", pgettext_lazy("cobuild", "Work reported")
    CLOSED = "closed", pgettext_lazy("cobuild", "Closed")
    DECLINED = "declined", pgettext_lazy("cobuild", "Declined by the community")
    WITHDRAWN = "withdrawn", pgettext_lazy("cobuild", "Withdrawn")


# A claim in these states no longer holds its demand: another unit may claim it.
ENDED_CLAIMS = (ClaimState.DECLINED, ClaimState.WITHDRAWN)


class ClaimQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        return Q(organisation_id=organisation_id)


class Claim(models.Model):
    """A unit's or organisation's claim (认领) of a demand: confirmed by the community, the work reported
    with photos, then closed. Its area is the demand's, so it is scoped with it."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="claims")
    area = models.ForeignKey(Area, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+",
                             editable=False)
    organisation = models.ForeignKey(Organisation, verbose_name=_("claimed by"), on_delete=models.PROTECT,
                                     related_name="cobuild_claims")
    resource = models.ForeignKey(Resource, verbose_name=_("resource"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="claims")
    state = models.CharField(_("state"), max_length=10, choices=ClaimState.choices, default=ClaimState.PENDING)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("claimed by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    report = models.TextField(_("what was done"), blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            # One live claim per demand: two units pressing "claim" at once cannot both hold it.
            models.UniqueConstraint(fields=["demand"], condition=~Q(state__in=["declined", "withdrawn"]),
                                    name="cobuild_one_live_claim"),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.demand}"

    def save(self, *args, **kwargs):
        self.area_id = self.demand.area_id
        super().save(*args, **kwargs)


def photo_path(instance, filename: str) -> str:
    # The stored name is random (core.uploads): the uploader's file name can carry personal information.
    return uploads.stored_name("cobuild", instance.extension)


class ReportPhoto(models.Model):
    """A photo of the work reported on a claim, or the evidence of a project's milestone; served only
    through a scoped view."""

    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    milestone = models.ForeignKey("Milestone", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="photos")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, editable=False, related_name="+")
    file = PrivateFileField(_("file"), upload_to=photo_path)
    content_type = models.CharField(_("type"), max_length=30)
    extension = models.CharField(max_length=8, editable=False)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(claim__isnull=False) ^ Q(milestone__isnull=False),
                                              name="cobuild_photo_one_owner")]

    def __str__(self):
        return f"{self.content_type} #{self.pk}"


class ProjectStage(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("cobuild", "Planned")
    RUNNING = "running", pgettext_lazy("cobuild", "Running")
    COMPLETED = "completed", pgettext_lazy("cobuild", "Completed")
    EVALUATED = "evaluated", pgettext_lazy("cobuild", "Evaluated")


# Finished projects: what residents may rate on the community's page.
FINISHED_STAGES = (ProjectStage.COMPLETED, ProjectStage.EVALUATED)


class Project(models.Model):
    """A joint project (项目清单) that meets demands of an area with the resources of units, with its
    milestones and reports: planned by the co-building office, started and reported by its lead unit
    milestone by milestone, finished with a final report, then evaluated (graded A ≥ 85, B 60–84, C < 60)."""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(Organisation, verbose_name=_("lead unit"), on_delete=models.PROTECT,
                             related_name="cobuild_projects")
    demands = models.ManyToManyField(Demand, verbose_name=_("demands met"), blank=True, related_name="projects")
    resources = models.ManyToManyField(Resource, verbose_name=_("resources used"), blank=True,
                                       related_name="projects")
    stage = models.CharField(_("stage"), max_length=10, choices=ProjectStage.choices, default=ProjectStage.PLANNED)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    started_on = models.DateField(_("started"), null=True, blank=True)
    finished_on = models.DateField(_("finished"), null=True, blank=True)
    final_report = models.TextField(_("final report"), blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    evaluation_score = models.PositiveSmallIntegerField(_("evaluation score"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    """A step of a project with its due date and, once reached, the report of what was done."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="milestones")
    title = models.CharField(_("title"), max_length=100)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project_id", "due", "id"]

    def __str__(self):
        return self.title


# ------------------------------------------------------------------------------------------- pairing


class Membership(models.TextChoices):
    STREET_WORKING_COMMITTEE = "street", pgettext_lazy("cobuild", "Street working committee (大工委)")
    COMMUNITY_PARTY_COMMITTEE = "community", pgettext_lazy("cobuild", "Community Party committee (大党委)")
    PARTY_ALLIANCE = "alliance", pgettext_lazy("cobuild", "Party-building alliance")


class PairingQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        return Q(unit_id=organisation_id)


class Pairing(models.Model):
    """A district unit paired (结对共建) with a street's or community's Party organisation, under a signed
    agreement for a period, renewed year by year; what was done is kept as its records."""

    unit = models.ForeignKey(Organisation, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="cobuild_pairings")
    area = models.ForeignKey(Area, verbose_name=_("street or community"), on_delete=models.PROTECT, related_name="+")
    party_organisation = models.CharField(_("Party organisation"), max_length=100)
    membership = models.CharField(_("membership"), max_length=10, choices=Membership.choices)
    starts_on = models.DateField(_("agreement from"))
    ends_on = models.DateField(_("agreement until"))
    unit_contact = models.CharField(_("unit's contact"), max_length=50)
    area_contact = models.CharField(_("community's contact"), max_length=50)
    commitments = models.TextField(_("commitments"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["area_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "area"], name="cobuild_pairing_unique")]

    def __str__(self):
        return f"{self.unit} · {self.party_organisation}"

    def is_current(self, today) -> bool:
        return self.starts_on <= today <= self.ends_on


class PairingRecord(models.Model):
    """One thing a pairing did (a visit, a joint Party day, a service), with the hours it took."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="records")
    date = models.DateField(_("date"))
    text = models.TextField(_("what was done"))
    hours = models.PositiveIntegerField(_("hours"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("pairing record")
        verbose_name_plural = _("pairing records")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.pairing_id} {self.date}"


# ------------------------------------------------------------------------------------- social organisations


class SocialKind(models.TextChoices):
    """The kind a body registered with 民政 has, read from its credit code's second character."""

    ASSOCIATION = "association", pgettext_lazy("cobuild", "Social association (社会团体)")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", pgettext_lazy("cobuild", "Private non-enterprise unit (民办非企业单位)")
    FOUNDATION = "foundation", pgettext_lazy("cobuild", "Foundation (基金会)")
    OTHER = "other", pgettext_lazy("cobuild", "Other")


class SocialStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("cobuild", "Active")
    INCUBATING = "incubating", pgettext_lazy("cobuild", "Incubating")
    SUSPENDED = "suspended", pgettext_lazy("cobuild", "Suspended")
    DEREGISTERED = "deregistered", pgettext_lazy("cobuild", "Deregistered")


class SocialOrganisation(models.Model):
    """A social organisation on the district's registry: its 统一社会信用代码 (checked, GB 32100) and the
    kind derived from it, registration, field of work, Party organisation and incubation at the
    社会组织党群服务中心. It acts in the platform as its `organisation` (claims, resources)."""

    organisation = models.OneToOneField(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                        related_name="social_registration")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=SocialKind.choices, editable=False)
    registration_authority = models.CharField(_("registration authority"), max_length=100)
    registered_on = models.DateField(_("registered on"))
    field = models.CharField(_("field of work"), max_length=100)
    party_organisation = models.CharField(_("Party organisation"), max_length=100, blank=True)
    incubated = models.BooleanField(_("incubated at the Party and community service centre"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=SocialStatus.choices, default=SocialStatus.ACTIVE)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["area_id", "credit_code"]

    def __str__(self):
        return str(self.organisation)


class InspectionResult(models.TextChoices):
    PASSED = "passed", pgettext_lazy("cobuild", "Passed (合格)")
    BASICALLY = "basically", pgettext_lazy("cobuild", "Basically passed (基本合格)")
    FAILED = "failed", pgettext_lazy("cobuild", "Failed (不合格)")


class YearlyInspection(models.Model):
    """A social organisation's yearly inspection (年检) and its result."""

    social = models.ForeignKey(SocialOrganisation, verbose_name=_("social organisation"), on_delete=models.CASCADE,
                               related_name="inspections")
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)

    class Meta:
        verbose_name = _("yearly inspection")
        verbose_name_plural = _("yearly inspections")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["social", "year"], name="cobuild_inspection_unique")]

    def __str__(self):
        return f"{self.social_id} {self.year}"


# ---------------------------------------------------------------------------- 公益创投 (venture projects)


class CallState(models.TextChoices):
    OPEN = "open", pgettext_lazy("cobuild", "Open for applications")
    REVIEWING = "reviewing", pgettext_lazy("cobuild", "Under review")
    DECIDED = "decided", pgettext_lazy("cobuild", "Decided")


class VentureCall(models.Model):
    """A call for public-welfare venture projects (公益创投): its budget, the criteria the panel scores
    (`criteria`: a list of {"code", "name", "points"}, the points adding up to 100) and the panel."""

    title = models.CharField(_("title"), max_length=100)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    budget = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2)
    criteria = models.JSONField(_("criteria"), default=list)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("review panel"), blank=True,
                                       related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices, default=CallState.OPEN)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    illustrative = models.BooleanField(_("illustrative"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("venture call")
        verbose_name_plural = _("venture calls")
        ordering = ["-opens_on", "-id"]

    def __str__(self):
        return self.title


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("cobuild", "Submitted")
    FUNDED = "funded", pgettext_lazy("cobuild", "Funded")
    NOT_FUNDED = "not_funded", pgettext_lazy("cobuild", "Not funded")
    COMPLETED = "completed", pgettext_lazy("cobuild", "Completed")


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class ApplicationQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        return Q(applicant__organisation_id=organisation_id)


class VentureApplication(models.Model):
    """A social organisation's application to a call, and the project it becomes when funded: its
    tranches, mid-term evaluation and final grade (A ≥ 85, B 60–84, C < 60)."""

    call = models.ForeignKey(VentureCall, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+", editable=False)
    applicant = models.ForeignKey(SocialOrganisation, verbose_name=_("applicant"), on_delete=models.PROTECT,
                                  related_name="venture_applications")
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("summary"))
    amount = models.DecimalField(_("amount asked (yuan)"), max_digits=12, decimal_places=2)
    state = models.CharField(_("state"), max_length=10, choices=ApplicationState.choices,
                             default=ApplicationState.SUBMITTED)
    review_score = models.DecimalField(_("review score"), max_digits=5, decimal_places=2, null=True, blank=True)
    midterm_report = models.TextField(_("mid-term report"), blank=True)
    final_report = models.TextField(_("final report"), blank=True)
    midterm_passed = models.BooleanField(_("mid-term evaluation passed"), null=True, blank=True)
    midterm_note = models.TextField(_("mid-term evaluation"), blank=True)
    final_score = models.PositiveSmallIntegerField(_("final score"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("venture application")
        verbose_name_plural = _("venture applications")
        ordering = ["call_id", "-review_score", "id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.area_id = self.call.area_id
        super().save(*args, **kwargs)


class Review(models.Model):
    """One panel member's review of an application: a score per criterion, or a declared conflict of
    interest (then no scores, and the review is left out of the mean)."""

    application = models.ForeignKey(VentureApplication, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                                 related_name="+")
    scores = models.JSONField(_("scores"), default=dict)
    conflict = models.BooleanField(_("conflict of interest declared"), default=False)
    conflict_reason = models.TextField(_("conflict of interest"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application_id", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="cobuild_review_unique")]

    def __str__(self):
        return f"{self.application_id} · {self.reviewer_id}"

    @property
    def total(self) -> int:
        return sum(self.scores.values())


class Tranche(models.Model):
    """A tranche of a funded project's grant; the last is paid only after a passed mid-term evaluation."""

    application = models.ForeignKey(VentureApplication, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="tranches")
    number = models.PositiveSmallIntegerField(_("number"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["application_id", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="cobuild_tranche_unique")]

    def __str__(self):
        return f"{self.application_id} #{self.number}"


# ------------------------------------------------------------------------------- elders and 民主法治村


class CouncilKind(models.TextChoices):
    COUNCIL = "council", pgettext_lazy("cobuild", "Village elders' council (乡贤理事会)")
    ASSOCIATION = "association", pgettext_lazy("cobuild", "Village elders' association (乡贤联谊会)")


class ElderCouncil(models.Model):
    """A 乡贤理事会 or 联谊会 of a village or town. Its members who mediate sit on `team` (an areas.Team of
    the elders kind), so the mediation side finds them like any other team."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=CouncilKind.choices)
    area = models.ForeignKey(Area, verbose_name=_("village or town"), on_delete=models.PROTECT, related_name="+")
    team = models.OneToOneField("areas.Team", verbose_name=_("team"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="elder_council")
    illustrative = models.BooleanField(_("illustrative"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("elder council")
        verbose_name_plural = _("elder councils")
        ordering = ["area_id", "name"]

    def __str__(self):
        return self.name


class ElderMember(models.Model):
    """A member of an elder council: expertise and standing; `user` once they join the mediator pool."""

    council = models.ForeignKey(ElderCouncil, verbose_name=_("council"), on_delete=models.CASCADE,
                                related_name="members")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField(_("name"), max_length=50)
    expertise = models.CharField(_("expertise"), max_length=100, blank=True)
    standing = models.CharField(_("standing"), max_length=200, blank=True,
                                help_text=_("What they are known for: a retired teacher, a former village head …"))
    phone = EncryptedCharField(_("mobile number"), max_length=11, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="elder_membership")
    mediator_since = models.DateField(_("mediator since"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("elder")
        verbose_name_plural = _("elders")
        ordering = ["council_id", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.area_id = self.council.area_id
        super().save(*args, **kwargs)


class TitleLevel(models.TextChoices):
    NATIONAL = "national", pgettext_lazy("cobuild", "National")
    PROVINCIAL = "provincial", pgettext_lazy("cobuild", "Provincial")
    CITY = "city", pgettext_lazy("cobuild", "City")
    DISTRICT = "district", pgettext_lazy("cobuild", "District")


class DemocracyTitle(models.Model):
    """A 民主法治示范村（社区） title held by a village or community, with its level and year."""

    area = models.ForeignKey(Area, verbose_name=_("village or community"), on_delete=models.PROTECT,
                             related_name="democracy_titles")
    level = models.CharField(_("level"), max_length=10, choices=TitleLevel.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    illustrative = models.BooleanField(_("illustrative"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("democracy and rule-of-law model title")
        verbose_name_plural = _("democracy and rule-of-law model titles")
        ordering = ["area_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["area", "level"], name="cobuild_title_unique")]

    def __str__(self):
        return f"{self.area_id} {self.get_level_display()} {self.year}"


# ------------------------------------------------------------------------------- 好坏大家评 (ratings)


class Rating(models.Model):
    """A resident's rating (1–5) of a closed demand's work or a completed project, public on the
    community's page. One per phone number and item: the phone is proven by an SMS code and kept only
    as a keyed hash (and masked for display)."""

    area = models.ForeignKey(Area, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+")
    demand = models.ForeignKey(Demand, verbose_name=_("demand"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="ratings")
    project = models.ForeignKey(Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="ratings")
    phone_hash = models.CharField(max_length=64, editable=False)
    phone_masked = models.CharField(_("mobile number"), max_length=11)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    at = models.DateTimeField(_("rated"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["phone_hash", "demand"], name="cobuild_rating_demand_once"),
            models.UniqueConstraint(fields=["phone_hash", "project"], name="cobuild_rating_project_once"),
            models.CheckConstraint(condition=Q(demand__isnull=False) ^ Q(project__isnull=False),
                                   name="cobuild_rating_one_item"),
        ]

    def __str__(self):
        return f"{self.score} · {self.demand_id or self.project_id}"
