"""Early warnings (预警): the rules the district configures, the sea closures it declares, and each
warning raised with the cases or grid problems behind it and its lifecycle.

Rules are data: every threshold, window and level below is a row the district edits in the admin; the
software only knows how each rule's code is evaluated (yiwang.warnings.detect). Defaults are written by
migration 0002 and listed in the README.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import EncryptedCharField
from yiwang.core.scope import ScopedQuerySet


class Level(models.TextChoices):
    YELLOW = "yellow", _("Yellow")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")


LEVEL_RANK = {Level.YELLOW: 1, Level.ORANGE: 2, Level.RED: 3}


def higher_level(a: str, b: str) -> str:
    return a if LEVEL_RANK[a] >= LEVEL_RANK[b] else b


def raise_level(level: str) -> str:
    """One step up (a sea warning during a closure); red stays red."""
    return {Level.YELLOW: Level.ORANGE, Level.ORANGE: Level.RED}.get(level, Level.RED)


class Mode(models.TextChoices):
    INSTANT = "instant", _("Instant (when a case or problem changes)")
    PATTERN = "pattern", _("Pattern (on the schedule)")


class Rule(models.Model):
    """One warning rule: which code the software evaluates and the district's numbers for it.

    `yellow`, `orange`, `red` are the values (people, cases, yuan, excess over the baseline) at which each
    level is reached; a rule without them raises at `level`. `window_days` is how far back it counts,
    `minimum` the least count before it fires (spikes), `words` its word list, one per line (danger
    words; a line `讨说法 +group` only counts with a sign of a group in the text). `extra` holds the few
    knobs one rule alone has (a spike's significance, its baseline years)."""

    code = models.CharField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.YELLOW)
    yellow = models.DecimalField(_("yellow from"), max_digits=14, decimal_places=2, null=True, blank=True)
    orange = models.DecimalField(_("orange from"), max_digits=14, decimal_places=2, null=True, blank=True)
    red = models.DecimalField(_("red from"), max_digits=14, decimal_places=2, null=True, blank=True)
    window_days = models.PositiveIntegerField(_("window (days)"), null=True, blank=True)
    minimum = models.PositiveIntegerField(_("minimum count"), null=True, blank=True)
    words = models.TextField(_("words (one per line)"), blank=True)
    extra = models.JSONField(_("other settings"), default=dict, blank=True)
    escalate_after_hours = models.PositiveIntegerField(
        _("escalate an unacknowledged red warning after (hours)"), default=4)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def level_for(self, value) -> str | None:
        """The highest level whose threshold `value` reaches; None below yellow. Without thresholds,
        the rule's own level."""
        thresholds = [(Level.RED, self.red), (Level.ORANGE, self.orange), (Level.YELLOW, self.yellow)]
        if all(t is None for _, t in thresholds):
            return self.level
        value = Decimal(str(value))
        for level, threshold in thresholds:
            if threshold is not None and value >= threshold:
                return level
        return None

    def word_list(self) -> list[str]:
        return [line.strip() for line in self.words.splitlines() if line.strip()]

    def setting(self, name: str, default):
        return self.extra.get(name, default) if isinstance(self.extra, dict) else default


# The rules about a party, from which the district may exclude one (an exclusion of another rule would
# do nothing): the owner of vessels for the sea's repeat rule.
EXCLUDABLE_RULES = ("group.respondent", "repeat.party", "repeat.returned", "at_sea.vessel_repeat")


class Exclusion(models.Model):
    """A party the district excludes from one rule: a respondent that is one by its nature (the social
    insurance bureau in every pension dispute, a property company with a thousand households), or a
    fleet owner whose boats are many. The party is named as the rules know it: an ID number, else a
    credit code, else a name in a town (`area`). Added and removed in the admin, each change audited."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="exclusions",
                             limit_choices_to={"code__in": EXCLUDABLE_RULES})
    name = models.CharField(_("party name"), max_length=100)
    id_number = EncryptedCharField(_("ID number"), max_length=18, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("town"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", help_text=_("Only for a party known by name alone: the town it is in."))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("exclusion from a rule")
        verbose_name_plural = _("exclusions from rules")
        ordering = ["rule_id", "name", "id"]

    def __str__(self):
        return f"{self.rule_id}: {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        self.id_number = (self.id_number or "").strip().upper()
        self.credit_code = (self.credit_code or "").strip().upper()
        if self.rule_id and self.rule_id not in EXCLUDABLE_RULES:
            raise ValidationError({"rule": _("This rule is not about a party: nobody can be excluded from it.")})
        if not (self.id_number or self.credit_code or self.area_id):
            raise ValidationError({"area": _("Give the ID number or the credit code, or the town of a party "
                                             "known by name alone.")})

    @property
    def party_key(self) -> str:
        """The party as the rules know it (yiwang.warnings.facts.party_key)."""
        from yiwang.warnings.facts import party_key

        return party_key(kind="", name=self.name, id_number=self.id_number, credit_code=self.credit_code,
                         area_code=self.area_id or "")


class SeaClosure(models.Model):
    """A period the district declares for the sea: the summer fishing moratorium (伏季休渔: boats in port,
    crews without income), a typhoon closure (台风封港), or the fishing season after it opens (开渔: the
    whole fleet at sea at once). Sea warnings raised during one go up a level and say so."""

    class Kind(models.TextChoices):
        MORATORIUM = "moratorium", _("Fishing moratorium")
        TYPHOON = "typhoon", _("Typhoon closure")
        SEASON = "season", _("Fishing season")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("sea closure")
        verbose_name_plural = _("sea closures")
        ordering = ["-starts_on"]

    def __str__(self):
        return f"{self.name} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class Status(models.TextChoices):
    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    HANDLING = "handling", _("Being handled")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_STATUSES = (Status.RAISED, Status.ACKNOWLEDGED, Status.HANDLING)


class Tier(models.TextChoices):
    VILLAGE = "village", _("Village")
    TOWN = "town", _("Town")
    DISTRICT = "district", _("District")


TIER_ORDER = [Tier.VILLAGE, Tier.TOWN, Tier.DISTRICT]
TIER_CODE_LENGTH = {Tier.VILLAGE: 12, Tier.TOWN: 9, Tier.DISTRICT: 6}


class WarningQuerySet(ScopedQuerySet):
    """Warnings scope by the area of the situation: a town leader sees the town's and its villages'."""

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Warning(models.Model):
    """One situation warned of: a group dispute forming, a party coming back, a spike, a threat.

    `key` names the situation (rule and subject: the respondent, the vessel, the village and type); while
    a warning with that key is open, new cases join it instead of raising another. `tier` is the level of
    government that must act (village, town, district: by level, raised when an unacknowledged red
    warning escalates) and `routed_area` the division at that tier. `explanation` is the rule's finding
    written out with its numbers in Chinese; `numbers` the same figures for machines."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="warnings")
    key = models.CharField(_("situation"), max_length=200, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.RAISED)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(_("tier that must act"), max_length=10, choices=Tier.choices)
    routed_area = models.CharField(_("routed to"), max_length=12)
    vessel = models.CharField(_("vessel"), max_length=60, blank=True)
    explanation = models.TextField(_("explanation"))
    numbers = models.JSONField(_("figures"), default=dict, blank=True)
    cases = models.ManyToManyField("cases.Case", verbose_name=_("cases"), blank=True, related_name="warnings")
    problems = models.ManyToManyField("grids.Problem", verbose_name=_("grid problems"), blank=True,
                                      related_name="warnings")
    leaders = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("leaders in charge"), blank=True,
                                     related_name="warnings_in_charge")
    raised_at = models.DateTimeField(_("raised at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    close_reason = models.TextField(_("reason"), blank=True)
    false_alarm = models.BooleanField(_("false alarm"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = WarningQuerySet.as_manager()

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["status", "level"]), models.Index(fields=["area", "status"])]
        constraints = [
            # One situation, one open warning: the database holds it even when two evaluations race.
            models.UniqueConstraint(fields=["key"], condition=Q(status__in=["raised", "acknowledged", "handling"]),
                                    name="warning_one_open_per_situation"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_level_display()} {self.rule_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    JOINED = "joined", _("New cases joined")
    LEVEL_RAISED = "level_raised", _("Level raised")
    ESCALATED = "escalated", _("Escalated to the tier above")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    MEASURE = "measure", _("Measure recorded")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class WarningEvent(models.Model):
    """One line of a warning's timeline: raised, joined, escalated, acknowledged, a measure taken, closed."""

    warning = models.ForeignKey(Warning, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=15, choices=EventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("warning event")
        verbose_name_plural = _("warning events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.warning_id} {self.kind}"

