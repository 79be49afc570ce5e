"""What triage remembers: the suggestion made for each registered case against the type staff chose (a
changed suggestion is a labelled example for retraining), mediators' declared profiles, and known
conflicts between a mediator and a person who may be a party."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.core.scope import ScopedQuerySet


class SuggestionQuerySet(ScopedQuerySet):
    area_field = "case__area_id"


class Suggestion(models.Model):
    """The type the classifier suggested for a case when it was registered, and the type chosen.

    Written by the case_changed hook on registration, from the case's facts and claims; when `chosen`
    differs from `suggested` a clerk corrected the suggestion, and `yiwang train_triage` learns from it."""

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="triage_suggestion")
    text = models.TextField(_("text classified"))
    suggested = models.CharField(_("suggested type"), max_length=40)
    scores = models.JSONField(_("top suggestions"), default=list)
    chosen = models.CharField(_("chosen type"), max_length=40)
    model_key = models.CharField(_("model"), max_length=40)
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("type suggestion")
        verbose_name_plural = _("type suggestions")
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"{self.case_id}: {self.suggested} → {self.chosen}"

    @property
    def corrected(self) -> bool:
        return self.suggested != self.chosen


class MediatorProfileQuerySet(ScopedQuerySet):
    area_field = "home_area_id"


class MediatorProfile(models.Model):
    """What a mediator declares: the types they know, where they live or work, the dialects they speak."""

    mediator = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("mediator"), on_delete=models.CASCADE,
                                    related_name="mediator_profile")
    dispute_types = models.ManyToManyField("areas.DisputeType", verbose_name=_("declared expertise"), blank=True)
    home_area = models.ForeignKey("areas.Area", verbose_name=_("village or town"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    dialects = models.CharField(_("languages and dialects"), max_length=100, blank=True,
                                help_text=_("Separated by commas, e.g. 舟山话, 宁波话."))

    objects = MediatorProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediator profile")
        verbose_name_plural = _("mediator profiles")

    def __str__(self):
        return str(self.mediator)

    @property
    def dialect_list(self) -> list[str]:
        return [d.strip() for d in self.dialects.replace("，", ",").split(",") if d.strip()]


class Relation(models.TextChoices):
    RELATIVE = "relative", _("Relative")
    COLLEAGUE = "colleague", _("Colleague")
    OTHER = "other", _("Other interest")


class Conflict(models.Model):
    """A person a mediator must never be suggested for (回避): a relative, a colleague, another interest.

    Matched against a case's parties by ID number when both have one, else by name."""

    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("mediator"), on_delete=models.CASCADE,
                                 related_name="mediation_conflicts")
    person_name = models.CharField(_("person's name"), max_length=100)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["mediator_id", "person_name"]

    def __str__(self):
        return f"{self.mediator} – {self.person_name} ({self.get_relation_display()})"
