"""Grids below villages, the teams that visit them every week, their visits, and the problems they find.

A grid (网格) is configured below a village area; its scope is its village. A grid team is an
`areas.Team` of kind "grid" (联村驻社团队) assigned to one or more grids, with members who are often not
users of the system (a police officer, someone from the judicial office, Party members), so members are
kept here as names with an optional user. A problem belongs to its grid's village, or to the district
while it waits in the triage queue because nobody could tell which grid it lies in.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.areas.models import Area, Organisation, Team
from yiwang.core import uploads
from yiwang.core.crypto import EncryptedCharField
from yiwang.core.scope import ScopedQuerySet
from yiwang.core.storage import PrivateFileField


class NotAnOrganisationsQuerySet(ScopedQuerySet):
    """Visits, visit tasks and team rosters are the grid teams' own: a grant limited to an organisation
    (a unit's account) reaches none of them."""

    def organisation_q(self, organisation_id: int) -> models.Q:
        return models.Q(pk__in=[])


class PhotoQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> models.Q:
        """A unit's account sees the photos of the problems dispatched to it."""
        return models.Q(problem__assigned_organisation_id=organisation_id)


class Grid(models.Model):
    """A grid (网格) inside a village: the patch one team visits. Its code is the village code plus
    "G" and a two-digit number, e.g. 330903100201G01, so a grid code sorts and prefixes like an area."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(
        Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="grids",
        limit_choices_to={"level": "village"},
    )
    teams = models.ManyToManyField(
        Team, verbose_name=_("teams"), blank=True, related_name="grids", limit_choices_to={"kind": "grid"}
    )
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self):
        return self.name


class MemberAffiliation(models.TextChoices):
    DISTRICT_UNIT = "district_unit", _("District unit")
    POLICE = "police", _("Police")
    JUDICIAL = "judicial", _("Judicial office")
    PARTY_MEMBER = "party_member", _("Party member")
    VILLAGE = "village", _("Village cadre")
    OTHER = "other", _("Other")


class TeamMember(models.Model):
    """A member of a grid team (联村驻社团队), by name; `user` is set when the member signs in."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="grid_members")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, editable=False)
    name = models.CharField(_("name"), max_length=50)
    affiliation = models.CharField(_("affiliation"), max_length=15, choices=MemberAffiliation.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = NotAnOrganisationsQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team_id", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="grid_team_member_unique")]

    def __str__(self):
        return f"{self.name}（{self.get_affiliation_display()}）"

    def save(self, *args, **kwargs):
        self.area_id = self.team.area_id
        super().save(*args, **kwargs)


class TaskState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Visited")
    MISSED = "missed", _("Missed")


class VisitTask(models.Model):
    """A team's visit to one grid due in one week. `week_day` is the configured visit day of that week
    (Friday by default) and keys the task; `due_date` is the day it is actually due, which differs
    when the visit day is a public holiday (see grids.schedule)."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="visit_tasks")
    grid = models.ForeignKey(Grid, verbose_name=_("grid"), on_delete=models.CASCADE, related_name="visit_tasks")
    area = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, editable=False)
    week_day = models.DateField(_("visit day of the week"))
    due_date = models.DateField(_("due"), db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=TaskState.choices, default=TaskState.PLANNED)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = NotAnOrganisationsQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit task")
        verbose_name_plural = _("visit tasks")
        ordering = ["-due_date", "grid_id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "grid", "week_day"], name="grid_visit_task_unique")
        ]

    def __str__(self):
        return f"{self.grid} {self.due_date:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.area_id = self.grid.area_id
        super().save(*args, **kwargs)


class Visit(models.Model):
    """A logged visit (走访) by a team to a grid: who went, how many households, what they saw."""

    grid = models.ForeignKey(Grid, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="visits")
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    task = models.ForeignKey(
        VisitTask, verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    area = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, editable=False)
    date = models.DateField(_("date"), db_index=True)
    members_present = models.ManyToManyField(TeamMember, verbose_name=_("members present"), blank=True)
    others_present = models.CharField(_("others present"), max_length=200, blank=True)
    households_visited = models.PositiveIntegerField(_("households visited"))
    notes = models.TextField(_("notes"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("logged at"), default=timezone.now)

    objects = NotAnOrganisationsQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.grid} {self.date:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.area_id = self.grid.area_id
        super().save(*args, **kwargs)


class Category(models.TextChoices):
    ENVIRONMENT = "environment", _("Environment and sanitation")
    DISPUTE = "dispute", _("Dispute")
    SAFETY = "safety", _("Safety hazard")
    LIVELIHOOD = "livelihood", _("Livelihood need")
    OTHER = "other", _("Other")


class Tier(models.TextChoices):
    GENERAL = "general", _("General (village)")
    MAJOR = "major", _("Major (town joint meeting)")
    SERIOUS = "serious", _("Serious (sent up to the district)")


class State(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    INVALID = "invalid", _("Invalid")
    DISPATCHED = "dispatched", _("Dispatched")
    SIGNED_FOR = "signed_for", _("Signed for")
    IN_PROGRESS = "in_progress", _("In progress")
    RETURNED = "returned", _("Returned")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    PARKED = "parked", _("Parked")
    FEEDBACK = "feedback", _("Fed back")
    VERIFYING = "verifying", _("Verifying on site")
    CLOSED = "closed", _("Closed")
    # A dispute handed to mediation as a case: it follows the case and closes with it.
    REFERRED = "referred", _("Referred to mediation")


FINAL_STATES = (State.CLOSED, State.INVALID)
# States in which the handling deadline runs; a parked problem (挂账) stays visible but is not overdue.
HANDLING_STATES = (
    State.ACCEPTED, State.DISPATCHED, State.SIGNED_FOR, State.IN_PROGRESS, State.RETURNED,
    State.EXTENSION_REQUESTED, State.FEEDBACK, State.VERIFYING,
)


class Channel(models.TextChoices):
    VISIT = "visit", _("Grid visit")
    WEB = "web", _("Web")
    OPEN311 = "open311", _("Open311")


class ProblemQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> models.Q:
        """A unit's account (a grant limited to its organisation, the partner_unit role) reaches the
        problems dispatched to that unit, and nothing else of the grids."""
        return models.Q(assigned_organisation_id=organisation_id)

    def open(self):
        return self.exclude(state__in=FINAL_STATES)

    def overdue(self, today):
        """Not accepted by the acceptance deadline, or not fed back by the handling deadline."""
        return self.filter(
            models.Q(state=State.REPORTED, accept_due__lt=today)
            | models.Q(state__in=HANDLING_STATES, handle_due__lt=today)
        )


def _new_token() -> str:
    return uuid.uuid4().hex


class Problem(models.Model):
    """A problem found on a grid (环境卫生, 矛盾纠纷, 安全隐患, 民生需求) and its way to being cleared.

    `version` rises with every change; an action names the version it saw, so two people acting on
    the same problem cannot silently overwrite each other. Deadlines are working-day dates.
    """

    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.TextField(_("description"), max_length=4000)
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.PROTECT, related_name="problems"
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="grid_problems")
    location = models.CharField(_("location"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.GENERAL)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.REPORTED)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.VISIT)
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="problems"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reporter_name = models.CharField(_("reporter"), max_length=100, blank=True)
    reporter_contact = EncryptedCharField(_("reporter contact"), max_length=100, blank=True)  # a mobile or e-mail
    reported_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    accept_due = models.DateField(_("accept by"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    handle_due = models.DateField(_("handle by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, db_index=True)
    assigned_organisation = models.ForeignKey(
        Organisation, verbose_name=_("dispatched to unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    assigned_team = models.ForeignKey(
        Team, verbose_name=_("dispatched to team"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    parked_reason = models.TextField(_("reason parked"), blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension asked (working days)"), null=True, blank=True)
    open311_key = models.ForeignKey(
        "Open311Key", verbose_name=_("API key"), null=True, blank=True, on_delete=models.SET_NULL
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("mediation case"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="grid_problems",
    )
    token = models.CharField(_("token"), max_length=32, unique=True, default=_new_token, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["area", "state"])]

    def __str__(self):
        return f"#{self.pk} {self.get_category_display()}"

    @property
    def in_triage(self) -> bool:
        return self.grid_id is None

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    def is_overdue(self, today) -> bool:
        if self.state == State.REPORTED:
            return self.accept_due < today
        return self.state in HANDLING_STATES and self.handle_due is not None and self.handle_due < today


class ProblemEvent(models.Model):
    """One step in a problem's timeline, shown on its page (the audit log keeps the legal record)."""

    problem = models.ForeignKey(Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    verb = models.CharField(_("step"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("problem event")
        verbose_name_plural = _("problem events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.problem_id} {self.verb}"


def photo_path(instance, filename: str) -> str:
    # The stored name is random (core.uploads): the uploader's file name can carry personal information.
    return uploads.stored_name("grids", instance.extension)


class Photo(models.Model):
    """A photo of a visit or a problem, stored under MEDIA_ROOT and served only through a scoped view."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, editable=False)
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    file = PrivateFileField(_("file"), upload_to=photo_path)
    content_type = models.CharField(_("type"), max_length=30)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self):
        return f"{self.content_type} #{self.pk}"

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(self.content_type, "bin")


class Open311Key(models.Model):
    """An Open311 api_key given to a client (an app, a hotline system); needed to post requests."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("client"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self):
        return self.name
