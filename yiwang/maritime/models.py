"""The sea's records: vessels and their crews, sea areas (fishing zones and named waters), the maritime
record of a case (one to one with cases.Case), the agencies taking part with their tasks, and the services
attached to a case.

State changes live in actions.py. Every model here scopes by an area (core.scope): a vessel by the area it
is registered in, a sea area by the land area that handles it, a maritime record by its case's area. A
grant limited to an organisation (an agency's officer) reaches only what that agency has tasks on
(`agency_case_q`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yiwang.core.crypto import BlindIndexField, EncryptedCharField
from yiwang.core.scope import ScopedQuerySet


def agency_case_q(organisation_id: int, field: str = "pk") -> Q:
    """The cases an agency (an Organisation) has tasks on or referred to the centre: its officers'
    need-to-know."""
    return (Q(**{f"{field}__in": AgencyTask.objects.filter(agency__organisation_id=organisation_id)
                 .values("record__case_id")})
            | Q(**{f"{field}__in": MaritimeRecord.objects.filter(referred_by__organisation_id=organisation_id)
                   .values("case_id")}))


# ----------------------------------------------------------------------------------------------- vessels


class VesselKind(models.TextChoices):
    TRAWLER = "trawler", _("Trawler")
    GILLNET = "gillnet", _("Gillnetter")
    PURSE_SEINE = "purse_seine", _("Purse seiner")
    STOW_NET = "stow_net", _("Stow-net vessel")
    LINE = "line", _("Line and pot vessel")
    FISH_CARRIER = "fish_carrier", _("Fish carrier")
    FISHING_AUXILIARY = "fishing_auxiliary", _("Fishing auxiliary vessel")
    CARGO = "cargo", _("Cargo ship")
    TANKER = "tanker", _("Tanker")
    PASSENGER = "passenger", _("Passenger ship")
    OTHER = "other", _("Other vessel")


# Fishing vessels carry a name of the national pattern (validators.FISHING_NAME).
FISHING_KINDS = frozenset({VesselKind.TRAWLER, VesselKind.GILLNET, VesselKind.PURSE_SEINE, VesselKind.STOW_NET,
                           VesselKind.LINE, VesselKind.FISH_CARRIER, VesselKind.FISHING_AUXILIARY})


class LengthClass(models.TextChoices):
    """The length classes of China's fishing vessel management (小型 < 12 m, 中型 12–24 m, 大型 ≥ 24 m)."""

    SMALL = "small", _("Under 12 m")
    MEDIUM = "medium", _("12 m to under 24 m")
    LARGE = "large", _("24 m and over")


class HolderKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class VesselQuerySet(ScopedQuerySet):
    """Vessels scope by the county they are registered in: a vessel sails past every town, so a grant
    anywhere in a county reaches the county's whole registry (a clerk in 六横 looks up a 沈家门 boat). A
    grant limited to an organisation (an agency) reaches only the vessels of the cases it has tasks on."""

    def visible_to(self, user, action: str = "area.view"):
        from yiwang.core.codes import CODE_LENGTH, Level
        from yiwang.core.scope import get_scopes

        scopes = get_scopes(user, action)
        if scopes is None:
            return self.all()
        county = CODE_LENGTH[Level.COUNTY]
        q = Q(pk__in=[])
        for code, organisation in scopes:
            if organisation:
                q |= Q(area__code__startswith=code) & self.organisation_q(organisation)
            else:
                q |= Q(area__code__startswith=code[:county])
        return self.filter(q)

    def organisation_q(self, organisation_id: int) -> Q:
        return Q(pk__in=MaritimeRecord.vessels.through.objects.filter(
            maritimerecord__case__in=_agency_cases(organisation_id)).values("vessel_id"))

    def search(self, q: str):
        """A name or number (anywhere in it), an MMSI, or the owner's or operator's name."""
        q = (q or "").strip()
        if not q:
            return self
        return self.filter(Q(name__contains=q) | Q(registration_number__icontains=q) | Q(mmsi=q)
                           | Q(owner_name__contains=q) | Q(operator_name__contains=q))


def _agency_cases(organisation_id: int):
    from yiwang.cases.models import Case

    return Case.objects.filter(agency_case_q(organisation_id))


class Vessel(models.Model):
    """A vessel in the registry: its names and numbers, its kind and size, who owns and who operates it.

    The owner and the operator are a person (ID number, mobile) or an organisation (credit code); both
    are personal data, shown masked unless the reader holds pii.view (and then audited)."""

    name = models.CharField(_("vessel name (船名)"), max_length=40, unique=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    home_port = models.CharField(_("port of registry (船籍港)"), max_length=40, blank=True)
    mmsi = models.CharField(_("MMSI"), max_length=9, blank=True)
    chinese = models.BooleanField(_("Chinese vessel"), default=True)
    kind = models.CharField(_("type"), max_length=20, choices=VesselKind.choices)
    length_class = models.CharField(_("length class"), max_length=10, choices=LengthClass.choices, blank=True)
    gross_tonnage = models.DecimalField(_("gross tonnage"), max_digits=9, decimal_places=1, null=True, blank=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("The division the vessel is registered in and managed by."))
    owner_kind = models.CharField(_("owner is"), max_length=12, choices=HolderKind.choices, default=HolderKind.PERSON)
    owner_name = models.CharField(pgettext_lazy("sea", "owner"), max_length=100)
    owner_id_number = EncryptedCharField(_("owner's ID number"), max_length=18, blank=True)
    owner_id_number_hash = BlindIndexField(source="owner_id_number")  # the same owner's other vessels
    owner_credit_code = models.CharField(_("owner's credit code"), max_length=18, blank=True)
    owner_phone = EncryptedCharField(_("owner's mobile"), max_length=20, blank=True)
    operator_kind = models.CharField(_("operator is"), max_length=12, choices=HolderKind.choices, blank=True)
    operator_name = models.CharField(_("operator"), max_length=100, blank=True,
                                     help_text=_("Leave empty when the owner operates the vessel."))
    operator_id_number = EncryptedCharField(_("operator's ID number"), max_length=18, blank=True)
    operator_credit_code = models.CharField(_("operator's credit code"), max_length=18, blank=True)
    operator_phone = EncryptedCharField(_("operator's mobile"), max_length=20, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = VesselQuerySet.as_manager()

    class Meta:
        verbose_name = _("vessel")
        verbose_name_plural = _("vessels")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["mmsi"], condition=~Q(mmsi=""), name="vessel_mmsi_unique")]
        indexes = [models.Index(fields=["mmsi"]), models.Index(fields=["owner_name"])]

    def __str__(self):
        return self.name

    @property
    def is_fishing(self) -> bool:
        return self.kind in FISHING_KINDS


class CrewMember(models.Model):
    """A person serving on a vessel, and whether they have a written contract (most boat owners give
    none, which is why crew wage disputes are common)."""

    vessel = models.ForeignKey(Vessel, verbose_name=_("vessel"), on_delete=models.CASCADE, related_name="crew")
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=30, blank=True)
    id_number = EncryptedCharField(_("ID number"), max_length=18, blank=True)
    phone = EncryptedCharField(_("mobile"), max_length=20, blank=True)
    id_number_hash = BlindIndexField(source="id_number")
    written_contract = models.BooleanField(_("written contract"), default=False)

    class Meta:
        verbose_name = _("crew member")
        verbose_name_plural = _("crew members")
        ordering = ["vessel_id", "id"]

    def __str__(self):
        return self.name


# ----------------------------------------------------------------------------------------------- sea areas


class SeaAreaKind(models.TextChoices):
    ZONE = "zone", _("Fishing zone (渔区)")
    SUBZONE = "subzone", _("Small fishing zone (小渔区)")
    WATER = "water", _("Named waters")


class SeaAreaQuerySet(ScopedQuerySet):
    area_field = "handling_area__code"

    def containing(self, lat: Decimal, lon: Decimal):
        return self.filter(min_lat__lte=lat, max_lat__gt=lat, min_lon__lte=lon, max_lon__gt=lon)


class SeaArea(models.Model):
    """A stretch of sea as a latitude/longitude box: a fishing zone (渔区, 30′ × 30′), one of its nine small
    zones (小渔区, 10′ × 10′, numbered 1–9 from the north-west, row by row) or a named water around 普陀.
    Disputes arising in it are handled by the centre of `handling_area` (a small zone without its own
    handles as its zone). Loaded from a file by `yiwang load_sea_areas`."""

    code = models.CharField(_("code"), max_length=20, primary_key=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SeaAreaKind.choices)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey("self", verbose_name=_("fishing zone"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="subzones")
    min_lat = models.DecimalField(_("south edge (latitude)"), max_digits=8, decimal_places=5)
    max_lat = models.DecimalField(_("north edge (latitude)"), max_digits=8, decimal_places=5)
    min_lon = models.DecimalField(_("west edge (longitude)"), max_digits=8, decimal_places=5)
    max_lon = models.DecimalField(_("east edge (longitude)"), max_digits=8, decimal_places=5)
    handling_area = models.ForeignKey("areas.Area", verbose_name=_("handled by the centre of"),
                                      on_delete=models.PROTECT, related_name="+")

    objects = SeaAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("sea area")
        verbose_name_plural = _("sea areas")
        ordering = ["kind", "code"]
        indexes = [models.Index(fields=["kind", "min_lat", "min_lon"])]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> SeaArea | None:
        """The fishing zone this is or lies in (None for a named water)."""
        return {SeaAreaKind.ZONE: self, SeaAreaKind.SUBZONE: self.parent}.get(self.kind)


# ----------------------------------------------------------------------------------------------- cases


class IncidentKind(models.TextChoices):
    COLLISION = "collision", _("Collision")
    GEAR_DAMAGE = "gear_damage", _("Gear or net damage")
    INJURY = "injury", _("Injury or death at sea")
    CREW_WAGES = "crew_wages", _("Crew wages")
    FISHING_GROUND = "fishing_ground", _("Fishing-ground dispute")
    CATCH_SALE = "catch_sale", _("Catch or sale")
    POLLUTION = "pollution", _("Pollution")
    SALVAGE = "salvage", _("Salvage")


class RecordQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        return agency_case_q(organisation_id, "case_id")

    def open(self):
        from yiwang.cases.models import OPEN_STATUSES

        return self.filter(case__status__in=OPEN_STATUSES)


class MaritimeRecord(models.Model):
    """What the sea adds to a case (one to one): the incident's kind, time and place (a position, a sea
    area, or both), the vessels involved, the injured and dead, the losses, the insurance (渔业互保), the
    agency that referred it (if one did), and whether it is a major dispute (重大) with the reason. `area` is the case's, so that it scopes alike."""

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="maritime")
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    incident_kind = models.CharField(_("incident"), max_length=20, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("time of the incident"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    sea_area = models.ForeignKey(SeaArea, verbose_name=_("sea area"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="records")
    zone = models.ForeignKey(SeaArea, verbose_name=_("fishing zone"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="zone_records",
                             help_text=_("The fishing zone of the sea area, kept for the counts by zone."))
    vessels = models.ManyToManyField(Vessel, verbose_name=_("vessels involved"), blank=True, related_name="records")
    injured = models.PositiveSmallIntegerField(_("people injured"), default=0)
    dead = models.PositiveSmallIntegerField(_("people dead or missing"), default=0)
    crew_involved = models.PositiveSmallIntegerField(_("crew involved"), default=0)
    loss_amount = models.DecimalField(_("losses (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    insured = models.BooleanField(_("insured (渔业互保)"), default=False)
    insurance_note = models.CharField(_("insurance"), max_length=200, blank=True)
    referred_by = models.ForeignKey("Agency", verbose_name=_("referred by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="referrals",
                                    help_text=_("The agency that referred the dispute to the centre; it follows "
                                                "the case."))
    major = models.BooleanField(_("major dispute (重大)"), default=False)
    major_reason = models.CharField(_("why it is major"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("maritime record")
        verbose_name_plural = _("maritime records")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.case.number} · {self.get_incident_kind_display()}"


# ----------------------------------------------------------------------------------------------- agencies


class AgencyKind(models.TextChoices):
    COAST_GUARD = "coast_guard", _("Coast guard (海警)")
    MSA = "msa", _("Maritime safety administration (海事局)")
    FISHERIES = "fisheries", _("Fisheries authority (渔业主管部门)")
    MARITIME_COURT = "maritime_court", _("Maritime court tribunal (海事法院派出法庭)")
    INSURER = "insurer", _("Insurer (渔业互保)")


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "area.view"):
        """The agencies whose organisation the user sees (the admin's scope)."""
        from yiwang.areas.models import Organisation

        return self.filter(organisation__in=Organisation.objects.visible_to(user, action))


class Agency(models.Model):
    """A maritime agency: an Organisation (areas) in one of the roles the sea needs. Its officers hold
    grants limited to the organisation and see only the cases it has tasks on."""

    organisation = models.OneToOneField("areas.Organisation", verbose_name=_("organisation"),
                                        on_delete=models.PROTECT, related_name="maritime_agency")
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("maritime agency")
        verbose_name_plural = _("maritime agencies")
        ordering = ["kind", "organisation__name"]

    def __str__(self):
        return self.organisation.name


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        # An agency's officer sees its own tasks, not the other agencies' on the same case.
        return Q(agency__organisation_id=organisation_id)

    def overdue(self, today=None):
        return self.filter(status=TaskStatus.OPEN, due__lt=today or timezone.localdate())


class AgencyTask(models.Model):
    """Something one agency is to do on a case (evidence from the AIS track, an accident report, a claim
    assessment…), due in working days (core.calendar), done with an outcome."""

    record = models.ForeignKey(MaritimeRecord, verbose_name=_("maritime record"), on_delete=models.CASCADE,
                               related_name="tasks")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="tasks")
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("The case's, so that the task scopes alike."))
    title = models.CharField(_("task"), max_length=200)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    due = models.DateField(pgettext_lazy("sea", "due"))
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("given at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("given by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency task")
        verbose_name_plural = _("agency tasks")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None) -> bool:
        return self.status == TaskStatus.OPEN and self.due < (today or timezone.localdate())


# ----------------------------------------------------------------------------------------------- services


class ServiceKind(models.TextChoices):
    INSURANCE_CLAIM = "insurance_claim", _("Insurance claim support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    COURT_FILING = "court_filing", _("Maritime court online filing")
    WAGE_CLAIM = "wage_claim", _("Seafarer's wage claim")


class ServiceStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SUCCEEDED = "succeeded", _("Obtained")
    FAILED = "failed", _("Not obtained")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ServiceQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        return agency_case_q(organisation_id, "record__case_id")


class Service(models.Model):
    """A service attached to a case for a party (an insurance claim, legal aid, filing at the maritime
    court, a seafarer's wage claim), followed to its outcome."""

    record = models.ForeignKey(MaritimeRecord, verbose_name=_("maritime record"), on_delete=models.CASCADE,
                               related_name="services")
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    amount = models.DecimalField(_("amount obtained (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["started_at", "id"]

    def __str__(self):
        return self.get_kind_display()


# ----------------------------------------------------------------------------------------------- sessions


class SessionMode(models.TextChoices):
    REMOTE = "remote", _("Remote, by video (a party at sea or far away)")
    ON_BOARD = "on_board", _("On board a vessel (海上共享法庭)")


class SeaSessionQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        return agency_case_q(organisation_id, "record__case_id")


class SeaSession(models.Model):
    """How a mediation session of a dispute at sea reaches the parties where they are: by video for a
    party at sea or far away (the seed's sisters signed from 绍兴), or held on board a vessel (the 海上共享
    法庭). The session itself is the online app's ScheduledSession (the parties see it on their page and
    are told by SMS) and, once held, the cases app's MediationSession (its record, 调解笔录); this row adds
    what the sea needs: the mode, the vessel, where it lies, who joins from sea and the link."""

    record = models.ForeignKey(MaritimeRecord, verbose_name=_("maritime record"), on_delete=models.CASCADE,
                               related_name="sea_sessions")
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("how it meets"), max_length=10, choices=SessionMode.choices)
    scheduled = models.OneToOneField("online.ScheduledSession", verbose_name=_("scheduled session"),
                                     on_delete=models.CASCADE, related_name="sea")
    held = models.OneToOneField("cases.MediationSession", verbose_name=_("session record"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="sea")
    vessel = models.ForeignKey(Vessel, verbose_name=_("vessel"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="sea_sessions",
                               help_text=_("On board: the vessel it is held on. Remote: the vessel a party joins from."))
    sea_area = models.ForeignKey(SeaArea, verbose_name=_("sea area"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    at_sea = models.CharField(_("who joins from sea or afar"), max_length=200, blank=True)
    link = models.CharField(_("video link or satellite telephone"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("scheduled at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("scheduled by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = SeaSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session at sea")
        verbose_name_plural = _("sessions at sea")
        ordering = ["scheduled__starts_at", "id"]

    def __str__(self):
        return f"{self.record.case.number} · {self.get_mode_display()}"


# ----------------------------------------------------------------------------------------------- evidence


class PositionSource(models.TextChoices):
    AIS = "ais", _("AIS track")
    BEIDOU = "beidou", _("Beidou terminal (北斗)")
    RADAR = "radar", _("Coast guard or maritime safety radar")
    LOGBOOK = "logbook", _("Logbook")
    STATEMENT = "statement", _("A party's statement")


class PositionQuerySet(ScopedQuerySet):
    def organisation_q(self, organisation_id: int) -> Q:
        return agency_case_q(organisation_id, "record__case_id")


class PositionFix(models.Model):
    """Evidence of where a vessel involved in a case was at a given time: from its AIS track or Beidou
    terminal, radar, the logbook or a party's statement, located on the fishing zones when it lies on
    them. Recorded by the coordinating centre or by an agency's officer on its task (the coast guard's
    AIS extract, the maritime safety administration's radar)."""

    record = models.ForeignKey(MaritimeRecord, verbose_name=_("maritime record"), on_delete=models.CASCADE,
                               related_name="positions")
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    vessel = models.ForeignKey(Vessel, verbose_name=_("vessel"), on_delete=models.PROTECT, related_name="positions")
    at = models.DateTimeField(_("time"))
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    sea_area = models.ForeignKey(SeaArea, verbose_name=_("sea area"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey(SeaArea, verbose_name=_("fishing zone"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=10, choices=PositionSource.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    task = models.ForeignKey(AgencyTask, verbose_name=_("agency task"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="positions")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position (evidence)")
        verbose_name_plural = _("positions (evidence)")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.vessel} · {self.at:%Y-%m-%d %H:%M}"
