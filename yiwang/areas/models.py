"""Areas (the division tree) and the organisation that lives on it: centres, windows, teams, units."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.core.codes import Level, ancestor_codes
from yiwang.core.scope import ScopedQuerySet


class AreaQuerySet(ScopedQuerySet):
    area_field = "code"


class Area(models.Model):
    """A division keyed by its official code; a subtree is every code with that prefix.

    Divisions come from the NBS files; a management area that is not a division (an island or a
    development zone) can be configured with `official=False` and a code in the same scheme.
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    official = models.BooleanField(
        _("official division"), default=True, help_text=_("False for a configured management area.")
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def ancestors(self) -> list["Area"]:
        """From the province down to this area's parent, read by code prefixes in one query."""
        return list(Area.objects.filter(code__in=ancestor_codes(self.code)[:-1]).order_by("code"))

    @property
    def path_name(self) -> str:
        return " / ".join([a.name for a in self.ancestors()] + [self.name])


class CentreLevel(models.TextChoices):
    DISTRICT = "district", _("District centre")
    TOWN = "town", _("Town centre")
    VILLAGE = "village", _("Village centre")


class Centre(models.Model):
    """A social governance / dispute resolution centre (社会治理中心, 矛调中心) serving an area."""

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("tier"), max_length=10, choices=CentreLevel.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="centres")
    code = models.CharField(
        _("short code"), max_length=12, unique=True, help_text=_("Used in case numbers, e.g. PT for 普陀.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("public telephone"), max_length=30, blank=True)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo data chosen for illustration, not an official list.")
    )
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["area_id", "name"]
        indexes = [models.Index(fields=["level", "area"])]

    def __str__(self):
        return self.name


class DisputeType(models.Model):
    """A kind of dispute (婚姻家庭, 劳动, 海事渔事 …). The list is data, edited in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    maritime = models.BooleanField(
        _("maritime"), default=False, help_text=_("Keyed on vessels and sea areas; handled by the maritime team.")
    )
    litigation_bound = models.BooleanField(
        _("headed for court"), default=False, help_text=_("Diverted to pre-litigation mediation first.")
    )
    service = models.BooleanField(
        _("centre service"), default=False,
        help_text=_("A service of the centre (诉讼服务, 信访, 法律援助 …) rather than a dispute: offered on its own, "
                    "not in the citizen's list of disputes."))
    synonyms = models.CharField(
        _("other words for it"), max_length=200, blank=True,
        help_text=_("Words a citizen may search for, separated by spaces (赡养 for 婚姻家庭纠纷)."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("dispute type")
        verbose_name_plural = _("dispute types")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive window")
    SPECIALISED = "specialised", _("Specialised window")


class Window(models.Model):
    """An intake window (受理窗口) at a centre. A comprehensive window takes everything; a specialised
    one takes the dispute types listed on it."""

    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="windows")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, editable=False)
    number = models.PositiveSmallIntegerField(_("window number"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=WindowKind.choices)
    dispute_types = models.ManyToManyField(DisputeType, verbose_name=_("dispute types"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["centre_id", "number"]
        constraints = [models.UniqueConstraint(fields=["centre", "number"], name="window_number_unique")]

    def __str__(self):
        return f"{self.number}号 {self.name}"

    def save(self, *args, **kwargs):
        # A window always lies in its centre's area; keeping the code here makes scoping one column.
        self.area_id = self.centre.area_id
        super().save(*args, **kwargs)


class TeamKind(models.TextChoices):
    MEDIATION = "mediation", _("Mediation team")
    MARITIME = "maritime", _("Maritime and fishery team")
    GRID = "grid", _("Grid team")
    ELDERS = "elders", _("Village elder council")
    SPECIALIST = "specialist", _("Specialist team")


class Team(models.Model):
    """A team of people working together on an area: mediators, a village grid team, an elder council."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=TeamKind.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="teams")
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), null=True, blank=True, on_delete=models.SET_NULL, related_name="teams"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="teams"
    )
    dispute_types = models.ManyToManyField(
        DisputeType, verbose_name=_("dispute types handled"), blank=True, related_name="teams"
    )
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["area_id", "name"]

    def __str__(self):
        return self.name


class OrganisationKind(models.TextChoices):
    DISTRICT_UNIT = "district_unit", _("District unit")
    BANK = "bank", _("Bank")
    COURT = "court", _("Court")
    ARBITRATION = "arbitration", _("Arbitration body")
    ADMINISTRATIVE = "administrative", _("Administrative body")
    POLICE = "police", _("Police station")
    SOCIAL = "social", _("Social organisation")
    MEDIATION_COMMITTEE = "committee", _("People's mediation committee")


class Organisation(models.Model):
    """A body outside the centres that works with them: banks, courts, arbitration, district units."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=OrganisationKind.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="organisations")
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["area_id", "kind", "name"]

    def __str__(self):
        return self.name
