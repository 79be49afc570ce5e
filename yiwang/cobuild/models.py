"""Co-building (共驻共建): the three lists — demands of communities, resources of units and social
organisations, joint projects — and the claims that meet a demand with a resource.

A demand belongs to its community (a village-level area) and is scoped by it like a case. A unit or
social organisation acts through a grant limited to it (`Grant.organisation`): such a grant reaches the
open demands of its area, which it may claim, and the demands it has claimed, and nothing else.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.areas.models import Area, Organisation
from yiwang.core.scope import ScopedQuerySet


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
    contact_phone = models.CharField(_("contact telephone"), max_length=20)
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
    # The stored name is random: the uploader's file name can carry personal information.
    return f"cobuild/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class ReportPhoto(models.Model):
    """A photo of the work reported on a claim, served only through a scoped view."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="photos")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, editable=False, related_name="+")
    file = models.FileField(_("file"), upload_to=photo_path)
    content_type = models.CharField(_("type"), max_length=30)
    extension = models.CharField(max_length=8, editable=False)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["id"]

    def __str__(self):
        return f"{self.content_type} #{self.pk}"


class ProjectStage(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("cobuild", "Planned")
    RUNNING = "running", pgettext_lazy("cobuild", "Running")
    COMPLETED = "completed", pgettext_lazy("cobuild", "Completed")


class Project(models.Model):
    """A joint project (项目清单) that meets demands of an area with the resources of units, with its
    milestones and reports."""

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
    illustrative = models.BooleanField(_("illustrative"), default=False)

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
